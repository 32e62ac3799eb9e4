// My Details: contact, billing and shipping addresses, custom fields and tax IDs (edited in place
// when the merchant allows it), and saved payment methods (add, make default, replace, remove).
import { api } from "../api.js";
import { t } from "../i18n.js";
import { date, locale } from "../format.js";
import { ADDRESS_PARTS, addressLines, countryOptions } from "../address.js";
import { h, replace, loading, empty, pageHeader, field, onSubmit, toast, confirmAction, checkbox, failure, dialog, alert } from "../ui.js";
import { canPay, isOwner } from "../roles.js";

const TAX_ID_TYPES = ["eu_vat", "gb_vat", "au_abn", "in_gst", "us_ein"];
const TEST_CARDS = [["pm_card_visa", "Visa 4242 4242 4242 4242"], ["pm_card_mastercard", "Mastercard 5555 5555 5555 4444"]];

export async function show(context) {
  const { main, me } = context;
  replace(main, pageHeader(t("title.details"), t("details.subtitle")), loading(t("details.loading")));
  const methods = h("section", { class: "card", "aria-labelledby": "methods-title" },
    h("header", {}, h("h2", { id: "methods-title" }, t("details.methods")),
      canPay(me) ? h("button", { type: "button", class: "secondary", onClick: () => addMethod(context, null) }, t("details.add_card")) : null),
    h("div", {}, loading(t("details.loading_methods"))));
  const [own, taxIds] = await Promise.all([api.get("/portal/profile"), api.get("/portal/tax-ids")]);
  // everyone edits their own contact details; the account's addresses, fields and tax IDs are the owner's
  const profile = { ...own, editable: own.editable && isOwner(me) };
  const reload = (message) => { toast(message); return show(context); };
  replace(main, pageHeader(t("title.details"), t("details.subtitle")),
    contactSection(own, reload),
    h("div", { class: "grid" },
      addressSection("billing_address", profile, reload),
      addressSection("shipping_address", profile, reload)),
    profile.custom_fields?.length ? customFieldsSection(profile, reload) : null,
    taxIdSection(taxIds, profile, reload),
    methods);
  await paymentMethods(methods.querySelector("div"), context);
}

/** A card that shows values, with an Edit button turning it into a form (when editable). */
function editable(section, id, profile, view, form) {
  const title = t(`details.${section}`);
  const card = h("section", { class: "card", "aria-labelledby": id });
  const showView = () => replace(card, h("header", {}, h("h2", { id }, title),
    profile.editable ? h("button", { type: "button", class: "secondary", "aria-label": t(`details.${section}.edit`), onClick: showForm }, t("details.edit")) : null),
  view());
  const showForm = () => {
    const editor = form();
    editor.append(h("div", { class: "actions" }, h("button", { type: "submit" }, t("details.save")),
      h("button", { type: "button", class: "secondary", onClick: showView }, t("common.cancel"))));
    replace(card, h("h2", { id }, title), editor);
    editor.querySelector("input, select, textarea")?.focus();
  };
  showView();
  return card;
}

