// Subscriptions: the list with its filters; a subscription's detail offering only the actions
// allowed now (each with its preview and a confirmation); Manage Subscription (plan, addons,
// coupon, now or at term end) with the prorated preview; Proceed to Reactivate.
import { api } from "../api.js";
import { money, date, isoDay, statusLabel } from "../format.js";
import { h, replace, loading, empty, alert, badge, pageHeader, table, filters, dialog, field, onSubmit, toast,
         confirmAction, showErrors, pages } from "../ui.js";
import { invoiceTable } from "./invoices.js";

const FILTERS = [["all", "All"], ["live", "Live"], ["trial", "Trial"], ["future", "Future"], ["non_renewing", "Non-renewing"],
  ["paused", "Paused"], ["dunning", "Dunning"], ["unpaid", "Unpaid"], ["cancelled", "Cancelled"], ["expired", "Expired"]];
const INTERVALS = { day: "day", week: "week", month: "month", year: "year" };

const path = (id, rest = "") => `/portal/subscriptions/${encodeURIComponent(id)}${rest}`;
const per = (interval, count = 1) => (count > 1 ? `every ${count} ${INTERVALS[interval] || interval}s` : `per ${INTERVALS[interval] || interval}`);

export async function list({ main, query }) {
  const status = FILTERS.some(([value]) => value === query.status) ? query.status : "all";
  const body = h("div", {}, loading("Loading subscriptions…"));
  replace(main, pageHeader("Subscriptions", "Your plans, what they cost and when they renew."),
    filters("Filter subscriptions", FILTERS, status, (value) => (value === "all" ? "#/subscriptions" : `#/subscriptions?status=${value}`)),
    h("section", { class: "card", "aria-label": "Subscriptions" }, body));
  await pages(body, (cursor) => api.get("/portal/subscriptions", { status: status === "all" ? undefined : status, cursor }),
    (items) => table("Subscriptions", [
      { label: "Plan", cell: (s) => h("a", { href: `#/subscriptions/${encodeURIComponent(s.subscription_id)}` }, s.plan_name) },
      { label: "Status", cell: (s) => badge(s.status) },
      { label: "Amount", num: true, cell: (s) => money(s.amount_per_term_minor, s.currency) },
      { label: "Next billing", cell: (s) => date(s.next_billing_on) },
      { label: "Auto-charge", cell: (s) => (s.auto_charge ? "On" : "Off") },
    ], items), () => empty(status === "all" ? "No subscriptions yet" : `No ${statusLabel(status).toLowerCase()} subscriptions`));
}

