// The console's screens, each on the admin API: portal preferences (every switch explained, with
// the reference default), the catalogue, customers and their portal invitations, reviews and
// notifications, the organization (details, time zone, test clock) and the audit log.
// `readOnly` (a support user): every control is shown disabled, but for resending invitations.
import { t } from "../i18n.js";
import { h, replace, field, checkbox, onSubmit, alert, table, pageHeader, toast, pages, empty, brandImage, dialog } from "../ui.js";
import { money, percent, perTerm, dateTime, locale } from "../format.js";
import { ADDRESS_PARTS, countryOptions } from "../address.js";
import { admin } from "./session.js";
import { actionWords, fieldWords, valueWords } from "./audit_words.js";

// The reference product's defaults (domain/preferences.py); tests/unit/test_console_defaults.py
// holds them equal.
export const DEFAULTS = /* defaults */ {
  "subscriptions": true,
  "trial": { "convert_to_live": false, "extend": false, "extensions_allowed": 1, "cancel": false },
  "edit_subscription": { "enabled": false, "change_plan": true, "allowed_plan_codes": [], "change_addons": true,
    "change_coupon": true, "apply_when": ["immediately", "end_of_term"] },
  "auto_charge": false,
  "pause_resume": { "enabled": false, "customer_can_resume": false, "unused_time": "credit" },
  "cancel": { "enabled": false, "apply_when": ["immediately", "end_of_term"], "reasons": [], "reason_required": false,
    "comments": false, "retention_offer": null },
  "reactivate": false,
  "forward_documents": true,
  "update_customer_details": true,
  "reviews": true,
  "require_second_factor": false,
  "require_tax_id": false,
  "undo_minutes": 30,
  "sign_in_with": "password",
  "passkeys": true,
  "emails": { "invoice_issued": true, "estimate_sent": true }
} /* end defaults */;

// Each switch by its path in the preferences, grouped as the portal shows the features.
const SECTIONS = [
  ["subscriptions", ["subscriptions", "auto_charge", "reactivate"]],
  ["trial", ["trial.convert_to_live", "trial.extend", "trial.cancel"]],
  ["edit", ["edit_subscription.enabled", "edit_subscription.change_plan", "edit_subscription.change_addons",
    "edit_subscription.change_coupon"]],
  ["pause", ["pause_resume.enabled", "pause_resume.customer_can_resume"]],
  ["cancel", ["cancel.enabled", "cancel.reason_required", "cancel.comments"]],
  ["account", ["forward_documents", "update_customer_details", "reviews", "require_second_factor", "require_tax_id"]],
  ["sign_in", ["passkeys"]],
  ["emails", ["emails.invoice_issued", "emails.estimate_sent"]],
];

function at(object, path) {
  return path.split(".").reduce((value, key) => (value == null ? value : value[key]), object);
}

function withValue(object, path, value) {
  const copy = structuredClone(object);
  const keys = path.split(".");
  const last = keys.pop();
  keys.reduce((inner, key) => inner[key], copy)[last] = value;
  return copy;
}

function keyOf(path) { return path.replace(/\./g, "_"); }

function onOff(value) { return value ? t("console.on") : t("console.off"); }

function disableAll(form) {
  for (const element of form.elements) element.disabled = true;
  return form;
}

function readOnlyNote(readOnly) {
  return readOnly ? alert("info", t("console.read_only")) : null;
}

