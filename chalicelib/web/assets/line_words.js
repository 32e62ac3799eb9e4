// A billing line in the reader's language: the server sends each line's words as data (its kind, the
// names, amounts, days and period its English description is written from), and they are written
// here with the catalogue's messages and the locale's money and dates. A line without words (typed in
// by the merchant, or issued before lines had them) or of a kind this portal does not know yet shows
// its description as it is.
import { money, date, percent } from "./format.js";
import { has, plural, t } from "./i18n.js";

function off(words, currency) {
  return words.amount_off_minor != null
    ? t("line.off_amount", { amount: money(words.amount_off_minor, currency) })
    : t("line.off_percent", { percent: percent(words.percent_off_bp) });
}

/** The words of `line` (a quote's or a document's) in `currency`, or its description. */
export function lineText(line, currency) {
  const words = line.words;
  if (!words || !has(`line.${words.kind}`)) return line.description;
  return t(`line.${words.kind}`, {
    name: words.name,
    quantity: words.quantity,
    price: money(words.unit_amount_minor, currency),
    period: words.period_start && words.period_end
      ? t("line.period", { start: date(words.period_start), end: date(words.period_end) }) : "",
    share: words.days_in_term ? plural("line.days_of", words.days_in_term, { days: words.days }) : "",
    code: words.coupon_code,
    off: words.coupon_code ? off(words, currency) : "",
    step: money(words.increment_minor, currency),
  });
}
