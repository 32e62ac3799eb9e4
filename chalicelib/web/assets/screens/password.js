// Change Password: the current password and a new one; other sessions end. Below it, two-step
// sign-in: set up a second factor (the secret shown once, a first code, the recovery codes shown
// once), or turn it off with the password and a code.
import { api } from "../api.js";
import { plural, t } from "../i18n.js";
import { h, replace, field, onSubmit, pageHeader, alert } from "../ui.js";
import { PASSWORD_ADVICE, sayMinimumIn } from "../password_rules.js";

export function show({ main }) {
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card", "aria-label": t("password.title") },
    field({ label: t("password.current"), name: "current_password", type: "password", required: true, autocomplete: "current-password" }),
    field({ label: t("password.new"), name: "new_password", type: "password", required: true, autocomplete: "new-password",
            hint: PASSWORD_ADVICE }),
    field({ label: t("password.repeat"), name: "repeat", type: "password", required: true, autocomplete: "new-password" }),
    h("button", { type: "submit" }, t("password.confirm")));
  onSubmit(form, async (values) => {
    if (values.new_password !== values.repeat) {
      throw Object.assign(new Error(t("password.mismatch")), { fields: { repeat: t("password.mismatch") } });
    }
    const answer = await api.post("/portal/auth/change-password", {
      current_password: values.current_password, new_password: values.new_password });
    form.reset();
    const others = answer && answer.other_sessions_ended;
    replace(result, alert("success", others ? `${t("password.changed")} ${plural("password.others_signed_out", others)}`
      : t("password.changed")));
    result.querySelector(".alert").tabIndex = -1;
    result.querySelector(".alert").focus();
  });
  const twoStep = h("section", { class: "card", "aria-label": "Two-step sign-in" }, h("p", { class: "loading" }, "Loading…"));
  replace(main, pageHeader(t("password.title"), t("password.subtitle")), result, form, twoStep);
  sayMinimumIn(form);
  showTwoStep(twoStep);
}

async function showTwoStep(section) {
  let state;
  try {
    state = await api.get("/portal/auth/second-factor");
  } catch (error) {
    if (!error.sessionEnded) replace(section, alert("error", error.message));
    return;   // an ended session is already on its way to sign-in
  }
  const heading = h("h2", {}, "Two-step sign-in");
  if (!state.enabled) {
    const start = h("button", { type: "button" }, "Set up two-step sign-in");
    start.addEventListener("click", async () => {
      try {
        enrol(section, await api.post("/portal/auth/second-factor"));
      } catch (error) {
        if (!error.sessionEnded) section.append(alert("error", error.message));
      }
    });
    replace(section, heading, h("p", {}, "After your password, also ask for a code from an authenticator app on your phone."), start);
    return;
  }
  const off = h("form", { "aria-label": "Turn off two-step sign-in" },
    field({ label: "Current password", name: "current_password", type: "password", required: true, autocomplete: "current-password" }),
    field({ label: "Code", name: "code", required: true, autocomplete: "one-time-code", hint: "From your app, or a recovery code." }),
    h("button", { type: "submit", class: "danger" }, "Turn off"));
  onSubmit(off, async (values) => {
    await api.post("/portal/auth/second-factor/disable", { current_password: values.current_password, code: values.code.trim() });
    await showTwoStep(section);
    section.prepend(alert("success", "Two-step sign-in is off."));
  });
  replace(section, heading, alert("success", `Two-step sign-in is on. ${state.recovery_codes_left} recovery codes left.`),
    state.required ? h("p", { class: "hint" }, "This portal requires it: it cannot be turned off.") : off);
}

function enrol(section, setUp) {
  const form = h("form", { "aria-label": "Confirm two-step sign-in" },
    h("p", {}, "Add this account to an authenticator app: ", h("a", { href: setUp.otpauth_uri }, "open it in your app"),
      " or type in the key below. It is shown only now."),
    h("p", {}, h("code", { "data-testid": "second-factor-secret" }, setUp.secret.replace(/(.{4})/g, "$1 ").trim())),
    field({ label: "The code your app shows", name: "code", required: true, autocomplete: "one-time-code", inputmode: "numeric" }),
    h("button", { type: "submit" }, "Turn on"));
  onSubmit(form, async (values) => {
    const answer = await api.post("/portal/auth/second-factor/confirm", { code: values.code.trim() });
    const done = h("button", { type: "button" }, "I have saved them");
    done.addEventListener("click", () => showTwoStep(section));
    replace(section, h("h2", {}, "Save your recovery codes"),
      h("p", {}, "Each one works once if you cannot use your app. They are shown only now."),
      h("ul", { class: "recovery-codes", "aria-label": "Recovery codes" }, answer.recovery_codes.map((code) => h("li", {}, h("code", {}, code)))),
      done);
    done.focus();
  });
  replace(section, h("h2", {}, "Set up two-step sign-in"), form);
  form.querySelector("input[name=code]").focus();
}
