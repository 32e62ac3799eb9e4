// The console's calls to the admin API with a merchant user's session: a token of its own (never
// the portal's, which the admin API refuses anyway), JSON in and out, the error envelope as the
// portal's ApiError, and one place that notices the session has ended (any 401).
import { requester } from "../api.js";

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

const request = requester(consoleSession, () => ended());

export const admin = {
  get: (path, query) => request("GET", path, { query }),
  post: (path, body) => request("POST", path, { body }),
  put: (path, body) => request("PUT", path, { body }),
  patch: (path, body) => request("PATCH", path, { body }),
  delete: (path) => request("DELETE", path),
};
