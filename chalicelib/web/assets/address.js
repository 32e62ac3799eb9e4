// An address as its country's post writes it, by the same rule as the documents and emails the
// server writes (domain/customers.py, Address.lines): the town before the postcode in the US
// ("San Francisco, CA 94105"), Canada, Australia and New Zealand ("Sydney NSW 2000"), the postcode
// on a line of its own in the UK and Ireland, and "10115 Berlin" everywhere else.
const TOWN_COMMA_REGION_POSTCODE = "town, region postcode";
const TOWN_REGION_POSTCODE = "town region postcode";
const TOWN_THEN_POSTCODE_LINE = "town / postcode";
const STYLES = { US: TOWN_COMMA_REGION_POSTCODE, CA: TOWN_REGION_POSTCODE, AU: TOWN_REGION_POSTCODE,
  NZ: TOWN_REGION_POSTCODE, GB: TOWN_THEN_POSTCODE_LINE, IE: TOWN_THEN_POSTCODE_LINE };

const words = (...parts) => parts.filter(Boolean).join(" ");
const COUNTRY_CODES = ["US", "CA", "GB", "IE", "FR", "DE", "ES", "IT", "NL", "SE", "AU", "NZ", "IN", "JP", "SG", "BR", "MX"];
export const ADDRESS_PARTS = ["line1", "line2", "city", "state", "postal_code", "country"];

/** The countries an address form offers, named in the language of `locale` by Intl ("Germany",
 * "Deutschland"), and the address's own `current` one among them whatever it is: a form saved without
 * touching the country must keep it, not send the first option. */
export function countryOptions(locale, current = "") {
  const names = new Intl.DisplayNames([locale], { type: "region" });
  const codes = current && !COUNTRY_CODES.includes(current) ? [...COUNTRY_CODES, current] : COUNTRY_CODES;
  return [["", "—"], ...codes.map((code) => [code, names.of(code) || code])];
}

function localityLines(a) {
  const style = STYLES[String(a.country || "").toUpperCase()];
  if (style === TOWN_COMMA_REGION_POSTCODE || style === TOWN_REGION_POSTCODE) {
    const between = style === TOWN_COMMA_REGION_POSTCODE && a.city && a.state ? ", " : " ";
    return [words([a.city, a.state].filter(Boolean).join(between), a.postal_code)];
  }
  if (style === TOWN_THEN_POSTCODE_LINE) return [a.city, a.state, a.postal_code];
  return [words(a.postal_code, a.city, a.state)];
}

/** The lines of an address ({line1, line2, city, state, postal_code, country}), the empty ones left out. */
export function addressLines(address) {
  const a = address || {};
  return [a.line1, a.line2, ...localityLines(a), a.country].filter(Boolean);
}
