// Subscriptions: the list with its filters; a subscription's detail offering only the actions
// allowed now (each with its preview and a confirmation); Manage Subscription (plan, addons,
// coupon, now or at term end) with the prorated preview; Proceed to Reactivate.
import { api } from "../api.js";
import { money, date, dateTime, isoDay, percent, perTerm, statusLabel } from "../format.js";
import { plural, t } from "../i18n.js";
import { failureReason } from "../failure_words.js";
import { lineText } from "../line_words.js";
import { noteText } from "../note_words.js";
import { h, replace, loading, empty, alert, badge, pageHeader, table, filters, dialog, field, onSubmit, toast,
         confirmAction, showErrors, pages } from "../ui.js";
import { invoiceTable } from "./invoices.js";
import { canPay, isOwner } from "../roles.js";

const FILTERS = [["all", t("subscriptions.filter.all")],
  ...["live", "trial", "future", "non_renewing", "paused", "dunning", "unpaid", "cancelled", "expired"].map((s) => [s, statusLabel(s)])];

const CARD_ACTIONS = ["set_auto_charge", "choose_payment_method"];
const ENDED = ["cancelled", "expired"];     // a banner says when; their term is history: the last one, not a current one
const path = (id, rest = "") => `/portal/subscriptions/${encodeURIComponent(id)}${rest}`;

export async function list({ main, query }) {
  const status = FILTERS.some(([value]) => value === query.status) ? query.status : "all";
  const body = h("div", {}, loading(t("subscriptions.loading")));
  replace(main, pageHeader(t("subscriptions.title"), t("subscriptions.subtitle")),
    filters(t("subscriptions.filter"), FILTERS, status, (value) => (value === "all" ? "#/subscriptions" : `#/subscriptions?status=${value}`)),
    h("section", { class: "card", "aria-label": t("subscriptions.title") }, body));
  await pages(body, (cursor) => api.get("/portal/subscriptions", { status: status === "all" ? undefined : status, cursor }),
    (items) => table(t("subscriptions.title"), [
      { label: t("subscriptions.plan"), cell: (s) => h("a", { href: `#/subscriptions/${encodeURIComponent(s.subscription_id)}` }, s.plan_name) },
      { label: t("subscriptions.status"), cell: (s) => badge(s.status) },
      { label: t("subscriptions.amount"), num: true, cell: (s) => money(s.price_per_term_minor, s.currency) },
      { label: t("subscriptions.next_billing"), cell: (s) => date(s.next_billing_on) },
      { label: t("subscriptions.auto_charge"), cell: (s) => (s.auto_charge ? t("subscriptions.on") : t("subscriptions.off")) },
    ], items), () => empty(status === "all" ? t("subscriptions.none") : t("subscriptions.none_in", { status: statusLabel(status) })));
}

/** A coupon for some terms only discounts this term: said beside the price per period, not in place of it. */
function termDiscount(sub) {
  if (!sub.current_term || !sub.coupon || sub.amount_per_term_minor === sub.price_per_term_minor) return null;
  return [h("dt", {}, t("subscriptions.this_term")),
    h("dd", {}, t("subscriptions.this_term_with_coupon", { amount: money(sub.amount_per_term_minor, sub.currency), code: sub.coupon.code }))];
}

