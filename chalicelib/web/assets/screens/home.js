// Home: outstanding invoices with Pay Now, available credits, the last payment, pending
// approvals, my details, the organization's contact, and Send Email / Review at the bottom.
import { api } from "../api.js";
import { money, date } from "../format.js";
import { plural, t } from "../i18n.js";
import { spendingHistory } from "../spending.js";
import { h, replace, loading, pageHeader, field, onSubmit, dialog, toast, alert } from "../ui.js";
import { canPay, isOwner } from "../roles.js";

export async function show({ main, me }) {
  const organization = me.organization || {};
  const figures = h("div", {}, loading(t("home.loading")));
  const details = myDetails(me);
  const spending = h("div");
  replace(main, pageHeader(t("home.welcome", { name: me.contact.name.split(" ")[0] || me.contact.name }), me.customer.display_name),
    figures, spending,
    h("div", { class: "grid" }, details, organizationContact(organization)),
    h("section", { class: "card", "aria-labelledby": "reach-us" },
      h("h2", { id: "reach-us" }, organization.name ? t("home.talk_to", { organization: organization.name }) : t("home.talk_to_us")),
      h("p", { class: "hint" }, t("home.talk_hint")),
      h("div", { class: "actions" },
        canPay(me) ? h("button", { type: "button", class: "secondary", onClick: sendEmail }, t("home.send_email")) : null,
        me.features.reviews && isOwner(me) ? h("button", { type: "button", class: "secondary", onClick: writeReview }, t("home.review")) : null)));

  spendingHistory(spending);
  let dashboard;
  try {
    dashboard = await api.get("/portal/dashboard");
  } catch (error) {
    if (error.sessionEnded) return;
    replace(figures, alert("info", t("home.summary_unavailable")));
    return;
  }
  replace(figures, summary(dashboard, me));
  if (dashboard.my_details) details.replaceWith(myDetails(me, dashboard.my_details));   // the card itself, not a card within it
}

function summary(dashboard, me) {
  const outstanding = dashboard.outstanding;
  const last = dashboard.last_payment;
  const approvals = dashboard.pending_approvals;
  return h("div", { class: "grid" },
    stat("outstanding", t("home.outstanding"), money(outstanding.total_minor, outstanding.currency), plural("home.invoices_to_pay", outstanding.count),
      outstanding.count ? (canPay(me) ? h("a", { class: "button", href: "#/pay?all=1" }, t("home.pay_now")) : null)
        : h("span", { class: "hint" }, t("home.all_paid"))),
    stat("credits", t("home.credits"), money(dashboard.available_credits), t("home.credits_hint")),
    stat("last-payment", t("home.last_payment"), last ? money(last.amount_minor, last.currency) : t("home.none_yet"),
      last ? t("home.paid_on", { date: date(last.date) }) : t("home.payments_hint"),
      last && last.invoice_id ? h("a", { href: `#/invoices/${encodeURIComponent(last.invoice_id)}` }, t("home.view_invoice")) : null),
    stat("approvals", t("home.approvals"), String((approvals.estimates || 0) + (approvals.timesheets || 0)), null,
      approvalLinks(approvals)));
}

/** A link for each kind with something waiting: "0 estimates" leads nowhere worth going. */
function approvalLinks(approvals) {
  const links = [["estimates", approvals.estimates || 0], ["timesheets", approvals.timesheets || 0]]
    .filter(([, count]) => count > 0)
    .map(([tab, count]) => h("a", { href: `#/approvals?tab=${tab}` }, plural(`home.${tab}`, count)));
  return links.length ? h("div", { class: "actions" }, links) : h("span", { class: "hint" }, t("home.nothing_to_approve"));
}

function stat(id, label, value, sub, action) {
  return h("section", { class: "card stat", "aria-labelledby": `stat-${id}` },
    h("h2", { class: "label", id: `stat-${id}` }, label), h("p", { class: "value" }, value),
    sub ? h("p", { class: "sub" }, sub) : null, action || null);
}

function myDetails(me, more = {}) {
  const address = more.billing_address || [];
  const card = (more.payment_methods || []).find((m) => m.is_default) || (more.payment_methods || [])[0];
  return h("section", { class: "card", "aria-labelledby": "my-details" },
    h("header", {}, h("h2", { id: "my-details" }, t("home.my_details")), h("a", { href: "#/details" }, t("home.view_more"))),
    h("dl", { class: "details" },
      h("dt", {}, t("home.name")), h("dd", {}, me.contact.name),
      h("dt", {}, t("home.email")), h("dd", {}, me.contact.email),
      h("dt", {}, t("home.account")), h("dd", {}, me.customer.display_name),
      address.length ? [h("dt", {}, t("home.billing_address")), h("dd", {}, h("address", {}, address.map((line, i) => [i ? h("br") : null, line])))] : null,
      more.payment_methods ? [h("dt", {}, t("home.payment_method")), h("dd", {}, card ? card.summary : t("home.none_saved"))] : null));
}

