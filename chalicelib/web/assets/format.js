// Money and dates for people: the customer's locale (the browser's language the portal speaks,
// i18n.js) and, for money, the
// currency's decimals as the server says them (amounts arrive as integer minor units, and every
// answer object naming a `currency` carries its `currency_exponent`). Never Intl's own idea of a
// currency's decimals: it shows IQD with none where ISO 4217 has three.

import { locale, plural, t } from "./i18n.js";

export { locale };
const exponents = new Map();    // currency -> decimals, as the server answered them
const formatters = new Map();

/** Remember the decimals of every currency an API answer names (api.js calls it on each answer). */
export function learnCurrencies(answer) {
  if (Array.isArray(answer)) {
    answer.forEach(learnCurrencies);
  } else if (answer && typeof answer === "object") {
    if (typeof answer.currency === "string" && Number.isInteger(answer.currency_exponent)) {
      exponents.set(answer.currency, answer.currency_exponent);
    }
    Object.values(answer).forEach(learnCurrencies);
  }
}

function currencyFormat(currency, exponent) {
  const key = `${currency}:${exponent}`;
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.NumberFormat(locale, {
      style: "currency", currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent }));
  }
  return formatters.get(key);
}

/** "-1234.567" for (-1234567, 3): exact decimal text, never through a binary fraction. */
function decimalText(amountMinor, exponent) {
  const digits = String(Math.abs(Number(amountMinor))).padStart(exponent + 1, "0");
  const units = digits.slice(0, digits.length - exponent);
  const fraction = exponent ? "." + digits.slice(digits.length - exponent) : "";
  return (Number(amountMinor) < 0 ? "-" : "") + units + fraction;
}

/** money(1999, "USD") -> "$19.99"; money({amount_minor, currency, currency_exponent}) works too. */
export function money(amountMinor, currency) {
  let exponent;
  if (amountMinor && typeof amountMinor === "object") {
    ({ amount_minor: amountMinor, currency, currency_exponent: exponent } = amountMinor);
  }
  if (amountMinor === null || amountMinor === undefined || !currency) return "—";
  exponent = Number.isInteger(exponent) ? exponent : exponents.get(currency);
  if (exponent === undefined) return `${currency} ${amountMinor} (minor units)`;   // never a guess
  return currencyFormat(currency, exponent).format(decimalText(amountMinor, exponent));
}

/** percent(2500) -> "25%" ("25 %" in German): a share given in basis points, as the server gives it. */
export function percent(basisPoints) {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(basisPoints / 10000);
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

// Billing days are the organization's: an instant (an invoice's issue time, a payment's) is shown
// as the day it was there, so the portal, the PDFs and the emails name the same day.
let timeZone = "UTC";
const INTERVALS = ["day", "week", "month", "year"];

/** How often a plan's price is billed: "per month", "every 3 months", "pro Jahr". */
export function perTerm(interval, count = 1) {
  const unit = INTERVALS.includes(interval) ? interval : "month";
  return plural(`subscriptions.every.${unit}`, count || 1);
}

export function useTimeZone(name) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    timeZone = name;
  } catch { /* an unknown zone: keep UTC rather than the browser's */ }
}

/** A calendar date ("2026-03-01" stays the 1st of March everywhere), or the day of an instant
 * in the organization's time zone; written out ("6 December 2026", "6. Dezember 2026") as the
 * emails and PDFs write it. */
export function date(value) {
  if (!value) return "—";
  const day = dateOnly.test(value);
  const at = day ? new Date(value + "T00:00:00Z") : new Date(value);
  if (Number.isNaN(at.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: day ? "UTC" : timeZone }).format(at);
}

/** An instant: its day written out as `date` writes days (a page showing both reads one way), and
 * its time, in the organization's time zone. */
export function dateTime(value) {
  if (!value) return "—";
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone }).format(at);
}

/** YYYY-MM-DD of the organization's day at `at` (today by default), for <input type="date">. */
export function isoDay(at = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit",
    day: "2-digit" }).formatToParts(at).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The first day of the organization's current month, YYYY-MM-DD. */
export function firstOfMonth() {
  return isoDay().slice(0, 8) + "01";
}

const STATUSES = ["future", "trial", "live", "non_renewing", "dunning", "unpaid", "paused", "cancelled", "expired",
  "open", "partially_paid", "paid", "void", "overdue", "succeeded", "failed", "pending", "requires_action", "sent",
  "accepted", "declined", "approved", "rejected"];
const LABELS = Object.fromEntries(STATUSES.map((status) => [status, t(`status.${status}`)]));
const TONES = {
  live: "good", paid: "good", succeeded: "good", accepted: "good", approved: "good", trial: "info", future: "info",
  non_renewing: "warn", dunning: "warn", unpaid: "bad", overdue: "bad", failed: "bad", cancelled: "", expired: "",
  paused: "warn", open: "info", partially_paid: "warn", requires_action: "warn", sent: "info", pending: "info",
  declined: "bad", rejected: "bad",
};

/** A status in words; one the portal does not know yet is reported, never shown as its key. */
export function statusLabel(status) {
  if (LABELS[status]) return LABELS[status];
  console.error(`no words for the status ${status}`);
  return t("status.unknown");
}
export function statusTone(status) { return TONES[status] || ""; }

// Every invoice the portal answers (its lists, a subscription's, the detail) says what is still
// owed and whether it is overdue by the organization's clock (a test clock, maybe), so the
// browser never works either out with its own.
/** What is still owed on an invoice. */
export function invoiceBalance(invoice) { return invoice.balance_minor; }
export function isOverdue(invoice) { return invoice.overdue; }