export async function detail(context) {
  const { main, params } = context;
  replace(main, loading(t("subscriptions.loading_one")));
  const [sub, methods] = await Promise.all([api.get(path(params.id)),
    api.get("/portal/payment-methods").then((answer) => answer.items || answer).catch(() => [])]);
  const failed = sub.status === "dunning" ? await api.get(path(sub.subscription_id, "/dunning")).catch(() => null) : null;
  const method = methods.find((m) => m.payment_method_id === sub.payment_method_id);
  // the actions of the subscription are the owner's; billing may choose its card and turn automatic charging on and off
  const allowed = new Set((sub.allowed_actions || []).filter((a) => a.allowed).map((a) => a.action)
    .filter((a) => isOwner(context.me) || (CARD_ACTIONS.includes(a) && canPay(context.me))));
  const reload = async (message) => { if (message) toast(message); await detail(context); };
  const act = actions(sub, allowed, reload, context);

  const invoices = h("div", {}, loading(t("invoices.loading")));
  replace(main,
    h("p", {}, h("a", { href: "#/subscriptions" }, t("subscriptions.back"))),
    banners(sub, allowed, act),
    failed ? dunningCard(failed, method, canPay(context.me)) : null,
    pageHeader(sub.plan_name, `${money(sub.price_per_term_minor, sub.currency)} ${perTerm(sub.plan?.interval || "month", sub.plan?.interval_count)}`,
      badge(sub.status), ...act.buttons),
    h("div", { class: "grid" },
      h("section", { class: "card", "aria-labelledby": "overview" }, h("h2", { id: "overview" }, t("subscriptions.overview")),
        h("dl", { class: "details" },
          h("dt", {}, t("subscriptions.status")), h("dd", {}, statusLabel(sub.status)),
          sub.trial ? [h("dt", {}, t("subscriptions.trial")), h("dd", {}, `${date(sub.trial.start)} – ${date(sub.trial.end)}`)] : null,
          sub.current_term ? [h("dt", {}, t(ENDED.includes(sub.status) ? "subscriptions.last_term" : "subscriptions.current_term")),
            h("dd", {}, `${date(sub.current_term.start)} – ${date(sub.current_term.end)}`)] : null,
          termDiscount(sub),
          sub.next_billing_on ? [h("dt", {}, t("subscriptions.next_billing")), h("dd", {}, `${date(sub.next_billing_on)}` +
            (sub.next_billing_amount_minor != null ? ` · ${money(sub.next_billing_amount_minor, sub.currency)}` : ""))] : null,
          h("dt", {}, t("subscriptions.payment_method")), h("dd", {}, paymentMethod(sub, method, methods, allowed, reload)),
          h("dt", {}, t("subscriptions.auto_charge")), h("dd", {}, autoCharge(sub, allowed, reload, canPay(context.me))),
          sub.reference ? [h("dt", {}, t("subscriptions.reference")), h("dd", {}, sub.reference)] : null)),
      h("section", { class: "card", "aria-labelledby": "items" }, h("h2", { id: "items" }, t("subscriptions.items")),
        h("ul", {},
          h("li", {}, `${sub.plan?.name || sub.plan_name} — ${money(sub.plan?.price_minor, sub.currency)}`),
          (sub.addons || []).map((a) => h("li", {}, `${a.name} × ${a.quantity} — ${money(a.price_minor * a.quantity, sub.currency)}`)),
          sub.coupon ? h("li", {}, t("subscriptions.coupon_item", { code: sub.coupon.code, name: sub.coupon.name })) : null),
        sub.scheduled_change ? alert("info", t((sub.scheduled_change.addons || []).length ? "subscriptions.scheduled_with_addons" : "subscriptions.scheduled",
          { date: date(sub.scheduled_change.effective_on), plan: sub.scheduled_change.plan?.name || t("subscriptions.new_plan") })) : null)),
    h("section", { class: "card", "aria-labelledby": "sub-invoices" }, h("h2", { id: "sub-invoices" }, t("invoices.title")), invoices));
  await pages(invoices, (cursor) => api.get(path(sub.subscription_id, "/invoices"), { cursor }),
    (items) => invoiceTable(items, { caption: t("subscriptions.invoices_of"), payable: canPay(context.me) }),
    () => h("p", { class: "hint" }, t("subscriptions.no_invoices")));
}

function banners(sub, allowed, act) {
  const shown = [undoBanner(sub, act)];
  if (ENDED.includes(sub.status)) {
    const when = sub.status === "cancelled" ? sub.cancelled_at : sub.expired_at;
    shown.push(h("div", { class: "alert warning banner", role: "region", "aria-label": t("subscriptions.ended") },
      h("p", {}, t(sub.status === "cancelled" ? "subscriptions.cancelled_on" : "subscriptions.expired_on", { date: date(when) })),
      allowed.has("reactivate") ? h("button", { type: "button", onClick: act.reactivate }, t("subscriptions.proceed_reactivate")) : null,
      allowed.has("extend_trial") ? h("button", { type: "button", class: "secondary", onClick: act.extendTrial }, t("subscriptions.extend_trial")) : null));
  }
  if (sub.scheduled_cancellation) {
    shown.push(h("div", { class: "alert warning banner", role: "region", "aria-label": t("subscriptions.scheduled_cancellation") },
      h("p", {}, t("subscriptions.will_cancel_on", { date: date(sub.scheduled_cancellation.effective_on) })),
      allowed.has("remove_scheduled_cancellation")
        ? h("button", { type: "button", onClick: act.removeCancellation }, t("subscriptions.remove_cancellation")) : null));
  }
  const pause = sub.pause;
  if (pause && (pause.pause_at || pause.resume_at)) {
    const days = { paused: date(pause.paused_at), pause: date(pause.pause_at), resume: date(pause.resume_at) };
    const text = sub.status === "paused"
      ? t(pause.resume_at ? "subscriptions.paused_since_until" : "subscriptions.paused_since", days)
      : t(pause.resume_at ? "subscriptions.pauses_on_until" : "subscriptions.pauses_on", days);
    shown.push(h("div", { class: "alert info banner", role: "region", "aria-label": t("subscriptions.pause_schedule") }, h("p", {}, text),
      h("div", { class: "actions" },
        allowed.has("pause") ? h("button", { type: "button", class: "secondary", onClick: act.pause }, t("subscriptions.change_schedule")) : null,
        allowed.has("remove_pause_schedule") ? h("button", { type: "button", class: "secondary", onClick: act.removePause }, t("subscriptions.delete_schedule")) : null)));
  }
  return shown;
}