function organizationContact(organization) {
  const address = organization.address || [];
  return h("section", { class: "card", "aria-labelledby": "org-contact" },
    h("h2", { id: "org-contact" }, organization.name || t("home.contact")),
    h("dl", { class: "details" },
      organization.email ? [h("dt", {}, t("home.email")), h("dd", {}, h("a", { href: `mailto:${organization.email}` }, organization.email))] : null,
      organization.phone ? [h("dt", {}, t("home.phone")), h("dd", {}, h("a", { href: `tel:${organization.phone.replace(/\s/g, "")}` }, organization.phone))] : null,
      organization.website ? [h("dt", {}, t("home.website")), h("dd", {}, h("a", { href: organization.website, rel: "noopener noreferrer", target: "_blank" }, organization.website.replace(/^https?:\/\//, "")))] : null,
      address.length ? [h("dt", {}, t("home.address")), h("dd", {}, h("address", {}, address.map((line, i) => [i ? h("br") : null, line])))] : null));
}

function sendEmail() {
  return dialog(t("home.email_title"), (close) => {
    const form = h("form", { id: "send-email-form" },
      field({ label: t("home.subject"), name: "subject", required: true }),
      field({ label: t("home.message"), name: "message", type: "textarea", required: true, rows: 6 }));
    onSubmit(form, async (values) => {
      await api.post("/portal/messages", { subject: values.subject, message: values.message });
      close(true);
      toast(t("home.message_sent"));
    });
    return {
      body: form,
      actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.cancel")),
        h("button", { type: "submit", form: "send-email-form" }, t("home.send"))],
    };
  });
}

function writeReview() {
  return dialog(t("home.review_title"), (close) => {
    const form = reviewForm("review-form", () => close(true));
    return {
      body: form,
      actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.cancel")),
        h("button", { type: "submit", form: "review-form" }, t("home.submit_review"))],
    };
  });
}

/** The review page (the merchant's review request links here): the same form as Home's dialog. */
export function review({ main, me, navigate }) {
  const organization = me.organization || {};
  const form = reviewForm("review-page-form", () => navigate("#/home"));
  form.append(h("div", { class: "actions" }, h("a", { class: "button secondary", href: "#/home" }, t("common.cancel")),
    h("button", { type: "submit" }, t("home.submit_review"))));
  replace(main, pageHeader(organization.name ? t("home.review_page", { organization: organization.name }) : t("home.review_page_us"),
    t("home.review_page_hint")), h("section", { class: "card", "aria-label": t("home.your_review") }, form));
}

function reviewForm(id, done) {
  const labels = ["", t("home.stars.poor"), t("home.stars.fair"), t("home.stars.good"), t("home.stars.very_good"), t("home.stars.excellent")];
  const stars = h("fieldset", { class: "stars" }, h("legend", {}, t("home.rating")),
    [1, 2, 3, 4, 5].map((n) => h("label", { "data-star": n },
      h("input", { type: "radio", name: "rating", value: n, "data-field": "rating", required: true }),
      h("span", { "aria-hidden": "true" }, "★"), h("span", { class: "visually-hidden" }, plural("home.stars", n, { label: labels[n] })))));
  const paint = () => {
    const chosen = Number(stars.querySelector("input:checked")?.value || 0);
    stars.querySelectorAll("label").forEach((label) => label.classList.toggle("on", Number(label.dataset.star) <= chosen));
  };
  stars.addEventListener("change", paint);
  const form = h("form", { id }, stars, h("p", { class: "field-error", id: "rating-error", hidden: true }),
    field({ label: t("home.comment"), name: "comment", type: "textarea", rows: 5 }),
    h("p", { class: "hint" }, t("home.review_hint")));
  onSubmit(form, async (values) => {
    if (!values.rating) throw Object.assign(new Error(t("home.choose_stars")), { fields: { rating: t("home.choose_stars") } });
    await api.post("/portal/reviews", { rating: Number(values.rating), comment: values.comment });
    done();
    toast(t("home.review_thanks"));
  });
  return form;
}
