// The portal's shell: a hash router (#/invoices/ID ...), the signed-in layout with the sidebar
// of enabled features (from /portal/me), and the return to sign-in when a session ends.
// A signed-out visit to a page (a link from an email) goes through sign-in and lands on that
// page: the sign-in route carries it as `next`.
import { api, session, whenSessionEnds } from "./api.js";
import { h, replace, loading, failure, brandImage } from "./ui.js";
import { useTimeZone } from "./format.js";
import { locale, t } from "./i18n.js";
import * as auth from "./screens/auth.js";
import * as home from "./screens/home.js";
import * as subscriptions from "./screens/subscriptions.js";
import * as invoices from "./screens/invoices.js";
import * as pay from "./screens/pay.js";
import * as payments from "./screens/payments.js";
import * as statements from "./screens/statements.js";
import * as details from "./screens/details.js";
import * as approvals from "./screens/approvals.js";
import * as activity from "./screens/activity.js";
import * as password from "./screens/password.js";
import * as act from "./screens/act.js";
import * as people from "./screens/people.js";
import { isOwner } from "./roles.js";

// index.html's boot script reports a portal that never started; from here on, the app does
document.documentElement.setAttribute("data-portal-started", "");


const NAV = [
  { path: "home", label: t("nav.home") },
  { path: "subscriptions", label: t("nav.subscriptions"), feature: "subscriptions" },
  { path: "invoices", label: t("nav.invoices") },
  { path: "payments", label: t("nav.payments") },
  { path: "statements", label: t("nav.statements") },
  { path: "approvals", label: t("nav.approvals") },
  { path: "details", label: t("nav.details") },
  { path: "activity", label: t("nav.activity") },
  { path: "people", label: t("nav.people"), owner: true },
  { path: "change-password", label: t("nav.change_password") },
];

const ROUTES = [
  { pattern: "sign-in", screen: auth.signIn, public: true, title: t("title.sign_in") },
  { pattern: "forgot-password", screen: auth.forgotPassword, public: true, title: t("title.forgot_password") },
  { pattern: "reset-password", screen: auth.resetPassword, public: true, title: t("title.reset_password") },
  { pattern: "accept-invite", screen: auth.acceptInvite, public: true, title: t("title.accept_invite") },
  { pattern: "confirm-email", screen: auth.confirmEmail, public: true, title: t("title.confirm_email") },
  { pattern: "email-sign-in-link", screen: auth.emailLink, public: true, title: t("sign_in_link.title") },
  { pattern: "sign-in-link", screen: auth.followSignInLink, public: true, title: t("title.sign_in_link") },
  { pattern: "home", screen: home.show, title: t("title.home") },
  { pattern: "subscriptions", screen: subscriptions.list, feature: "subscriptions", title: t("title.subscriptions") },
  { pattern: "subscriptions/:id", screen: subscriptions.detail, feature: "subscriptions", nav: "subscriptions", title: t("title.subscription") },
  { pattern: "subscriptions/:id/change", screen: subscriptions.change, feature: "edit_subscription", nav: "subscriptions", title: t("title.change") },
  { pattern: "invoices", screen: invoices.list, title: t("title.invoices") },
  { pattern: "invoices/:id", screen: invoices.detail, nav: "invoices", title: t("title.invoice") },
  { pattern: "pay", screen: pay.show, nav: "invoices", title: t("title.pay") },
  { pattern: "payments", screen: payments.list, title: t("title.payments") },
  { pattern: "payments/:id", screen: payments.receipt, nav: "payments", title: t("title.payment") },
  { pattern: "statements", screen: statements.show, title: t("title.statements") },
  { pattern: "approvals", screen: approvals.show, title: t("title.approvals") },
  { pattern: "details", screen: details.show, title: t("title.details") },
  { pattern: "activity", screen: activity.show, title: t("title.activity") },
  { pattern: "people", screen: people.show, owner: true, title: t("title.people") },
  { pattern: "reviews", screen: home.review, feature: "reviews", nav: "home", title: t("title.review") },
  { pattern: "change-password", screen: password.show, title: t("title.change_password") },
  { pattern: "act/:token", screen: act.follow, nav: "home", title: t("title.act") },
];

const app = document.getElementById("app");
let me = null;            // /portal/me of the signed-in contact
let notice = null;        // a message for the sign-in screen: the session ended, or the contact signed out
let rendering = 0;

export function navigate(hash, { replace: replaceEntry = false } = {}) {
  if (location.hash === hash) { render(); return; }
  if (replaceEntry) { history.replaceState(null, "", hash); render(); } else location.hash = hash;
}

function parse(hash) {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?");
  return { path: path.replace(/\/$/, ""), query: Object.fromEntries(new URLSearchParams(query)) };
}

function match(path) {
  const parts = path.split("/");
  for (const route of ROUTES) {
    const pattern = route.pattern.split("/");
    if (pattern.length !== parts.length) continue;
    const params = {};
    if (pattern.every((part, i) => (part.startsWith(":") ? (params[part.slice(1)] = decodeURIComponent(parts[i])) : part === parts[i]))) {
      return { route, params };
    }
  }
  return null;
}

