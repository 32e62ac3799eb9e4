// Change Password: the current password and a new one; other sessions end.
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
  replace(main, pageHeader(t("password.title"), t("password.subtitle")), result, form);
  sayMinimumIn(form);
}
