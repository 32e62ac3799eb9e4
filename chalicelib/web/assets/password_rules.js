// The rules a new password must meet, as the server states them (GET /portal/auth/password-rules):
// the forms say the server's minimum, never a number of their own.
import { api } from "./api.js";
import { plural, t } from "./i18n.js";
import { field } from "./ui.js";

let asked = null;

function passwordRules() {
  asked = asked || api.get("/portal/auth/password-rules").catch((error) => { asked = null; throw error; });
  return asked;
}

export const PASSWORD_ADVICE = t("password.advice");

/** Puts the server's minimum into the hint of a new-password field (shown with the advice alone
 * until the rules arrive, and if they cannot be had). */
export function sayMinimumIn(form) {
  passwordRules().then((rules) => {
    for (const input of form.querySelectorAll("input[autocomplete=new-password][aria-describedby]")) {
      const hint = document.getElementById(input.getAttribute("aria-describedby"));
      if (hint) hint.textContent = plural("password.minimum", rules.min_length, { advice: PASSWORD_ADVICE });
    }
  }).catch(() => { /* the advice stays; the server still names what is wrong when the form is sent */ });
}

/** A new password and its repeat (the forms that choose one: a reset, an invitation). */
export function passwordPair(name, label) {
  return [
    field({ label, name, type: "password", required: true, autocomplete: "new-password", hint: PASSWORD_ADVICE }),
    field({ label: t("auth.repeat"), name: "repeat", type: "password", required: true, autocomplete: "new-password" }),
  ];
}

/** Refuses (beside the repeat) a form whose two passwords differ. */
export function mismatch(values, name) {
  if (values[name] !== values.repeat) {
    const error = new Error(t("password.mismatch"));
    error.fields = { repeat: t("password.mismatch") };
    throw error;
  }
}
