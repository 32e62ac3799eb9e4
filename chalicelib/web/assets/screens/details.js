// My Details: contact, billing and shipping addresses, custom fields (edited in place when the
// merchant allows it), and saved payment methods (add, make default, replace, remove).
import { api } from "../api.js";
import { date } from "../format.js";
import { h, replace, loading, empty, pageHeader, field, onSubmit, toast, confirmAction, checkbox, failure, dialog } from "../ui.js";

const COUNTRIES = [["", "—"], ["US", "United States"], ["CA", "Canada"], ["GB", "United Kingdom"], ["IE", "Ireland"],
  ["FR", "France"], ["DE", "Germany"], ["ES", "Spain"], ["IT", "Italy"], ["NL", "Netherlands"], ["SE", "Sweden"],
  ["AU", "Australia"], ["NZ", "New Zealand"], ["IN", "India"], ["JP", "Japan"], ["SG", "Singapore"], ["BR", "Brazil"], ["MX", "Mexico"]];
const TEST_CARDS = [["pm_card_visa", "Visa 4242 4242 4242 4242"], ["pm_card_mastercard", "Mastercard 5555 5555 5555 4444"]];

export async function show(context) {
  const { main } = context;
  replace(main, pageHeader("My details", "How we reach you and bill you."), loading("Loading your details…"));
  const methods = h("section", { class: "card", "aria-labelledby": "methods-title" },
    h("header", {}, h("h2", { id: "methods-title" }, "Payment methods"),
      h("button", { type: "button", class: "secondary", onClick: () => addMethod(context, null) }, "Add a card")),
    h("div", {}, loading("Loading payment methods…")));
  const profile = await api.get("/portal/profile");
  const reload = (message) => { toast(message); return show(context); };
  replace(main, pageHeader("My details", "How we reach you and bill you."),
    contactSection(profile, reload),
    h("div", { class: "grid" },
      addressSection("Billing address", "billing_address", profile, reload),
      addressSection("Shipping address", "shipping_address", profile, reload)),
    profile.custom_fields?.length ? customFieldsSection(profile, reload) : null,
    methods);
  await paymentMethods(methods.querySelector("div"), context);
}

/** A card that shows values, with an Edit button turning it into a form (when editable). */
function editable(title, id, profile, view, form) {
  const section = h("section", { class: "card", "aria-labelledby": id });
  const showView = () => replace(section, h("header", {}, h("h2", { id }, title),
    profile.editable ? h("button", { type: "button", class: "secondary", "aria-label": `Edit ${title.toLowerCase()}`, onClick: showForm }, "Edit") : null),
  view());
  const showForm = () => {
    const editor = form();
    editor.append(h("div", { class: "actions" }, h("button", { type: "submit" }, "Save"),
      h("button", { type: "button", class: "secondary", onClick: showView }, "Cancel")));
    replace(section, h("h2", { id }, title), editor);
    editor.querySelector("input, select, textarea")?.focus();
  };
  showView();
  return section;
}