// An immediate cancellation or downgrade may be undone while the merchant's window is open: the
// server says until when and how many minutes are left (its clock, not the browser's); the banner
// goes when they run out, and an undo refused meanwhile says why.
function undoBanner(sub, act) {
  const open = sub.undo;
  if (!open) return null;
  const banner = h("div", { class: "alert info banner", role: "region", "aria-label": t("undo.region") },
    h("p", {}, t(open.action === "cancel_now" ? "undo.cancelled" : "undo.changed"), " ",
      plural("undo.time_left", open.minutes_left, { time: dateTime(open.until) })),
    h("button", { type: "button", "data-testid": "undo", onClick: act.undo }, t("undo.button")));
  setTimeout(() => banner.remove(), open.minutes_left * 60_000);
  return banner;
}

// A subscription in dunning: the failed invoice, why in words, the retries to come and what follows
// the last (or the term's end, when the dunning ends with it: no retry is made after it); "retry now"
// pays the invoice on the pay screen (the saved card or another one), which ends the retries at once.
function dunningCard(failed, method, payable) {
  const { invoice, failure } = failed;
  const amount = money(invoice.amount_due_minor, invoice.currency);
  const retries = failed.next_retries || [];
  const cancels = failed.after_last_retry === "cancel";
  const endsWithTerm = failed.ends_on != null && failed.ends_on !== retries[retries.length - 1];
  const after = endsWithTerm ? (cancels ? "dunning.cancelled_at_term_end" : "dunning.unpaid_at_term_end")
    : (cancels ? "dunning.then_cancelled" : "dunning.then_unpaid");
  return h("section", { class: "alert warning banner", role: "region", "aria-labelledby": "dunning" },
    h("h2", { id: "dunning" }, t("dunning.title")),
    h("p", {}, t("dunning.failed", { amount, number: invoice.number })),
    h("dl", { class: "details" },
      h("dt", {}, t("dunning.why")), h("dd", {}, failureReason(failure.code, failure.message)),
      h("dt", {}, t("dunning.attempts")), h("dd", {}, String(failed.attempts_made)),
      h("dt", {}, t("dunning.next_retries")),
      h("dd", {}, retries.length ? h("ul", {}, retries.map((day) => h("li", {}, date(day)))) : t("dunning.no_retries")),
      h("dt", {}, t("dunning.after_last")),
      h("dd", {}, t(after, { date: date(failed.ends_on) }))),
    failed.auto_charge && method ? h("p", { class: "hint" }, t("dunning.retried_with", { card: method.summary })) : null,
    payable ? h("div", { class: "actions" },
      h("a", { class: "button", href: `#/pay?invoices=${encodeURIComponent(invoice.invoice_id)}` }, t("dunning.retry_now")),
      h("a", { class: "button secondary", href: "#/details" }, t("dunning.update_card"))) : null);
}

