// Signed-out screens: sign in, forgot password, reset password (from the emailed link),
// accept an invitation (from the emailed link).
//
// The portal's address names the organization (`?portal=northwind`, chosen by the merchant):
// its sign-in page shows the organization's name and asks only email and password. Without a
// portal name (an old link), the organization id is asked for as before.
import { api, session } from "../api.js";
import { h, replace, field, onSubmit, alert } from "../ui.js";
import { PASSWORD_ADVICE, sayMinimumIn } from "../password_rules.js";

const ICON = new URL("../icon.svg", import.meta.url).href;
const PORTAL_NAME = new URLSearchParams(location.search).get("portal") || "";
let portalLookup = null;

/** The organization the portal's address names ({org_id, name}); null without a portal name;
 * { unknown: true } when no organization has that name. */
function portalOrganization() {
  if (!PORTAL_NAME) return Promise.resolve(null);
  portalLookup = portalLookup || api.get(`/portal/auth/portals/${encodeURIComponent(PORTAL_NAME)}`).catch((error) => {
    portalLookup = null;
    if (error.status === 404) return { unknown: true };
    throw error;
  });
  return portalLookup;
}

function card(title, intro, ...content) {
  return h("div", { class: "card" },
    h("div", { class: "brand" }, h("img", { src: ICON, alt: "" }), card.organizationName || "Customer portal"),
    h("h1", { tabindex: "-1" }, title), intro ? h("p", { class: "hint" }, intro) : null, ...content);
}

/** A "next" the sign-in may go to: a route of the portal ("/invoices/INV-1"), never another site. */
function safeNext(next) {
  return typeof next === "string" && /^\/[A-Za-z]/.test(next) && !next.startsWith("/sign-in") ? next : "";
}

function passwordPair(name, label) {
  return [
    field({ label, name, type: "password", required: true, autocomplete: "new-password", hint: PASSWORD_ADVICE }),
    field({ label: "Repeat the password", name: "repeat", type: "password", required: true, autocomplete: "new-password" }),
  ];
}

function mismatch(values, name) {
  if (values[name] !== values.repeat) {
    const error = new Error("The passwords do not match.");
    error.fields = { repeat: "The passwords do not match." };
    throw error;
  }
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
  const problem = portal && portal.unknown
    ? alert("error", "This portal address is not known. Check the link you were sent, or enter your organization below.")
    : null;
  if (portal && !portal.unknown) {
    return { problem, field: h("input", { type: "hidden", name: "organization", value: portal.org_id }) };
  }
  return { problem, field: field({ label: "Organization", name: "organization",
    value: query.organization || session.lastOrganization, required: true, autocomplete: "organization",
    hint: "The organization id from your invitation email." }) };
}

export async function signIn({ main, query, notice, signedIn }) {
  const organization = await organizationField(main, query);
  const form = h("form", { "aria-label": "Sign in" },
    organization.field,
    field({ label: "Email", name: "email", type: "email", required: true, autocomplete: "username" }),
    field({ label: "Password", name: "password", type: "password", required: true, autocomplete: "current-password" }),
    h("button", { type: "submit" }, "Sign in"));
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
  replace(main, card(card.organizationName ? `Sign in to ${card.organizationName}` : "Sign in",
    "Manage your subscriptions, invoices and payments.",
    notice ? alert(notice.kind, notice.text) : null, organization.problem, form,
    h("div", { class: "links" }, h("a", { href: `#/forgot-password${forgotQuery}` }, "Forgot your password?"))));
  const firstEmpty = [...form.querySelectorAll("input:not([type=hidden])")].find((input) => !input.value);
  if (!notice) firstEmpty?.focus();
}

/**
 * The sign-in's second step: the code of the authenticator app (or a recovery code). Where the
 * merchant requires a second factor the account lacks, it is set up here first: the secret, then
 * its first code; the recovery codes are shown once before the portal opens.
 */