export async function preferences({ main, readOnly }) {
  const current = (await admin.get("/admin/preferences")).preferences;
  const switches = SECTIONS.map(([section, paths]) => h("fieldset", { class: "card" },
    h("legend", {}, t(`console.section.${section}`)),
    paths.map((path) => checkbox({ label: t(`console.pref.${keyOf(path)}`), name: path, checked: Boolean(at(current, path)),
      hint: `${t(`console.pref.${keyOf(path)}.hint`)} ${t("console.default_is", { value: onOff(at(DEFAULTS, path)) })}` }))));
  const offer = current.cancel.retention_offer;
  const details = h("fieldset", { class: "card" }, h("legend", {}, t("console.section.details")),
    field({ label: t("console.pref.extensions_allowed"), name: "trial.extensions_allowed", type: "number", min: 0, max: 10,
      value: current.trial.extensions_allowed,
      hint: t("console.pref.extensions_allowed.hint", { value: DEFAULTS.trial.extensions_allowed }) }),
    field({ label: t("console.pref.unused_time"), name: "pause_resume.unused_time", value: current.pause_resume.unused_time,
      options: [["credit", t("console.unused_time.credit")], ["keep", t("console.unused_time.keep")]],
      hint: t("console.pref.unused_time.hint") }),
    field({ label: t("console.pref.undo_minutes"), name: "undo_minutes", type: "number", min: 0, max: 1440,
      value: current.undo_minutes, hint: t("console.pref.undo_minutes.hint", { value: DEFAULTS.undo_minutes }) }),
    field({ label: t("console.pref.sign_in_with"), name: "sign_in_with", value: current.sign_in_with,
      options: ["password", "link", "both"].map((way) => [way, t(`console.sign_in_with.${way}`)]),
      hint: t("console.pref.sign_in_with.hint") }),
    field({ label: t("console.pref.reasons"), name: "cancel.reasons", type: "textarea", value: current.cancel.reasons.join("\n"),
      hint: t("console.pref.reasons.hint") }),
    field({ label: t("console.pref.offer_coupon"), name: "cancel.retention_offer.coupon_code", value: offer ? offer.coupon_code : "",
      hint: t("console.pref.offer_coupon.hint") }),
    field({ label: t("console.pref.offer_cycles"), name: "cancel.retention_offer.cycles", type: "number", min: 1, max: 36,
      value: offer ? offer.cycles : 1, hint: t("console.pref.offer_cycles.hint") }));
  const form = h("form", { "aria-label": t("console.nav.preferences") }, switches, details,
    readOnly ? null : h("button", { type: "submit" }, t("console.save")));
  onSubmit(form, async (values) => {
    let next = current;
    for (const [, paths] of SECTIONS) for (const path of paths) next = withValue(next, path, values[path]);
    next = withValue(next, "trial.extensions_allowed", Number(values["trial.extensions_allowed"]));
    next = withValue(next, "pause_resume.unused_time", values["pause_resume.unused_time"]);
    next = withValue(next, "undo_minutes", Number(values.undo_minutes));
    next = withValue(next, "sign_in_with", values.sign_in_with);
    next = withValue(next, "cancel.reasons", values["cancel.reasons"].split("\n").map((r) => r.trim()).filter(Boolean));
    const code = values["cancel.retention_offer.coupon_code"].trim();
    next = withValue(next, "cancel.retention_offer", code
      ? { coupon_code: code, cycles: Number(values["cancel.retention_offer.cycles"]) } : null);
    await admin.put("/admin/preferences", { preferences: next });
    toast(t("console.saved"), "success");
  });
  replace(main, pageHeader(t("console.nav.preferences"), t("console.preferences_intro")), readOnlyNote(readOnly),
    readOnly ? disableAll(form) : form);
}

export async function catalog({ main, readOnly }) {
  const [plans, addons, coupons] = await Promise.all(["plans", "addons", "coupons"].map((kind) => admin.get(`/admin/${kind}`)));
  const couponRows = table(t("console.coupons"), [
    { label: t("console.code_label"), cell: (c) => c.code },
    { label: t("console.name"), cell: (c) => c.name },
    { label: t("console.discount"), cell: (c) => (c.percent_off_bp ? percent(c.percent_off_bp) : money(c.amount_off_minor, c.currency)) },
    { label: t("console.in_portal"), cell: (c) => couponSwitch(c, readOnly) },
    { label: t("console.redemptions"), cell: (c) => (c.max_redemptions
      ? t("console.redemptions_of", { used: c.redemptions, limit: c.max_redemptions }) : String(c.redemptions)) },
  ], coupons.items);
  replace(main, pageHeader(t("console.nav.catalog")), readOnlyNote(readOnly),
    h("h2", {}, t("console.plans")),
    table(t("console.plans"), [
      { label: t("console.code_label"), cell: (p) => p.code },
      { label: t("console.name"), cell: (p) => p.name },
      { label: t("console.price"), cell: (p) => `${money(p.price_minor, p.currency)} ${perTerm(p.interval, p.interval_count)}`, num: true },
      { label: t("console.active"), cell: (p) => onOff(p.active) },
    ], plans.items),
    h("h2", {}, t("console.addons")),
    table(t("console.addons"), [
      { label: t("console.code_label"), cell: (a) => a.code },
      { label: t("console.name"), cell: (a) => a.name },
      { label: t("console.price"), cell: (a) => money(a.price_minor, a.currency), num: true },
    ], addons.items),
    h("h2", {}, t("console.coupons")), h("p", { class: "hint" }, t("console.coupons_hint")), couponRows,
    readOnly ? null : newCoupon(main));
}

