// The merchant console: the same page as the portal, under #/console/..., with its own sign-in
// (a merchant user, never a customer) and its own session. Its screens call the admin API; a
// support user sees every screen read-only but for resending portal invitations.
import { t } from "../i18n.js";
import { h, replace, field, onSubmit, alert, loading, failure } from "../ui.js";
import { useTimeZone } from "../format.js";
import { mismatch, passwordPair, sayMinimumIn } from "../password_rules.js";
import { admin, consoleSession, whenConsoleSessionEnds } from "./session.js";
import * as screens from "./screens.js";

document.documentElement.setAttribute("data-portal-started", "");
const ICON = new URL("../icon.svg", import.meta.url).href;

const ROUTES = [
  { path: "preferences", screen: screens.preferences, label: t("console.nav.preferences") },
  { path: "catalog", screen: screens.catalog, label: t("console.nav.catalog") },
  { path: "customers", screen: screens.customers, label: t("console.nav.customers") },
  { path: "engagement", screen: screens.engagement, label: t("console.nav.engagement") },
  { path: "organization", screen: screens.organization, label: t("console.nav.organization") },
  { path: "audit-log", screen: screens.auditLog, label: t("console.nav.audit_log") },
  { path: "team", screen: screens.team, label: t("console.nav.team") },
];

const app = document.getElementById("app");
let me = null;          // /console/auth/me of the signed-in merchant user
let notice = null;

function go(hash) {
  if (location.hash === hash) render(); else location.hash = hash;
}