function contactSection(profile, reload) {
  const contact = profile.contact;
  return editable("Contact", "contact-title", profile,
    () => h("dl", { class: "details" },
      h("dt", {}, "Name"), h("dd", {}, contact.name),
      h("dt", {}, "Email"), h("dd", {}, contact.email),
      h("dt", {}, "Phone"), h("dd", {}, contact.phone || "—"),
      h("dt", {}, "Account"), h("dd", {}, profile.customer.display_name)),
    () => {
      const emailHint = h("div", { hidden: true }, field({ label: "Current password", name: "current_password", type: "password",
        autocomplete: "current-password", hint: "Needed to change the email you sign in with." }));
      const form = h("form", { "aria-label": "Edit contact" },
        h("div", { class: "form-row" },
          field({ label: "First name", name: "contact.first_name", value: contact.first_name, required: true, autocomplete: "given-name" }),
          field({ label: "Last name", name: "contact.last_name", value: contact.last_name, autocomplete: "family-name" })),
        field({ label: "Email", name: "contact.email", type: "email", value: contact.email, required: true, autocomplete: "email" }),
        emailHint,
        field({ label: "Phone", name: "contact.phone", type: "tel", value: contact.phone, autocomplete: "tel" }));
      form.querySelector("[name='contact.email']").addEventListener("input", (event) => {
        emailHint.hidden = event.target.value.trim() === contact.email;
      });
      onSubmit(form, async (values) => {
        const changes = { contact: { first_name: values["contact.first_name"], last_name: values["contact.last_name"],
                                     phone: values["contact.phone"], email: values["contact.email"] } };
        if (values.current_password) changes.current_password = values.current_password;
        const answer = await api.patch("/portal/profile", changes);
        await reload(answer.pending_email
          ? `Your contact details are saved. To sign in with ${answer.pending_email}, open the link we emailed there (within an hour); until then you sign in as before.`
          : "Your contact details are saved.");
      });
      return form;
    });
}

function addressLines(address) {
  const a = address || {};
  const lines = [a.line1, a.line2, [a.postal_code, a.city, a.state].filter(Boolean).join(" "), a.country].filter(Boolean);
  return lines.length ? h("address", {}, lines.map((line, i) => [i ? h("br") : null, line])) : h("p", { class: "hint" }, "Not given yet.");
}

function addressSection(title, name, profile, reload) {
  const address = profile.customer[name] || {};
  const id = `${name}-title`;
  return editable(title, id, profile, () => addressLines(address), () => {
    const form = h("form", { "aria-label": `Edit ${title.toLowerCase()}` },
      field({ label: "Street address", name: `${name}.line1`, value: address.line1, autocomplete: "address-line1" }),
      field({ label: "Apartment, suite (optional)", name: `${name}.line2`, value: address.line2, autocomplete: "address-line2" }),
      h("div", { class: "form-row" },
        field({ label: "City", name: `${name}.city`, value: address.city, autocomplete: "address-level2" }),
        field({ label: "State / region", name: `${name}.state`, value: address.state, autocomplete: "address-level1" }),
        field({ label: "Postal code", name: `${name}.postal_code`, value: address.postal_code, autocomplete: "postal-code" })),
      field({ label: "Country", name: `${name}.country`, value: address.country, options: COUNTRIES, autocomplete: "country" }));
    onSubmit(form, async (values) => {
      const part = {};
      for (const key of ["line1", "line2", "city", "state", "postal_code", "country"]) part[key] = values[`${name}.${key}`];
      await api.patch("/portal/profile", { [name]: part });
      await reload(`Your ${title.toLowerCase()} is saved.`);
    });
    return form;
  });
}

function customFieldsSection(profile, reload) {
  const fields = profile.custom_fields;
  return editable("More about you", "custom-title", profile,
    () => h("dl", { class: "details" }, fields.map((f) => [h("dt", {}, f.label), h("dd", {}, f.value ?? "—")])),
    () => {
      const form = h("form", { "aria-label": "Edit more details" }, fields.map((f) => field({
        label: f.label, name: `custom_fields.${f.key}`, value: f.value ?? "", required: f.required,
        options: f.type === "dropdown" ? [["", "—"], ...(f.options || [])] : undefined })));
      onSubmit(form, async (values) => {
        const custom = {};
        for (const f of fields) custom[f.key] = values[`custom_fields.${f.key}`] || null;
        await api.patch("/portal/profile", { custom_fields: custom });
        await reload("Your details are saved.");
      });
      return form;
    });
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
    replace(container, empty("No saved cards", "Save a card to pay in one click and renew automatically."));
    return;
  }
  replace(container, h("ul", { class: "plain" }, methods.map((m) => h("li", { class: "choice" },
    h("span", {}, `${m.summary || `${m.brand} •••• ${m.last4}`}${m.is_default ? " (default)" : ""}`,
      h("small", {}, `Expires ${String(m.exp_month).padStart(2, "0")}/${m.exp_year} · added ${date(m.created_at)}`)),
    h("span", { class: "actions" },
      m.is_default ? null : h("button", { type: "button", class: "link", onClick: () => makeDefault(m, context) }, "Make default"),
      h("button", { type: "button", class: "link", "aria-label": `Replace ${m.summary}`, onClick: () => addMethod(context, m) }, "Replace"),
      h("button", { type: "button", class: "link", "aria-label": `Remove ${m.summary}`, onClick: () => removeMethod(m, methods, context) }, "Remove"))))));
}

