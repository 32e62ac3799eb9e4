// Pending approvals: estimates to accept or decline (their lines and total shown), timesheets to
// approve or reject (their entries shown): nothing is approved without its content in view.
import { api } from "../api.js";
import { download } from "../download.js";
import { money, date, locale } from "../format.js";
import { t } from "../i18n.js";
import { h, replace, loading, empty, badge, pageHeader, filters, dialog, field, onSubmit, toast, pages } from "../ui.js";
import { canForward, forwardDocument } from "./forwarding.js";
import { canDecide } from "../roles.js";

export async function show(context) {
  const { main, query, me } = context;
  const tab = query.tab === "timesheets" ? "timesheets" : "estimates";
  const pendingOnly = query.all !== "1";
  const body = h("div", {}, loading());
  const tabs = [["estimates", t("approvals.estimates")], ["timesheets", t("approvals.timesheets")]];
  replace(main, pageHeader(t("approvals.title"), t("approvals.subtitle")),
    filters(t("approvals.title"), tabs, tab, (value) => `#/approvals?tab=${value}`),
    h("p", {}, pendingOnly ? h("a", { href: `#/approvals?tab=${tab}&all=1` }, t(`approvals.show_all_${tab}`))
      : h("a", { href: `#/approvals?tab=${tab}` }, t("approvals.show_waiting"))),
    h("div", { "aria-label": t(`approvals.${tab}`), role: "region" }, body));
  const reload = (message) => { toast(message); return show(context); };
  if (tab === "estimates") {
    await pages(body, (cursor) => api.get("/portal/estimates", { status: pendingOnly ? "sent" : undefined, cursor }),
      (items) => items.map((e) => estimate(e, me, reload)),
      () => h("section", { class: "card" }, empty(pendingOnly ? t("approvals.no_estimates_waiting") : t("approvals.no_estimates"),
        t("approvals.estimates_hint"))));
  } else {
    await pages(body, (cursor) => api.get("/portal/timesheets", { status: pendingOnly ? "pending" : undefined, cursor }),
      (items) => items.map((s) => timesheet(s, me, reload)),
      () => h("section", { class: "card" }, empty(pendingOnly ? t("approvals.no_timesheets_waiting") : t("approvals.no_timesheets"),
        t("approvals.timesheets_hint"))));
  }
}

function estimate(e, me, reload) {
  const title = t("approvals.estimate", { number: e.number });
  const path = `/portal/estimates/${encodeURIComponent(e.estimate_id)}`;
  return h("section", { class: "card quote", "aria-label": title },
    h("header", {}, h("h2", {}, title), badge(e.status)),
    h("p", { class: "hint" }, t("approvals.issued_expires", { issued: date(e.issued_at), expires: date(e.expires_at) })),
    estimateLines(e, title),
    e.notes ? h("p", {}, e.notes) : null,
    h("div", { class: "actions" },
      e.status === "sent" && canDecide(me) ? [
        h("button", { type: "button", onClick: () => decide("estimates", e.estimate_id, "accept", t("approvals.accept_title", { document: title }), reload) }, t("approvals.accept")),
        h("button", { type: "button", class: "secondary", onClick: () => decide("estimates", e.estimate_id, "decline", t("approvals.decline_title", { document: title }), reload) }, t("approvals.decline"))] : null,
      h("button", { type: "button", class: "secondary", onClick: () => download(`${path}/pdf`, null, `${e.number}.pdf`) }, t("approvals.pdf")),
      canForward(me) ? h("button", { type: "button", class: "secondary", onClick: () => forwardDocument("estimate", e.number, path) }, t("approvals.forward")) : null));
}

function estimateLines(e, title) {
  const cell = (text, num) => h("td", { class: num ? "num" : null }, text);
  return h("div", { class: "table-wrap" }, h("table", {},
    h("caption", {}, t("approvals.lines_of", { document: title })),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("lines.description")), h("th", { scope: "col", class: "num" }, t("lines.quantity")),
      h("th", { scope: "col", class: "num" }, t("lines.unit_price")), h("th", { scope: "col", class: "num" }, t("lines.amount")))),
    h("tbody", {}, (e.lines || []).map((line) => h("tr", {}, cell(line.description), cell(line.quantity, true),
      cell(line.unit_price_minor === null ? "" : money(line.unit_price_minor, e.currency), true),
      cell(money(line.amount_minor, e.currency), true)))),
    h("tfoot", {}, h("tr", { class: "total" }, h("th", { scope: "row", colspan: 3 }, t("lines.total")),
      cell(money(e.total_minor, e.currency), true)))));
}

function timesheet(s, me, reload) {
  const title = t("approvals.timesheet", { project: s.project });
  const cell = (text, num) => h("td", { class: num ? "num" : null }, text);
  return h("section", { class: "card quote", "aria-label": title },
    h("header", {}, h("h2", {}, title), badge(s.status)),
    h("p", { class: "hint" }, t("approvals.period", { start: date(s.period_start), end: date(s.period_end) })),
    h("div", { class: "table-wrap" }, h("table", {},
      h("caption", {}, t("approvals.entries_of", { document: title })),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("approvals.day")), h("th", { scope: "col" }, t("approvals.work")),
        h("th", { scope: "col", class: "num" }, t("approvals.hours")))),
      h("tbody", {}, (s.entries || []).map((entry) => h("tr", {}, cell(date(entry.date)), cell(entry.description || "—"),
        cell(hours(entry.minutes), true)))),
      h("tfoot", {}, h("tr", { class: "total" }, h("th", { scope: "row", colspan: 2 }, t("approvals.total_hours")),
        cell(hours((s.entries || []).reduce((sum, entry) => sum + entry.minutes, 0)), true))))),
    s.status === "pending" && canDecide(me) ? h("div", { class: "actions" },
      h("button", { type: "button", onClick: () => decide("timesheets", s.timesheet_id, "approve", t("approvals.approve_title", { document: title }), reload) }, t("approvals.approve")),
      h("button", { type: "button", class: "secondary", onClick: () => decide("timesheets", s.timesheet_id, "reject", t("approvals.reject_title", { document: title }), reload) }, t("approvals.reject"))) : null);
}

function hours(minutes) {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minutes / 60);
}

function decide(kind, id, decision, title, reload) {
  return dialog(title, (close) => {
    const form = h("form", { id: "decision-form" }, field({ label: t("approvals.comment"), name: "comment", type: "textarea", rows: 3 }));
    onSubmit(form, async (values) => {
      await api.post(`/portal/${kind}/${encodeURIComponent(id)}/${decision}`, { comment: values.comment });
      close(true);
      await reload(t(`approvals.done_${decision}`));
    });
    return { body: form, actions: [h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.cancel")),
      h("button", { type: "submit", form: "decision-form", class: ["decline", "reject"].includes(decision) ? "danger" : "" }, t(`approvals.${decision}`))] };
  });
}
