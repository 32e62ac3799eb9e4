// Paying invoices: one invoice, several, or everything outstanding. A saved payment method
// pays with one click; a new card can be kept for future payments. When the invoices belong to
// subscriptions, the customer chooses whether the card also pays those (they are named).
// Available credit can pay first, the card the rest. Declines and 3-D Secure are shown as what they are. Card numbers never reach our server: with Stripe, Stripe.js
// collects them; in simulated mode, Stripe's test cards stand in.
import { api, idempotencyKey } from "../api.js";
import { plural, t } from "../i18n.js";
import { failureReason, whatToDoAfter } from "../failure_words.js";
import { download } from "../download.js";
import { money, date, invoiceBalance } from "../format.js";
import { h, replace, loading, empty, alert, pageHeader, table, dialog, showErrors, clearErrors, checkbox } from "../ui.js";
import { canPay } from "../roles.js";

const TEST_CARDS = [
  ["pm_card_visa", "Visa 4242 4242 4242 4242 (succeeds)"],
  ["pm_card_mastercard", "Mastercard 5555 5555 5555 4444 (succeeds)"],
  ["pm_card_chargeDeclined", "Visa 4000 0000 0000 0002 (declined)"],
  ["pm_card_chargeDeclinedInsufficientFunds", "Visa 4000 0000 0000 9995 (insufficient funds)"],
  ["pm_card_authenticationRequired", "Visa 4000 0027 6000 3184 (asks for 3-D Secure)"],
];

