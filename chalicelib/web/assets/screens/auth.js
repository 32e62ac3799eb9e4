// Signed-out screens: sign in (with a password, or an emailed link where the portal allows it),
// forgot password, reset password, accept an invitation, follow a sign-in link (the last three
// from emailed links).
//
// The portal's address names the organization (`?portal=northwind`, chosen by the merchant):
// its sign-in page shows the organization's name and asks only email and password. Without a
// portal name (an old link), the organization id is asked for as before.
import { api, session } from "../api.js";
import { t } from "../i18n.js";
import { h, replace, field, onSubmit, alert, brandImage } from "../ui.js";
import { mismatch, passwordPair, sayMinimumIn } from "../password_rules.js";
import { passkeysSupported, usePasskey } from "../passkeys.js";

const PORTAL_NAME = new URLSearchParams(location.search).get("portal") || "";
let portalLookup = null;

/** The organization the portal's address names ({org_id, name}); null without a portal name;
 * { unknown: true } when no organization has that name. */
function portalOrganization() {
  if (!PORTAL_NAME) return Promise.resolve(null);
  portalLookup = portalLookup || api.get(`/portal/auth/portals/${encodeURIComponent(PORTAL_NAME)}`).then((found) => {
    showCurrentName(found.portal_name);
    return found;
  }, (error) => {
    portalLookup = null;
    if (error.status === 404) return { unknown: true };
    throw error;
  });
  return portalLookup;
}

/** A portal renamed since the link was sent still opens by its old name (it stays the organization's
 * for good): the address bar shows its name as it is now, so what is bookmarked from here is current. */
function showCurrentName(current) {
  if (!current || current === PORTAL_NAME) return;
  const address = new URL(location.href);
  address.searchParams.set("portal", current);
  history.replaceState(history.state, "", address);
}

function card(title, intro, ...content) {
  return h("div", { class: "card" },
    h("div", { class: "brand" }, brandImage(card.logoPath), card.organizationName || t("shell.portal")),
    h("h1", { tabindex: "-1" }, title), intro ? h("p", { class: "hint" }, intro) : null, ...content);
}

/** A "next" the sign-in may go to: a route of the portal ("/invoices/INV-1"), never another site. */
function safeNext(next) {
  return typeof next === "string" && /^\/[A-Za-z]/.test(next) && !next.startsWith("/sign-in") ? next : "";
}

/** The organization field, unless the portal's address names the organization (then a hidden value). */
async function organizationField(main, query) {
  let portal;
  try {
    portal = await portalOrganization();
  } catch {
    portal = null;   // the portal name could not be looked up now: ask for the organization instead
  }
  card.organizationName = portal && !portal.unknown ? portal.name : "";
  card.logoPath = portal && !portal.unknown ? portal.logo_path : "";
  const problem = portal && portal.unknown
    ? alert("error", t("auth.unknown_portal"))
    : null;
  if (portal && !portal.unknown) {
    return { problem, field: h("input", { type: "hidden", name: "organization", value: portal.org_id }) };
  }
  return { problem, field: field({ label: t("auth.organization"), name: "organization",
    value: query.organization || session.lastOrganization, required: true, autocomplete: "organization",
    hint: t("auth.organization_hint") }) };
}

/** How the portal signs in ({password, link, passkey}); every way is offered where the portal's
 * address does not say (the server refuses what the organization turned off). */
async function signInMethods() {
  let portal = null;
  try {
    portal = await portalOrganization();
  } catch {
    // not known now: offer every way
  }
  return (portal && portal.sign_in) || { password: true, link: true, passkey: true };
}