function couponSwitch(coupon, readOnly) {
  const box = h("input", { type: "checkbox", checked: coupon.portal, disabled: readOnly,
    "aria-label": t("console.in_portal_of", { code: coupon.code }) });
  box.addEventListener("change", async () => {
    try {
      await admin.patch(`/admin/coupons/${encodeURIComponent(coupon.code)}`, { portal: box.checked });
      toast(t("console.saved"), "success");
    } catch (error) {
      box.checked = !box.checked;
      if (!error.sessionEnded) toast(error.message, "error");
    }
  });
  return box;
}

function newCoupon(main) {
  const form = h("form", { class: "card", "aria-label": t("console.new_coupon") },
    h("h3", {}, t("console.new_coupon")),
    field({ label: t("console.code_label"), name: "code", required: true }),
    field({ label: t("console.name"), name: "name", required: true }),
    field({ label: t("console.percent_off"), name: "percent_off_bp", type: "number", min: 1, max: 100, required: true }),
    field({ label: t("console.max_redemptions"), name: "max_redemptions", type: "number", min: 1,
      hint: t("console.max_redemptions.hint") }),
    checkbox({ label: t("console.in_portal"), name: "portal", hint: t("console.in_portal.hint") }),
    h("button", { type: "submit" }, t("console.create")));
  onSubmit(form, async (values) => {
    await admin.post("/admin/coupons", { code: values.code, name: values.name, duration: "forever",
      percent_off_bp: Math.round(Number(values.percent_off_bp) * 100), portal: values.portal,
      max_redemptions: values.max_redemptions ? Number(values.max_redemptions) : null });
    toast(t("console.saved"), "success");
    await catalog({ main, readOnly: false });
  });
  return form;
}

export async function customers({ main }) {
  const list = h("div", {});
  replace(main, pageHeader(t("console.nav.customers"), t("console.customers_intro")), list);
  await pages(list, (cursor) => admin.get("/admin/customers", { limit: 25, cursor }), (items) => table(t("console.nav.customers"), [
    { label: t("console.name"), cell: (c) => c.display_name },
    { label: t("auth.email"), cell: (c) => c.email },
    { label: t("console.contacts"), cell: (c) => h("ul", { class: "plain" }, c.contacts.map((contact) => h("li", {},
      `${contact.first_name} ${contact.last_name || ""} · ${contact.email} `, inviteButton(c, contact)))) },
  ], items), () => empty(t("console.no_customers")));
}

/** An invitation to send to a contact without an account, or to send again to one who has not
 * accepted it yet; nothing for a contact who has an account. */
function inviteButton(customer, contact) {
  if (contact.portal_access !== "none" && contact.portal_access !== "invited") return null;
  return h("button", { type: "button", class: "secondary small", onClick: (event) => invite(event.currentTarget, customer, contact) },
    t(contact.portal_access === "invited" ? "console.resend_invite" : "console.invite"));
}

async function invite(button, customer, contact) {
  button.setAttribute("aria-busy", "true");
  try {
    await admin.post(`/admin/customers/${customer.customer_id}/portal-invite`, { contact_id: contact.contact_id });
    toast(t("console.invited", { email: contact.email }), "success");
    button.textContent = t("console.resend_invite");
  } catch (error) {
    if (!error.sessionEnded) toast(error.message, "error");
  } finally {
    button.removeAttribute("aria-busy");
  }
}

export async function engagement({ main }) {
  const reviews = h("div", {});
  const notifications = h("div", {});
  replace(main, pageHeader(t("console.nav.engagement")), h("h2", {}, t("console.reviews")), reviews,
    h("h2", {}, t("console.notifications")), notifications);
  await pages(reviews, (cursor) => admin.get("/admin/reviews", { limit: 25, cursor }), (items) => table(t("console.reviews"), [
    { label: t("console.when"), cell: (r) => dateTime(r.created_at) },
    { label: t("console.rating"), cell: (r) => String(r.rating), num: true },
    { label: t("console.comment"), cell: (r) => r.comment || "" },
  ], items), () => empty(t("console.no_reviews")));
  await pages(notifications, (cursor) => admin.get("/admin/notifications", { limit: 25, cursor }), (items) => table(
    t("console.notifications"), [
      { label: t("console.when"), cell: (n) => dateTime(n.created_at) },
      { label: t("console.what"), cell: (n) => n.headline },
    ], items), () => empty(t("console.no_notifications")));
}