function contactSection(profile, reload) {
  const contact = profile.contact;
  return editable("contact", "contact-title", profile,
    () => h("dl", { class: "details" },
      h("dt", {}, t("home.name")), h("dd", {}, contact.name),
      h("dt", {}, t("home.email")), h("dd", {}, contact.email),
      h("dt", {}, t("home.phone")), h("dd", {}, contact.phone || "—"),
      h("dt", {}, t("home.account")), h("dd", {}, profile.customer.display_name)),
    () => {
      const emailHint = h("div", { hidden: true }, field({ label: t("password.current"), name: "current_password", type: "password",
        autocomplete: "current-password", hint: t("details.password_needed") }));
      api.get("/portal/auth/second-factor").then((state) => {   // an account without a password is asked for none
        if (state.has_password === false) replace(emailHint, h("p", { class: "hint" }, t("details.fresh_sign_in_needed")));
      }).catch(() => { /* the field stays: the server says what it needs either way */ });
      const form = h("form", { "aria-label": t("details.contact.edit") },
        h("div", { class: "form-row" },
          field({ label: t("details.first_name"), name: "contact.first_name", value: contact.first_name, required: true, autocomplete: "given-name" }),
          field({ label: t("details.last_name"), name: "contact.last_name", value: contact.last_name, autocomplete: "family-name" })),
        field({ label: t("home.email"), name: "contact.email", type: "email", value: contact.email, required: true, autocomplete: "email" }),
        emailHint,
        field({ label: t("home.phone"), name: "contact.phone", type: "tel", value: contact.phone, autocomplete: "tel" }));
      form.querySelector("[name='contact.email']").addEventListener("input", (event) => {
        emailHint.hidden = event.target.value.trim() === contact.email;
      });
      onSubmit(form, async (values) => {
        const changes = { contact: { first_name: values["contact.first_name"], last_name: values["contact.last_name"],
                                     phone: values["contact.phone"], email: values["contact.email"] } };
        if (values.current_password) changes.current_password = values.current_password;
        const answer = await api.patch("/portal/profile", changes);
        await reload(answer.pending_email ? t("details.contact.pending", { email: answer.pending_email }) : t("details.contact.saved"));
      });
      return form;
    });
}

function addressBlock(address) {
  const lines = addressLines(address);
  return lines.length ? h("address", {}, lines.map((line, i) => [i ? h("br") : null, line])) : h("p", { class: "hint" }, t("details.not_given"));
}

function addressSection(name, profile, reload) {
  const address = profile.customer[name] || {};
  const id = `${name}-title`;
  return editable(name, id, profile, () => addressBlock(address), () => {
    const form = h("form", { "aria-label": t(`details.${name}.edit`) },
      field({ label: t("details.line1"), name: `${name}.line1`, value: address.line1, autocomplete: "address-line1" }),
      field({ label: t("details.line2"), name: `${name}.line2`, value: address.line2, autocomplete: "address-line2" }),
      h("div", { class: "form-row" },
        field({ label: t("details.city"), name: `${name}.city`, value: address.city, autocomplete: "address-level2" }),
        field({ label: t("details.state"), name: `${name}.state`, value: address.state, autocomplete: "address-level1" }),
        field({ label: t("details.postal_code"), name: `${name}.postal_code`, value: address.postal_code, autocomplete: "postal-code" })),
      field({ label: t("details.country"), name: `${name}.country`, value: address.country,
        options: countryOptions(locale, address.country), autocomplete: "country" }));
    onSubmit(form, async (values) => {
      const part = {};
      for (const key of ADDRESS_PARTS) part[key] = values[`${name}.${key}`];
      await api.patch("/portal/profile", { [name]: part });
      await reload(t(`details.${name}.saved`));
    });
    return form;
  });
}

function customFieldsSection(profile, reload) {
  const fields = profile.custom_fields;
  return editable("custom_fields", "custom-title", profile,
    () => h("dl", { class: "details" }, fields.map((f) => [h("dt", {}, f.label), h("dd", {}, f.value ?? "—")])),
    () => {
      const form = h("form", { "aria-label": t("details.custom_fields.edit") }, fields.map((f) => field({
        label: f.label, name: `custom_fields.${f.key}`, value: f.value ?? "", required: f.required,
        options: f.type === "dropdown" ? [["", "—"], ...(f.options || [])] : undefined })));
      onSubmit(form, async (values) => {
        const custom = {};
        for (const f of fields) custom[f.key] = values[`custom_fields.${f.key}`] || null;
        await api.patch("/portal/profile", { custom_fields: custom });
        await reload(t("details.saved"));
      });
      return form;
    });
}

/** Tax IDs: listed with their kind; added (a kind and its number, checked by the server) and
 * removed. While the merchant requires one and there is none, the section asks for it. */