async function render() {
  if (!location.hash.startsWith("#/console")) { location.reload(); return; }   // the portal's page
  const [path, search] = location.hash.replace(/^#\/console\/?/, "").split("?");
  const signedOut = SIGNED_OUT[path.replace(/\/$/, "")];
  if (signedOut) {      // the reset link's screen opens whoever is signed in here: it is the mailbox's
    document.title = `${signedOut.title()} · ${t("console.title")}`;
    const main = h("main", { id: "main", tabindex: "-1" });
    replace(app, h("div", { class: "auth" }, main));
    signedOut.screen(main, Object.fromEntries(new URLSearchParams(search || "")));
    return;
  }
  if (path === "sign-in" || !consoleSession.token) {
    if (consoleSession.token) { go("#/console/preferences"); return; }
    if (path !== "sign-in") { history.replaceState(null, "", "#/console/sign-in"); }
    document.title = `${t("console.sign_in")} · ${t("console.title")}`;
    const main = h("main", { id: "main", tabindex: "-1" });
    replace(app, h("div", { class: "auth" }, main));
    signIn(main);
    return;
  }
  const route = ROUTES.find((r) => r.path === path);
  if (!route) { go("#/console/preferences"); return; }
  document.title = `${route.label} · ${t("console.title")}`;
  if (!me) {
    replace(app, h("main", { id: "main", class: "boot", tabindex: "-1" }, loading()));
    try {
      me = await admin.get("/console/auth/me");
      const organization = await admin.get("/admin/organization");
      useTimeZone(organization.time_zone);
    } catch (error) {
      if (!error.sessionEnded) replace(app.querySelector("main"), failure(error, render));
      return;
    }
  }
  const main = h("main", { id: "main", tabindex: "-1" });
  replace(app, shell(route.path, main));
  try {
    await route.screen({ main, me, readOnly: !me.may_change });
  } catch (error) {
    if (!error.sessionEnded) replace(main, failure(error, render));
  }
}

function shell(current, main) {
  return h("div", { class: "shell" },
    h("header", { class: "topbar" },
      h("a", { class: "brand", href: "#/console/preferences" }, h("img", { src: ICON, alt: "" }),
        `${me.organization_name} · ${t("console.title")}`),
      h("div", { class: "who" },
        h("span", { class: "name" }, `${me.user.email} · ${t(`console.role.${me.user.role}`)}`),
        h("button", { type: "button", class: "secondary", onClick: signOut }, t("shell.sign_out")))),
    h("nav", { class: "sidebar", "aria-label": t("console.navigation") }, h("ul", {}, ROUTES.map((r) => h("li", {},
      h("a", { href: `#/console/${r.path}`, "aria-current": r.path === current ? "page" : null }, r.label))))),
    main);
}

function signIn(main) {
  const shown = notice ? alert(notice.kind, notice.text) : null;
  notice = null;
  const form = h("form", { "aria-label": t("console.sign_in") },
    organizationField(),
    field({ label: t("auth.email"), name: "email", type: "email", required: true, autocomplete: "username" }),
    field({ label: t("auth.password"), name: "password", type: "password", required: true, autocomplete: "current-password" }),
    h("button", { type: "submit" }, t("console.sign_in")));
  onSubmit(form, async (values) => {
    const typed = values.organization.trim();
    const organization = await organizationNamed(typed);
    const answer = await admin.post("/console/auth/login", { ...values, organization });
    if (answer.second_factor) { secondStep(main, organization, answer.second_factor.challenge, typed); return; }
    started(answer.token, typed);
  });
  replace(main, authCard(t("console.sign_in"), t("console.sign_in_intro"), shown, form,
    h("div", { class: "links" }, h("a", { href: "#/console/forgot-password" }, t("auth.forgot")))));
}

function organizationField() {
  return field({ label: t("auth.organization"), name: "organization", value: consoleSession.lastOrganization,
    required: true, autocomplete: "organization", hint: t("console.organization_hint") });
}

/** The screens of a console user who is not signed in, by path. */
const SIGNED_OUT = {
  "forgot-password": { title: () => t("auth.forgot"), screen: forgotPassword },
  "reset-password": { title: () => t("title.reset_password"), screen: resetPassword },
};

function authCard(title, intro, ...content) {
  return h("div", { class: "card" },
    h("div", { class: "brand" }, h("img", { src: ICON, alt: "" }), t("console.title")),
    h("h1", { tabindex: "-1" }, title), intro ? h("p", { class: "hint" }, intro) : null, ...content);
}

function backToSignIn() {
  return h("div", { class: "links" }, h("a", { href: "#/console/sign-in" }, t("auth.back")));
}

function forgotPassword(main) {
  const form = h("form", { "aria-label": t("auth.forgot") },
    organizationField(),
    field({ label: t("auth.email"), name: "email", type: "email", required: true, autocomplete: "username" }),
    h("button", { type: "submit" }, t("auth.email_link")));
  onSubmit(form, async (values) => {
    const organization = await organizationNamed(values.organization.trim());
    await admin.post("/console/auth/forgot-password", { organization, email: values.email.trim() });
    replace(form, alert("success", t("console.reset_link_sent")));
  });
  replace(main, authCard(t("auth.forgot"), t("console.forgot_intro"), form, backToSignIn()));
}

function resetPassword(main, query) {
  if (!query.token || !query.organization) {
    replace(main, authCard(t("title.reset_password"), null, alert("error", t("auth.link_incomplete")),
      h("a", { href: "#/console/forgot-password" }, t("auth.new_link"))));
    return;
  }
  const form = h("form", { "aria-label": t("title.reset_password") },
    ...passwordPair("new_password", t("password.new")),
    h("button", { type: "submit" }, t("auth.save_password")));
  onSubmit(form, async (values) => {
    mismatch(values, "new_password");
    await admin.post("/console/auth/reset-password", { organization: query.organization, token: query.token,
                                                       new_password: values.new_password });
    consoleSession.end();
    me = null;
    notice = { kind: "success", text: t("console.password_reset") };
    go("#/console/sign-in");
  });
  replace(main, authCard(t("title.reset_password"), t("console.reset_intro"), form));
  sayMinimumIn(form);
}

/** The organization id a sign-in names: an id as typed ("org_..."), or the organization whose portal
 * has the name typed ("northwind", the portal's public name). Ids always hold a "_", portal names
 * never do; a name no portal has is sent as typed, and refused as any unknown organization is. */
async function organizationNamed(typed) {
  if (typed.includes("_")) return typed;
  try {
    return (await admin.get(`/portal/auth/portals/${encodeURIComponent(typed.toLowerCase())}`)).org_id;
  } catch (error) {
    if (error.status === 404) return typed;
    throw error;
  }
}

function secondStep(main, organization, challenge, typed) {
  const form = h("form", { "aria-label": t("console.second_factor") },
    field({ label: t("console.code"), name: "code", required: true, autocomplete: "one-time-code", inputmode: "numeric" }),
    h("button", { type: "submit" }, t("console.sign_in")));
  onSubmit(form, async (values) => {
    const answer = await admin.post("/console/auth/login/second-factor", { organization, challenge, code: values.code });
    started(answer.token, typed);
  });
  replace(main, h("div", { class: "card" }, h("h1", { tabindex: "-1" }, t("console.second_factor")), form));
  form.querySelector("input")?.focus();
}

function started(token, organization) {
  consoleSession.start(token, organization);
  me = null;
  go("#/console/preferences");
}

async function signOut() {
  try { await admin.post("/console/auth/logout"); } catch { /* signed out here either way */ }
  consoleSession.end();
  me = null;
  notice = { kind: "info", text: t("shell.signed_out") };
  go("#/console/sign-in");
}

whenConsoleSessionEnds(() => {
  me = null;
  notice = { kind: "warning", text: t("shell.session_ended") };
  go("#/console/sign-in");
});

window.addEventListener("hashchange", render);
document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  document.getElementById("main")?.focus();
});
render();
