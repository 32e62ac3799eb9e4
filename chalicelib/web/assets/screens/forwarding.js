// Forward a document (an invoice, an estimate) by email to the account's own contact persons:
// the account's owner only, where the merchant allows forwarding.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { h, dialog, field, onSubmit, toast, checkbox } from "../ui.js";
import { isOwner } from "../roles.js";

/** Whether the signed-in contact may forward documents. */
export function canForward(me) {
  return Boolean(me.features.forward_documents && isOwner(me));
}

/** `kind` names the document ("invoice", "estimate"); `path` is its API path (".../forward" is added). */
export async function forwardDocument(kind, number, path) {
  let contacts;
  try {
    contacts = (await api.get("/portal/contacts")).items || [];
  } catch (error) {
    if (!error.sessionEnded) toast(error.message, "error");
    return;
  }
  const document = t(`forward.${kind}`, { number });
  await dialog(t("forward.title", { document }), (close) => {
    const form = h("form", { id: "forward-form" },
      h("fieldset", { id: "forward-contacts", "data-field": "contact_ids", tabindex: "-1" }, h("legend", {}, t("forward.send_to")),
        contacts.length ? contacts.map((c) => checkbox({ label: `${c.name} <${c.email}>`, name: `contact:${c.contact_id}` }))
          : h("p", { class: "hint" }, t("forward.no_contacts")),
        h("p", { class: "field-error", id: "forward-contacts-error", hidden: true })),
      field({ label: t("forward.subject"), name: "subject", value: document }),
      field({ label: t("forward.message"), name: "body", type: "textarea", rows: 5,
              value: t("forward.body", { document }) }));
    onSubmit(form, async (values) => {
      const chosen = Object.entries(values).filter(([name, on]) => name.startsWith("contact:") && on).map(([name]) => name.slice(8));
      if (!chosen.length) {
        throw Object.assign(new Error(t("forward.choose")), { fields: { contact_ids: t("forward.choose") } });
      }
      const answer = await api.post(`${path}/forward`, { contact_ids: chosen, subject: values.subject, body: values.body });
      close(true);
      const to = answer.sent_to || [];
      toast(to.length ? t("forward.sent_to", { document, recipients: to.join(", ") }) : t("forward.sent", { document }));
    });
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.cancel")),
      h("button", { type: "submit", form: "forward-form" }, t("forward.send"))] };
  });
}
