// Payments Made: every payment, and a payment's receipt (with its refunds) to download or print.
import { api } from "../api.js";
import { download } from "../download.js";
import { money, dateTime, date } from "../format.js";
import { h, replace, loading, empty, badge, pageHeader, table, filters, pages } from "../ui.js";

const FILTERS = [["all", "All"], ["succeeded", "Succeeded"], ["failed", "Failed"]];

export async function list({ main, query }) {
  const status = FILTERS.some(([value]) => value === query.status) ? query.status : "all";
  const body = h("div", {}, loading("Loading payments…"));
  replace(main, pageHeader("Payments made", "Each payment's receipt is a click away."),
    filters("Filter payments", FILTERS, status, (value) => (value === "all" ? "#/payments" : `#/payments?status=${value}`)),
    h("section", { class: "card", "aria-label": "Payments" }, body));
  await pages(body, async (cursor) => {
    const page = await api.get("/portal/payments", { cursor });
    const items = (page.items || page).filter((p) => status === "all" || p.status === status);
    return { items, next_cursor: page.next_cursor };
  }, (items) => table("Payments made", [
    { label: "Date", cell: (p) => h("a", { href: `#/payments/${encodeURIComponent(p.payment_id)}` }, date(p.succeeded_at || p.created_at)) },
    { label: "Paid with", cell: (p) => p.method_summary || "—" },
    { label: "Invoices", cell: (p) => String((p.allocations || []).length) },
    { label: "Status", cell: (p) => badge(p.status) },
    { label: "Amount", num: true, cell: (p) => money(p.amount_minor, p.currency) },
  ], items), () => empty("No payments yet", "Payments you make will show here with their receipts."));
}

export async function receipt({ main, params, me }) {
  replace(main, loading("Loading the payment…"));
  const payment = await api.get(`/portal/payments/${encodeURIComponent(params.id)}`);
  if (payment.status !== "succeeded") { notPaid(main, payment); return; }
  const organization = me.organization || {};
  replace(main,
    h("p", { class: "no-print" }, h("a", { href: "#/payments" }, "← Payments made")),
    pageHeader("Payment receipt", `${organization.name || ""}`,
      h("button", { type: "button", onClick: () => download(`/portal/payments/${encodeURIComponent(payment.payment_id)}/receipt`,
        null, `receipt-${payment.payment_id}.pdf`) }, "Download receipt"),
      h("button", { type: "button", class: "secondary", onClick: () => window.print() }, "Print")),
    h("section", { class: "card", "aria-label": "Receipt" },
      h("header", {}, h("h2", {}, money(payment.amount_minor, payment.currency)), badge(payment.status)),
      h("dl", { class: "details" },
        h("dt", {}, "Paid on"), h("dd", {}, dateTime(payment.succeeded_at)),
        h("dt", {}, "Paid by"), h("dd", {}, me.customer.display_name),
        h("dt", {}, "Paid with"), h("dd", {}, payment.method_summary || "—"),
        h("dt", {}, "Reference"), h("dd", {}, payment.payment_id),
        payment.refunded_minor ? [h("dt", {}, "Refunded"), h("dd", {}, money(payment.refunded_minor, payment.currency))] : null),
      h("h3", {}, "Invoices paid"),
      invoicesTable("Invoices paid", payment),
      (payment.refunds || []).length ? [h("h3", {}, "Refunds"),
        table("Refunds", [
          { label: "Date", cell: (r) => date(r.refunded_at) },
          { label: "Credit note", cell: (r) => r.number },
          { label: "Amount", num: true, cell: (r) => money(r.amount_minor, payment.currency) },
        ], payment.refunds)] : null));
}

/** A payment that did not go through (failed) or has no outcome yet (pending, waiting for the
 * bank): what it is, why, and what to do; never a receipt, since nothing was paid. */
function notPaid(main, payment) {
  const failed = payment.status === "failed";
  const invoiceIds = (payment.allocations || []).map((a) => encodeURIComponent(a.invoice_id));
  const payAgain = failed && invoiceIds.length
    ? h("a", { class: "button", href: `#/pay?invoices=${invoiceIds.join(",")}` }, "Pay again") : null;
  replace(main,
    h("p", {}, h("a", { href: "#/payments" }, "← Payments made")),
    pageHeader(failed ? "Failed payment" : "Payment in progress",
      failed ? "This payment did not go through, and nothing was charged."
        : "Your bank has not confirmed this payment yet. It may still go through; paying again will not charge you twice.",
      payAgain),
    h("section", { class: "card", "aria-label": failed ? "Failed payment" : "Payment in progress" },
      h("header", {}, h("h2", {}, money(payment.amount_minor, payment.currency)), badge(payment.status)),
      h("dl", { class: "details" },
        h("dt", {}, "Tried on"), h("dd", {}, dateTime(payment.created_at)),
        h("dt", {}, "Tried with"), h("dd", {}, payment.method_summary || "—"),
        h("dt", {}, "Reference"), h("dd", {}, payment.payment_id),
        failed ? [h("dt", {}, "Why it failed"), h("dd", {}, payment.failure_message || "The payment was declined.")] : null,
        failed ? [h("dt", {}, "What to do"), h("dd", {}, "Pay again with another card, or ask your bank why it declined.")] : null),
      h("h3", {}, failed ? "Invoices it was for (still to pay)" : "Invoices it is for"),
      invoicesTable(failed ? "Invoices it was for" : "Invoices it is for", payment)));
}

function invoicesTable(name, payment) {
  return table(name, [
    { label: "Invoice", cell: (a) => h("a", { href: `#/invoices/${encodeURIComponent(a.invoice_id)}` }, a.number || a.invoice_id) },
    { label: "Amount", num: true, cell: (a) => money(a.amount_minor, payment.currency) },
  ], payment.allocations || []);
}
