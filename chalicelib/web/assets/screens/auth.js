// Signed-out screens: sign in, forgot password, reset password (from the emailed link),
// accept an invitation (from the emailed link).
import { api, session } from "../api.js";
import { h, replace, field, onSubmit, alert } from "../ui.js";

const ICON = new URL("../icon.svg", import.meta.url).href;

function card(title, intro, ...content) {
  return h("div", { class: "card" },
    h("div", { class: "brand" }, h("img", { src: ICON, alt: "" }), "Customer portal"),
    h("h1", { tabindex: "-1" }, title), intro ? h("p", { class: "hint" }, intro) : null, ...content);
}

function passwordPair(name, label) {
  return [
    field({ label, name, type: "password", required: true, autocomplete: "new-password",
            hint: "At least 10 characters. A few unrelated words make a strong password." }),
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

export function signIn({ main, query, notice, signedIn }) {
  const organization = query.organization || session.lastOrganization;
  const form = h("form", { "aria-label": "Sign in" },
    field({ label: "Organization", name: "organization", value: organization, required: true, autocomplete: "organization",
            hint: "The organization id from your invitation email." }),
    field({ label: "Email", name: "email", type: "email", required: true, autocomplete: "username" }),
    field({ label: "Password", name: "password", type: "password", required: true, autocomplete: "current-password" }),
    h("button", { type: "submit" }, "Sign in"));
  onSubmit(form, async (values) => {
    const answer = await api.post("/portal/auth/login", {
      organization: values.organization.trim(), email: values.email.trim(), password: values.password });
    signedIn(answer, values.organization.trim());
  });
  replace(main, card("Sign in", "Manage your subscriptions, invoices and payments.",
    notice ? alert(notice.kind, notice.text) : null, form,
    h("div", { class: "links" }, h("a", { href: `#/forgot-password${organization ? `?organization=${encodeURIComponent(organization)}` : ""}` },
      "Forgot your password?"))));
  const firstEmpty = [...form.querySelectorAll("input")].find((input) => !input.value);
  if (!notice) firstEmpty?.focus();
}

export function forgotPassword({ main, query }) {
  const form = h("form", { "aria-label": "Forgot password" },
    field({ label: "Organization", name: "organization", value: query.organization || session.lastOrganization, required: true }),
    field({ label: "Email", name: "email", type: "email", required: true, autocomplete: "username" }),
    h("button", { type: "submit" }, "Email me a link"));
  onSubmit(form, async (values) => {
    const answer = await api.post("/portal/auth/forgot-password", { organization: values.organization.trim(), email: values.email.trim() });
    replace(form, alert("success", answer.message || "If this email has an account, a link is on its way."));
  });
  replace(main, card("Forgot your password?", "We will email you a link to choose a new one.", form,
    h("div", { class: "links" }, h("a", { href: "#/sign-in" }, "Back to sign in"))));
}

export function resetPassword({ main, query, navigate }) {
  if (!query.token || !query.organization) {
    replace(main, card("Choose a new password", null, alert("error", "This link is incomplete. Ask for a new one."),
      h("a", { href: "#/forgot-password" }, "Ask for a new link")));
    return;
  }
  const form = h("form", { "aria-label": "Choose a new password" }, ...passwordPair("new_password", "New password"),
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
}

export function acceptInvite({ main, query, signedIn }) {
  if (!query.token || !query.organization) {
    replace(main, card("Accept invitation", null, alert("error", "This invitation link is incomplete. Ask for a new invitation.")));
    return;
  }
  const form = h("form", { "aria-label": "Accept invitation" }, ...passwordPair("password", "Choose a password"),
    h("button", { type: "submit" }, "Create my account"));
  onSubmit(form, async (values) => {
    mismatch(values, "password");
    const answer = await api.post("/portal/auth/accept-invite", { organization: query.organization, token: query.token,
                                                                   password: values.password });
    signedIn(answer, query.organization);
  });
  replace(main, card("Welcome", "Choose a password to open your customer portal.", form));
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