export async function organization({ main, readOnly }) {
  const org = await admin.get("/admin/organization");
  const details = h("form", { class: "card", "aria-label": t("console.details") },
    h("h2", {}, t("console.details")),
    field({ label: t("console.name"), name: "name", value: org.name, required: true }),
    field({ label: t("console.portal_name"), name: "portal_name", value: org.portal_name, hint: t("console.portal_name.hint") }),
    field({ label: t("auth.email"), name: "email", type: "email", value: org.email }),
    field({ label: t("console.phone"), name: "phone", value: org.phone }),
    field({ label: t("console.time_zone"), name: "time_zone", value: org.time_zone, hint: t("console.time_zone.hint") }),
    readOnly ? null : h("button", { type: "submit" }, t("console.save")));
  onSubmit(details, async ({ portal_name: portalName, ...values }) => {
    // a portal name, once chosen, is changed but never emptied (links already sent carry it)
    const named = portalName.trim() && portalName.trim() !== org.portal_name ? { portal_name: portalName.trim() } : {};
    Object.assign(org, await admin.patch("/admin/organization", { ...values, ...named }));
    toast(t("console.saved"), "success");
  });
  const forms = [details, postalAddressForm(org, readOnly), logoForm(main, org, readOnly),
    org.test_mode ? testClock(org) : null].filter(Boolean);
  replace(main, pageHeader(t("console.nav.organization")), readOnlyNote(readOnly),
    ...(readOnly ? forms.map(disableAll) : forms));
}

/** The merchant's postal address, printed under its name on every invoice, receipt and statement. */
function postalAddressForm(org, readOnly) {
  const address = org.postal_address;
  const named = (part) => `postal_address.${part}`;
  const form = h("form", { class: "card", "aria-label": t("console.postal_address") },
    h("h2", {}, t("console.postal_address")),
    h("p", { class: "hint" }, t("console.postal_address.hint")),
    field({ label: t("details.line1"), name: named("line1"), value: address.line1, autocomplete: "address-line1" }),
    field({ label: t("details.line2"), name: named("line2"), value: address.line2, autocomplete: "address-line2" }),
    h("div", { class: "form-row" },
      field({ label: t("details.city"), name: named("city"), value: address.city, autocomplete: "address-level2" }),
      field({ label: t("details.state"), name: named("state"), value: address.state, autocomplete: "address-level1" }),
      field({ label: t("details.postal_code"), name: named("postal_code"), value: address.postal_code,
        autocomplete: "postal-code" })),
    field({ label: t("details.country"), name: named("country"), value: address.country,
      options: countryOptions(locale, address.country), autocomplete: "country" }),
    readOnly ? null : h("button", { type: "submit" }, t("console.save")));
  onSubmit(form, async (values) => {
    const given = Object.fromEntries(ADDRESS_PARTS.map((part) => [part, values[named(part)]]));
    Object.assign(org, await admin.patch("/admin/organization", { postal_address: given }));
    toast(t("console.saved"), "success");
  });
  return form;
}

/** The logo on the portal, its emails and PDFs: a PNG uploaded here, shown as it is now. */
function logoForm(main, org, readOnly) {
  const chooser = field({ label: t("console.logo_file"), name: "png_base64", type: "file", required: true,
    hint: t("console.logo_file.hint") });
  chooser.querySelector("input").accept = "image/png";
  const form = h("form", { class: "card", "aria-label": t("console.logo") },
    h("h2", {}, t("console.logo")),
    h("p", { class: "brand" }, org.logo_path ? brandImage(org.logo_path) : t("console.no_logo")),
    chooser,
    readOnly ? null : h("div", { class: "actions" }, h("button", { type: "submit" }, t("console.upload_logo")),
      org.logo_path ? h("button", { type: "button", class: "secondary", onClick: async () => {
        await admin.delete("/admin/organization/logo");
        toast(t("console.logo_removed"), "success");
        await organization({ main, readOnly });
      } }, t("console.remove_logo")) : null));
  onSubmit(form, async () => {
    const [file] = form.querySelector("input[type=file]").files;
    if (!file) {
      const error = new Error(t("field.required"));
      error.fields = { png_base64: t("field.required") };
      throw error;
    }
    await admin.put("/admin/organization/logo", { png_base64: await base64Of(file) });
    toast(t("console.logo_saved"), "success");
    await organization({ main, readOnly });
  });
  return form;
}