export async function detail(context) {
  const { main, params } = context;
  replace(main, loading("Loading the subscription…"));
  const [sub, methods] = await Promise.all([api.get(path(params.id)),
    api.get("/portal/payment-methods").then((answer) => answer.items || answer).catch(() => [])]);
  const method = methods.find((m) => m.payment_method_id === sub.payment_method_id);
  const allowed = new Set((sub.allowed_actions || []).filter((a) => a.allowed).map((a) => a.action));
  const reload = async (message) => { if (message) toast(message); await detail(context); };
  const act = actions(sub, allowed, reload, context);

  const invoices = h("div", {}, loading("Loading invoices…"));
  replace(main,
    h("p", {}, h("a", { href: "#/subscriptions" }, "← All subscriptions")),
    banners(sub, allowed, act),
    pageHeader(sub.plan_name, `${money(sub.amount_per_term_minor, sub.currency)} ${per(sub.plan?.interval || "month", sub.plan?.interval_count)}`,
      badge(sub.status), ...act.buttons),
    h("div", { class: "grid" },
      h("section", { class: "card", "aria-labelledby": "overview" }, h("h2", { id: "overview" }, "Overview"),
        h("dl", { class: "details" },
          h("dt", {}, "Status"), h("dd", {}, statusLabel(sub.status)),
          sub.trial ? [h("dt", {}, "Trial"), h("dd", {}, `${date(sub.trial.start)} – ${date(sub.trial.end)}`)] : null,
          sub.current_term ? [h("dt", {}, "Current term"), h("dd", {}, `${date(sub.current_term.start)} – ${date(sub.current_term.end)}`)] : null,
          sub.next_billing_on ? [h("dt", {}, "Next billing"), h("dd", {}, `${date(sub.next_billing_on)}` +
            (sub.next_billing_amount_minor != null ? ` · ${money(sub.next_billing_amount_minor, sub.currency)}` : ""))] : null,
          h("dt", {}, "Payment method"), h("dd", {}, method ? method.summary : "None"),
          h("dt", {}, "Auto-charge"), h("dd", {}, autoCharge(sub, allowed, reload)),
          sub.reference ? [h("dt", {}, "Reference"), h("dd", {}, sub.reference)] : null)),
      h("section", { class: "card", "aria-labelledby": "items" }, h("h2", { id: "items" }, "What you get"),
        h("ul", {},
          h("li", {}, `${sub.plan?.name || sub.plan_name} — ${money(sub.plan?.price_minor, sub.currency)}`),
          (sub.addons || []).map((a) => h("li", {}, `${a.name} × ${a.quantity} — ${money(a.price_minor * a.quantity, sub.currency)}`)),
          sub.coupon ? h("li", {}, `Coupon ${sub.coupon.code}: ${sub.coupon.name}`) : null),
        sub.scheduled_change ? alert("info", `From ${date(sub.scheduled_change.effective_on)}: ${sub.scheduled_change.plan?.name || "new plan"}` +
          `${(sub.scheduled_change.addons || []).length ? " with add-ons" : ""}.`) : null)),
    h("section", { class: "card", "aria-labelledby": "sub-invoices" }, h("h2", { id: "sub-invoices" }, "Invoices"), invoices));
  await pages(invoices, (cursor) => api.get(path(sub.subscription_id, "/invoices"), { cursor }),
    (items) => invoiceTable(items, { caption: "Invoices of this subscription" }),
    () => h("p", { class: "hint" }, "No invoices for this subscription yet."));
}

function banners(sub, allowed, act) {
  const shown = [];
  if (["cancelled", "expired"].includes(sub.status)) {
    const when = sub.status === "cancelled" ? sub.cancelled_at : sub.expired_at;
    shown.push(h("div", { class: "alert warning banner", role: "region", "aria-label": "Subscription ended" },
      h("p", {}, `This subscription ${sub.status === "cancelled" ? "was cancelled" : "expired"} on ${date(when)}.`),
      allowed.has("reactivate") ? h("button", { type: "button", onClick: act.reactivate }, "Proceed to Reactivate") : null,
      allowed.has("extend_trial") ? h("button", { type: "button", class: "secondary", onClick: act.extendTrial }, "Extend trial") : null));
  }
  if (sub.scheduled_cancellation) {
    shown.push(h("div", { class: "alert warning banner", role: "region", "aria-label": "Scheduled cancellation" },
      h("p", {}, `This subscription will be cancelled on ${date(sub.scheduled_cancellation.effective_on)}.`),
      allowed.has("remove_scheduled_cancellation")
        ? h("button", { type: "button", onClick: act.removeCancellation }, "Remove Scheduled Cancellation") : null));
  }
  const pause = sub.pause;
  if (pause && (pause.pause_at || pause.resume_at)) {
    const text = sub.status === "paused"
      ? `Paused since ${date(pause.paused_at)}${pause.resume_at ? `; resumes on ${date(pause.resume_at)}` : ""}.`
      : `Pauses on ${date(pause.pause_at)}${pause.resume_at ? ` and resumes on ${date(pause.resume_at)}` : ""}.`;
    shown.push(h("div", { class: "alert info banner", role: "region", "aria-label": "Pause schedule" }, h("p", {}, text),
      h("div", { class: "actions" },
        allowed.has("pause") ? h("button", { type: "button", class: "secondary", onClick: act.pause }, "Change Schedule") : null,
        allowed.has("remove_pause_schedule") ? h("button", { type: "button", class: "secondary", onClick: act.removePause }, "Delete Schedule") : null)));
  }
  return shown;
}

