// Paying invoices: one invoice, several, or everything outstanding. A saved payment method
// pays with one click; a new card can be kept for future payments. When the invoices belong to
// subscriptions, the customer chooses whether the card also pays those (they are named).
// Available credit can pay first, the card the rest. Declines and 3-D Secure are shown as what they are. Card numbers never reach our server: with Stripe, Stripe.js
// collects them; in simulated mode, Stripe's test cards stand in.
import { api, idempotencyKey } from "../api.js";
import { download } from "../download.js";
import { money, date, invoiceBalance } from "../format.js";
import { h, replace, loading, empty, alert, pageHeader, table, dialog, showErrors, clearErrors, checkbox } from "../ui.js";

const TEST_CARDS = [
  ["pm_card_visa", "Visa 4242 4242 4242 4242 (succeeds)"],
  ["pm_card_mastercard", "Mastercard 5555 5555 5555 4444 (succeeds)"],
  ["pm_card_chargeDeclined", "Visa 4000 0000 0000 0002 (declined)"],
  ["pm_card_chargeDeclinedInsufficientFunds", "Visa 4000 0000 0000 9995 (insufficient funds)"],
  ["pm_card_authenticationRequired", "Visa 4000 0027 6000 3184 (asks for 3-D Secure)"],
];

export async function show({ main, query, me }) {
  replace(main, loading("Preparing your payment…"));
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
    replace(main, pageHeader("Pay"), h("section", { class: "card" }, empty("Nothing to pay", "These invoices are already paid.",
      h("a", { class: "button secondary", href: "#/invoices" }, "See your invoices"))));
    return;
  }
  const currencies = [...new Set(due.map((invoice) => invoice.currency))];
  if (currencies.length > 1) {   // a payment is in one currency: the customer chooses which
    replace(main, pageHeader("Pay"), chooseCurrency(due, currencies, everything));
    return;
  }
  const currency = currencies[0];
  const total = due.reduce((sum, invoice) => sum + invoiceBalance(invoice), 0);
  const stripe = me.payments_mode === "stripe";
  const form = h("form", { class: "card", "aria-label": "Payment" });
  const request = everything ? { all_outstanding: true, currency }
    : { invoice_ids: due.map((invoice) => invoice.invoice_id) };
  const subscriptions = await subscriptionsOf(due, me);
  const card = newCard(stripe, me.stripe_publishable_key, subscriptions);
  const forSubscriptions = subscriptions.length ? checkbox({ label: `Also use this card for ${named(subscriptions)}`,
    name: "for_subscriptions", hint: "They will be charged to it automatically from now on." }) : null;
  const usable = credit && credit.currency === currency ? Math.min(credit.amount_minor, total) : 0;
  const useCredit = usable > 0 ? checkbox({ label: `Use my available credit (${money(credit.amount_minor, currency)})`,
    name: "use_credits", checked: true }) : null;
  const leftToPay = h("p", { class: "hint", id: "left-to-pay", "aria-live": "polite" });
  const submit = h("button", { type: "submit" });
  const showTotals = () => {
    const applied = useCredit && form.querySelector("input[name=use_credits]").checked ? usable : 0;
    const byCard = total - applied;
    leftToPay.textContent = applied
      ? (byCard ? `${money(applied, currency)} from your credit; ${money(byCard, currency)} left to pay by card.`
        : `Your credit pays all of it; nothing is charged to your card.`)
      : "";
    submit.textContent = byCard ? `Pay ${money(byCard, currency)}` : "Pay with my credit";
  };

  replace(form,
    useCredit ? h("fieldset", {}, h("legend", {}, "Available credit"), useCredit, leftToPay) : null,
    h("fieldset", { id: "pay-with", "data-field": "payment_method", tabindex: "-1" }, h("legend", {}, "Pay with"),
      methods.map((method, index) => choice(method.payment_method_id, method.summary || `${method.brand} •••• ${method.last4}`,
        `Expires ${String(method.exp_month).padStart(2, "0")}/${method.exp_year}${method.is_default ? " · default" : ""}`,
        method.is_default || index === 0)),
      choice("new", "A new card", stripe ? "Entered securely with Stripe." : "Test mode: choose one of Stripe's test cards.", !methods.length),
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

  replace(main, h("p", {}, h("a", { href: "#/invoices" }, "← Invoices")),
    pageHeader(everything ? "Pay all outstanding invoices" : due.length > 1 ? "Pay invoices" : `Pay invoice ${due[0].number}`,
      `${due.length} ${due.length === 1 ? "invoice" : "invoices"}, ${money(total, currency)} in all.`),
    h("section", { class: "card", "aria-label": "What you are paying" }, table("Invoices to pay", [
      { label: "Invoice", cell: (i) => i.number },
      { label: "Due", cell: (i) => date(i.due_on) },
      { label: "Balance due", num: true, cell: (i) => money(invoiceBalance(i), i.currency) },
    ], due)),
    form);
}

/** Owing in several currencies: one payment per currency, each a link to its own payment page. */
function chooseCurrency(due, currencies, everything) {
  return h("section", { class: "card", "aria-labelledby": "choose-currency" },
    h("h2", { id: "choose-currency" }, "Choose what to pay"),
    h("p", { class: "hint" }, `You owe in ${currencies.join(" and ")}. Each currency is paid separately.`),
    h("ul", { class: "currency-choices" }, currencies.map((currency) => {
      const invoices = due.filter((invoice) => invoice.currency === currency);
      const total = invoices.reduce((sum, invoice) => sum + invoiceBalance(invoice), 0);
      const href = everything ? `#/pay?all=1&currency=${encodeURIComponent(currency)}`
        : `#/pay?invoices=${invoices.map((invoice) => encodeURIComponent(invoice.invoice_id)).join(",")}`;
      return h("li", {}, h("a", { class: "button", href }, `Pay ${money(total, currency)}`),
        ` ${invoices.length} ${invoices.length === 1 ? "invoice" : "invoices"}`);
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

/** "your subscription Pro" / "your subscriptions Pro and Business" */
function named(subscriptions) {
  const names = subscriptions.map((sub) => sub.plan_name);
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names[0];
  return `your ${subscriptions.length > 1 ? "subscriptions" : "subscription"} ${list}`;
}

/** The "new card" part of the form: Stripe Elements (started with the key /portal/me gives), or the test cards. */
function newCard(stripe, publishableKey, subscriptions) {
  const saveBox = checkbox({ label: "Save this card for future payments", name: "save_for_future",
                             hint: subscriptions.length ? `It will also pay ${named(subscriptions)} automatically.` : null });
  if (!stripe) {
    const id = "test-card";
    const section = h("div", {},
      h("div", { class: "field" }, h("label", { for: id }, "Test card"),
        h("select", { id, name: "test_card", "data-field": "card" }, TEST_CARDS.map(([value, text]) => h("option", { value }, text))),
        h("p", { class: "field-error", id: `${id}-error`, hidden: true })),
      saveBox);
    return { section, paymentMethod: async () => section.querySelector("select").value,
             save: () => section.querySelector("input[name=save_for_future]").checked };
  }
  const mount = h("div", { class: "field", id: "card-element" });
  const section = h("div", {}, h("p", { class: "hint" }, "Card details"), mount, saveBox);
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
  const approve = await dialog("Confirm this payment with your bank", (close) => ({
    body: [h("p", {}, `Your bank asks you to confirm the payment of ${money(payment.amount_minor, payment.currency)}.`),
      h("p", { class: "hint" }, "Test mode: choose how the authentication ends.")],
    actions: [h("button", { type: "button", class: "secondary", onClick: () => close(false) }, "Fail authentication"),
      h("button", { type: "button", autofocus: true, onClick: () => close(true) }, "Complete authentication")],
  }));
  return api.post(action.confirm_path || `/portal/payments/${encodeURIComponent(payment.payment_id)}/confirm-action`,
    { approve: Boolean(approve) });
}

/** Shown while the server asks Stripe what became of the payment. */
function confirming(form) {
  const status = h("p", { class: "hint", role: "status", "aria-live": "polite" }, "Confirming your payment with your bank…");
  form.querySelector("button[type=submit]").before(status);
  return status;
}

/** The bank has not answered yet: the payment may still go through, so nothing is said to have failed. */
function stillConfirming(form, payment) {
  const notice = alert("info", h("p", {}, "Your bank is still confirming this payment. ",
    h("a", { href: `#/payments/${encodeURIComponent(payment.payment_id)}` }, "See its status"),
    " in a moment. Paying again will not charge you twice."));
  notice.id = "still-confirming";
  notice.setAttribute("role", "status");
  form.querySelector("button[type=submit]").before(notice);
}

function declined(form, payment) {
  const reason = payment.failure_message || "The payment did not go through, and nothing was charged.";
  showErrors(form, { message: reason, fields: { payment_method: `${reason} Try another card.` } });
}

function paid(main, payment, invoices) {
  const numbers = new Map(invoices.map((invoice) => [invoice.invoice_id, invoice.number]));
  const receipt = () => download(`/portal/payments/${encodeURIComponent(payment.payment_id)}/receipt`, null,
    `receipt-${payment.payment_id}.pdf`);
  replace(main, pageHeader("Payment received"),
    h("section", { class: "card", "aria-label": "Payment received" },
      alert("success", payment.amount_minor === 0 ? "Thank you! Your available credit paid this; nothing was charged."
        : `Thank you! We received ${money(payment.amount_minor, payment.currency)}` +
          (payment.method_summary ? ` from ${payment.method_summary}.` : ".")),
      h("h2", {}, "Invoices paid"),
      h("ul", {}, (payment.allocations || []).map((a) => h("li", {},
        h("a", { href: `#/invoices/${encodeURIComponent(a.invoice_id)}` }, `Invoice ${a.number || numbers.get(a.invoice_id) || a.invoice_id}`),
        ` — ${money(a.amount_minor, payment.currency)}`))),
      h("div", { class: "actions" },
        h("a", { class: "button", href: `#/payments/${encodeURIComponent(payment.payment_id)}` }, "View receipt"),
        h("button", { type: "button", class: "secondary", onClick: receipt }, "Download receipt"),
        h("a", { class: "button secondary", href: "#/home" }, "Back to Home"))));
  main.querySelector("h1").focus();
}