export async function signIn({ main, query, notice, signedIn }) {
  const organization = await organizationField(main, query);
  const methods = await signInMethods();
  if (!methods.password) {
    await emailLink({ main, query, notice, signedIn, passwordless: true, passkey: methods.passkey });
    return;
  }
  const form = h("form", { "aria-label": t("auth.sign_in") },
    organization.field,
    field({ label: t("auth.email"), name: "email", type: "email", required: true, autocomplete: "username" }),
    field({ label: t("auth.password"), name: "password", type: "password", required: true, autocomplete: "current-password" }),
    h("button", { type: "submit" }, t("auth.sign_in")));
  onSubmit(form, async (values) => {
    const organizationId = values.organization.trim();
    const answer = await api.post("/portal/auth/login", {
      organization: organizationId, email: values.email.trim(), password: values.password });
    if (answer.second_factor) {
      await secondFactorStep(main, organizationId, answer.second_factor, (done) => signedIn(done, organizationId, safeNext(query.next)));
      return;
    }
    signedIn(answer, organizationId, safeNext(query.next));
  });
  const forgotQuery = query.organization ? `?organization=${encodeURIComponent(query.organization)}` : "";
  replace(main, card(card.organizationName ? t("auth.sign_in_to", { organization: card.organizationName }) : t("auth.sign_in"),
    t("auth.sign_in_intro"),
    notice ? alert(notice.kind, notice.text) : null, organization.problem, form,
    methods.passkey ? passkeySignIn(form, query, signedIn) : null,
    h("div", { class: "links" }, h("a", { href: `#/forgot-password${forgotQuery}` }, t("auth.forgot")),
      methods.link ? h("a", { href: `#/email-sign-in-link${forgotQuery}` }, t("sign_in_link.ask")) : null)));
  const firstEmpty = [...form.querySelectorAll("input:not([type=hidden])")].find((input) => !input.value);
  if (!notice) firstEmpty?.focus();
}

/** "Sign in with a passkey", where the browser has passkeys: the organization is the form's. */
function passkeySignIn(form, query, signedIn) {
  if (!passkeysSupported()) return null;
  const problem = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "button", class: "secondary" }, t("passkeys.sign_in"));
  button.addEventListener("click", async () => {
    const organization = (form.querySelector("[name=organization]")?.value || "").trim();
    replace(problem);
    if (!organization) { replace(problem, alert("error", t("passkeys.organization_first"))); return; }
    button.setAttribute("aria-busy", "true");
    try {
      const { options } = await api.post("/portal/auth/passkeys/sign-in/options", { organization });
      const credential = await usePasskey(options);
      signedIn(await api.post("/portal/auth/passkeys/sign-in", { organization, credential }), organization,
        safeNext(query.next));
    } catch (error) {
      replace(problem, alert("error", error instanceof DOMException ? t("passkeys.not_used") : error.message));
    } finally {
      button.removeAttribute("aria-busy");
    }
  });
  return h("div", { class: "passkey-sign-in" }, button, problem);
}

/**
 * The sign-in's second step: the code of the authenticator app (or a recovery code). Where the
 * merchant requires a second factor the account lacks, it is set up here first: the secret, then
 * its first code; the recovery codes are shown once before the portal opens.
 */
async function secondFactorStep(main, organization, challenge, done) {
  const setUp = challenge.enrolment_required
    ? await api.post("/portal/auth/login/enrolment", { organization, challenge: challenge.challenge }) : null;
  const form = h("form", { "aria-label": t("auth.second_factor.form") },
    setUp ? enrolmentHelp(setUp) : null,
    field({ label: setUp ? t("second_factor.app_code") : t("second_factor.code"), name: "code", required: true,
      autocomplete: "one-time-code", inputmode: setUp ? "numeric" : null,
      hint: setUp ? t("auth.second_factor.enrol_hint") : t("auth.second_factor.code_hint") }),
    h("button", { type: "submit" }, setUp ? t("auth.second_factor.confirm") : t("auth.sign_in")));
  onSubmit(form, async (values) => {
    let answer;
    try {
      answer = await api.post("/portal/auth/login/second-factor", { organization, challenge: challenge.challenge, code: values.code.trim() });
    } catch (error) {
      if (error.status === 401 && !error.fields.code) {   // not the code: the challenge ran out or was used
        replace(main, card(t("auth.second_factor.again"), null, alert("error", error.message), h("div", { class: "links" },
          h("a", { href: "#/sign-in" }, t("auth.back")))));
        return;
      }
      throw Object.assign(error, { fields: { code: error.message } });
    }
    if (answer.recovery_codes) {
      showRecoveryCodes(main, answer.recovery_codes, () => done(answer));
      return;
    }
    done(answer);
  });
  replace(main, card(setUp ? t("auth.second_factor.set_up") : t("auth.second_factor.title"),
    setUp ? t("auth.second_factor.set_up_intro") : t("auth.second_factor.intro"),
    form));
  form.querySelector("input[name=code]")?.focus();
}

