// Home: outstanding invoices with Pay Now, available credits, the last payment, pending
// approvals, my details, the organization's contact, and Send Email / Review at the bottom.
import { api } from "../api.js";
import { money, date } from "../format.js";
import { spendingHistory } from "../spending.js";
import { h, replace, loading, pageHeader, field, onSubmit, dialog, toast, alert } from "../ui.js";

export async function show({ main, me }) {
  const organization = me.organization || {};
  const figures = h("div", {}, loading("Loading your account…"));
  const details = myDetails(me);
  const spending = h("div");
  replace(main, pageHeader(`Welcome, ${me.contact.name.split(" ")[0] || me.contact.name}`, me.customer.display_name),
    figures, spending,
    h("div", { class: "grid" }, details, organizationContact(organization)),
    h("section", { class: "card", "aria-labelledby": "reach-us" },
      h("h2", { id: "reach-us" }, `Talk to ${organization.name || "us"}`),
      h("p", { class: "hint" }, "Questions about your account? Write to us, or tell us how we are doing."),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onClick: sendEmail }, "Send Email"),
        me.features.reviews ? h("button", { type: "button", class: "secondary", onClick: writeReview }, "Review") : null)));

  spendingHistory(spending);
  let dashboard;
  try {
    dashboard = await api.get("/portal/dashboard");
  } catch (error) {
    if (error.sessionEnded) return;
    replace(figures, alert("info", "Your account summary is not available right now."));
    return;
  }
  replace(figures, summary(dashboard, organization.currency));
  if (dashboard.my_details) replace(details, myDetails(me, dashboard.my_details));
}

const minor = (value, currency) => (value && typeof value === "object" ? value : { amount_minor: value ?? 0, currency });

function summary(dashboard, currency) {
  const outstanding = dashboard.outstanding || {};
  const owed = minor(outstanding.total ?? outstanding.total_minor ?? outstanding.amount_minor, outstanding.currency || currency);
  const credits = minor(dashboard.available_credits ?? dashboard.available_credits_minor, currency);
  const last = dashboard.last_payment;
  const approvals = dashboard.pending_approvals || {};
  return h("div", { class: "grid" },
    stat("outstanding", "Outstanding invoices", money(owed),
      `${outstanding.count || 0} ${outstanding.count === 1 ? "invoice" : "invoices"} to pay`,
      outstanding.count ? h("a", { class: "button", href: "#/pay?all=1" }, "Pay Now") : h("span", { class: "hint" }, "You are all paid up.")),
    stat("credits", "Available credits", money(credits), "Applied to your next invoices automatically."),
    stat("last-payment", "Last payment made", last ? money(minor(last.amount ?? last.amount_minor, last.currency || currency)) : "None yet",
      last ? `on ${date(last.date || last.succeeded_at || last.paid_at || last.created_at)}` : "Your payments will show here.",
      last && (last.invoice_id || (last.invoice_ids || [])[0])
        ? h("a", { href: `#/invoices/${encodeURIComponent(last.invoice_id || last.invoice_ids[0])}` },
          `View invoice ${last.invoice_number || ""}`.trim())
        : null),
    stat("approvals", "Pending approvals", String((approvals.estimates || 0) + (approvals.timesheets || 0)), null,
      h("div", { class: "actions" },
        h("a", { href: "#/approvals?tab=estimates" }, counted(approvals.estimates, "estimate")),
        h("a", { href: "#/approvals?tab=timesheets" }, counted(approvals.timesheets, "timesheet")))));
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
    h("header", {}, h("h2", { id: "my-details" }, "My details"), h("a", { href: "#/details" }, "View more")),
    h("dl", { class: "details" },
      h("dt", {}, "Name"), h("dd", {}, me.contact.name),
      h("dt", {}, "Email"), h("dd", {}, me.contact.email),
      h("dt", {}, "Account"), h("dd", {}, me.customer.display_name),
      address.length ? [h("dt", {}, "Billing address"), h("dd", {}, h("address", {}, address.map((line, i) => [i ? h("br") : null, line])))] : null,
      more.payment_methods ? [h("dt", {}, "Payment method"), h("dd", {}, card ? card.summary : "None saved")] : null));
}

