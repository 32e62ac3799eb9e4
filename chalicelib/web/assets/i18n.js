// The portal's words in the customer's language: every label comes from a message catalogue
// (messages/<language>.js), chosen from the browser's languages, with English for anything a
// catalogue lacks. Adding a language is adding its catalogue here; a unit test fails when a
// catalogue misses a key the screens use.
import en from "./messages/en.js";
import de from "./messages/de.js";

const CATALOGUES = { en, de };

// The ways of writing money and days, the same three the server writes emails and PDFs in
// (domain/locales.py): German as in Germany, American English, English as written elsewhere.
function writing(language, region) {
  if (language === "de") return "de-DE";
  return !region || region === "US" ? "en-US" : "en-GB";
}

function chosen() {
  const wanted = (navigator.languages && navigator.languages.length) ? navigator.languages : [navigator.language || "en"];
  for (const tag of wanted) {
    const [language, ...rest] = String(tag).split("-");
    const region = rest.find((part) => /^([A-Za-z]{2}|\d{3})$/.test(part));
    if (CATALOGUES[language.toLowerCase()]) {
      return { language: language.toLowerCase(), tag: writing(language.toLowerCase(), region && region.toUpperCase()) };
    }
  }
  return { language: "en", tag: "en-US" };
}

/** The catalogue's language ("en", "de") and the way of writing money and days for Intl ("de-DE"). */
export const { language, tag: locale } = chosen();
document.documentElement.lang = language;

/** Whether the catalogues have words for `key` (for values the server may add to over time). */
export function has(key) {
  return key in en;
}

/** t("invoices.title") -> "Rechnungen"; t("invoices.heading", { number }) fills "{number}". */
export function t(key, params = {}) {
  const text = CATALOGUES[language][key] ?? en[key];
  if (text === undefined) {
    console.error(`no message for ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** plural("home.invoices_to_pay", 2) -> t("home.invoices_to_pay.other", { count: 2 }): the catalogue
 * holds a message for each plural category its language has ("one", "other"). */
const plurals = new Intl.PluralRules(locale);
export function plural(key, count, params = {}) {
  const n = count || 0;
  return t(`${key}.${plurals.select(n)}`, { ...params, count: new Intl.NumberFormat(locale).format(n) });
}
