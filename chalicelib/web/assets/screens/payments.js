// Payments Made: every payment, and a payment's receipt (with its refunds) to download or print.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { failureReason } from "../failure_words.js";
import { download } from "../download.js";
import { money, dateTime, date, statusLabel } from "../format.js";
import { h, replace, loading, empty, badge, pageHeader, table, filters, pages } from "../ui.js";
import { canPay } from "../roles.js";

const FILTERS = [["all", t("payments.filter.all")], ["succeeded", statusLabel("succeeded")], ["failed", statusLabel("failed")]];

export async function list({ main, query }) {
  const status = FILTERS.some(([value]) => value === query.status) ? query.status : "all";
  const body = h("div", {}, loading(t("payments.loading")));
  replace(main, pageHeader(t("payments.title"), t("payments.subtitle")),
    filters(t("payments.filter"), FILTERS, status, (value) => (value === "all" ? "#/payments" : `#/payments?status=${value}`)),
    h("section", { class: "card", "aria-label": t("payments.region") }, body));
  await pages(body, async (cursor) => {
    const page = await api.get("/portal/payments", { cursor });
    const items = page.items.filter((p) => status === "all" || p.status === status);
    return { items, next_cursor: page.next_cursor };
  }, (items) => table(t("payments.title"), [
    { label: t("payments.number"), cell: paymentLink },
    { label: t("payments.date"), cell: (p) => paymentDate(p) },
    { label: t("payments.paid_with"), cell: (p) => p.method_summary || "—" },
    { label: t("payments.invoices"), cell: (p) => String((p.allocations || []).length) },
    { label: t("payments.status"), cell: (p) => badge(p.status) },
    { label: t("payments.amount"), num: true, cell: (p) => money(p.amount_minor, p.currency) },
  ], items), () => empty(t("payments.none"), t("payments.none_hint")));
}

const paymentDate = (p) => date(p.status === "succeeded" ? p.succeeded_at : p.created_at);

/** By its number, as invoices are; a payment that did not succeed has none, so its link says what it opens. */
function paymentLink(p) {
  const href = `#/payments/${encodeURIComponent(p.payment_id)}`;
  return p.number ? h("a", { href }, p.number)
    : h("a", { href, "aria-label": t("payments.view_unnumbered", { date: paymentDate(p) }) }, t("payments.view"));
}

export async function receipt({ main, params, me }) {
  replace(main, loading(t("payments.loading_one")));
  const payment = await api.get(`/portal/payments/${encodeURIComponent(params.id)}`);
  if (payment.status !== "succeeded") { notPaid(main, payment, canPay(me)); return; }
  const organization = me.organization || {};
  replace(main,
    h("p", { class: "no-print" }, h("a", { href: "#/payments" }, t("payments.back"))),
    pageHeader(t("payments.receipt"), `${organization.name || ""}`,
      h("button", { type: "button", onClick: () => download(`/portal/payments/${encodeURIComponent(payment.payment_id)}/receipt`,
        null, payment.number ? `receipt-${payment.number}.pdf` : "receipt.pdf") }, t("payments.download")),
      h("button", { type: "button", class: "secondary", onClick: () => window.print() }, t("payments.print"))),
    h("section", { class: "card", "aria-label": t("payments.receipt_region") },
      h("header", {}, h("h2", {}, money(payment.amount_minor, payment.currency)), badge(payment.status)),
      h("dl", { class: "details" },
        payment.number ? [h("dt", {}, t("payments.number")), h("dd", {}, payment.number)] : null,
        h("dt", {}, t("payments.paid_on")), h("dd", {}, dateTime(payment.succeeded_at)),
        h("dt", {}, t("payments.paid_by")), h("dd", {}, me.customer.display_name),
        h("dt", {}, t("payments.paid_with")), h("dd", {}, payment.method_summary || "—"),
        h("dt", {}, t("payments.reference")), h("dd", {}, payment.payment_id),
        payment.refunded_minor ? [h("dt", {}, t("payments.refunded")), h("dd", {}, money(payment.refunded_minor, payment.currency))] : null),
      h("h3", {}, t("payments.invoices_paid")),
      invoicesTable(t("payments.invoices_paid"), payment),
      (payment.refunds || []).length ? [h("h3", {}, t("payments.refunds")),
        table(t("payments.refunds"), [
          { label: t("payments.date"), cell: (r) => date(r.refunded_at) },
          { label: t("payments.credit_note"), cell: (r) => r.number },
          { label: t("payments.amount"), num: true, cell: (r) => money(r.amount_minor, payment.currency) },
        ], payment.refunds)] : null));
}

/** A payment that did not go through (failed) or has no outcome yet (pending, waiting for the
 * bank): what it is, why, and what to do; never a receipt, since nothing was paid. */
function notPaid(main, payment, payable) {
  const failed = payment.status === "failed";
  const invoiceIds = (payment.allocations || []).map((a) => encodeURIComponent(a.invoice_id));
  const payAgain = failed && payable && invoiceIds.length
    ? h("a", { class: "button", href: `#/pay?invoices=${invoiceIds.join(",")}` }, t("payments.pay_again")) : null;
  replace(main,
    h("p", {}, h("a", { href: "#/payments" }, t("payments.back"))),
    pageHeader(failed ? t("payments.failed") : t("payments.in_progress"),
      failed ? t("payments.failed_hint")
        : t("payments.pending_hint"),
      payAgain),
    h("section", { class: "card", "aria-label": failed ? t("payments.failed") : t("payments.in_progress") },
      h("header", {}, h("h2", {}, money(payment.amount_minor, payment.currency)), badge(payment.status)),
      h("dl", { class: "details" },
        h("dt", {}, t("payments.tried_on")), h("dd", {}, dateTime(payment.created_at)),
        h("dt", {}, t("payments.tried_with")), h("dd", {}, payment.method_summary || "—"),
        h("dt", {}, t("payments.reference")), h("dd", {}, payment.payment_id),
        failed ? [h("dt", {}, t("payments.why")), h("dd", {}, failureReason(payment.failure_code, payment.failure_message) || t("payments.declined"))] : null,
        failed ? [h("dt", {}, t("payments.what_to_do")), h("dd", {}, t("payments.what_to_do_text"))] : null),
      // not "still to pay": they may have been paid since, by another payment
      h("h3", {}, failed ? t("payments.invoices_was_for") : t("payments.invoices_is_for")),
      invoicesTable(failed ? t("payments.invoices_was_for") : t("payments.invoices_is_for"), payment)));
}

function invoicesTable(name, payment) {
  return table(name, [
    { label: t("payments.invoice"), cell: (a) => h("a", { href: `#/invoices/${encodeURIComponent(a.invoice_id)}` }, a.number) },
    { label: t("payments.amount"), num: true, cell: (a) => money(a.amount_minor, payment.currency) },
  ], payment.allocations || []);
}
