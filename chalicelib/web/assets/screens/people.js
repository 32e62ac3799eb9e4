// People (the account's owner): who has access to the portal and with which role; invite someone,
// change a role, remove access. A changed or removed person is signed out at once.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { h, replace, loading, pageHeader, table, field, onSubmit, dialog, toast, confirmAction, badge } from "../ui.js";

const GIVEN_ROLES = ["billing", "viewer"];

export async function show(context) {
  const { main, me } = context;
  replace(main, pageHeader(t("people.title"), t("people.subtitle")), loading(t("people.loading")));
  const people = (await api.get("/portal/people")).items;
  const reload = (message) => { if (message) toast(message); return show(context); };
  replace(main, pageHeader(t("people.title"), t("people.subtitle"),
    h("button", { type: "button", onClick: () => invite().then((done) => done && reload(done)) }, t("people.invite"))),
  h("section", { class: "card", "aria-label": t("people.title") },
    table(t("people.title"), [
      { label: t("people.name"), cell: (p) => [p.name, p.contact_id === me.contact.contact_id ? h("span", { class: "hint" }, ` (${t("people.you")})`) : null] },
      { label: t("people.email"), cell: (p) => p.email },
      { label: t("people.role"), cell: (p) => t(`people.role.${p.role}`) },
      { label: t("people.access"), cell: (p) => badge(p.portal_status === "active" ? "active" : "draft", access(p)) },
      { label: t("people.actions"), cell: (p) => actions(p, reload) },
    ], people)),
  h("p", { class: "hint" }, t("people.roles_hint")));
}

/** The person's access in words: the answer's "none" is either an account not made yet or access
 * taken away (the role says which). */
function access(person) {
  if (person.role === "removed") return t("people.status.removed");
  return t(`people.status.${person.portal_status}`);
}

/** A contact of the account without an account of their own: the owner sends them a first invitation. */
function neverInvited(person) {
  return person.role !== "removed" && person.portal_status === "none";
}

function actions(person, reload) {
  if (person.role === "owner") return "";
  const named = { name: person.name || person.email };
  const again = person.role === "removed" || person.portal_status === "invited";
  const first = neverInvited(person);
  return h("span", { class: "actions" },
    person.role === "removed" ? null : h("button", { type: "button", class: "link", "aria-label": t("people.change_role_of", named),
      onClick: () => changeRole(person).then((done) => done && reload(done)) }, t("people.change_role")),
    again || first ? h("button", { type: "button", class: "link", "aria-label": t(first ? "people.invite_first_of" : "people.invite_again_of", named),
      onClick: () => invite(person).then((done) => done && reload(done)) }, t(first ? "people.invite_first" : "people.invite_again")) : null,
    person.role === "removed" ? null : h("button", { type: "button", class: "link", "aria-label": t("people.remove_of", named),
      onClick: () => remove(person).then((done) => done && reload(done)) }, t("people.remove")));
}

function roleField(value) {
  return field({ label: t("people.role"), name: "role", value, options: GIVEN_ROLES.map((role) => [role, t(`people.role.${role}`)]),
    hint: t("people.role_hint"), required: true });
}

/** The owner's own password, asked with every invitation: the colleague's account outlives this
 * sign-in, so a session alone invites no one. An account without a password is asked for none (a
 * sign-in under 10 minutes old stands in for it, docs/security.md). */
function ownPassword() {
  const box = h("div", {}, field({ label: t("people.current_password"), name: "current_password", type: "password",
    required: true, autocomplete: "current-password", hint: t("people.current_password_hint") }));
  api.get("/portal/auth/second-factor").then((state) => {
    if (state.has_password === false) replace(box, h("p", { class: "hint" }, t("people.fresh_sign_in_needed")));
  }).catch(() => { /* the field stays: the server says what it needs either way */ });
  return box;
}

/** Invite someone new, or (`person`) send a person their invitation again. */
function invite(person = null) {
  const title = !person ? t("people.invite_title")
    : t(neverInvited(person) ? "people.invite_first_title" : "people.invite_again_title", { name: person.name });
  return dialog(title, (close) => {
    const [first, ...rest] = (person?.name || "").split(" ");
    const form = h("form", { id: "invite-person-form" },
      field({ label: t("people.first_name"), name: "first_name", value: first, required: true, autocomplete: "off" }),
      field({ label: t("people.last_name"), name: "last_name", value: rest.join(" "), autocomplete: "off" }),
      field({ label: t("people.email"), name: "email", type: "email", value: person?.email || "", required: true, autocomplete: "off" }),
      roleField(GIVEN_ROLES.includes(person?.role) ? person.role : "billing"),
      ownPassword());
    onSubmit(form, async (values) => {
      const invited = await api.post("/portal/people", {
        first_name: values.first_name, last_name: values.last_name, email: values.email, role: values.role,
        ...(values.current_password ? { current_password: values.current_password } : {}) });
      close(invited.portal_status === "invited" ? t("people.invited", { email: invited.email }) : t("people.access_given", { name: invited.name }));
    });
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.cancel")),
      h("button", { type: "submit", form: "invite-person-form" }, t("people.send_invitation"))] };
  });
}

function changeRole(person) {
  return dialog(t("people.change_role_title", { name: person.name }), (close) => {
    const form = h("form", { id: "change-role-form" }, roleField(person.role),
      h("p", { class: "hint" }, t("people.signed_out_hint")));
    onSubmit(form, async (values) => {
      await api.patch(`/portal/people/${encodeURIComponent(person.contact_id)}`, { role: values.role });
      close(t("people.role_changed", { name: person.name }));
    });
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.cancel")),
      h("button", { type: "submit", form: "change-role-form" }, t("people.save_role"))] };
  });
}

async function remove(person) {
  if (!await confirmAction(t("people.remove_title", { name: person.name }), t("people.remove_question", { name: person.name }),
    t("people.remove"), { danger: true })) return null;
  try {
    await api.delete(`/portal/people/${encodeURIComponent(person.contact_id)}`);
    return t("people.removed", { name: person.name });
  } catch (error) {
    if (!error.sessionEnded) toast(error.message, "error");
    return null;
  }
}