/** The secret of a new second factor: a link an authenticator app opens, and the key to type in. */
export function enrolmentHelp(setUp) {
  const [before, after] = t("second_factor.add_to_app").split("{link}");
  return h("div", { class: "enrolment" },
    h("p", {}, before, h("a", { href: setUp.otpauth_uri }, t("second_factor.open_in_app")), after),
    h("p", {}, h("code", { "data-testid": "second-factor-secret" }, setUp.secret.replace(/(.{4})/g, "$1 ").trim())));
}

/** The recovery codes of a second factor just set up, shown once. */
export function recoveryCodeList(codes) {
  return h("ul", { class: "recovery-codes", "aria-label": t("second_factor.recovery_codes") },
    codes.map((code) => h("li", {}, h("code", {}, code))));
}

/** Recovery codes, once: each signs in once instead of a code. */
function showRecoveryCodes(main, codes, next) {
  const go = h("button", { type: "button" }, t("auth.second_factor.saved"));
  go.addEventListener("click", next);
  replace(main, card(t("second_factor.recovery_title"), t("second_factor.recovery_intro"), recoveryCodeList(codes), go));
  go.focus();
}

/** Ask for a link that signs in without a password: the sign-in screen itself where the portal has
 * no passwords (`passwordless`). */
export async function emailLink({ main, query, notice, signedIn, passwordless = false, passkey = false }) {
  const organization = await organizationField(main, query);
  const form = h("form", { "aria-label": t("sign_in_link.form") },
    organization.field,
    field({ label: t("auth.email"), name: "email", type: "email", required: true, autocomplete: "username" }),
    h("button", { type: "submit" }, t("sign_in_link.ask")));
  onSubmit(form, async (values) => {
    const answer = await api.post("/portal/auth/sign-in-links", { organization: values.organization.trim(), email: values.email.trim() });
    replace(form, alert("success", answer.message || t("auth.link_sent")));
  });
  const title = card.organizationName ? t("auth.sign_in_to", { organization: card.organizationName }) : t("auth.sign_in");
  replace(main, card(passwordless ? title : t("sign_in_link.title"), t("sign_in_link.intro"),
    notice ? alert(notice.kind, notice.text) : null, organization.problem, form,
    passwordless && passkey ? passkeySignIn(form, query, signedIn) : null,
    passwordless ? null : h("div", { class: "links" }, h("a", { href: "#/sign-in" }, t("auth.back")))));
  if (!notice) [...form.querySelectorAll("input:not([type=hidden])")].find((input) => !input.value)?.focus();
}

/** The landing of an emailed sign-in link: one click signs in (a mail scanner opening the link
 * does not use it up), through the second factor where the account has one. */
export async function followSignInLink({ main, query, signedIn }) {
  const portal = await portalOrganization().catch(() => null);
  card.organizationName = portal && !portal.unknown ? portal.name : "";
  if (!query.token || !query.organization) {
    replace(main, card(t("title.sign_in_link"), null, alert("error", t("auth.link_incomplete")),
      h("a", { href: "#/email-sign-in-link" }, t("auth.new_link"))));
    return;
  }
  const form = h("form", { "aria-label": t("title.sign_in_link") },
    h("button", { type: "submit" }, t("sign_in_link.continue")));
  onSubmit(form, async () => {
    let answer;
    try {
      answer = await api.post("/portal/auth/sign-in-links/redeem", { organization: query.organization, token: query.token });
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) throw error;
      replace(form, alert("error", error.message),
        h("a", { href: `#/email-sign-in-link?organization=${encodeURIComponent(query.organization)}` }, t("auth.new_link")));
      return;
    }
    if (answer.second_factor) {
      await secondFactorStep(main, query.organization, answer.second_factor, (done) => signedIn(done, query.organization));
      return;
    }
    signedIn(answer, query.organization);
  });
  replace(main, card(t("title.sign_in_link"), t("sign_in_link.landing_intro"), form));
  form.querySelector("button").focus();
}