function organizationContact(organization) {
  const address = organization.address || [];
  return h("section", { class: "card", "aria-labelledby": "org-contact" },
    h("h2", { id: "org-contact" }, organization.name || "Contact"),
    h("dl", { class: "details" },
      organization.email ? [h("dt", {}, "Email"), h("dd", {}, h("a", { href: `mailto:${organization.email}` }, organization.email))] : null,
      organization.phone ? [h("dt", {}, "Phone"), h("dd", {}, h("a", { href: `tel:${organization.phone.replace(/\s/g, "")}` }, organization.phone))] : null,
      organization.website ? [h("dt", {}, "Website"), h("dd", {}, h("a", { href: organization.website, rel: "noopener noreferrer", target: "_blank" }, organization.website.replace(/^https?:\/\//, "")))] : null,
      address.length ? [h("dt", {}, "Address"), h("dd", {}, h("address", {}, address.map((line, i) => [i ? h("br") : null, line])))] : null));
}

function sendEmail() {
  return dialog("Send us an email", (close) => {
    const form = h("form", { id: "send-email-form" },
      field({ label: "Subject", name: "subject", required: true }),
      field({ label: "Message", name: "message", type: "textarea", required: true, rows: 6 }));
    onSubmit(form, async (values) => {
      await api.post("/portal/messages", { subject: values.subject, message: values.message });
      close(true);
      toast("Your message is on its way. Replies come to your email.");
    });
    return {
      body: form,
      actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, "Cancel"),
        h("button", { type: "submit", form: "send-email-form" }, "Send")],
    };
  });
}

function writeReview() {
  return dialog("Write a review", (close) => {
    const form = reviewForm("review-form", () => close(true));
    return {
      body: form,
      actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, "Cancel"),
        h("button", { type: "submit", form: "review-form" }, "Submit Review")],
    };
  });
}

/** The review page (the merchant's review request links here): the same form as Home's dialog. */
export function review({ main, me, navigate }) {
  const organization = me.organization || {};
  const form = reviewForm("review-page-form", () => navigate("#/home"));
  form.append(h("div", { class: "actions" }, h("a", { class: "button secondary", href: "#/home" }, "Cancel"),
    h("button", { type: "submit" }, "Submit Review")));
  replace(main, pageHeader(`Review ${organization.name || "us"}`, "Tell us how we are doing."),
    h("section", { class: "card", "aria-label": "Your review" }, form));
}

function reviewForm(id, done) {
  const labels = ["", "Poor", "Fair", "Good", "Very good", "Excellent"];
  const stars = h("fieldset", { class: "stars" }, h("legend", {}, "Your rating"),
    [1, 2, 3, 4, 5].map((n) => h("label", { "data-star": n },
      h("input", { type: "radio", name: "rating", value: n, "data-field": "rating", required: true }),
      h("span", { "aria-hidden": "true" }, "★"), h("span", { class: "visually-hidden" }, `${n} star${n > 1 ? "s" : ""}: ${labels[n]}`))));
  const paint = () => {
    const chosen = Number(stars.querySelector("input:checked")?.value || 0);
    stars.querySelectorAll("label").forEach((label) => label.classList.toggle("on", Number(label.dataset.star) <= chosen));
  };
  stars.addEventListener("change", paint);
  const form = h("form", { id }, stars, h("p", { class: "field-error", id: "rating-error", hidden: true }),
    field({ label: "Comment", name: "comment", type: "textarea", rows: 5 }),
    h("p", { class: "hint" }, "Only the team sees your review; it is never published."));
  onSubmit(form, async (values) => {
    if (!values.rating) throw Object.assign(new Error("Choose from 1 to 5 stars."), { fields: { rating: "Choose from 1 to 5 stars." } });
    await api.post("/portal/reviews", { rating: Number(values.rating), comment: values.comment });
    done();
    toast("Thank you for your review.");
  });
  return form;
}


function counted(count, noun) {
  const n = count || 0;
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
