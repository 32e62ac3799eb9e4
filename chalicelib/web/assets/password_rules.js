// The rules a new password must meet, as the server states them (GET /portal/auth/password-rules):
// the forms say the server's minimum, never a number of their own.
import { api } from "./api.js";

let asked = null;

function passwordRules() {
  asked = asked || api.get("/portal/auth/password-rules").catch((error) => { asked = null; throw error; });
  return asked;
}

/** The hint under a new-password field; without the rules (offline), only the advice. */
export async function newPasswordHint() {
  const advice = "A few unrelated words make a strong password.";
  try {
    const rules = await passwordRules();
    return `At least ${rules.min_length} characters. ${advice}`;
  } catch (error) {
    if (error.sessionEnded) throw error;
    return advice;
  }
}