export async function show({ main, query, me }) {
  if (!canPay(me)) {   // a viewer who followed a pay link: no form the server would refuse
    replace(main, pageHeader(t("title.pay")), h("section", { class: "card" },
      alert("info", h("p", {}, t("pay.not_for_viewers"))),
      h("a", { class: "button secondary", href: "#/invoices" }, t("pay.see_invoices"))));
    return;
  }
  replace(main, loading(t("pay.preparing")));
  const everything = Boolean(query.all);
  const ids = (query.invoices || "").split(",").filter(Boolean);
  const [invoices, methods, credit] = await Promise.all([
    everything ? api.get("/portal/invoices", { status: "outstanding", limit: 100 }).then((page) => page.items || page)
      : Promise.all(ids.map((id) => api.get(`/portal/invoices/${encodeURIComponent(id)}`))),
    api.get("/portal/payment-methods").then((answer) => answer.items || answer).catch((error) => {
      if (error.sessionEnded) throw error;
      return [];
    }),
    api.get("/portal/dashboard").then((dashboard) => dashboard.available_credits).catch((error) => {
      if (error.sessionEnded) throw error;
      return null;   // no figure now: paying by card alone still works
    }),
  ]);
  const owed = invoices.filter((invoice) => invoiceBalance(invoice) > 0);
  const due = query.currency ? owed.filter((invoice) => invoice.currency === query.currency) : owed;
  if (!due.length) {
    replace(main, pageHeader(t("title.pay")), h("section", { class: "card" }, empty(t("invoices.nothing_to_pay"), t("pay.already_paid"),
      h("a", { class: "button secondary", href: "#/invoices" }, t("pay.see_invoices")))));
    return;
  }
  const currencies = [...new Set(due.map((invoice) => invoice.currency))];
  if (currencies.length > 1) {   // a payment is in one currency: the customer chooses which
    replace(main, pageHeader(t("title.pay")), chooseCurrency(due, currencies, everything));
    return;
  }
  const currency = currencies[0];
  const total = due.reduce((sum, invoice) => sum + invoiceBalance(invoice), 0);
  const stripe = me.payments_mode === "stripe";
  const form = h("form", { class: "card", "aria-label": t("pay.payment") });
  const request = everything ? { all_outstanding: true, currency }
    : { invoice_ids: due.map((invoice) => invoice.invoice_id) };
  const subscriptions = await subscriptionsOf(due, me);
  const card = newCard(stripe, me.stripe_publishable_key, subscriptions);
  const forSubscriptions = subscriptions.length ? checkbox({ label: t("pay.also_for", { subscriptions: named(subscriptions) }),
    name: "for_subscriptions", hint: t("pay.charged_from_now") }) : null;
  const usable = credit && credit.currency === currency ? Math.min(credit.amount_minor, total) : 0;
  const useCredit = usable > 0 ? checkbox({ label: t("pay.use_credit", { amount: money(credit.amount_minor, currency) }),
    name: "use_credits", checked: true }) : null;
  const leftToPay = h("p", { class: "hint", id: "left-to-pay", "aria-live": "polite" });
  const submit = h("button", { type: "submit" });
  const showTotals = () => {
    const applied = useCredit && form.querySelector("input[name=use_credits]").checked ? usable : 0;
    const byCard = total - applied;
    leftToPay.textContent = applied
      ? (byCard ? t("pay.credit_and_card", { credit: money(applied, currency), card: money(byCard, currency) })
        : t("pay.credit_pays_all"))
      : "";
    submit.textContent = byCard ? t("pay.pay_amount", { amount: money(byCard, currency) }) : t("pay.pay_with_credit");
  };

  replace(form,
    useCredit ? h("fieldset", {}, h("legend", {}, t("pay.available_credit")), useCredit, leftToPay) : null,
    h("fieldset", { id: "pay-with", "data-field": "payment_method", tabindex: "-1" }, h("legend", {}, t("pay.pay_with")),
      methods.map((method, index) => choice(method.payment_method_id, method.summary || `${method.brand} •••• ${method.last4}`,
        t(method.is_default ? "pay.expires_default" : "pay.expires", { month: String(method.exp_month).padStart(2, "0"), year: method.exp_year }),
        method.is_default || index === 0)),
      choice("new", t("pay.new_card"), stripe ? t("pay.stripe") : t("pay.test_cards"), !methods.length),
      h("p", { class: "field-error", id: "pay-with-error", hidden: true })),
    forSubscriptions,
    card.section,
    submit);
  const showCard = () => {
    const saved = form.querySelector("input[name=method]:checked")?.value !== "new";
    card.section.hidden = saved;
    if (forSubscriptions) forSubscriptions.hidden = !saved;
    showTotals();
  };
  form.addEventListener("change", showCard);
  showCard();

  let key = idempotencyKey();
  let newMethod = null;   // the card entered for this key: a retry with the key must send the same request
  const newKey = () => { key = idempotencyKey(); newMethod = null; };
  form.noValidate = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button.getAttribute("aria-busy") === "true") return;
    clearErrors(form);
    form.querySelector("#still-confirming")?.remove();
    button.setAttribute("aria-busy", "true");
    try {
      const chosen = form.querySelector("input[name=method]:checked")?.value;
      // save_for_future: a new card is kept; either card becomes the paid invoices' subscriptions' card
      const paying = chosen === "new"
        ? { payment_method: newMethod = newMethod || await card.paymentMethod(), save_for_future: card.save() }
        : { payment_method: chosen, save_for_future: Boolean(form.querySelector("input[name=for_subscriptions]")?.checked) };
      const credits = useCredit && form.querySelector("input[name=use_credits]").checked ? { use_credits: true } : {};
      let payment = await api.post("/portal/payments", { ...request, ...paying, ...credits }, { "Idempotency-Key": key });
      if (payment.status === "requires_action") payment = await authenticate(payment, stripe, me, form);
      if (payment.status === "succeeded") { paid(main, payment, due); return; }
      if (["requires_action", "pending"].includes(payment.status)) {
        // The bank has not answered yet: it may still succeed, so the same key stays (a retry
        // answers this payment) and nothing is said to have failed.
        stillConfirming(form, payment);
        return;
      }
      newKey();   // a definitive refusal: the next attempt is a new payment
      declined(form, payment);
    } catch (error) {
      if (error.sessionEnded) return;
      if (error.status && error.status < 500 && error.code !== "payment_pending") newKey();
      showErrors(form, error);
    } finally {
      button.removeAttribute("aria-busy");
    }
  });

  replace(main, h("p", {}, h("a", { href: "#/invoices" }, t("pay.back"))),
    pageHeader(everything ? t("pay.all_title") : due.length > 1 ? t("pay.many_title") : t("pay.one_title", { number: due[0].number }),
      plural("pay.in_all", due.length, { amount: money(total, currency) })),
    h("section", { class: "card", "aria-label": t("pay.what") }, table(t("pay.invoices_to_pay"), [
      { label: t("invoices.invoice"), cell: (i) => i.number },
      { label: t("invoices.due"), cell: (i) => date(i.due_on) },
      { label: t("invoices.balance_due"), num: true, cell: (i) => money(invoiceBalance(i), i.currency) },
    ], due)),
    form);
}