// The card the subscription is charged to. Where it may be chosen, any saved card can be (how a
// subscription without one gets one, so that auto-charge can be turned on); with none saved, a link
// to add one.
function paymentMethod(sub, method, methods, allowed, reload) {
  const current = method ? method.summary : t("subscriptions.no_method");
  if (!allowed.has("choose_payment_method")) return current;
  if (!methods.length) {
    return h("span", {}, current, " ", h("a", { href: "#/details" }, t("subscriptions.add_card")));
  }
  const brand = (m) => (m.brand || "").charAt(0).toUpperCase() + (m.brand || "").slice(1);
  const form = h("form", { class: "actions", "aria-label": t("subscriptions.choose_card") },
    h("label", { for: "subscription-card" }, t("subscriptions.charge_to")),
    h("select", { id: "subscription-card", name: "payment_method_id", "data-field": "payment_method_id" },
      method ? null : h("option", { value: "", selected: true }, t("subscriptions.pick_card")),
      methods.map((m) => h("option", { value: m.payment_method_id, selected: m.payment_method_id === sub.payment_method_id },
        t("subscriptions.card_option", { brand: brand(m), last4: m.last4, month: String(m.exp_month).padStart(2, "0"), year: m.exp_year })))),
    h("button", { type: "submit", class: "secondary" }, t("subscriptions.use_card")),
    h("p", { class: "field-error", id: "subscription-card-error", hidden: true }));
  onSubmit(form, async ({ payment_method_id: chosen }) => {
    if (!chosen) {
      showErrors(form, { fields: { payment_method_id: t("subscriptions.pick_card_first") } });
      return;
    }
    await api.put(path(sub.subscription_id, "/payment-method"), { payment_method_id: chosen });
    await reload(t("subscriptions.card_chosen"));
  });
  return h("div", {}, h("span", {}, current), form);
}

function autoCharge(sub, allowed, reload, mayPay) {
  if (!allowed.has("set_auto_charge")) {
    const state = sub.auto_charge ? t("subscriptions.on") : t("subscriptions.off");
    // a card saved on the account is not this subscription's: say how it becomes one, or the switch is just missing
    const refused = (sub.allowed_actions || []).find((a) => a.action === "set_auto_charge");
    return mayPay && refused?.reason === "no_payment_method"
      ? h("div", {}, state, h("p", { class: "hint" }, t("subscriptions.auto_charge_needs_card"))) : state;
  }
  const toggle = h("input", { type: "checkbox", role: "switch", id: "auto-charge", checked: sub.auto_charge,
    "aria-describedby": "auto-charge-hint" });
  toggle.addEventListener("change", async () => {
    toggle.disabled = true;
    try {
      await api.put(path(sub.subscription_id, "/auto-charge"), { enabled: toggle.checked });
      await reload(toggle.checked ? t("subscriptions.auto_charge_on") : t("subscriptions.auto_charge_off"));
    } catch (error) {
      toggle.checked = !toggle.checked;
      toggle.disabled = false;
      if (!error.sessionEnded) toast(error.message, "error");
    }
  });
  return h("span", {}, h("label", { class: "check", for: "auto-charge" }, toggle, sub.auto_charge ? t("subscriptions.on") : t("subscriptions.off")),
    h("span", { class: "hint", id: "auto-charge-hint" }, t("subscriptions.auto_charge_hint")));
}

/** The buttons of the actions allowed now, and what each does. */
function actions(sub, allowed, reload, { navigate, me }) {
  const id = sub.subscription_id;
  const act = {
    activate: () => quoted(t("subscriptions.activate_title"), () => api.post(path(id, "/activate/preview")), t("subscriptions.activate"),
      (quoteId) => api.post(path(id, "/activate"), { quote_id: quoteId })).then((done) => done && reload(t("subscriptions.activated"))),
    extendTrial: async () => {
      if (!await confirmAction(t("subscriptions.extend_title"), plural("subscriptions.extend_question",
        sub.trial_extensions?.allowed || 0, { plan: sub.plan_name, used: sub.trial_extensions?.used || 0 }), t("subscriptions.extend_trial"))) return;
      await run(() => api.post(path(id, "/extend-trial")), t("subscriptions.extended"), reload);
    },
    resume: () => quoted(t("subscriptions.resume_title"), () => api.post(path(id, "/resume/preview")), t("subscriptions.resume_now"),
      (quoteId) => api.post(path(id, "/resume"), { quote_id: quoteId })).then((done) => done && reload(t("subscriptions.resumed"))),
    reactivate: () => (me.features.edit_subscription ? navigate(`#/subscriptions/${encodeURIComponent(id)}/change?reactivate=1`)
      : quoted(t("subscriptions.reactivate_title"), () => api.post(path(id, "/reactivate/preview"), {}), t("subscriptions.reactivate"),
        (quoteId) => api.post(path(id, "/reactivate"), { quote_id: quoteId })).then((done) => done && reload(t("subscriptions.reactivated")))),
    removeCancellation: async () => {
      if (!await confirmAction(t("subscriptions.keep_title"), t("subscriptions.keep_text", { plan: sub.plan_name }), t("subscriptions.remove_cancellation"))) return;
      await run(() => api.delete(path(id, "/scheduled-cancellation")), t("subscriptions.cancellation_removed"), reload);
    },
    removePause: async () => {
      if (!await confirmAction(t("subscriptions.delete_pause_title"), t("subscriptions.delete_pause_text"), t("subscriptions.delete_schedule"), { danger: true })) return;
      await run(() => api.delete(path(id, "/pause-schedule")), t("subscriptions.pause_deleted"), reload);
    },
    pause: () => pauseDialog(sub, me).then((done) => done && reload(t("subscriptions.pause_saved"))),
    cancel: () => cancelDialog(sub, allowed).then((done) => done && reload(done)),
    undo: async () => {
      try {
        await api.post(path(id, "/undo"));
        await reload(t("undo.done"));
      } catch (error) {
        if (!error.sessionEnded) toast(error.message, "error");
        await reload();
      }
    },
  };
  const buttons = [];
  if (allowed.has("activate")) buttons.push(h("button", { type: "button", onClick: act.activate }, t("subscriptions.activate")));
  if (allowed.has("change_now") || allowed.has("change_at_term_end")) {
    buttons.push(h("a", { class: "button", href: `#/subscriptions/${encodeURIComponent(id)}/change` }, t("subscriptions.manage")));
  }
  if (allowed.has("resume_now")) buttons.push(h("button", { type: "button", onClick: act.resume }, t("subscriptions.resume")));
  if (allowed.has("pause") && sub.status !== "paused" && !(sub.pause && sub.pause.pause_at)) {
    buttons.push(h("button", { type: "button", class: "secondary", onClick: act.pause }, t("subscriptions.pause")));
  }
  if (allowed.has("cancel_now") || allowed.has("cancel_at_term_end")) {
    buttons.push(h("button", { type: "button", class: "secondary", onClick: act.cancel }, t("subscriptions.cancel")));
  }
  return { ...act, buttons };
}