function autoCharge(sub, allowed, reload) {
  if (!allowed.has("set_auto_charge")) return sub.auto_charge ? "On" : "Off";
  const toggle = h("input", { type: "checkbox", role: "switch", id: "auto-charge", checked: sub.auto_charge,
    "aria-describedby": "auto-charge-hint" });
  toggle.addEventListener("change", async () => {
    toggle.disabled = true;
    try {
      await api.put(path(sub.subscription_id, "/auto-charge"), { enabled: toggle.checked });
      await reload(`Auto-charge turned ${toggle.checked ? "on" : "off"}.`);
    } catch (error) {
      toggle.checked = !toggle.checked;
      toggle.disabled = false;
      if (!error.sessionEnded) toast(error.message, "error");
    }
  });
  return h("span", {}, h("label", { class: "check", for: "auto-charge" }, toggle, sub.auto_charge ? "On" : "Off"),
    h("span", { class: "hint", id: "auto-charge-hint" }, "Charge the saved payment method when invoices are due."));
}

/** The buttons of the actions allowed now, and what each does. */
function actions(sub, allowed, reload, { navigate, me }) {
  const id = sub.subscription_id;
  const act = {
    activate: () => quoted("Activate subscription", () => api.post(path(id, "/activate/preview")), "Activate Subscription",
      (quoteId) => api.post(path(id, "/activate"), { quote_id: quoteId })).then((done) => done && reload("Your subscription is live.")),
    extendTrial: async () => {
      if (!await confirmAction("Extend your trial", `Extend the trial of ${sub.plan_name}? (${sub.trial_extensions?.used || 0} of ` +
        `${sub.trial_extensions?.allowed || 0} extensions used)`, "Extend trial")) return;
      await run(() => api.post(path(id, "/extend-trial")), "Your trial is extended.", reload);
    },
    resume: () => quoted("Resume subscription", () => api.post(path(id, "/resume/preview")), "Resume now",
      (quoteId) => api.post(path(id, "/resume"), { quote_id: quoteId })).then((done) => done && reload("Your subscription is resumed.")),
    reactivate: () => (me.features.edit_subscription ? navigate(`#/subscriptions/${encodeURIComponent(id)}/change?reactivate=1`)
      : quoted("Reactivate subscription", () => api.post(path(id, "/reactivate/preview"), {}), "Reactivate Subscription",
        (quoteId) => api.post(path(id, "/reactivate"), { quote_id: quoteId })).then((done) => done && reload("Your subscription is active again."))),
    removeCancellation: async () => {
      if (!await confirmAction("Keep your subscription", `${sub.plan_name} will renew as usual instead of ending.`, "Remove Scheduled Cancellation")) return;
      await run(() => api.delete(path(id, "/scheduled-cancellation")), "The scheduled cancellation is removed.", reload);
    },
    removePause: async () => {
      if (!await confirmAction("Delete the pause schedule", "The pause and resume dates will be removed.", "Delete Schedule", { danger: true })) return;
      await run(() => api.delete(path(id, "/pause-schedule")), "The pause schedule is deleted.", reload);
    },
    pause: () => pauseDialog(sub, me).then((done) => done && reload("The pause schedule is saved.")),
    cancel: () => cancelDialog(sub, allowed).then((done) => done && reload(done)),
  };
  const buttons = [];
  if (allowed.has("activate")) buttons.push(h("button", { type: "button", onClick: act.activate }, "Activate Subscription"));
  if (allowed.has("change_now") || allowed.has("change_at_term_end")) {
    buttons.push(h("a", { class: "button", href: `#/subscriptions/${encodeURIComponent(id)}/change` }, "Manage Subscription"));
  }
  if (allowed.has("resume_now")) buttons.push(h("button", { type: "button", onClick: act.resume }, "Resume Subscription"));
  if (allowed.has("pause") && sub.status !== "paused" && !(sub.pause && sub.pause.pause_at)) {
    buttons.push(h("button", { type: "button", class: "secondary", onClick: act.pause }, "Pause Subscription"));
  }
  if (allowed.has("cancel_now") || allowed.has("cancel_at_term_end")) {
    buttons.push(h("button", { type: "button", class: "secondary", onClick: act.cancel }, "Cancel Subscription"));
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
  const lines = (items) => items.map((line) => h("tr", {}, h("td", {}, line.description), h("td", { class: "num" }, money(line.amount_minor, c))));
  return h("div", { class: "quote" },
    quote.effective_on ? h("p", {}, `Takes effect ${quote.when === "end_of_term" ? "at the end of the term, " : ""}on ${date(quote.effective_on)}.`) : null,
    (quote.invoice_lines || []).length ? h("table", {}, h("caption", {}, "Invoice"), h("tbody", {}, lines(quote.invoice_lines),
      h("tr", { class: "total" }, h("td", {}, "Invoice total"), h("td", { class: "num", "data-testid": "quote-invoice-total" }, money(quote.invoice_total_minor, c))))) : null,
    (quote.credit_note_lines || []).length ? h("table", {}, h("caption", {}, "Credit for unused time"), h("tbody", {}, lines(quote.credit_note_lines),
      h("tr", { class: "total" }, h("td", {}, "Credit total"), h("td", { class: "num" }, money(quote.credit_note_total_minor, c))))) : null,
    h("dl", { class: "details" },
      quote.credits_applied_minor ? [h("dt", {}, "Credits applied"), h("dd", {}, `−${money(quote.credits_applied_minor, c)}`)] : null,
      h("dt", {}, "Due now"), h("dd", { "data-testid": "quote-amount-due" }, h("strong", {}, money(quote.amount_due_minor, c))),
      quote.refund_minor ? [h("dt", {}, "Refund"), h("dd", {}, money(quote.refund_minor, c))] : null,
      quote.next_term_total_minor != null ? [h("dt", {}, "Then"), h("dd", {}, `${money(quote.next_term_total_minor, c)}` +
        (quote.next_billing_on ? ` from ${date(quote.next_billing_on)}` : ""))] : null),
    (quote.notes || []).map((note) => h("p", { class: "hint" }, note)));
}

/**
 * Preview, then confirm with the preview's quote id. If the charges moved in between, the API
 * refuses (quote_changed): the new preview is shown and the customer confirms again.
 */
function quoted(title, preview, confirmLabel, confirm) {
  return dialog(title, (close) => {
    const body = h("div", { "aria-live": "polite" }, loading("Working out the charges…"));
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
        if (error.code === "quote_changed") await show("The charges changed since you opened this. Please review them again.");
        else body.prepend(alert("error", error.message));
      } finally {
        button.removeAttribute("aria-busy");
      }
    });
    show();
    return { body, actions: [h("button", { type: "button", class: "secondary", onClick: () => close(false) }, "Cancel"), button] };
  });
}

