// Why a payment failed, in the reader's language: the gateway's message is English (Stripe's, or
// the simulated gateway's), so its code picks the catalogue's sentence (the API's and the emails'
// words); a code the catalogue does not know shows the gateway's message.
import { has, t } from "./i18n.js";

export function failureReason(code, message) {
  return code && has(`dunning.reason.${code}`) ? t(`dunning.reason.${code}`) : message;
}

/** What a customer who just tried to pay reads beside the card: why, and what to do next (most
 * reasons say it; the few that do not have a `pay.reason.` sentence that does). */
export function whatToDoAfter(code, message) {
  if (code && has(`pay.reason.${code}`)) return t(`pay.reason.${code}`);
  if (code && has(`dunning.reason.${code}`)) return t(`dunning.reason.${code}`);
  return t("pay.try_another", { reason: message });
}