function taxIdSection(taxIds, profile, reload) {
  const items = taxIds.items;
  const list = items.length
    ? h("ul", { class: "plain" }, items.map((item) => h("li", { class: "choice" },
      h("span", {}, h("strong", {}, t(`details.tax_id.type.${item.type}`)), " ", item.value),
      profile.editable ? h("span", { class: "actions" }, h("button", { type: "button", class: "link",
        "aria-label": t("details.tax_id.remove_one", { value: item.value }), onClick: () => removeTaxId(item, reload) },
      t("details.remove"))) : null)))
    : h("p", { class: "hint" }, t("details.tax_id.none"));
  const form = h("form", { "aria-label": t("details.tax_id.add") },
    h("div", { class: "form-row" },
      field({ label: t("details.tax_id.type"), name: "type", options: TAX_ID_TYPES.map((type) => [type, t(`details.tax_id.type.${type}`)]) }),
      field({ label: t("details.tax_id.value"), name: "value", required: true, hint: t("details.tax_id.hint") })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("details.tax_id.add"))));
  onSubmit(form, async (values) => {
    await api.post("/portal/tax-ids", { type: values.type, value: values.value });
    await reload(t("details.tax_id.added"));
  });
  return h("section", { class: "card", "aria-labelledby": "tax-ids-title" },
    h("h2", { id: "tax-ids-title" }, t("details.tax_ids")),
    taxIds.required && !items.length ? alert("warning", t("details.tax_id.required")) : null,
    list,
    profile.editable && items.length < 5 ? form : null);
}

async function removeTaxId(item, reload) {
  if (!await confirmAction(t("details.tax_id.remove_title"), t("details.tax_id.remove_text", { value: item.value }),
    t("details.remove"), { danger: true })) return;
  try {
    await api.delete(`/portal/tax-ids/${encodeURIComponent(item.tax_id)}`);
    await reload(t("details.tax_id.removed"));
  } catch (error) { if (!error.sessionEnded) toast(error.message, "error"); }
}

async function paymentMethods(container, context) {
  let methods;
  try {
    const answer = await api.get("/portal/payment-methods");
    methods = answer.items || answer;
  } catch (error) {
    if (!error.sessionEnded) replace(container, failure(error, () => paymentMethods(container, context)));
    return;
  }
  if (!methods.length) {
    replace(container, empty(t("details.no_cards"), t("details.no_cards_hint")));
    return;
  }
  replace(container, h("ul", { class: "plain" }, methods.map((m) => h("li", { class: "choice" },
    h("span", {}, m.is_default ? t("details.default_card", { card: cardName(m) }) : cardName(m),
      h("small", {}, t("details.card_expires", { month: String(m.exp_month).padStart(2, "0"), year: m.exp_year, added: date(m.created_at) }))),
    canPay(context.me) ? h("span", { class: "actions" },
      m.is_default ? null : h("button", { type: "button", class: "link", onClick: () => makeDefault(m, context) }, t("details.make_default")),
      h("button", { type: "button", class: "link", "aria-label": t("details.replace_card", { card: m.summary }), onClick: () => addMethod(context, m) }, t("details.replace")),
      h("button", { type: "button", class: "link", "aria-label": t("details.remove_card", { card: m.summary }), onClick: () => removeMethod(m, methods, context) }, t("details.remove"))) : null))));
}

function cardName(method) {
  return method.summary || `${method.brand} •••• ${method.last4}`;
}

async function makeDefault(method, context) {
  try {
    await api.post(`/portal/payment-methods/${encodeURIComponent(method.payment_method_id)}/default`);
    toast(t("details.now_default", { card: method.summary }));
    await show(context);
  } catch (error) { if (!error.sessionEnded) toast(error.message, "error"); }
}

/** Remove a card. If it pays subscriptions automatically, the server refuses and names them: the
 * customer then chooses which other card pays them (never one chosen for her), or is told to add
 * or replace a card first. */
async function removeMethod(method, methods, context) {
  if (!await confirmAction(t("details.remove_title"), t("details.remove_text", { card: method.summary }), t("details.remove"), { danger: true })) return;
  const path = `/portal/payment-methods/${encodeURIComponent(method.payment_method_id)}`;
  try {
    try {
      await api.delete(path);
    } catch (error) {
      const others = methods.filter((m) => m.payment_method_id !== method.payment_method_id);
      if (error.code !== "payment_method_in_use" || !others.length) throw error;
      const successor = await chooseSuccessor(method, others, error.details.subscriptions || []);
      if (!successor) return;
      await api.delete(`${path}?subscriptions_to=${encodeURIComponent(successor)}`);
    }
    toast(t("details.removed"));
    await show(context);
  } catch (error) { if (!error.sessionEnded) toast(error.message, "error"); }
}