function pauseDialog(sub, me) {
  const paused = sub.status === "paused";
  const canResume = me.features.customer_resume;
  return dialog(paused ? "Change the resume date" : "Pause subscription", (close) => {
    const form = h("form", { id: "pause-form" },
      paused ? null : field({ label: "Pause on", name: "pause_at", type: "date", min: isoDay(),
        value: sub.pause?.pause_at || "", hint: "Leave empty to pause today." }),
      canResume ? field({ label: "Resume on", name: "resume_at", type: "date", min: isoDay(),
        value: sub.pause?.resume_at || "", hint: "Optional. Leave empty to resume later yourself." }) : null);
    // a pause decides what becomes of the paid, unused days (credited or kept): the customer sees
    // that first, then confirms the schedule previewed
    const summary = h("div", { "aria-live": "polite" });
    const submit = h("button", { type: "submit", form: "pause-form" }, paused ? "Save schedule" : "Preview pause");
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
        submit.textContent = "Confirm pause";
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
      h("button", { type: "button", class: "secondary", onClick: () => close(false) }, "Cancel"), submit] };
  });
}

/**
 * The cancel flow: the merchant's retention offer first (once per subscription, with the quote of
 * what accepting does), then when it should end and why (the merchant's reasons, required or not,
 * and a comment where they ask for one).
 */