async function run(work, message, reload) {
  try {
    await work();
    await reload(message);
  } catch (error) {
    if (!error.sessionEnded) toast(error.message, "error");
  }
}

/** What an action will cost: the invoice it raises, credits, what is due now, what follows. */
export function quoteView(quote) {
  const c = quote.currency;
  const lines = (items) => items.map((line) => h("tr", {}, h("td", {}, lineText(line, c)), h("td", { class: "num" }, money(line.amount_minor, c))));
  return h("div", { class: "quote" },
    quote.effective_on ? h("p", {}, t(quote.when === "end_of_term" ? "quote.effective_term_end" : "quote.effective_on", { date: date(quote.effective_on) })) : null,
    (quote.invoice_lines || []).length ? h("table", {}, h("caption", {}, t("quote.invoice")), h("tbody", {}, lines(quote.invoice_lines),
      h("tr", { class: "total" }, h("td", {}, t("quote.invoice_total")), h("td", { class: "num", "data-testid": "quote-invoice-total" }, money(quote.invoice_total_minor, c))))) : null,
    (quote.credit_note_lines || []).length ? h("table", {}, h("caption", {}, t("quote.credit")), h("tbody", {}, lines(quote.credit_note_lines),
      h("tr", { class: "total" }, h("td", {}, t("quote.credit_total")), h("td", { class: "num" }, money(quote.credit_note_total_minor, c))))) : null,
    h("dl", { class: "details" },
      quote.credits_applied_minor ? [h("dt", {}, t("quote.credits_applied")), h("dd", {}, `−${money(quote.credits_applied_minor, c)}`)] : null,
      h("dt", {}, t("quote.due_now")), h("dd", { "data-testid": "quote-amount-due" }, h("strong", {}, money(quote.amount_due_minor, c))),
      quote.refund_minor ? [h("dt", {}, t("quote.refund")), h("dd", {}, money(quote.refund_minor, c))] : null,
      quote.next_term_total_minor != null ? [h("dt", {}, t("quote.then")), h("dd", {}, quote.next_billing_on
        ? t("quote.then_from", { amount: money(quote.next_term_total_minor, c), date: date(quote.next_billing_on) })
        : money(quote.next_term_total_minor, c))] : null),
    (quote.notes || []).map((note, i) => h("p", { class: "hint" }, noteText(note, (quote.note_words || [])[i]))));
}

/**
 * Preview, then confirm with the preview's quote id. If the charges moved in between, the API
 * refuses (quote_changed): the new preview is shown and the customer confirms again.
 */
