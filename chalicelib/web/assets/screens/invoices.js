// Invoices: the list with its filters (Outstanding among them), an invoice's detail with
// Make Payment, its PDF, and Forward (the primary contact only).
import { api } from "../api.js";
import { download } from "../download.js";
import { money, date, invoiceBalance, isOverdue } from "../format.js";
import { h, replace, loading, empty, pages, badge, pageHeader, table, filters, dialog, field, onSubmit, toast,
         checkbox } from "../ui.js";

const FILTERS = [["all", "All"], ["outstanding", "Outstanding"], ["overdue", "Overdue"], ["partially_paid", "Partially paid"], ["paid", "Paid"], ["void", "Void"]];

export async function list({ main, query }) {
  const status = FILTERS.some(([value]) => value === query.status) ? query.status : "all";
  const body = h("div", {}, loading("Loading invoices…"));
  replace(main, pageHeader("Invoices", "Everything we have billed you."),
    filters("Filter invoices", FILTERS, status, (value) => (value === "all" ? "#/invoices" : `#/invoices?status=${value}`)),
    h("section", { class: "card", "aria-label": "Invoices" }, body));
  await pages(body, (cursor) => api.get("/portal/invoices", { status: status === "all" ? undefined : status, cursor }),
    (items) => invoiceTable(items), () => empty(status === "outstanding" ? "Nothing to pay" : "No invoices here",
      status === "outstanding" ? "You are all paid up." : "Invoices will appear here once they are issued."));
}

export function invoiceTable(items, { caption = "Invoices" } = {}) {
  return table(caption, [
    { label: "Invoice", cell: (i) => h("a", { href: `#/invoices/${encodeURIComponent(i.invoice_id)}` }, i.number) },
    { label: "Date", cell: (i) => date(i.issued_at) },
    { label: "Due", cell: (i) => date(i.due_on) },
    { label: "Status", cell: (i) => badge(isOverdue(i) ? "overdue" : i.status) },
    { label: "Amount", num: true, cell: (i) => money(i.total_minor, i.currency) },
    { label: "Balance due", num: true, cell: (i) => money(invoiceBalance(i), i.currency) },
    { label: "Actions", cell: (i) => (invoiceBalance(i) > 0
      ? h("a", { href: `#/pay?invoices=${encodeURIComponent(i.invoice_id)}`, "aria-label": `Pay Now, invoice ${i.number}` }, "Pay Now")
      : "") },
  ], items);
}