/** Owing in several currencies: one payment per currency, each a link to its own payment page. */
function chooseCurrency(due, currencies, everything) {
  return h("section", { class: "card", "aria-labelledby": "choose-currency" },
    h("h2", { id: "choose-currency" }, t("pay.choose")),
    h("p", { class: "hint" }, t("pay.currencies", { currencies: currencies.join(", ") })),
    h("ul", { class: "currency-choices" }, currencies.map((currency) => {
      const invoices = due.filter((invoice) => invoice.currency === currency);
      const total = invoices.reduce((sum, invoice) => sum + invoiceBalance(invoice), 0);
      const href = everything ? `#/pay?all=1&currency=${encodeURIComponent(currency)}`
        : `#/pay?invoices=${invoices.map((invoice) => encodeURIComponent(invoice.invoice_id)).join(",")}`;
      return h("li", {}, h("a", { class: "button", href }, t("pay.pay_amount", { amount: money(total, currency) })),
        ` ${plural("pay.invoices", invoices.length)}`);
    })));
}

function choice(value, title, detail, checked) {
  return h("label", { class: "choice" }, h("input", { type: "radio", name: "method", value, checked }),
    h("span", {}, title, h("small", {}, detail)));
}

/** The subscriptions the invoices belong to (each once), with their plan names; none when the
 * invoices belong to none (or subscriptions are not shown in this portal). */
async function subscriptionsOf(invoices, me) {
  const ids = [...new Set(invoices.map((invoice) => invoice.subscription_id).filter(Boolean))];
  if (!ids.length || !me.features.subscriptions) return [];
  const found = await Promise.all(ids.map((id) => api.get(`/portal/subscriptions/${encodeURIComponent(id)}`).catch((error) => {
    if (error.sessionEnded) throw error;
    return null;
  })));
  return found.filter(Boolean);
}

/** "your subscription Pro" / "your subscriptions Pro and Business"; two of one plan are told
 * apart by their reference, or else by the day each was subscribed: "Pro (PO-7) and Pro (since Nov 3, 2026)". */
function named(subscriptions) {
  const shared = (sub) => subscriptions.filter((other) => other.plan_name === sub.plan_name).length > 1;
  const names = subscriptions.map((sub) => (shared(sub) ? t("pay.told_apart", { plan: sub.plan_name,
    which: sub.reference || t("pay.since", { date: date(sub.created_at) }) }) : sub.plan_name));
  const list = names.length > 1 ? t("pay.list", { first: names.slice(0, -1).join(", "), last: names[names.length - 1] }) : names[0];
  return plural("pay.your_subscriptions", subscriptions.length, { names: list });
}

/** The "new card" part of the form: Stripe Elements (started with the key /portal/me gives), or the test cards. */
function newCard(stripe, publishableKey, subscriptions) {
  const saveBox = checkbox({ label: t("pay.save_card"), name: "save_for_future",
                             hint: subscriptions.length ? t("pay.also_pays", { subscriptions: named(subscriptions) }) : null });
  if (!stripe) {
    const id = "test-card";
    const section = h("div", {},
      h("div", { class: "field" }, h("label", { for: id }, t("pay.test_card")),
        h("select", { id, name: "test_card", "data-field": "card" }, TEST_CARDS.map(([value, text]) => h("option", { value }, text))),
        h("p", { class: "field-error", id: `${id}-error`, hidden: true })),
      saveBox);
    return { section, paymentMethod: async () => section.querySelector("select").value,
             save: () => section.querySelector("input[name=save_for_future]").checked };
  }
  const mount = h("div", { class: "field", id: "card-element" });
  const section = h("div", {}, h("p", { class: "hint" }, t("pay.card_details")), mount, saveBox);
  let elements = null;
  const ready = (async () => {
    const client = window.Stripe(publishableKey);
    const cardElement = client.elements().create("card");
    cardElement.mount(mount);
    elements = { client, cardElement };
  })();
  return {
    section,
    async paymentMethod() {
      await ready;
      const { paymentMethod, error } = await elements.client.createPaymentMethod({ type: "card", card: elements.cardElement });
      if (error) throw Object.assign(new Error(error.message), { fields: { payment_method: error.message } });
      return paymentMethod.id;
    },
    save: () => section.querySelector("input[name=save_for_future]").checked,
  };
}

const CONFIRM_WAITS_MS = [0, 1000, 2000, 3000, 5000, 8000];   // about 20 s of asking before "still confirming"