function quoted(title, preview, confirmLabel, confirm) {
  return dialog(title, (close) => {
    const body = h("div", { "aria-live": "polite" }, loading(t("quote.working")));
    const button = h("button", { type: "button", disabled: true }, confirmLabel);
    let quote = null;
    const show = async (notice) => {
      button.disabled = true;
      try {
        quote = await preview();
        replace(body, notice ? alert("warning", notice) : null, quoteView(quote));
        button.disabled = false;
      } catch (error) {
        if (error.sessionEnded) { close(false); return; }
        replace(body, alert("error", error.message));
      }
    };
    button.addEventListener("click", async () => {
      button.setAttribute("aria-busy", "true");
      try {
        await confirm(quote.quote_id);
        close(true);
      } catch (error) {
        if (error.sessionEnded) { close(false); return; }
        if (error.code === "quote_changed") await show(t("quote.changed"));
        else body.prepend(alert("error", error.message));
      } finally {
        button.removeAttribute("aria-busy");
      }
    });
    show();
    return { body, actions: [h("button", { type: "button", class: "secondary", onClick: () => close(false) }, t("common.cancel")), button] };
  });
}

function pauseDialog(sub, me) {
  const paused = sub.status === "paused";
  const canResume = me.features.customer_resume;
  return dialog(paused ? t("pause.change_title") : t("pause.title"), (close) => {
    const form = h("form", { id: "pause-form" },
      paused ? null : field({ label: t("pause.pause_on"), name: "pause_at", type: "date", min: isoDay(),
        value: sub.pause?.pause_at || "", hint: t("pause.pause_hint") }),
      canResume ? field({ label: t("pause.resume_on"), name: "resume_at", type: "date", min: isoDay(),
        value: sub.pause?.resume_at || "", hint: t("pause.resume_hint") }) : null);
    // a pause decides what becomes of the paid, unused days (credited or kept): the customer sees
    // that first, then confirms the schedule previewed
    const summary = h("div", { "aria-live": "polite" });
    const submit = h("button", { type: "submit", form: "pause-form" }, paused ? t("pause.save") : t("pause.preview"));
    let previewed = null;
    onSubmit(form, async (values) => {
      const body = {};
      if (values.pause_at) body.pause_at = values.pause_at;
      if (values.resume_at) body.resume_at = values.resume_at;
      const asked = JSON.stringify(body);
      if (!paused && previewed?.asked !== asked) {
        const quote = await api.post(path(sub.subscription_id, "/pause-schedule/preview"), body);
        replace(summary, quoteView(quote));
        previewed = { asked, quote };
        submit.textContent = t("pause.confirm");
        return;
      }
      try {
        await api.put(path(sub.subscription_id, "/pause-schedule"), paused ? body : { ...body, quote_id: previewed.quote.quote_id });
      } catch (error) {
        if (error.code !== "quote_changed") throw error;
        previewed = null;            // the paid time changed meanwhile: preview again
        form.requestSubmit();
        return;
      }
      close(true);
    });
    return { body: h("div", {}, form, summary), actions: [
      h("button", { type: "button", class: "secondary", onClick: () => close(false) }, t("common.cancel")), submit] };
  });
}

/**
 * The cancel flow: the merchant's retention offer first (once per subscription, with the quote of
 * what accepting does), then when it should end and why (the merchant's reasons, required or not,
 * and a comment where they ask for one).
 */
