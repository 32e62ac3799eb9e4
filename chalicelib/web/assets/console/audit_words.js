// The audit log in the merchant's words: each change named as an action ("Portal preferences
// changed", not "PUT /admin/preferences"), each field by the label the console gives it, on and
// off for true and false, and opaque values (ids of uploads, keys, base64 data) cut to their start.
import { has, t } from "../i18n.js";

const OPAQUE = /^[A-Za-z0-9+/=_-]{25,}$/;
const OPAQUE_SHOWN = 8;

/** "PUT /admin/preferences" -> "put_admin_preferences": the catalogue key's last part. */
export function actionKey(action) {
  return String(action).toLowerCase().replace(/[{}]/g, "").replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** What a change did, in words; the route itself for one the catalogue does not name yet. */
export function actionWords(action) {
  const key = `console.audit.action.${actionKey(action)}`;
  return has(key) ? t(key) : action;
}

/** A changed field by its label in the console ("preferences.reviews" -> "Reviews"), else its path. */
export function fieldWords(path) {
  const preference = String(path).match(/^preferences\.(.+)$/);
  const key = preference ? `console.pref.${preference[1].replace(/\./g, "_")}` : "";
  return key && has(key) ? t(key) : path;
}

function valueWord(value) {
  if (value === "true") return t("console.on");
  if (value === "false") return t("console.off");
  return OPAQUE.test(value) ? `${value.slice(0, OPAQUE_SHOWN)}…` : value;
}

/** "true → false" -> "On → Off"; a long opaque value -> its first characters and "…". */
export function valueWords(text) {
  return String(text).split(" → ").map(valueWord).join(" → ");
}
