// Statements: choose a date range, Go, then read, download or print the statement of accounts.
import { api } from "../api.js";
import { download } from "../download.js";
import { money, date, isoDay, firstOfMonth } from "../format.js";
import { spendingHistory } from "../spending.js";
import { h, replace, loading, empty, pageHeader, field, onSubmit, table, showErrors } from "../ui.js";

export async function show({ main, query, navigate }) {
  const from = query.from || firstOfMonth();
  const to = query.to || isoDay();
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card no-print", "aria-label": "Date range" },
    h("div", { class: "form-row" },
      field({ label: "From", name: "from", type: "date", value: from, required: true }),
      field({ label: "To", name: "to", type: "date", value: to, required: true })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Go")));
  onSubmit(form, async (values) => {
    await load(result, form, values.from, values.to);
    history.replaceState(null, "", `#/statements?from=${values.from}&to=${values.to}`);
  });
  const spending = h("div", { class: "no-print" });
  replace(main, pageHeader("Statement of accounts", "Everything billed, paid and credited over a period."), form, result,
    spending);
  spendingHistory(spending);
  await load(result, form, from, to).catch((error) => { if (!error.sessionEnded) showErrors(form, error); });
}

async function load(result, form, from, to) {
  replace(result, loading("Preparing your statement…"));
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
      h("button", { type: "button", onClick: () => download("/portal/statements/pdf", range, `statement-${range.from}-${range.to}.pdf`) }, "Download PDF"),
      h("button", { type: "button", class: "secondary", onClick: () => window.print() }, "Print")),
    statements.length ? statements.map((s) => statement(s)) : h("section", { class: "card" },
      empty("Nothing in this period", "No invoices, payments or credits between these dates.")));
}

function statement(s) {
  return h("section", { class: "card", "aria-label": `Statement in ${s.currency}` },
    h("h2", {}, `${date(s.period_start)} – ${date(s.period_end)}`, s.currency ? ` (${s.currency})` : ""),
    h("button", { type: "button", class: "secondary no-print", onClick: () => download("/portal/exports/statement.csv",
      { from: s.period_start, to: s.period_end, currency: s.currency }, `statement-${s.currency}.csv`, "text/csv") },
      `Download CSV (${s.currency})`),
    h("div", { class: "grid" },
      figure("Opening balance", s.opening_balance), figure("Invoiced", s.invoiced), figure("Paid", s.paid),
      figure("Credited", s.credited), s.refunded && s.refunded.amount_minor ? figure("Refunded", s.refunded) : null,
      figure("Closing balance", s.closing_balance)),
    s.rows.length ? table("Transactions", [
      { label: "Date", cell: (r) => date(r.on) },
      { label: "Transaction", cell: (r) => `${kind(r.kind)} ${r.reference}` },
      { label: "Details", cell: (r) => r.description || "" },
      { label: "Amount", num: true, cell: (r) => money(r.amount) },
      { label: "Balance", num: true, cell: (r) => money(r.balance) },
    ], s.rows) : h("p", { class: "hint" }, "No transactions in this period."));
}

function figure(label, amount) {
  return h("div", { class: "stat" }, h("p", { class: "label" }, label), h("p", { class: "value" }, money(amount)));
}

const KINDS = { invoice: "Invoice", payment: "Payment", credit_note: "Credit note", refund: "Refund", void: "Void of", credit_note_void: "Void of" };
const kind = (value) => KINDS[value] || value;