function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** The test clock, for an organization in test mode only: where it stands, and moving it on. */
function testClock(org) {
  const clock = h("form", { class: "card", "aria-label": t("console.test_clock") },
    h("h2", {}, t("console.test_clock")),
    h("p", { class: "hint" }, t("console.test_clock_at", { at: dateTime(org.test_clock_at) })),
    field({ label: t("console.advance_to"), name: "advance_to", type: "datetime-local", required: true }),
    h("button", { type: "submit" }, t("console.advance")));
  onSubmit(clock, async (values) => {
    const answer = await admin.post("/admin/test-clock", { advance_to: new Date(values.advance_to).toISOString() });
    toast(t("console.test_clock_at", { at: dateTime(answer.test_clock_at) }), "success");
  });
  return clock;
}

export async function auditLog({ main }) {
  const list = h("div", {});
  const to = new Date(Date.now() + 60_000);
  const from = new Date(to.getTime() - 30 * 86_400_000);
  replace(main, pageHeader(t("console.nav.audit_log"), t("console.audit_intro")), list);
  const query = { from: from.toISOString(), to: to.toISOString(), limit: 25 };
  await pages(list, (cursor) => admin.get("/admin/audit-log", { ...query, cursor }), (items) => table(t("console.nav.audit_log"), [
    { label: t("console.when"), cell: (e) => dateTime(e.at) },
    { label: t("console.who"), cell: (e) => (e.actor_type === "api_key" ? t("console.api_key") : e.actor_email) },
    { label: t("console.what"), cell: (e) => actionWords(e.action) },
    { label: t("console.target"), cell: (e) => e.target_id },
    { label: t("console.changes"), cell: (e) => h("ul", { class: "plain" },
      Object.entries(e.changes).map(([name, value]) => h("li", {}, `${fieldWords(name)}: ${valueWords(value)}`))) },
  ], items), () => empty(t("console.no_entries")));
}

export async function team({ main, me, readOnly }) {
  const users = await admin.get("/admin/merchant-users");
  const rows = table(t("console.nav.team"), [
    { label: t("auth.email"), cell: (u) => u.email },
    { label: t("console.role"), cell: (u) => (readOnly || u.user_id === me.user.user_id ? t(`console.role.${u.role}`)
      : roleSelect(u)) },
    { label: t("console.status"), cell: (u) => t(`console.status.${u.status}`) },
    { label: t("console.second_factor_on"), cell: (u) => onOff(u.second_factor) },
  ], users.items);
  const password = h("form", { class: "card", "aria-label": t("console.change_password") },
    h("h2", {}, t("console.change_password")),
    field({ label: t("console.current_password"), name: "current_password", type: "password", required: true,
      autocomplete: "current-password" }),
    field({ label: t("console.new_password"), name: "new_password", type: "password", required: true,
      autocomplete: "new-password" }),
    h("button", { type: "submit" }, t("console.change_password")));
  onSubmit(password, async (values) => {
    await admin.post("/console/auth/change-password", values);
    password.reset();
    toast(t("console.password_changed"), "success");
  });
  replace(main, pageHeader(t("console.nav.team"), t("console.team_intro")), rows,
    readOnly ? null : newUser(main, me), password, secondFactor(me.user.second_factor));
}

/** The signed-in user's second factor: set it up (a secret, confirmed by a first code; recovery
 * codes shown once), or turn it off with the password and a code. */