function cancelDialog(sub, allowed) {
  return dialog(t("cancel.title"), (close) => {
    const body = h("div", { "aria-live": "polite" }, loading(t("common.loading")));
    const submit = h("button", { type: "submit", class: "danger", form: "cancel-form", disabled: true }, t("subscriptions.cancel"));
    const show = async (notice) => {
      let asked;
      try {
        asked = await api.get(path(sub.subscription_id, "/cancel-dialog"));
      } catch (error) {
        if (error.sessionEnded) { close(false); return; }
        replace(body, alert("error", error.message));
        return;
      }
      replace(body, notice ? alert("warning", notice) : null, asked.offer ? offerPanel(asked.offer) : null, cancelForm(asked));
      submit.disabled = false;
    };
    const offerPanel = (offer) => {
      const accept = h("button", { type: "button", "data-testid": "accept-offer" }, t("cancel.offer_accept"));
      accept.addEventListener("click", async () => {
        accept.setAttribute("aria-busy", "true");
        try {
          await api.post(path(sub.subscription_id, "/retention-offer"), { quote_id: offer.quote.quote_id });
          close(t("cancel.offer_accepted", { offer: offer.name }));
        } catch (error) {
          if (error.sessionEnded) { close(false); return; }
          if (error.code === "quote_changed") await show(t("cancel.offer_changed"));
          else toast(error.message, "error");
        } finally {
          accept.removeAttribute("aria-busy");
        }
      });
      const discount = t("cancel.offer_off", { amount: offer.percent_off_bp != null ? percent(offer.percent_off_bp)
        : money(offer.amount_off_minor, offer.quote.currency) });
      return h("section", { class: "card offer", "aria-label": t("cancel.offer_label") },
        h("h3", {}, t("cancel.offer_title")),
        h("p", {}, plural("cancel.offer_text", offer.cycles, { discount, offer: offer.name })),
        quoteView(offer.quote), accept);
    };
    const cancelForm = (asked) => {
      const options = [
        allowed.has("cancel_at_term_end") ? ["end_of_term", t("cancel.term_end"),
          t("cancel.term_end_detail", { date: date(sub.current_term?.end || sub.trial?.end || sub.next_billing_on) })] : null,
        allowed.has("cancel_now") ? ["now", t("cancel.now"), t("cancel.now_detail")] : null,
      ].filter(Boolean);
      const why = asked.reason_required ? t("cancel.reason_required") : t("cancel.reason");
      const reason = asked.reasons.length
        ? field({ label: why, name: "reason", required: asked.reason_required,
          options: [["", t("cancel.choose_reason")], ...asked.reasons] })
        : field({ label: why, name: "reason", type: "textarea", rows: 3, required: asked.reason_required });
      const form = h("form", { id: "cancel-form" },
        h("fieldset", {}, h("legend", {}, t("cancel.when")), options.map(([value, title, detail], index) =>
          h("label", { class: "choice" }, h("input", { type: "radio", name: "when", value, checked: index === 0, "data-field": "when" }),
            h("span", {}, title, h("small", {}, detail))))),
        reason,
        asked.comments ? field({ label: t("cancel.comment"), name: "comment", type: "textarea", rows: 3 }) : null);
      onSubmit(form, async (values) => {
        await api.post(path(sub.subscription_id, "/cancel"), { when: values.when, reason: values.reason || undefined,
          comment: values.comment?.trim() || undefined });
        close(values.when === "now" ? t("cancel.done_now") : t("cancel.done_term_end"));
      });
      return form;
    };
    show();
    return { body, actions: [h("button", { type: "button", class: "secondary", onClick: () => close(false) }, t("cancel.keep")), submit] };
  });
}

/** `error` with each refused addon ("addons.0.quantity": by its place in the list sent) named as
 * the form names its field ("addon:extra_seats"), so the message lands beside it. */
function withAddonFields(error, addons = []) {
  if (!error.fields) return error;
  error.fields = Object.fromEntries(Object.entries(error.fields).map(([fieldPath, message]) => {
    const sent = addons[/^(?:changes\.)?addons\.(\d+)\./.exec(fieldPath)?.[1]];
    return [sent ? `addon:${sent.code}` : fieldPath, message];
  }));
  return error;
}