async function render() {
  if (location.hash && !location.hash.startsWith("#/")) return;   // an in-page anchor, not a route
  const ticket = ++rendering;
  const { path, query } = parse(location.hash);
  const found = match(path);
  if (!found) { navigate(session.token ? "#/home" : "#/sign-in", { replace: true }); return; }
  const { route, params } = found;
  document.title = `${route.title} · ${t("shell.portal")}`;

  if (route.public) {
    if (session.token && route.pattern === "sign-in") { navigate(`#${/^\/[A-Za-z]/.test(query.next || "") ? query.next : "/home"}`, { replace: true }); return; }
    const main = h("main", { id: "main", tabindex: "-1" });
    replace(app, h("div", { class: "auth" }, main));
    const message = notice;
    notice = null;
    await route.screen({ main, query, params, notice: message, signedIn, navigate });
    if (ticket === rendering) focusTitle(main);
    return;
  }

  if (!session.token) { notice = null; navigate(signInFor(path, query), { replace: true }); return; }
  if (!me) {
    replace(app, h("main", { id: "main", class: "boot", tabindex: "-1" }, loading(t("shell.loading"))));
    try {
      me = await api.get("/portal/me");
      useTimeZone(me.organization?.time_zone);
      rememberLocale(me);
    } catch (error) {
      if (error.sessionEnded || ticket !== rendering) return;
      replace(app.querySelector("main"), failure(error, render));
      return;
    }
    if (ticket !== rendering) return;
  } else {
    recheck(ticket);
  }
  if ((route.feature && !me.features[route.feature]) || (route.owner && !isOwner(me))) {
    navigate("#/home", { replace: true });
    return;
  }
  const main = h("main", { id: "main", tabindex: "-1" });
  replace(app, shell(me, route.nav || route.pattern, main));
  const context = { main, query, params, me, navigate, refreshMe };
  try {
    await route.screen(context);
  } catch (error) {
    if (!error.sessionEnded) replace(main, failure(error, render));
  }
  if (ticket === rendering) focusTitle(main);
}

/** The sign-in route that comes back to `path` (with its query) once signed in. */
function signInFor(path, query) {
  if (path === "home" || !path) return "#/sign-in";
  const search = new URLSearchParams(query).toString();
  return `#/sign-in?next=${encodeURIComponent(`/${path}${search ? `?${search}` : ""}`)}`;
}

function shell(profile, current, main) {
  const organization = profile.organization || {};
  const links = NAV.filter((item) => (!item.feature || profile.features[item.feature]) && (!item.owner || isOwner(profile)));
  return h("div", { class: "shell" },
    h("header", { class: "topbar" },
      h("a", { class: "brand", href: "#/home" }, brandImage(organization.logo_path), organization.name || t("shell.portal")),
      h("div", { class: "who" },
        h("span", { class: "name" }, `${profile.contact.name} · ${profile.customer.display_name}`),
        h("button", { type: "button", class: "secondary", onClick: signOut }, t("shell.sign_out")))),
    h("nav", { class: "sidebar", "aria-label": t("shell.portal_navigation") }, h("ul", {}, links.map((item) => h("li", {},
      h("a", { href: `#/${item.path}`, "aria-current": item.path === current ? "page" : null }, item.label))))),
    main);
}

function focusTitle(main) {
  if (!navigatedByUser) return;
  const title = main.querySelector("h1");
  (title || main).focus({ preventScroll: false });
}

/** Between screens, ask again who we are: an ended session goes back to sign-in, and a
 * feature the merchant just turned on or off appears or disappears. */
function recheck(ticket) {
  const before = JSON.stringify(me.features);
  api.get("/portal/me").then((fresh) => {
    me = fresh;
    if (ticket === rendering && JSON.stringify(fresh.features) !== before) render();
  }).catch(() => { /* an ended session is handled by whenSessionEnds; anything else can wait */ });
}

/** The emails and PDFs this contact receives write money and days as this browser does. */
function rememberLocale(profile) {
  if (profile.contact.locale === locale) return;
  api.put("/portal/me/locale", { locale }).catch(() => { /* kept next time; the page itself is unaffected */ });
}

async function refreshMe() {
  me = await api.get("/portal/me");
  return me;
}

function signedIn(answer, organization, next = "") {
  session.start(answer.token, organization);
  me = null;
  navigate(`#${next || "/home"}`);
}

async function signOut() {
  try { await api.post("/portal/auth/logout"); } catch { /* signed out here either way */ }
  session.end();
  me = null;
  notice = { kind: "info", text: t("shell.signed_out") };
  navigate("#/sign-in");
}

whenSessionEnds(() => {
  me = null;
  notice = { kind: "warning", text: t("shell.session_ended") };
  const { path, query } = parse(location.hash);
  navigate(match(path) && !match(path).route.public ? signInFor(path, query) : "#/sign-in", { replace: true });
});

let navigatedByUser = false;
// index.html's words are English until the catalogue is here (the page must read before any script)
document.getElementById("skip-link").textContent = t("shell.skip_to_content");
if (location.hash.startsWith("#/console")) {
  import("./console/app.js");   // the merchant console: the same page, its own sign-in and screens
} else {
  window.addEventListener("hashchange", () => {
    if (location.hash.startsWith("#/console")) { location.reload(); return; }
    navigatedByUser = true;
    render();
  });
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    document.getElementById("main")?.focus();
  });
  render();
}
