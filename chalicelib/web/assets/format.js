// Money and dates for people: the customer's locale (the browser's), the currency's own
// number of decimals (amounts arrive as integer minor units).

export const locale = (navigator.languages && navigator.languages[0]) || navigator.language || "en-US";
const formatters = new Map();

function currencyFormat(currency) {
  if (!formatters.has(currency)) {
    formatters.set(currency, new Intl.NumberFormat(locale, { style: "currency", currency }));
  }
  return formatters.get(currency);
}

/** money(1999, "USD") -> "$19.99"; money({amount_minor, currency}) works too. */
export function money(amountMinor, currency) {
  if (amountMinor && typeof amountMinor === "object") {
    ({ amount_minor: amountMinor, currency } = amountMinor);
  }
  if (amountMinor === null || amountMinor === undefined || !currency) return "—";
  const format = currencyFormat(currency);
  const exponent = format.resolvedOptions().maximumFractionDigits;
  return format.format(Number(amountMinor) / 10 ** exponent);
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

// Billing days are the organization's: an instant (an invoice's issue time, a payment's) is shown
// as the day it was there, so the portal, the PDFs and the emails name the same day.
let timeZone = "UTC";
export function useTimeZone(name) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    timeZone = name;
  } catch { /* an unknown zone: keep UTC rather than the browser's */ }
}

/** A calendar date ("2026-03-01" stays the 1st of March everywhere), or the day of an instant
 * in the organization's time zone. */
export function date(value) {
  if (!value) return "—";
  const day = dateOnly.test(value);
  const at = day ? new Date(value + "T00:00:00Z") : new Date(value);
  if (Number.isNaN(at.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: day ? "UTC" : timeZone }).format(at);
}

export function dateTime(value) {
  if (!value) return "—";
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(at);
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

const LABELS = {
  future: "Future", trial: "Trial", live: "Live", non_renewing: "Non-renewing", dunning: "Dunning",
  unpaid: "Unpaid", paused: "Paused", cancelled: "Cancelled", expired: "Expired",
  open: "Open", partially_paid: "Partially paid", paid: "Paid", void: "Void", overdue: "Overdue",
  succeeded: "Succeeded", failed: "Failed", pending: "Pending", requires_action: "Needs authentication",
  sent: "Awaiting answer", accepted: "Accepted", declined: "Declined", approved: "Approved", rejected: "Rejected",
};
const TONES = {
  live: "good", paid: "good", succeeded: "good", accepted: "good", approved: "good", trial: "info", future: "info",
  non_renewing: "warn", dunning: "warn", unpaid: "bad", overdue: "bad", failed: "bad", cancelled: "", expired: "",
  paused: "warn", open: "info", partially_paid: "warn", requires_action: "warn", sent: "info", pending: "info",
  declined: "bad", rejected: "bad",
};

export function statusLabel(status) {
  return LABELS[status] || String(status || "").replace(/_/g, " ");
}
export function statusTone(status) { return TONES[status] || ""; }

// Every invoice the portal answers (its lists, a subscription's, the detail) says what is still
// owed and whether it is overdue by the organization's clock (a test clock, maybe), so the
// browser never works either out with its own.
/** What is still owed on an invoice. */
export function invoiceBalance(invoice) { return invoice.balance_minor; }
export function isOverdue(invoice) { return invoice.overdue; }
