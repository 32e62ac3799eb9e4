// Activity: everything done to my account, by me, the merchant or the system, newest first.
import { api } from "../api.js";
import { dateTime } from "../format.js";
import { h, replace, loading, empty, pageHeader, pages } from "../ui.js";

const WHO = { merchant: "Your provider", job: "Automatically", gateway: "Payment service" };

export async function show({ main, me }) {
  const body = h("div", {}, loading("Loading activity…"));
  replace(main, pageHeader("Activity", "A timeline of changes to your account."), h("section", { class: "card", "aria-label": "Activity" }, body));
  await pages(body, (cursor) => api.get("/portal/activity", { cursor }), (items) => h("ol", { class: "timeline" }, items.map((record) =>
    h("li", {}, h("time", { datetime: record.at }, dateTime(record.at)),
      h("p", {}, h("strong", {}, who(record.actor, me)), " · ", describe(record.action),
        record.summary ? h("span", { class: "hint" }, ` — ${record.summary}`) : null))),
  ), () => empty("Nothing yet", "Changes to your subscriptions, payments and details will show here."));
}

function who(actor, me) {
  if (!actor) return "";
  const kind = actor.kind || actor.type;
  if (kind === "customer") return actor.id === me.contact.contact_id ? "You" : "A colleague";
  return WHO[kind] || kind || "";
}

/** "subscription.cancel_scheduled" -> "Subscription cancel scheduled" */
function describe(action) {
  const text = String(action || "").replace(/[._]/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