function cancelDialog(sub, allowed) {
  return dialog("Cancel subscription", (close) => {
    const body = h("div", { "aria-live": "polite" }, loading("Loading…"));
    const submit = h("button", { type: "submit", class: "danger", form: "cancel-form", disabled: true }, "Cancel Subscription");
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
      const accept = h("button", { type: "button", "data-testid": "accept-offer" }, "Accept offer and stay");
      accept.addEventListener("click", async () => {
        accept.setAttribute("aria-busy", "true");
        try {
          await api.post(path(sub.subscription_id, "/retention-offer"), { quote_id: offer.quote.quote_id });
          close(`Thank you for staying: ${offer.name} applies from your next term.`);
        } catch (error) {
          if (error.sessionEnded) { close(false); return; }
          if (error.code === "quote_changed") await show("The offer's charges changed since you opened this. Please review them again.");
          else toast(error.message, "error");
        } finally {
          accept.removeAttribute("aria-busy");
        }
      });
      const discount = offer.percent_off_bp != null ? `${offer.percent_off_bp / 100}% off`
        : `${money(offer.amount_off_minor, offer.quote.currency)} off`;
      return h("section", { class: "card offer", "aria-label": "An offer before you go" },
        h("h3", {}, "Before you go"),
        h("p", {}, `Stay and get ${discount} for ${offer.cycles} ${offer.cycles === 1 ? "term" : "terms"} (${offer.name}).`),
        quoteView(offer.quote), accept);
    };
    const cancelForm = (asked) => {
      const options = [
        allowed.has("cancel_at_term_end") ? ["end_of_term", "At the end of the current term",
          `Keep using it until ${date(sub.current_term?.end || sub.trial?.end || sub.next_billing_on)}.`] : null,
        allowed.has("cancel_now") ? ["now", "Immediately", "It ends today. Nothing is refunded."] : null,
      ].filter(Boolean);
      const optional = asked.reason_required ? "" : " (optional)";
      const reason = asked.reasons.length
        ? field({ label: `Why are you leaving?${optional}`, name: "reason", required: asked.reason_required,
          options: [["", "Choose a reason…"], ...asked.reasons] })
        : field({ label: `Why are you leaving?${optional}`, name: "reason", type: "textarea", rows: 3, required: asked.reason_required });
      const form = h("form", { id: "cancel-form" },
        h("fieldset", {}, h("legend", {}, "When should it end?"), options.map(([value, title, detail], index) =>
          h("label", { class: "choice" }, h("input", { type: "radio", name: "when", value, checked: index === 0, "data-field": "when" }),
            h("span", {}, title, h("small", {}, detail))))),
        reason,
        asked.comments ? field({ label: "Anything else you want to tell us? (optional)", name: "comment", type: "textarea", rows: 3 }) : null);
      onSubmit(form, async (values) => {
        await api.post(path(sub.subscription_id, "/cancel"), { when: values.when, reason: values.reason || undefined,
          comment: values.comment?.trim() || undefined });
        close(values.when === "now" ? "Your subscription is cancelled." : "Your subscription will end at the end of the term.");
      });
      return form;
    };
    show();
    return { body, actions: [h("button", { type: "button", class: "secondary", onClick: () => close(false) }, "Keep subscription"), submit] };
  });
}

