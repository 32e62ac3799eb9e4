// The portal API from the browser: the session token (sessionStorage), JSON in and out, the
// error envelope as ApiError, and one place that notices a session has ended (any 401). Every
// answer also tells format.js how each currency it names is shown.
//
// API paths ("/portal/me") are relative to where the portal is served, never the site's root:
// this module is at <portal>/assets/<version>/api.js, so behind API Gateway's stage (".../api/"),
// under a custom domain or on localhost, "/portal/me" goes to <portal>/portal/me.
import { learnCurrencies } from "./format.js";
import { has, plural, t } from "./i18n.js";

export const PORTAL_ROOT = new URL("../../", import.meta.url);

/** The URL of an API path ("/portal/me", as the routes and the server's answers name them). */
export function apiUrl(path) {
  return new URL(String(path).replace(/^\/+/, ""), PORTAL_ROOT).href;
}

const TOKEN = "portico.session";
const ORGANIZATION = "portico.organization";

export const session = {
  get token() { return sessionStorage.getItem(TOKEN); },
  start(token, organization) {
    sessionStorage.setItem(TOKEN, token);
    if (organization) localStorage.setItem(ORGANIZATION, organization);
  },
  end() { sessionStorage.removeItem(TOKEN); },
  rememberOrganization(organization) { localStorage.setItem(ORGANIZATION, organization); },
  get lastOrganization() { return localStorage.getItem(ORGANIZATION) || ""; },
};

/**
 * An answer that is not a success, in the portal's own words: the API's `code` (and, for a
 * refused field, its field code) chooses a sentence of the catalogue; the API's English `message`
 * is never shown. A code the catalogue does not know yet reads as a general sentence.
 */
export class ApiError extends Error {
  constructor(status, payload) {
    const error = (payload && payload.error) || {};
    const code = error.code || (status === 0 ? "network" : "http_" + status);
    const details = error.details || {};
    super(sentence(code, details, status));
    this.status = status;
    this.code = code;
    this.details = details;
    const codes = details.field_codes || {};
    this.fields = Object.fromEntries(Object.keys(details.fields || {}).map((path) => [path, fieldSentence(codes[path])]));
  }
}

function sentence(code, details, status) {
  const variant = details.reason || details.rule;
  if (variant && has(`error.${code}.${variant}`)) return t(`error.${code}.${variant}`);
  if (!has(`error.${code}`)) return t("error.unknown", { status });
  const wait = details.retry_after_seconds;
  // two minutes or more is worded in minutes (rounded up): nobody counts 2,482 seconds
  if (Number.isFinite(wait) && wait >= 120 && has(`error.${code}.minutes.other`)) {
    return plural(`error.${code}.minutes`, Math.ceil(wait / 60));
  }
  if (Number.isFinite(wait) && has(`error.${code}.other`)) return plural(`error.${code}`, wait);
  const current = details.current_status;
  return t(`error.${code}`, { status: current && has(`status.${current}`) ? t(`status.${current}`) : "" });
}

function fieldSentence(code) {
  return has(`field.${code}`) ? t(`field.${code}`) : t("field.invalid");
}

let sessionEnded = () => {};
/** Called (once per ended session) when any call answers 401 while signed in. */
export function whenSessionEnds(callback) { sessionEnded = callback; }

/**
 * The calls of one audience's session (`store`: its token, and `end()`), JSON in and out, the error
 * envelope as an ApiError; a 401 of the session still signed in ends it and calls `ended()`.
 */
export function requester(store, ended) {
  return (method, path, options) => call(store, ended, method, path, options);
}

const request = requester(session, () => sessionEnded());

async function call(store, ended, method, path, { body, query, headers = {}, accept = "application/json" } = {}) {
  const init = { method, headers: { Accept: accept, ...headers }, credentials: "omit", cache: "no-store" };
  const token = store.token;
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let answer;
  try {
    answer = await fetch(apiUrl(withQuery(path, query)), init);
  } catch {
    throw new ApiError(0, null);
  }
  if (answer.status === 401 && token) {
    // A late answer of a session since ended (signed out, then in again) must not end the new one.
    if (store.token === token) {
      store.end();
      ended();
    }
    throw Object.assign(new ApiError(401, await json(answer)), { sessionEnded: true });
  }
  if (!answer.ok) throw new ApiError(answer.status, await json(answer));
  if (accept !== "application/json") return answer;
  const answered = answer.status === 204 ? null : await json(answer);
  learnCurrencies(answered);
  return answered;
}

async function json(answer) {
  try { return await answer.json(); } catch { return null; }
}

export function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const api = {
  get: (path, query) => request("GET", path, { query }),
  post: (path, body = {}, headers) => request("POST", path, { body, headers }),
  put: (path, body = {}) => request("PUT", path, { body }),
  patch: (path, body = {}) => request("PATCH", path, { body }),
  delete: (path) => request("DELETE", path),
};

/** Download a PDF the API serves behind the session, under the name the server gives it. */
export async function downloadPdf(path, query, fallbackName = "document.pdf", accept = "application/pdf") {
  const answer = await request("GET", path, { query, accept });
  const blob = await answer.blob();
  const disposition = answer.headers.get("Content-Disposition") || "";
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** A fresh key per payment attempt, so a retried request never charges twice. */
export function idempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