async function makeDefault(method, context) {
  try {
    await api.post(`/portal/payment-methods/${encodeURIComponent(method.payment_method_id)}/default`);
    toast(`${method.summary} is now your default card.`);
    await show(context);
  } catch (error) { if (!error.sessionEnded) toast(error.message, "error"); }
}

/** Remove a card. If it pays subscriptions automatically, the server refuses and names them: the
 * customer then chooses which other card pays them (never one chosen for her), or is told to add
 * or replace a card first. */
async function removeMethod(method, methods, context) {
  if (!await confirmAction("Remove this card?", `${method.summary} will no longer be charged.`, "Remove", { danger: true })) return;
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
    toast("The card is removed.");
    await show(context);
  } catch (error) { if (!error.sessionEnded) toast(error.message, "error"); }
}

function chooseSuccessor(method, others, subscriptions) {
  const paid = subscriptions.length ? subscriptions.join(", ") : "your subscriptions";
  return dialog(`Which card pays ${paid} from now on?`, (close) => {
    const form = h("form", { id: "successor-form" },
      h("p", {}, `${method.summary} pays ${paid} automatically. Choose the card that takes over, then it is removed.`),
      h("fieldset", {}, h("legend", {}, "Card for your subscriptions"),
        others.map((m, index) => h("label", { class: "choice" },
          h("input", { type: "radio", name: "successor", value: m.payment_method_id, checked: index === 0 }),
          h("span", {}, m.summary)))));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      close(form.querySelector("input[name=successor]:checked")?.value);
    });
    return {
      body: form,
      actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, "Keep the card"),
        h("button", { type: "submit", form: "successor-form", class: "danger" }, "Move them and remove the card")],
    };
  });
}

/** Add a card (or replace one: its subscriptions move to the new card). */
async function addMethod(context, replacing) {
  const { me } = context;
  await dialog(replacing ? `Replace ${replacing.summary}` : "Add a card", (close) => {
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
      form.append(h("p", { class: "hint" }, "Card details"), mount);
      collect = async () => {
        const { stripe, card, setup } = await ready;
        const { setupIntent, error } = await stripe.confirmCardSetup(setup.client_secret, { payment_method: { card } });
        if (error) throw Object.assign(new Error(error.message), { fields: { payment_method: error.message } });
        return setupIntent.payment_method;
      };
    } else {
      form.append(field({ label: "Test card", name: "payment_method", options: TEST_CARDS,
                          hint: "Test mode: Stripe's test cards stand in for real ones." }));
      collect = async (values) => values.payment_method;
    }
    if (!replacing) form.append(checkbox({ label: "Make this my default card", name: "make_default", checked: true }));
    onSubmit(form, async (values) => {
      const id = await collect(values);
      if (replacing) {
        await api.put(`/portal/payment-methods/${encodeURIComponent(replacing.payment_method_id)}`, { payment_method: id });
      } else {
        await api.post("/portal/payment-methods", { payment_method: id, make_default: Boolean(values.make_default) });
      }
      close(true);
      toast(replacing ? "The card is replaced; your subscriptions use the new one." : "The card is saved.");
      await show(context);
    });
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, "Cancel"),
      h("button", { type: "submit", form: "card-form" }, "Save")] };
  });
}
