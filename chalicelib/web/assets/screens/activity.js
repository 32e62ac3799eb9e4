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
      h("p", {}, h("strong", {}, who(record.actor, me)), " · ", record.summary || record.action.replace(/[._]/g, " ")))),
  ), () => empty("Nothing yet", "Changes to your subscriptions, payments and details will show here."));
}

function who(actor, me) {
  if (!actor) return "";
  const kind = actor.kind || actor.type;
  if (kind === "customer") return actor.id === me.contact.contact_id ? "You" : "A colleague";
  return WHO[kind] || kind || "";
}