async function secondFactorStep(main, organization, challenge, done) {
  const setUp = challenge.enrolment_required
    ? await api.post("/portal/auth/login/enrolment", { organization, challenge: challenge.challenge }) : null;
  const form = h("form", { "aria-label": "Sign-in code" },
    setUp ? enrolmentHelp(setUp) : null,
    field({ label: setUp ? "The code your app shows" : "Code", name: "code", required: true, autocomplete: "one-time-code",
      inputmode: setUp ? "numeric" : null,
      hint: setUp ? "Six digits, to confirm the app is set up." : "Six digits from your authenticator app, or one of your recovery codes." }),
    h("button", { type: "submit" }, setUp ? "Confirm and sign in" : "Sign in"));
  onSubmit(form, async (values) => {
    let answer;
    try {
      answer = await api.post("/portal/auth/login/second-factor", { organization, challenge: challenge.challenge, code: values.code.trim() });
    } catch (error) {
      if (error.status === 401 && error.message !== "The code is not right.") {
        replace(main, card("Sign in again", null, alert("error", error.message), h("div", { class: "links" },
          h("a", { href: "#/sign-in" }, "Back to sign in"))));
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
  replace(main, card(setUp ? "Set up two-step sign-in" : "Enter your sign-in code",
    setUp ? "This portal asks for a code from an authenticator app after your password." : "Your account asks for a second step.",
    form));
  form.querySelector("input[name=code]")?.focus();
}

/** The secret of a new second factor: a link an authenticator app opens, and the key to type in. */
function enrolmentHelp(setUp) {
  return h("div", { class: "enrolment" },
    h("p", {}, "Add this account to an authenticator app: ", h("a", { href: setUp.otpauth_uri }, "open it in your app"),
      " or type in the key below. It is shown only now."),
    h("p", {}, h("code", { "data-testid": "second-factor-secret" }, setUp.secret.replace(/(.{4})/g, "$1 ").trim())));
}

/** Recovery codes, once: each signs in once instead of a code. */
function showRecoveryCodes(main, codes, next) {
  const go = h("button", { type: "button" }, "I have saved them, continue");
  go.addEventListener("click", next);
  replace(main, card("Save your recovery codes", "Each one works once if you cannot use your app. They are shown only now.",
    h("ul", { class: "recovery-codes", "aria-label": "Recovery codes" }, codes.map((code) => h("li", {}, h("code", {}, code)))), go));
  go.focus();
}

export async function forgotPassword({ main, query }) {
  const organization = await organizationField(main, query);
  const form = h("form", { "aria-label": "Forgot password" },
    organization.field,
    field({ label: "Email", name: "email", type: "email", required: true, autocomplete: "username" }),
    h("button", { type: "submit" }, "Email me a link"));
  onSubmit(form, async (values) => {
    const answer = await api.post("/portal/auth/forgot-password", { organization: values.organization.trim(), email: values.email.trim() });
    replace(form, alert("success", answer.message || "If this email has an account, a link is on its way."));
  });
  replace(main, card("Forgot your password?", "We will email you a link to choose a new one.", organization.problem, form,
    h("div", { class: "links" }, h("a", { href: "#/sign-in" }, "Back to sign in"))));
}

export function resetPassword({ main, query }) {
  if (!query.token || !query.organization) {
    replace(main, card("Choose a new password", null, alert("error", "This link is incomplete. Ask for a new one."),
      h("a", { href: "#/forgot-password" }, "Ask for a new link")));
    return;
  }
  const form = h("form", { "aria-label": "Choose a new password" },
    ...passwordPair("new_password", "New password"),
    h("button", { type: "submit" }, "Save the new password"));
  onSubmit(form, async (values) => {
    mismatch(values, "new_password");
    await api.post("/portal/auth/reset-password", { organization: query.organization, token: query.token,
                                                     new_password: values.new_password });
    session.rememberOrganization(query.organization);
    replace(form, alert("success", "Your password is changed. Sign in with it now."),
      h("a", { class: "button", href: `#/sign-in?organization=${encodeURIComponent(query.organization)}` }, "Sign in"));
  });
  replace(main, card("Choose a new password", null, form));
  sayMinimumIn(form);
}

export function acceptInvite({ main, query, signedIn }) {
  if (!query.token || !query.organization) {
    replace(main, card("Accept invitation", null, alert("error", "This invitation link is incomplete. Ask for a new invitation.")));
    return;
  }
  const form = h("form", { "aria-label": "Accept invitation" },
    ...passwordPair("password", "Choose a password"),
    h("button", { type: "submit" }, "Create my account"));
  onSubmit(form, async (values) => {
    mismatch(values, "password");
    const answer = await api.post("/portal/auth/accept-invite", { organization: query.organization, token: query.token,
                                                                   password: values.password });
    if (answer.second_factor) {
      await secondFactorStep(main, query.organization, answer.second_factor, (done) => signedIn(done, query.organization));
      return;
    }
    signedIn(answer, query.organization);
  });
  replace(main, card("Welcome", "Choose a password to open your customer portal.", form));
  sayMinimumIn(form);
}

export function confirmEmail({ main, query }) {
  if (!query.token || !query.organization) {
    replace(main, card("Confirm your new email", null, alert("error", "This link is incomplete. Change your email again to get a new one.")));
    return;
  }
  const form = h("form", { "aria-label": "Confirm your new email" },
    h("button", { type: "submit" }, "Sign in with this email from now on"));
  onSubmit(form, async () => {
    await api.post("/portal/auth/confirm-email", { organization: query.organization, token: query.token });
    session.rememberOrganization(query.organization);
    replace(form, alert("success", "Your sign-in email is changed. Sign in with it from now on."),
      h("a", { class: "button", href: `#/sign-in?organization=${encodeURIComponent(query.organization)}` }, "Sign in"));
  });
  replace(main, card("Confirm your new email", "The change takes effect when you confirm it here.", form));
}
