// The console's calls to the admin API with a merchant user's session: a token of its own (never
// the portal's, which the admin API refuses anyway), JSON in and out, the error envelope as the
// portal's ApiError, and one place that notices the session has ended (any 401).
import { ApiError, apiUrl, withQuery } from "../api.js";
import { learnCurrencies } from "../format.js";

const TOKEN = "portico.console.session";
const ORGANIZATION = "portico.console.organization";

export const consoleSession = {
  get token() { return sessionStorage.getItem(TOKEN); },
  start(token, organization) {
    sessionStorage.setItem(TOKEN, token);
    if (organization) localStorage.setItem(ORGANIZATION, organization);
  },
  end() { sessionStorage.removeItem(TOKEN); },
  get lastOrganization() { return localStorage.getItem(ORGANIZATION) || ""; },
};

let ended = () => {};
export function whenConsoleSessionEnds(callback) { ended = callback; }

async function request(method, path, { body, query } = {}) {
  const init = { method, headers: { Accept: "application/json" }, credentials: "omit", cache: "no-store" };
  const token = consoleSession.token;
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
  const payload = answer.status === 204 ? null : await answer.json().catch(() => null);
  if (answer.status === 401 && token) {
    consoleSession.end();
    ended();
    throw Object.assign(new ApiError(401, payload), { sessionEnded: true });
  }
  if (!answer.ok) throw new ApiError(answer.status, payload);
  learnCurrencies(payload);
  return payload;
}

export const admin = {
  get: (path, query) => request("GET", path, { query }),
  post: (path, body) => request("POST", path, { body }),
  put: (path, body) => request("PUT", path, { body }),
  patch: (path, body) => request("PATCH", path, { body }),
};
