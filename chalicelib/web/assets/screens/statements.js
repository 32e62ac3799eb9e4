// Statements: choose a date range, Go, then read, download or print the statement of accounts.
import { api } from "../api.js";
import { download } from "../download.js";
import { money, date, isoDay, firstOfMonth } from "../format.js";
import { t } from "../i18n.js";
import { spendingHistory } from "../spending.js";
import { h, replace, loading, empty, pageHeader, field, onSubmit, table, showErrors } from "../ui.js";

export async function show({ main, query }) {
  const from = query.from || firstOfMonth();
  const to = query.to || isoDay();
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card no-print", "aria-label": t("statements.range") },
    h("div", { class: "form-row" },
      field({ label: t("statements.from"), name: "from", type: "date", value: from, required: true }),
      field({ label: t("statements.to"), name: "to", type: "date", value: to, required: true })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("statements.go"))));
  onSubmit(form, async (values) => {
    await load(result, form, values.from, values.to);
    history.replaceState(null, "", `#/statements?from=${values.from}&to=${values.to}`);
  });
  const spending = h("div", { class: "no-print" });
  replace(main, pageHeader(t("statements.title"), t("statements.subtitle")), form, result, spending);
  spendingHistory(spending);
  await load(result, form, from, to).catch((error) => { if (!error.sessionEnded) showErrors(form, error); });
}

async function load(result, form, from, to) {
  replace(result, loading(t("statements.preparing")));
  let answer;
  try {
    answer = await api.get("/portal/statements", { from, to });
  } catch (error) {
    replace(result);
    throw error;
  }
  const statements = answer.statements || [];
  const range = { from: answer.start || from, to: answer.end || to };
  replace(result,
    h("div", { class: "actions no-print" },
      h("button", { type: "button", onClick: () => download("/portal/statements/pdf", range, `statement-${range.from}-${range.to}.pdf`) }, t("statements.download")),
      h("button", { type: "button", class: "secondary", onClick: () => window.print() }, t("statements.print"))),
    statements.length ? statements.map((s) => statement(s)) : h("section", { class: "card" },
      empty(t("statements.nothing"), t("statements.nothing_hint"))));
}

function statement(s) {
  return h("section", { class: "card", "aria-label": t("statements.in_currency", { currency: s.currency }) },
    h("h2", {}, `${date(s.period_start)} – ${date(s.period_end)}`, s.currency ? ` (${s.currency})` : ""),
    h("button", { type: "button", class: "secondary no-print", onClick: () => download("/portal/exports/statement.csv",
      { from: s.period_start, to: s.period_end, currency: s.currency }, `statement-${s.currency}.csv`, "text/csv") },
      t("statements.download_csv", { currency: s.currency })),
    h("div", { class: "grid" },
      figure(t("statements.opening"), s.opening_balance), figure(t("statements.invoiced"), s.invoiced),
      figure(t("statements.paid"), s.paid), figure(t("statements.credited"), s.credited),
      s.refunded && s.refunded.amount_minor ? figure(t("statements.refunded"), s.refunded) : null,
      figure(t("statements.closing"), s.closing_balance)),
    s.rows.length ? table(t("statements.transactions"), [
      { label: t("statements.date"), cell: (r) => date(r.on) },
      { label: t("statements.transaction"), cell: transaction },
      { label: t("statements.details"), cell: details },
      { label: t("statements.amount"), num: true, cell: (r) => money(r.amount) },
      { label: t("statements.balance"), num: true, cell: (r) => money(r.balance) },
    ], s.rows) : h("p", { class: "hint" }, t("statements.no_rows")));
}

function figure(label, amount) {
  return h("div", { class: "stat" }, h("p", { class: "label" }, label), h("p", { class: "value" }, money(amount)));
}

const KINDS = ["invoice", "payment", "credit_note", "refund", "void", "credit_note_void"];
// A payment's reference is the payment's id, for programs: people read how it was paid and for
// which invoices, which its details say ("Visa •••• 4242 for INV-000006").
function transaction(row) {
  if (!KINDS.includes(row.kind)) console.error(`no words for the statement row ${row.kind}`);
  return row.kind === "payment" ? t("statements.kind.payment") : t(`statements.kind.${row.kind}`, { reference: row.reference });
}

// The ledger keeps a row's details as written when it was booked (in English, days as ISO dates):
// the ones it writes are put in the customer's words; anything else (a credit note's reason) as is.
function details(row) {
  const text = row.description || "";
  const due = /^Due (\d{4}-\d{2}-\d{2})$/.exec(text);
  if (row.kind === "invoice" && due) return t("statements.details.due", { date: date(due[1]) });
  const paid = /^(.*?)\s*\bfor ([A-Z0-9, -]+)$/.exec(text);
  if (row.kind === "payment" && paid) {
    return paid[1] ? t("statements.details.paid_with_for", { method: paid[1], invoices: paid[2] })
      : t("statements.details.paid_for", { invoices: paid[2] });
  }
  if (row.kind === "refund" && text === "Credit refunded") return t("statements.details.credit_refunded");
  return text;
}
