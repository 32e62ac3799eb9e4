// Pending approvals: estimates to accept or decline, timesheets to approve or reject.
import { api } from "../api.js";
import { download } from "../download.js";
import { money, date } from "../format.js";
import { h, replace, loading, empty, badge, pageHeader, table, filters, dialog, field, onSubmit, toast, pages } from "../ui.js";

const TABS = [["estimates", "Estimates"], ["timesheets", "Timesheets"]];

export async function show(context) {
  const { main, query } = context;
  const tab = query.tab === "timesheets" ? "timesheets" : "estimates";
  const pendingOnly = query.all !== "1";
  const body = h("div", {}, loading("Loading…"));
  replace(main, pageHeader("Approvals", "Estimates and timesheets waiting for your answer."),
    filters("Approvals", TABS, tab, (value) => `#/approvals?tab=${value}`),
    h("p", {}, pendingOnly ? h("a", { href: `#/approvals?tab=${tab}&all=1` }, `Show all ${tab}`)
      : h("a", { href: `#/approvals?tab=${tab}` }, "Show only those waiting for me")),
    h("section", { class: "card", "aria-label": tab === "estimates" ? "Estimates" : "Timesheets" }, body));
  const reload = (message) => { toast(message); return show(context); };
  if (tab === "estimates") {
    await pages(body, (cursor) => api.get("/portal/estimates", { status: pendingOnly ? "sent" : undefined, cursor }),
      (items) => table("Estimates", [
        { label: "Estimate", cell: (e) => e.number },
        { label: "Date", cell: (e) => date(e.issued_at) },
        { label: "Expires", cell: (e) => date(e.expires_at) },
        { label: "Status", cell: (e) => badge(e.status) },
        { label: "Amount", num: true, cell: (e) => money(e.total_minor, e.currency) },
        { label: "Actions", cell: (e) => h("span", { class: "actions" },
          h("button", { type: "button", class: "link", onClick: () => download(`/portal/estimates/${encodeURIComponent(e.estimate_id)}/pdf`, null, `${e.number}.pdf`) }, "PDF"),
          e.status === "sent" ? [
            h("button", { type: "button", class: "link", onClick: () => decide("estimates", e.estimate_id, "accept", `Accept estimate ${e.number}`, reload) }, "Accept"),
            h("button", { type: "button", class: "link", onClick: () => decide("estimates", e.estimate_id, "decline", `Decline estimate ${e.number}`, reload) }, "Decline")] : null) },
      ], items), () => empty(pendingOnly ? "No estimates waiting" : "No estimates", "Estimates we send you will show here."));
  } else {
    await pages(body, (cursor) => api.get("/portal/timesheets", { status: pendingOnly ? "pending" : undefined, cursor }),
      (items) => table("Timesheets", [
        { label: "Project", cell: (t) => t.project },
        { label: "Period", cell: (t) => `${date(t.period_start)} – ${date(t.period_end)}` },
        { label: "Hours", num: true, cell: (t) => hours(t.entries) },
        { label: "Status", cell: (t) => badge(t.status) },
        { label: "Actions", cell: (t) => (t.status === "pending" ? h("span", { class: "actions" },
          h("button", { type: "button", class: "link", onClick: () => decide("timesheets", t.timesheet_id, "approve", `Approve ${t.project}`, reload) }, "Approve"),
          h("button", { type: "button", class: "link", onClick: () => decide("timesheets", t.timesheet_id, "reject", `Reject ${t.project}`, reload) }, "Reject")) : "") },
      ], items), () => empty(pendingOnly ? "No timesheets waiting" : "No timesheets", "Timesheets to approve will show here."));
  }
}

function hours(entries) {
  const minutes = (entries || []).reduce((sum, e) => sum + e.minutes, 0);
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(minutes / 60);
}

const PAST = { accept: "accepted", decline: "declined", approve: "approved", reject: "rejected" };

function decide(kind, id, decision, title, reload) {
  return dialog(title, (close) => {
    const form = h("form", { id: "decision-form" }, field({ label: "Comment (optional)", name: "comment", type: "textarea", rows: 3 }));
    onSubmit(form, async (values) => {
      await api.post(`/portal/${kind}/${encodeURIComponent(id)}/${decision}`, { comment: values.comment });
      close(true);
      await reload(`${kind === "estimates" ? "Estimate" : "Timesheet"} ${PAST[decision]}.`);
    });
    const label = decision[0].toUpperCase() + decision.slice(1);
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, "Cancel"),
      h("button", { type: "submit", form: "decision-form", class: ["decline", "reject"].includes(decision) ? "danger" : "" }, label)] };
  });
}
