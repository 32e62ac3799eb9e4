// Invoices: the list with its filters (Outstanding among them), an invoice's detail with
// Make Payment (owner and billing), its PDF, and Forward (the owner only).
import { api } from "../api.js";
import { download } from "../download.js";
import { money, date, invoiceBalance, isOverdue } from "../format.js";
import { t } from "../i18n.js";
import { lineText } from "../line_words.js";
import { h, replace, loading, empty, pages, badge, pageHeader, table, filters } from "../ui.js";
import { canForward, forwardDocument } from "./forwarding.js";
import { canPay } from "../roles.js";

const FILTERS = ["all", "outstanding", "overdue", "partially_paid", "paid", "void"];

export async function list({ main, query, me }) {
  const status = FILTERS.includes(query.status) ? query.status : "all";
  const body = h("div", {}, loading(t("invoices.loading")));
  replace(main, pageHeader(t("invoices.title"), t("invoices.subtitle")),
    filters(t("invoices.filter"), FILTERS.map((value) => [value, t(`invoices.filter.${value}`)]), status,
      (value) => (value === "all" ? "#/invoices" : `#/invoices?status=${value}`)),
    h("section", { class: "card", "aria-label": t("invoices.title") }, body));
  await pages(body, (cursor) => api.get("/portal/invoices", { status: status === "all" ? undefined : status, cursor }),
    (items) => invoiceTable(items, { payable: canPay(me) }), () => empty(status === "outstanding" ? t("invoices.nothing_to_pay") : t("invoices.none"),
      status === "outstanding" ? t("invoices.all_paid") : t("invoices.none_hint")));
}

export function invoiceTable(items, { caption = t("invoices.title"), payable = true } = {}) {
  return table(caption, [
    { label: t("invoices.invoice"), cell: (i) => h("a", { href: `#/invoices/${encodeURIComponent(i.invoice_id)}` }, i.number) },
    { label: t("invoices.date"), cell: (i) => date(i.issued_at) },
    { label: t("invoices.due"), cell: (i) => date(i.due_on) },
    { label: t("invoices.status"), cell: (i) => badge(isOverdue(i) ? "overdue" : i.status) },
    { label: t("invoices.amount"), num: true, cell: (i) => money(i.total_minor, i.currency) },
    { label: t("invoices.balance_due"), num: true, cell: (i) => money(invoiceBalance(i), i.currency) },
    payable ? { label: t("invoices.actions"), cell: (i) => (invoiceBalance(i) > 0
      ? (i.payable_alone === false ? h("span", { class: "hint" }, t("invoices.paid_with_next"))
        : h("a", { href: `#/pay?invoices=${encodeURIComponent(i.invoice_id)}`, "aria-label": t("invoices.pay_now_label", { number: i.number }) }, t("invoices.pay_now")))
      : "") } : null,
  ].filter(Boolean), items);
}

export async function detail({ main, params, me }) {
  replace(main, loading(t("invoices.loading_one")));
  const invoice = await api.get(`/portal/invoices/${encodeURIComponent(params.id)}`);
  const balance = invoiceBalance(invoice);
  const currency = invoice.currency;
  const path = `/portal/invoices/${encodeURIComponent(invoice.invoice_id)}`;
  const credits = (invoice.credits_applied || []).reduce((sum, c) => sum + c.amount_minor, 0);
  // a Rounding line (currencies charged in steps, e.g. KWD) comes after the tax, above the total
  const lines = (invoice.lines || []).filter((line) => line.kind !== "rounding");
  const rounding = (invoice.lines || []).filter((line) => line.kind === "rounding");
  replace(main,
    h("p", { class: "no-print" }, h("a", { href: "#/invoices" }, t("invoices.back"))),
    pageHeader(t("invoices.heading", { number: invoice.number }), t("invoices.issued_due", { issued: date(invoice.issued_at), due: date(invoice.due_on) }),
      balance > 0 && canPay(me) && invoice.payable_alone !== false ? h("a", { class: "button", href: `#/pay?invoices=${encodeURIComponent(invoice.invoice_id)}` }, t("invoices.make_payment")) : null,
      balance > 0 && invoice.payable_alone === false ? h("p", { class: "hint" }, t("invoices.paid_with_next_long")) : null,
      h("button", { type: "button", class: "secondary", onClick: () => download(`${path}/pdf`, null, `${invoice.number}.pdf`) }, t("invoices.download")),
      canForward(me) ? h("button", { type: "button", class: "secondary", onClick: () => forwardDocument("invoice", invoice.number, path) }, t("invoices.forward")) : null),
    h("section", { class: "card", "aria-label": t("invoices.details") },
      h("header", {}, h("h2", {}, money(invoice.total_minor, currency)), badge(isOverdue(invoice) ? "overdue" : invoice.status)),
      invoice.period_start ? h("p", { class: "hint" }, t("invoices.period", { start: date(invoice.period_start), end: date(invoice.period_end) })) : null,
      h("div", { class: "table-wrap" }, h("table", {},
        h("caption", { class: "visually-hidden" }, t("invoices.lines")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("lines.description")), h("th", { scope: "col", class: "num" }, t("lines.quantity")),
          h("th", { scope: "col", class: "num" }, t("lines.amount")))),
        h("tbody", {}, lines.map((line) => h("tr", {}, h("td", {}, lineText(line, currency)),
          h("td", { class: "num" }, line.quantity ?? 1), h("td", { class: "num" }, money(line.amount_minor, currency))))),
        h("tfoot", {},
          row(t("lines.subtotal"), money(invoice.subtotal_minor, currency)),
          (invoice.taxes || []).map((tax) => row(`${tax.name} (${tax.rate_bp / 100}%)`, money(tax.amount_minor, currency))),
          rounding.map((line) => row(lineText(line, currency), money(line.amount_minor, currency))),
          row(t("lines.total"), money(invoice.total_minor, currency), "total"),
          credits ? row(t("invoices.credits_applied"), `−${money(credits, currency)}`) : null,
          invoice.amount_paid_minor ? row(t("invoices.paid"), `−${money(invoice.amount_paid_minor, currency)}`) : null,
          row(t("invoices.balance_due"), money(balance, currency), "total")))),
      invoice.notes ? h("p", {}, invoice.notes) : null),
    (invoice.payments || []).length ? h("section", { class: "card", "aria-labelledby": "invoice-payments" },
      h("h2", { id: "invoice-payments" }, t("invoices.payments")),
      table(t("invoices.payments_of"), [
        { label: t("invoices.date"), cell: (p) => h("a", { href: `#/payments/${encodeURIComponent(p.payment_id)}` }, date(p.paid_at)) },
        { label: t("invoices.paid_with"), cell: (p) => p.method_summary || "—" },
        { label: t("invoices.amount"), num: true, cell: (p) => money(p.amount_minor, currency) },
      ], invoice.payments)) : null);
}

function row(label, amount, kind) {
  return h("tr", { class: kind || null }, h("th", { scope: "row", colspan: 2 }, label), h("td", { class: "num" }, amount));
}