export async function detail({ main, params, me }) {
  replace(main, loading("Loading the invoice…"));
  const invoice = await api.get(`/portal/invoices/${encodeURIComponent(params.id)}`);
  const balance = invoiceBalance(invoice);
  const canForward = me.features.forward_documents && me.contact.role === "primary";
  const currency = invoice.currency;
  const credits = (invoice.credits_applied || []).reduce((sum, c) => sum + c.amount_minor, 0);
  // a Rounding line (currencies charged in steps, e.g. KWD) comes after the tax, above the total
  const lines = (invoice.lines || []).filter((line) => line.kind !== "rounding");
  const rounding = (invoice.lines || []).filter((line) => line.kind === "rounding");
  replace(main,
    h("p", { class: "no-print" }, h("a", { href: "#/invoices" }, "← All invoices")),
    pageHeader(`Invoice ${invoice.number}`, `Issued ${date(invoice.issued_at)} · due ${date(invoice.due_on)}`,
      balance > 0 ? h("a", { class: "button", href: `#/pay?invoices=${encodeURIComponent(invoice.invoice_id)}` }, "Make Payment") : null,
      h("button", { type: "button", class: "secondary", onClick: () => download(
        `/portal/invoices/${encodeURIComponent(invoice.invoice_id)}/pdf`, null, `${invoice.number}.pdf`) }, "Download PDF"),
      canForward ? h("button", { type: "button", class: "secondary", onClick: () => forward(invoice) }, "Forward") : null),
    h("section", { class: "card", "aria-label": "Invoice details" },
      h("header", {}, h("h2", {}, money(invoice.total_minor, currency)), badge(isOverdue(invoice) ? "overdue" : invoice.status)),
      invoice.period_start ? h("p", { class: "hint" }, `Service period ${date(invoice.period_start)} – ${date(invoice.period_end)}`) : null,
      h("div", { class: "table-wrap" }, h("table", {},
        h("caption", { class: "visually-hidden" }, "Invoice lines"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Description"), h("th", { scope: "col", class: "num" }, "Qty"),
          h("th", { scope: "col", class: "num" }, "Amount"))),
        h("tbody", {}, lines.map((line) => h("tr", {}, h("td", {}, line.description),
          h("td", { class: "num" }, line.quantity ?? 1), h("td", { class: "num" }, money(line.amount_minor, currency))))),
        h("tfoot", {},
          row("Subtotal", money(invoice.subtotal_minor, currency)),
          (invoice.taxes || []).map((tax) => row(`${tax.name} (${tax.rate_bp / 100}%)`, money(tax.amount_minor, currency))),
          rounding.map((line) => row(line.description, money(line.amount_minor, currency))),
          row("Total", money(invoice.total_minor, currency), "total"),
          credits ? row("Credits applied", `−${money(credits, currency)}`) : null,
          invoice.amount_paid_minor ? row("Paid", `−${money(invoice.amount_paid_minor, currency)}`) : null,
          row("Balance due", money(balance, currency), "total")))),
      invoice.notes ? h("p", {}, invoice.notes) : null),
    (invoice.payments || []).length ? h("section", { class: "card", "aria-labelledby": "invoice-payments" },
      h("h2", { id: "invoice-payments" }, "Payments"),
      table("Payments of this invoice", [
        { label: "Date", cell: (p) => h("a", { href: `#/payments/${encodeURIComponent(p.payment_id)}` }, date(p.paid_at)) },
        { label: "Paid with", cell: (p) => p.method_summary || "—" },
        { label: "Amount", num: true, cell: (p) => money(p.amount_minor, currency) },
      ], invoice.payments)) : null);
}

function row(label, amount, kind) {
  return h("tr", { class: kind || null }, h("th", { scope: "row", colspan: 2 }, label), h("td", { class: "num" }, amount));
}

async function forward(invoice) {
  let contacts;
  try {
    contacts = (await api.get("/portal/contacts")).items || [];
  } catch (error) {
    if (!error.sessionEnded) toast(error.message, "error");
    return;
  }
  await dialog(`Forward invoice ${invoice.number}`, (close) => {
    const form = h("form", { id: "forward-form" },
      h("fieldset", { id: "forward-contacts", "data-field": "contact_ids", tabindex: "-1" }, h("legend", {}, "Send to"),
        contacts.length ? contacts.map((c) => checkbox({ label: `${c.name} <${c.email}>`, name: `contact:${c.contact_id}` }))
          : h("p", { class: "hint" }, "Your account has no other contact persons yet."),
        h("p", { class: "field-error", id: "forward-contacts-error", hidden: true })),
      field({ label: "Subject", name: "subject", value: `Invoice ${invoice.number}` }),
      field({ label: "Message", name: "body", type: "textarea", rows: 5,
              value: `Please find invoice ${invoice.number} attached.` }));
    onSubmit(form, async (values) => {
      const chosen = Object.entries(values).filter(([name, on]) => name.startsWith("contact:") && on).map(([name]) => name.slice(8));
      if (!chosen.length) throw Object.assign(new Error("Choose at least one person."), { fields: { contact_ids: "Choose at least one person." } });
      const answer = await api.post(`/portal/invoices/${encodeURIComponent(invoice.invoice_id)}/forward`,
        { contact_ids: chosen, subject: values.subject, body: values.body });
      close(true);
      const to = (answer && answer.recipients) || [];
      toast(`Invoice ${invoice.number} sent${to.length ? ` to ${to.join(", ")}` : ""}.`);
    });
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, "Cancel"),
      h("button", { type: "submit", form: "forward-form" }, "Send")] };
  });
}