/** 3-D Secure: Stripe.js shows the bank's challenge, then our server asks Stripe what became of the
 * payment (whatever Stripe.js answered, the server's answer is the one that counts); in simulated
 * mode a dialog stands in for the challenge. */
async function authenticate(payment, stripe, me, form) {
  const action = payment.next_action || {};
  if (stripe || action.type === "stripe_confirm_card_payment") {
    const client = window.Stripe(action.publishable_key || me.stripe_publishable_key);
    try {
      await client.confirmCardPayment(action.client_secret);
    } catch (error) {
      // Stripe.js could not say: the server asks Stripe below.
    }
    const status = confirming(form);
    try {
      let now = payment;
      for (const wait of CONFIRM_WAITS_MS) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          now = await api.post(`/portal/payments/${encodeURIComponent(payment.payment_id)}/confirm`);
        } catch (error) {
          if (error.sessionEnded) throw error;
          continue;   // not an answer about the payment: ask again, and keep its key whatever happens
        }
        if (!["requires_action", "pending"].includes(now.status)) return now;
      }
      return now;
    } finally {
      status.remove();
    }
  }
  const approve = await dialog(t("pay.confirm_title"), (close) => ({
    body: [h("p", {}, t("pay.bank_asks", { amount: money(payment.amount_minor, payment.currency) })),
      h("p", { class: "hint" }, t("pay.test_auth"))],
    actions: [h("button", { type: "button", class: "secondary", onClick: () => close(false) }, t("pay.fail_auth")),
      h("button", { type: "button", autofocus: true, onClick: () => close(true) }, t("pay.complete_auth"))],
  }));
  return api.post(action.confirm_path || `/portal/payments/${encodeURIComponent(payment.payment_id)}/confirm-action`,
    { approve: Boolean(approve) });
}

/** Shown while the server asks Stripe what became of the payment. */
function confirming(form) {
  const status = h("p", { class: "hint", role: "status", "aria-live": "polite" }, t("pay.confirming"));
  form.querySelector("button[type=submit]").before(status);
  return status;
}

/** The bank has not answered yet: the payment may still go through, so nothing is said to have failed. */
function stillConfirming(form, payment) {
  const notice = alert("info", h("p", {}, t("pay.still_confirming"), " ",
    h("a", { href: `#/payments/${encodeURIComponent(payment.payment_id)}` }, t("pay.see_status")),
    " ", t("pay.no_double_charge")));
  notice.id = "still-confirming";
  notice.setAttribute("role", "status");
  form.querySelector("button[type=submit]").before(notice);
}

function declined(form, payment) {
  const reason = failureReason(payment.failure_code, payment.failure_message) || t("pay.not_through");
  showErrors(form, { message: reason, fields: { payment_method: whatToDoAfter(payment.failure_code, reason) } });
}

function paid(main, payment, invoices) {
  const numbers = new Map(invoices.map((invoice) => [invoice.invoice_id, invoice.number]));
  const receipt = () => download(`/portal/payments/${encodeURIComponent(payment.payment_id)}/receipt`, null,
    payment.number ? `receipt-${payment.number}.pdf` : "receipt.pdf");
  replace(main, pageHeader(t("pay.received_title")),
    h("section", { class: "card", "aria-label": t("pay.received_title") },
      alert("success", payment.amount_minor === 0 ? t("pay.credit_paid")
        : t(payment.method_summary ? "pay.received_from" : "pay.received",
          { amount: money(payment.amount_minor, payment.currency), method: payment.method_summary })),
      payment.number ? h("p", {}, t("pay.payment_number", { number: payment.number })) : null,
      h("h2", {}, t("payments.invoices_paid")),
      h("ul", {}, (payment.allocations || []).map((a) => h("li", {},
        h("a", { href: `#/invoices/${encodeURIComponent(a.invoice_id)}` }, t("invoices.heading", { number: numbers.get(a.invoice_id) ?? a.invoice_id })),
        ` — ${money(a.amount_minor, payment.currency)}`))),
      h("div", { class: "actions" },
        h("a", { class: "button", href: `#/payments/${encodeURIComponent(payment.payment_id)}` }, t("pay.view_receipt")),
        h("button", { type: "button", class: "secondary", onClick: receipt }, t("payments.download")),
        h("a", { class: "button secondary", href: "#/home" }, t("pay.back_home")))));
  main.querySelector("h1").focus();
}
