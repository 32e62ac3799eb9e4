// Why a payment failed, in the reader's language: the gateway's message is English (Stripe's, or
// the simulated gateway's), so its code picks the catalogue's sentence, which also says what to do;
// a code the catalogue does not know shows the gateway's message.
import { has, t } from "./i18n.js";

export function isKnownFailure(code) {
  return Boolean(code) && has(`dunning.reason.${code}`);
}

export function failureReason(code, message) {
  return isKnownFailure(code) ? t(`dunning.reason.${code}`) : message;
}