function chooseSuccessor(method, others, subscriptions) {
  const paid = subscriptions.length ? subscriptions.join(", ") : t("details.your_subscriptions");
  return dialog(t("details.successor_title", { subscriptions: paid }), (close) => {
    const form = h("form", { id: "successor-form" },
      h("p", {}, t("details.successor_text", { card: method.summary, subscriptions: paid })),
      h("fieldset", {}, h("legend", {}, t("details.successor_legend")),
        others.map((m, index) => h("label", { class: "choice" },
          h("input", { type: "radio", name: "successor", value: m.payment_method_id, checked: index === 0 }),
          h("span", {}, m.summary)))));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      close(form.querySelector("input[name=successor]:checked")?.value);
    });
    return {
      body: form,
      actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("details.keep_card")),
        h("button", { type: "submit", form: "successor-form", class: "danger" }, t("details.move_and_remove"))],
    };
  });
}

/** After a card is saved: if a subscription is in dunning, offer to pay its failed invoice at once
 * (on the pay screen) rather than wait for the next retry. True when the customer went to pay. */
async function offerRetry() {
  try {
    const page = await api.get("/portal/subscriptions", { status: "dunning" });
    const failed = await Promise.all((page.items || []).map((sub) =>
      api.get(`/portal/subscriptions/${encodeURIComponent(sub.subscription_id)}/dunning`).catch(() => null)));
    const invoices = failed.filter(Boolean).map((one) => one.invoice);
    if (!invoices.length) return false;
    const numbers = invoices.map((invoice) => invoice.number).join(", ");
    if (!await confirmAction(t("dunning.retry_title"), t("dunning.retry_offer", { numbers }), t("dunning.retry_now"))) return false;
    location.hash = `#/pay?invoices=${invoices.map((invoice) => encodeURIComponent(invoice.invoice_id)).join(",")}`;
    return true;
  } catch {
    return false;   // the offer is a convenience: the card is saved either way
  }
}

/** Add a card (or replace one: its subscriptions move to the new card). */
async function addMethod(context, replacing) {
  const { me } = context;
  await dialog(replacing ? t("details.replace_card", { card: replacing.summary }) : t("details.add_card"), (close) => {
    const form = h("form", { id: "card-form" });
    let collect;
    if (me.payments_mode === "stripe") {
      const mount = h("div", { class: "field", id: "card-element" });
      const ready = api.post("/portal/payment-methods/setup").then((setup) => {
        const stripe = window.Stripe(setup.publishable_key);
        const card = stripe.elements().create("card");
        card.mount(mount);
        return { stripe, card, setup };
      });
      form.append(h("p", { class: "hint" }, t("pay.card_details")), mount);
      collect = async () => {
        const { stripe, card, setup } = await ready;
        const { setupIntent, error } = await stripe.confirmCardSetup(setup.client_secret, { payment_method: { card } });
        if (error) throw Object.assign(new Error(error.message), { fields: { payment_method: error.message } });
        return setupIntent.payment_method;
      };
    } else {
      form.append(field({ label: t("pay.test_card"), name: "payment_method", options: TEST_CARDS,
                          hint: t("details.test_mode") }));
      collect = async (values) => values.payment_method;
    }
    if (!replacing) form.append(checkbox({ label: t("details.make_default_card"), name: "make_default", checked: true }));
    onSubmit(form, async (values) => {
      const id = await collect(values);
      if (replacing) {
        await api.put(`/portal/payment-methods/${encodeURIComponent(replacing.payment_method_id)}`, { payment_method: id });
      } else {
        await api.post("/portal/payment-methods", { payment_method: id, make_default: Boolean(values.make_default) });
      }
      close(true);
      toast(replacing ? t("details.replaced") : t("details.card_saved"));
      if (await offerRetry()) return;
      await show(context);
    });
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.cancel")),
      h("button", { type: "submit", form: "card-form" }, t("details.save"))] };
  });
}