export async function forgotPassword({ main, query }) {
  const organization = await organizationField(main, query);
  const form = h("form", { "aria-label": t("title.forgot_password") },
    organization.field,
    field({ label: t("auth.email"), name: "email", type: "email", required: true, autocomplete: "username" }),
    h("button", { type: "submit" }, t("auth.email_link")));
  onSubmit(form, async (values) => {
    const answer = await api.post("/portal/auth/forgot-password", { organization: values.organization.trim(), email: values.email.trim() });
    replace(form, alert("success", answer.message || t("auth.link_sent")));
  });
  replace(main, card(t("auth.forgot"), t("auth.forgot_intro"), organization.problem, form,
    h("div", { class: "links" }, h("a", { href: "#/sign-in" }, t("auth.back")))));
}

export function resetPassword({ main, query }) {
  if (!query.token || !query.organization) {
    replace(main, card(t("title.reset_password"), null, alert("error", t("auth.link_incomplete")),
      h("a", { href: "#/forgot-password" }, t("auth.new_link"))));
    return;
  }
  const form = h("form", { "aria-label": t("title.reset_password") },
    ...passwordPair("new_password", t("password.new")),
    h("button", { type: "submit" }, t("auth.save_password")));
  onSubmit(form, async (values) => {
    mismatch(values, "new_password");
    await api.post("/portal/auth/reset-password", { organization: query.organization, token: query.token,
                                                     new_password: values.new_password });
    session.rememberOrganization(query.organization);
    replace(form, alert("success", t("auth.password_changed")),
      h("a", { class: "button", href: `#/sign-in?organization=${encodeURIComponent(query.organization)}` }, t("auth.sign_in")));
  });
  replace(main, card(t("title.reset_password"), null, form));
  sayMinimumIn(form);
}

/** An invitation: a password to choose, unless the portal signs in with emailed links only (the
 * invitation's address names the portal, so the page knows). */
export async function acceptInvite({ main, query, signedIn }) {
  if (!query.token || !query.organization) {
    replace(main, card(t("title.accept_invite"), null, alert("error", t("auth.invite_incomplete"))));
    return;
  }
  await organizationField(main, query);   // the portal's name and logo for the card
  const { password: choosesPassword } = await signInMethods();
  const form = h("form", { "aria-label": t("title.accept_invite") },
    ...(choosesPassword ? passwordPair("password", t("auth.choose_password")) : []),
    h("button", { type: "submit" }, t("auth.create_account")));
  onSubmit(form, async (values) => {
    if (choosesPassword) mismatch(values, "password");
    const answer = await api.post("/portal/auth/accept-invite", { organization: query.organization, token: query.token,
                                                                   ...(choosesPassword ? { password: values.password } : {}) });
    if (answer.second_factor) {
      await secondFactorStep(main, query.organization, answer.second_factor, (done) => signedIn(done, query.organization));
      return;
    }
    signedIn(answer, query.organization);
  });
  replace(main, card(t("auth.welcome"), t(choosesPassword ? "auth.invite_intro" : "auth.invite_intro_link"), form));
  if (choosesPassword) sayMinimumIn(form);
}

export function confirmEmail({ main, query }) {
  if (!query.token || !query.organization) {
    replace(main, card(t("title.confirm_email"), null, alert("error", t("auth.email_link_incomplete"))));
    return;
  }
  const form = h("form", { "aria-label": t("title.confirm_email") },
    h("button", { type: "submit" }, t("auth.confirm_email")));
  onSubmit(form, async () => {
    await api.post("/portal/auth/confirm-email", { organization: query.organization, token: query.token });
    session.rememberOrganization(query.organization);
    replace(form, alert("success", t("auth.email_changed")),
      h("a", { class: "button", href: `#/sign-in?organization=${encodeURIComponent(query.organization)}` }, t("auth.sign_in")));
  });
  replace(main, card(t("title.confirm_email"), t("auth.confirm_intro"), form));
}
