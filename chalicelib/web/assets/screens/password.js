// Change Password: the current password and a new one; other sessions end.
import { api } from "../api.js";
import { h, replace, field, onSubmit, pageHeader, alert } from "../ui.js";
import { PASSWORD_ADVICE, sayMinimumIn } from "../password_rules.js";

export function show({ main }) {
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card", "aria-label": "Change password" },
    field({ label: "Current password", name: "current_password", type: "password", required: true, autocomplete: "current-password" }),
    field({ label: "New password", name: "new_password", type: "password", required: true, autocomplete: "new-password",
            hint: PASSWORD_ADVICE }),
    field({ label: "Repeat the new password", name: "repeat", type: "password", required: true, autocomplete: "new-password" }),
    h("button", { type: "submit" }, "Confirm"));
  onSubmit(form, async (values) => {
    if (values.new_password !== values.repeat) {
      throw Object.assign(new Error("The passwords do not match."), { fields: { repeat: "The passwords do not match." } });
    }
    const answer = await api.post("/portal/auth/change-password", {
      current_password: values.current_password, new_password: values.new_password });
    form.reset();
    const others = answer && answer.other_sessions_ended;
    replace(result, alert("success", "Your password is changed." +
      (others ? ` ${others} other ${others === 1 ? "session was" : "sessions were"} signed out.` : "")));
    result.querySelector(".alert").tabIndex = -1;
    result.querySelector(".alert").focus();
  });
  replace(main, pageHeader("Change password", "Use it the next time you sign in."), result, form);
  sayMinimumIn(form);
}
