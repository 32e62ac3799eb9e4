// Change Password: the current password and a new one; other sessions end. Below it, two-step
// sign-in: set up a second factor (the secret shown once, a first code, the recovery codes shown
// once), or turn it off with the password and a code. Then passkeys: add one (named), see them,
// remove one; the section is left out where the merchant has switched passkeys off. An account
// made without a password is asked for none: a fresh sign-in stands in for it (docs/security.md).
import { api } from "../api.js";
import { plural, t } from "../i18n.js";
import { h, replace, field, onSubmit, pageHeader, alert, loading } from "../ui.js";
import { PASSWORD_ADVICE, sayMinimumIn } from "../password_rules.js";
import { enrolmentHelp, recoveryCodeList } from "./auth.js";
import { date } from "../format.js";
import { createPasskey, passkeysSupported } from "../passkeys.js";

/** The current password field of a change, or nothing for an account without a password. */
function currentPassword(state, label = t("password.current")) {
  return state && state.has_password === false ? null
    : field({ label, name: "current_password", type: "password", required: true, autocomplete: "current-password" });
}

export async function show({ main }) {
  replace(main, pageHeader(t("password.title"), t("password.subtitle")), loading(t("common.loading")));
  let state;
  try {
    state = await api.get("/portal/auth/second-factor");
  } catch (error) {
    if (error.sessionEnded) return;   // already on its way to sign-in
    state = null;                     // the password form as for any account; two-step says what failed
  }
  const first = Boolean(state && state.has_password === false);   // an account without one sets its first
  const title = first ? t("password.set_title") : t("password.title");
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card", "aria-label": title },
    currentPassword(state),
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
    const said = others ? `${t("password.changed")} ${plural("password.others_signed_out", others)}` : t("password.changed");
    if (first) {
      await show({ main });   // it has a password now: every change on this screen asks for it from here on
      main.prepend(alert("success", said));
      return;
    }
    replace(result, alert("success", said));
    result.querySelector(".alert").tabIndex = -1;
    result.querySelector(".alert").focus();
  });
  const twoStep = h("section", { class: "card", "aria-label": t("password.two_step.title") },
    h("p", { class: "loading" }, t("common.loading")));
  const passkeys = h("section", { class: "card", "aria-label": t("passkeys.title") },
    h("p", { class: "loading" }, t("common.loading")));
  replace(main, pageHeader(title, first ? t("password.set_subtitle") : t("password.subtitle")), result, form,
          twoStep, passkeys);
  sayMinimumIn(form);
  showTwoStep(twoStep, state);
  showPasskeys(passkeys, state || {});
}

async function showTwoStep(section, known = null) {
  let state = known;
  try {
    state = state || await api.get("/portal/auth/second-factor");
  } catch (error) {
    if (!error.sessionEnded) replace(section, alert("error", error.message));
    return;   // an ended session is already on its way to sign-in
  }
  const heading = h("h2", {}, t("password.two_step.title"));
  if (!state.enabled) {
    // a second factor outlives sessions: it is set up with the current password, as a passkey is added
    const start = h("form", { "aria-label": t("password.two_step.set_up") },
      currentPassword(state),
      h("button", { type: "submit" }, t("password.two_step.set_up")));
    onSubmit(start, async (values) => {
      enrol(section, await api.post("/portal/auth/second-factor", { current_password: values.current_password }));
    });
    replace(section, heading, h("p", {}, t("password.two_step.intro")), start);
    return;
  }
  const off = h("form", { "aria-label": t("password.two_step.turn_off_label") },
    currentPassword(state),
    field({ label: t("second_factor.code"), name: "code", required: true, autocomplete: "one-time-code",
      hint: t("password.two_step.code_hint") }),
    h("button", { type: "submit", class: "danger" }, t("password.two_step.turn_off")));
  onSubmit(off, async (values) => {
    await api.post("/portal/auth/second-factor/disable", { current_password: values.current_password, code: values.code.trim() });
    await showTwoStep(section);
    section.prepend(alert("success", t("password.two_step.is_off")));
  });
  replace(section, heading, alert("success", plural("password.two_step.is_on", state.recovery_codes_left)),
    state.required ? h("p", { class: "hint" }, t("password.two_step.required")) : off);
}

function enrol(section, setUp) {
  const form = h("form", { "aria-label": t("password.two_step.confirm_label") },
    enrolmentHelp(setUp),
    field({ label: t("second_factor.app_code"), name: "code", required: true, autocomplete: "one-time-code", inputmode: "numeric" }),
    h("button", { type: "submit" }, t("password.two_step.turn_on")));
  onSubmit(form, async (values) => {
    const answer = await api.post("/portal/auth/second-factor/confirm", { code: values.code.trim() });
    const done = h("button", { type: "button" }, t("password.two_step.saved"));
    done.addEventListener("click", () => showTwoStep(section));
    replace(section, h("h2", {}, t("second_factor.recovery_title")), h("p", {}, t("second_factor.recovery_intro")),
      recoveryCodeList(answer.recovery_codes), done);
    done.focus();
  });
  replace(section, h("h2", {}, t("password.two_step.set_up")), form);
  form.querySelector("input[name=code]").focus();
}

async function showPasskeys(section, state, said = null) {
  let held;
  try {
    held = (await api.get("/portal/auth/passkeys")).passkeys;
  } catch (error) {
    if (error.status === 403) section.remove();               // switched off by the merchant
    else if (!error.sessionEnded) replace(section, alert("error", error.message));
    return;
  }
  const list = held.length
    ? h("ul", { class: "passkeys", "aria-label": t("passkeys.list") }, held.map((passkey) => {
      const remove = h("button", { type: "button", class: "secondary", "aria-label": t("passkeys.remove_named", { name: passkey.name }) },
        t("passkeys.remove"));
      remove.addEventListener("click", async () => {
        try {
          await api.delete(`/portal/auth/passkeys/${encodeURIComponent(passkey.passkey_id)}`);
          await showPasskeys(section, state, alert("success", t("passkeys.removed", { name: passkey.name })));
        } catch (error) {
          if (!error.sessionEnded) section.append(alert("error", error.message));
        }
      });
      return h("li", {}, h("strong", {}, passkey.name), " ",
        h("span", { class: "hint" }, passkey.last_used_at
          ? t("passkeys.used", { added: date(passkey.created_at), used: date(passkey.last_used_at) })
          : t("passkeys.added", { added: date(passkey.created_at) })), " ", remove);
    }))
    : h("p", {}, t("passkeys.none"));
  const add = passkeysSupported() ? h("form", { "aria-label": t("passkeys.add_label") },
    field({ label: t("passkeys.name"), name: "name", required: true, value: t("passkeys.default_name"), hint: t("passkeys.name_hint") }),
    currentPassword(state, t("passkeys.current_password")),
    h("button", { type: "submit" }, t("passkeys.add"))) : h("p", { class: "hint" }, t("passkeys.unsupported"));
  if (add.tagName === "FORM") {
    onSubmit(add, async (values) => {
      const { options } = await api.post("/portal/auth/passkeys/options", { current_password: values.current_password });
      let credential;
      try {
        credential = await createPasskey(options);
      } catch {
        throw new Error(t("passkeys.not_made"));
      }
      const made = await api.post("/portal/auth/passkeys", { name: values.name.trim(), credential });
      await showPasskeys(section, state, alert("success", t("passkeys.is_added", { name: made.name })));
    });
  }
  replace(section, h("h2", {}, t("passkeys.title")), said, h("p", {}, t("passkeys.intro")), list, add);
}
