// The portal's words in the customer's language: every label comes from a message catalogue
// (messages/<language>.js), chosen from the browser's languages, with English for anything a
// catalogue lacks. Adding a language is adding its catalogue here; a unit test fails when a
// catalogue misses a key the screens use.
import en from "./messages/en.js";
import de from "./messages/de.js";

const CATALOGUES = { en, de };

function chosen() {
  const wanted = (navigator.languages && navigator.languages.length) ? navigator.languages : [navigator.language || "en"];
  for (const tag of wanted) {
    const language = String(tag).toLowerCase().split("-")[0];
    if (CATALOGUES[language]) return { language, tag };
  }
  return { language: "en", tag: "en-US" };
}

/** The catalogue's language ("en", "de") and the browser's tag for it ("de-DE"), for Intl. */
export const { language, tag: locale } = chosen();
document.documentElement.lang = language;

/** t("invoices.title") -> "Rechnungen"; t("invoices.heading", { number }) fills "{number}". */
export function t(key, params = {}) {
  let text = CATALOGUES[language][key] ?? en[key];
  if (text === undefined) {
    console.error(`no message for ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