function secondFactor(enabled) {
  const box = h("section", { class: "card", "aria-labelledby": "second-factor-title" },
    h("h2", { id: "second-factor-title" }, t("console.second_factor_title")));
  if (enabled) {
    const off = h("form", { "aria-label": t("console.second_factor_off") },
      h("p", {}, t("console.second_factor_is_on")),
      field({ label: t("console.current_password"), name: "current_password", type: "password", required: true,
        autocomplete: "current-password" }),
      field({ label: t("console.code"), name: "code", required: true, autocomplete: "one-time-code" }),
      h("button", { type: "submit", class: "secondary" }, t("console.second_factor_off")));
    onSubmit(off, async (values) => {
      await admin.post("/console/auth/second-factor/disable", values);
      replace(box, alert("info", t("console.second_factor_turned_off")));
    });
    box.append(off);
    return box;
  }
  // a second factor outlives sessions: it is set up with the current password
  const start = h("form", { "aria-label": t("console.second_factor_set_up") },
    field({ label: t("console.current_password"), name: "current_password", type: "password", required: true,
      autocomplete: "current-password" }),
    h("button", { type: "submit" }, t("console.second_factor_set_up")));
  onSubmit(start, async (values) => {
    const enrolment = await admin.post("/console/auth/second-factor", values);
    const confirm = h("form", { "aria-label": t("console.second_factor_set_up") },
      h("p", {}, t("console.second_factor_secret")), h("p", {}, h("code", {}, enrolment.secret)),
      h("p", {}, h("a", { href: enrolment.otpauth_uri }, t("console.second_factor_open_app"))),
      field({ label: t("console.code"), name: "code", required: true, autocomplete: "one-time-code", inputmode: "numeric" }),
      h("button", { type: "submit" }, t("console.second_factor_confirm")));
    onSubmit(confirm, async (values) => {
      const answer = await admin.post("/console/auth/second-factor/confirm", values);
      replace(box, h("h2", {}, t("console.second_factor_title")), alert("info", t("console.recovery_codes")),
        h("ul", {}, answer.recovery_codes.map((code) => h("li", {}, h("code", {}, code)))));
    });
    replace(box, h("h2", { id: "second-factor-title" }, t("console.second_factor_title")), confirm);
    confirm.querySelector("input")?.focus();
  });
  box.append(h("p", {}, t("console.second_factor_is_off")), start);
  return box;
}

function roleSelect(user) {
  const select = field({ label: t("console.role_of", { email: user.email }), name: "role", value: user.role,
    options: [["admin", t("console.role.admin")], ["support", t("console.role.support")]] });
  select.querySelector("select").addEventListener("change", async (event) => {
    const role = event.target.value;
    try {
      const changed = role === "admin" && user.role !== "admin" ? await makeAdmin(user)
        : await admin.patch(`/admin/merchant-users/${user.user_id}`, { role });
      if (!changed) {
        event.target.value = user.role;
        return;
      }
      user.role = changed.role;
      toast(t("console.saved"), "success");
    } catch (error) {
      event.target.value = user.role;
      if (!error.sessionEnded) toast(error.message, "error");
    }
  });
  return select;
}

/** Making a user admin outlives this session, as a new user does: it is confirmed with the signed-in
 * user's own password, in a dialog that keeps a mistyped one next to its field. Answers the user as
 * changed, or undefined when dismissed. */
function makeAdmin(user) {
  return dialog(t("console.make_admin", { email: user.email }), (close) => {
    const form = h("form", { id: "make-admin-form" },
      h("p", {}, t("console.make_admin.why")),
      field({ label: t("console.your_password"), name: "current_password", type: "password", required: true,
        autocomplete: "current-password" }));
    onSubmit(form, async (values) => {
      close(await admin.patch(`/admin/merchant-users/${user.user_id}`, { role: "admin", ...values }));
    });
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.cancel")),
      h("button", { type: "submit", form: "make-admin-form" }, t("console.make_admin.confirm"))] };
  });
}

function newUser(main, me) {
  const form = h("form", { class: "card", "aria-label": t("console.new_user") },
    h("h2", {}, t("console.new_user")),
    field({ label: t("auth.email"), name: "email", type: "email", required: true, autocomplete: "off" }),
    field({ label: t("console.role"), name: "role", value: "support",
      options: [["support", t("console.role.support")], ["admin", t("console.role.admin")]], hint: t("console.role.hint") }),
    field({ label: t("console.first_password"), name: "password", type: "password", required: true,
      autocomplete: "new-password", hint: t("console.first_password.hint") }),
    // the new user outlives this session: a session alone makes none
    field({ label: t("console.your_password"), name: "current_password", type: "password", required: true,
      autocomplete: "current-password", hint: t("console.your_password.hint") }),
    h("button", { type: "submit" }, t("console.create")));
  onSubmit(form, async (values) => {
    await admin.post("/admin/merchant-users", values);
    toast(t("console.saved"), "success");
    await team({ main, me, readOnly: false });
  });
  return form;
}
