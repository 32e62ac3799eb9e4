// Activity: everything done to my account, by me, a colleague (by name), the merchant or the
// system, newest first.
import { api } from "../api.js";
import { date, dateTime, money } from "../format.js";
import { has, t } from "../i18n.js";
import { h, replace, loading, empty, pageHeader, pages } from "../ui.js";

const WHO = { merchant: t("activity.who.merchant"), job: t("activity.who.job"), gateway: t("activity.who.gateway") };

export async function show({ main, me }) {
  const body = h("div", {}, loading(t("activity.loading")));
  replace(main, pageHeader(t("activity.title"), t("activity.subtitle")), h("section", { class: "card", "aria-label": t("activity.title") }, body));
  await pages(body, (cursor) => api.get("/portal/activity", { cursor }), (items) => h("ol", { class: "timeline" }, items.map((record) =>
    h("li", {}, h("time", { datetime: record.at }, dateTime(record.at)),
      h("p", {}, h("strong", {}, who(record.actor, me)), " · ", describe(record.action),
        record.summary ? h("span", { class: "hint" }, ` — ${inWords(record.summary)}`) : null))),
  ), () => empty(t("activity.nothing"), t("activity.nothing_hint")));
}

function who(actor, me) {
  if (!actor) return "";
  const kind = actor.kind || actor.type;
  if (kind === "customer") return actor.id === me.contact.contact_id ? t("activity.who.you") : actor.name || t("activity.who.colleague");
  return WHO[kind] || kind || "";
}

/** "subscription.cancelled" -> "Abonnement gekündigt"; an action the catalogue does not know yet
 * ("subscription.cancel_scheduled") reads as its words ("Subscription cancel scheduled"). */
function describe(action) {
  if (has(`activity.action.${action}`)) return t(`activity.action.${action}`);
  const text = String(action || "").replace(/[._]/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// A record's summary is written once, when it happens ("Renewed to 2026-12-06", "INV-000006: USD
// 44.00"): its days and amounts are shown the way every other day and amount on the page is.
const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/g;
const AMOUNT = /\b([A-Z]{3}) (-?)(\d[\d,]*)(?:\.(\d+))?\b/g;

function inWords(summary) {
  return String(summary)
    .replace(AMOUNT, (whole, currency, sign, units, fraction = "") => {
      const minor = Number(`${sign}${units.replace(/,/g, "")}${fraction}`);
      const shown = money({ amount_minor: minor, currency, currency_exponent: fraction.length });
      return Number.isSafeInteger(minor) ? shown : whole;
    })
    .replace(ISO_DAY, (day) => date(day));
}