/** Manage Subscription (and reactivation with changes): choose, preview, confirm. */
export async function change({ main, params, query, navigate }) {
  replace(main, loading("Loading your options…"));
  const reactivating = Boolean(query.reactivate);
  const [sub, options] = await Promise.all([api.get(path(params.id)), api.get("/portal/subscription-options")]);
  const current = { ...sub.plan, currency: sub.currency, description: "Your current plan." };
  const plans = options.change_plan ? [...options.plans] : [];
  if (!plans.some((plan) => plan.code === sub.plan_code)) plans.unshift(current);
  const allowed = new Set((sub.allowed_actions || []).filter((a) => a.allowed).map((a) => a.action));
  const whens = reactivating ? [] : [
    allowed.has("change_now") && (options.when || []).includes("now") ? ["now", "Now", "Prorated for the rest of this term."] : null,
    allowed.has("change_at_term_end") && (options.when || []).includes("end_of_term")
      ? ["end_of_term", "At the end of the term", `From ${date(sub.current_term?.end || sub.next_billing_on)}.`] : null,
  ].filter(Boolean);
  const chosenAddons = new Map((sub.addons || []).map((a) => [a.code, a.quantity]));
  // the coupon the subscription has stays choosable, even one the merchant gave that the portal does not offer
  const coupons = options.coupons.map((c) => [c.code, `${c.code} — ${c.name}`]);
  const held = sub.coupon?.code;
  if (held && !options.coupons.some((c) => c.code.toLowerCase() === held.toLowerCase())) {
    coupons.unshift([held, `${held} — ${sub.coupon.name} (yours)`]);
  }
  const preview = h("div", { "aria-live": "polite" });

  const form = h("form", { class: "card", "aria-label": "Your changes" },
    h("fieldset", { "data-field": "plan", id: "plan-choice", tabindex: "-1" }, h("legend", {}, "Plan"),
      plans.map((plan) => h("label", { class: "choice" },
        h("input", { type: "radio", name: "plan", value: plan.code, checked: plan.code === sub.plan_code, disabled: !options.change_plan && plan.code !== sub.plan_code }),
        h("span", {}, `${plan.name} — ${money(plan.price_minor, plan.currency)} ${per(plan.interval, plan.interval_count)}`,
          plan.description ? h("small", {}, plan.description) : null))),
      h("p", { class: "field-error", id: "plan-choice-error", hidden: true })),
    options.addons.length ? h("fieldset", {}, h("legend", {}, "Add-ons"), options.addons.map((addon) =>
      field({ label: `${addon.name} (${money(addon.price_minor, addon.currency)} ${addon.recurring === false ? "each, once, on the next invoice" : "each"})`,
              name: `addon:${addon.code}`, type: "number",
              min: 0, max: 10000, value: chosenAddons.get(addon.code) || 0, inputmode: "numeric" }))) : null,
    options.change_coupon ? field({ label: "Coupon", name: "coupon", value: held || "",
      options: [["", "No coupon"], ...coupons] }) : null,
    whens.length ? h("fieldset", {}, h("legend", {}, "Apply the change"), whens.map(([value, title, detail], index) =>
      h("label", { class: "choice" }, h("input", { type: "radio", name: "when", value, checked: index === 0, "data-field": "when" }),
        h("span", {}, title, h("small", {}, detail))))) : null,
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Preview changes"),
      h("a", { class: "button secondary", href: `#/subscriptions/${encodeURIComponent(sub.subscription_id)}` }, "Cancel")));

  const changes = (values) => {
    const chosen = { plan: values.plan };
    if (options.change_addons) {
      chosen.addons = options.addons.map((a) => ({ code: a.code, quantity: Number(values[`addon:${a.code}`] || 0) }))
        .filter((a) => a.quantity > 0);
    }
    if (options.change_coupon) chosen.coupon = values.coupon || null;
    return chosen;
  };
  onSubmit(form, async (values) => {
    const chosen = changes(values);
    const body = reactivating ? { changes: chosen } : { ...chosen, when: values.when || "now" };
    const quote = await api.post(path(sub.subscription_id, reactivating ? "/reactivate/preview" : "/changes/preview"), body);
    const confirm = h("button", { type: "button" }, reactivating ? "Reactivate Subscription" : "Confirm change");
    confirm.addEventListener("click", async () => {
      confirm.setAttribute("aria-busy", "true");
      try {
        await api.post(path(sub.subscription_id, reactivating ? "/reactivate" : "/changes"), { ...body, quote_id: quote.quote_id });
        toast(reactivating ? "Your subscription is active again." : "Your subscription is updated.");
        navigate(`#/subscriptions/${encodeURIComponent(sub.subscription_id)}`);
      } catch (error) {
        if (error.sessionEnded) return;
        if (error.code === "quote_changed") { form.requestSubmit(); return; }
        showErrors(form, error);
      } finally {
        confirm.removeAttribute("aria-busy");
      }
    });
    replace(preview, h("section", { class: "card", "aria-labelledby": "preview-title" },
      h("h2", { id: "preview-title", tabindex: "-1" }, "Summary"), quoteView(quote), h("div", { class: "actions" }, confirm)));
    preview.querySelector("h2").focus();
  });
  replace(main, h("p", {}, h("a", { href: `#/subscriptions/${encodeURIComponent(sub.subscription_id)}` }, "← Back to the subscription")),
    pageHeader(reactivating ? "Reactivate subscription" : "Manage subscription", `${sub.plan_name} · ${statusLabel(sub.status)}`),
    form, preview);
}
