// Following an action link (#/act/<token>, from an email or from the merchant): the server says
// where the link's action is done, and the portal goes there in place of the link, so the token
// leaves the address bar and the history. Signed out, the shell takes the link through sign-in
// first (as `next`) and comes back here.
import { api } from "../api.js";
import { t } from "../i18n.js";
import { h, replace, loading, pageHeader, alert } from "../ui.js";

const REFUSALS = {
  action_link_other_account: t("act.other_account"),
  action_link_expired: t("act.expired"),
  action_link_used: t("act.used"),
  not_found: t("act.unknown"),
};

export async function follow({ main, params, navigate }) {
  replace(main, loading(t("act.opening")));
  let destination;
  try {
    destination = await api.post("/portal/action-links/redeem", { token: params.token });
  } catch (error) {
    const words = REFUSALS[error.code];
    if (error.sessionEnded || !words) throw error;
    replace(main, pageHeader(t("act.title")), alert("warning", words),
      h("p", {}, h("a", { href: "#/home" }, t("act.home"))));
    return;
  }
  navigate(`#${destination.route}`, { replace: true });
}