/** Manage Subscription (and reactivation with changes): choose, preview, confirm. */
export async function change({ main, params, query, navigate }) {
  replace(main, loading(t("change.loading")));
  const reactivating = Boolean(query.reactivate);
  const [sub, options] = await Promise.all([api.get(path(params.id)), api.get("/portal/subscription-options")]);
  const current = { ...sub.plan, currency: sub.currency, description: t("change.current_plan") };
  const plans = options.change_plan ? [...options.plans] : [];
  if (!plans.some((plan) => plan.code === sub.plan_code)) plans.unshift(current);
  const allowed = new Set((sub.allowed_actions || []).filter((a) => a.allowed).map((a) => a.action));
  const whens = reactivating ? [] : [
    allowed.has("change_now") && (options.when || []).includes("now") ? ["now", t("change.now"), t("change.now_detail")] : null,
    allowed.has("change_at_term_end") && (options.when || []).includes("end_of_term")
      ? ["end_of_term", t("change.term_end"), t("change.term_end_detail", { date: date(sub.current_term?.end || sub.next_billing_on) })] : null,
  ].filter(Boolean);
  const chosenAddons = new Map((sub.addons || []).map((a) => [a.code, a.quantity]));
  // the coupon the subscription has stays choosable, even one the merchant gave that the portal does not offer
  const coupons = options.coupons.map((c) => [c.code, `${c.code} — ${c.name}`]);
  const held = sub.coupon?.code;
  if (held && !options.coupons.some((c) => c.code.toLowerCase() === held.toLowerCase())) {
    coupons.unshift([held, t("change.your_coupon", { code: held, name: sub.coupon.name })]);
  }
  const preview = h("div", { "aria-live": "polite" });

  const form = h("form", { class: "card", "aria-label": t("change.your_changes") },
    h("fieldset", { "data-field": "plan", id: "plan-choice", tabindex: "-1" }, h("legend", {}, t("subscriptions.plan")),
      plans.map((plan) => h("label", { class: "choice" },
        h("input", { type: "radio", name: "plan", value: plan.code, checked: plan.code === sub.plan_code, disabled: !options.change_plan && plan.code !== sub.plan_code }),
        h("span", {}, `${plan.name} — ${money(plan.price_minor, plan.currency)} ${perTerm(plan.interval, plan.interval_count)}`,
          plan.description ? h("small", {}, plan.description) : null))),
      h("p", { class: "field-error", id: "plan-choice-error", hidden: true })),
    options.addons.length ? h("fieldset", {}, h("legend", {}, t("change.addons")), options.addons.map((addon) =>
      field({ label: t(addon.recurring === false ? "change.addon_once" : "change.addon_each", { name: addon.name, price: money(addon.price_minor, addon.currency) }),
              name: `addon:${addon.code}`, type: "number",
              min: 0, max: 10000, value: chosenAddons.get(addon.code) || 0, inputmode: "numeric" }))) : null,
    options.change_coupon ? field({ label: t("change.coupon"), name: "coupon", value: held || "",
      options: [["", t("change.no_coupon")], ...coupons] }) : null,
    whens.length ? h("fieldset", {}, h("legend", {}, t("change.when")), whens.map(([value, title, detail], index) =>
      h("label", { class: "choice" }, h("input", { type: "radio", name: "when", value, checked: index === 0, "data-field": "when" }),
        h("span", {}, title, h("small", {}, detail))))) : null,
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("change.preview")),
      h("a", { class: "button secondary", href: `#/subscriptions/${encodeURIComponent(sub.subscription_id)}` }, t("common.cancel"))));

  const changes = (values) => {
    const chosen = { plan: values.plan };
    if (options.change_addons) {
      // only a zero leaves an addon out: a negative or a fraction goes to the API, which refuses it
      chosen.addons = options.addons.map((a) => ({ code: a.code, quantity: Number(values[`addon:${a.code}`] || 0) }))
        .filter((a) => a.quantity !== 0);
    }
    if (options.change_coupon) chosen.coupon = values.coupon || null;
    return chosen;
  };
  onSubmit(form, async (values) => {
    replace(preview);   // the last quote's Confirm would apply choices the form no longer shows
    const chosen = changes(values);
    const body = reactivating ? { changes: chosen } : { ...chosen, when: values.when || "now" };
    const quote = await api.post(path(sub.subscription_id, reactivating ? "/reactivate/preview" : "/changes/preview"), body)
      .catch((error) => { throw withAddonFields(error, chosen.addons); });
    const confirm = h("button", { type: "button" }, reactivating ? t("subscriptions.reactivate") : t("change.confirm"));
    confirm.addEventListener("click", async () => {
      confirm.setAttribute("aria-busy", "true");
      try {
        await api.post(path(sub.subscription_id, reactivating ? "/reactivate" : "/changes"), { ...body, quote_id: quote.quote_id });
        toast(reactivating ? t("subscriptions.reactivated") : t("change.done"));
        navigate(`#/subscriptions/${encodeURIComponent(sub.subscription_id)}`);
      } catch (error) {
        if (error.sessionEnded) return;
        if (error.code === "quote_changed") { form.requestSubmit(); return; }
        showErrors(form, withAddonFields(error, chosen.addons));
      } finally {
        confirm.removeAttribute("aria-busy");
      }
    });
    replace(preview, h("section", { class: "card", "aria-labelledby": "preview-title" },
      h("h2", { id: "preview-title", tabindex: "-1" }, t("change.summary")), quoteView(quote), h("div", { class: "actions" }, confirm)));
    preview.querySelector("h2").focus();
  });
  replace(main, h("p", {}, h("a", { href: `#/subscriptions/${encodeURIComponent(sub.subscription_id)}` }, t("change.back"))),
    pageHeader(reactivating ? t("subscriptions.reactivate_title") : t("change.title"), `${sub.plan_name} · ${statusLabel(sub.status)}`),
    form, preview);
}
