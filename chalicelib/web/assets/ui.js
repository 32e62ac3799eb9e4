// Small building blocks shared by every screen: elements without innerHTML, labelled fields
// whose API errors show beside them, dialogs, loading/empty/error states, toasts.
import { statusLabel, statusTone } from "./format.js";
import { t } from "./i18n.js";
import { apiUrl } from "./api.js";

/** h("a", {href, class, onClick, "aria-label"}, ...children): text children are never parsed as HTML. */
const ICON = new URL("./icon.svg", import.meta.url).href;

/** The merchant's logo where the portal serves it (the name beside it says who), else the portal's icon. */
export function brandImage(logoPath) {
  return logoPath ? h("img", { class: "logo", src: apiUrl(logoPath), alt: "" }) : h("img", { src: ICON, alt: "" });
}

export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "class") {
      element.className = value;
    } else if (name === "text") {
      element.textContent = value;
    } else if (["value", "checked", "selected", "disabled", "required", "multiple"].includes(name)) {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? "" : value);
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
  return container;
}

let counter = 0;
export const uid = (prefix) => `${prefix}-${++counter}`;

/**
 * A labelled control. `name` is the API's field path (e.g. "billing_address.city"): an error
 * the API returns for that path is shown under this control.
 */
export function field({ label, name, type = "text", value = "", hint, required, autocomplete, options, rows,
                        min, max, placeholder, inputmode }) {
  const id = uid(name.replace(/\W/g, "-"));
  const describedBy = [];
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) describedBy.push(hintEl.id);
  const errorEl = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  let control;
  const common = { id, name, "data-field": name, required, "aria-describedby": describedBy.join(" ") || null };
  if (options) {
    control = h("select", common, options.map((o) => {
      const [optionValue, text] = Array.isArray(o) ? o : [o, o];
      return h("option", { value: optionValue, selected: String(optionValue) === String(value ?? "") }, text);
    }));
  } else if (type === "textarea") {
    control = h("textarea", { ...common, rows: rows || 4, placeholder }, value ?? "");
  } else {
    control = h("input", { ...common, type, value: value ?? "", autocomplete, min, max, placeholder, inputmode });
  }
  return h("div", { class: "field" }, h("label", { for: id }, label),
    hintEl, control, errorEl);
}

export function checkbox({ label, name, checked = false, hint }) {
  const id = uid(name);
  return h("div", {}, h("label", { class: "check", for: id },
    h("input", { type: "checkbox", id, name, "data-field": name, checked }), label),
  hint ? h("p", { class: "hint" }, hint) : null);
}

/** Form values by name (checkboxes as booleans). */
export function values(form) {
  const out = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") out[element.name] = element.checked;
    else if (element.type === "radio") { if (element.checked) out[element.name] = element.value; }
    else out[element.name] = element.value;
  }
  return out;
}

export function clearErrors(form) {
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  for (const message of form.querySelectorAll(".field-error")) { message.hidden = true; message.textContent = ""; }
  for (const control of form.querySelectorAll("[data-field]")) {
    const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter((i) => i && !i.endsWith("-error"));
    if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
    else control.removeAttribute("aria-describedby");
  }
  form.querySelector(":scope > .alert.error")?.remove();
}

/**
 * Show an ApiError on a form: each field error beside its control, anything else at the top.
 * The first problem receives focus so keyboard and screen-reader users land on it.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const unplaced = [];
  let first = null;
  for (const [path, message] of Object.entries(error.fields || {})) {
    const control = findControl(form, path);
    if (!control) { unplaced.push(message); continue; }
    const errorEl = control.id ? form.querySelector(`#${CSS.escape(control.id + "-error")}`) : null;
    control.setAttribute("aria-invalid", "true");
    if (!errorEl) unplaced.push(message);
    else {
      errorEl.textContent = message;
      errorEl.hidden = false;
      const ids = new Set((control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
      ids.add(errorEl.id);
      control.setAttribute("aria-describedby", [...ids].join(" "));
    }
    first = first || control;
  }
  if (!first || unplaced.length) {
    // with no field to mark, "check the marked fields" would point at nothing: say what is refused
    const text = unplaced.length ? [...new Set(unplaced)].join(" ") : error.message;
    const box = alert("error", text);
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    form.prepend(box);
    if (!first) first = box;
  }
  first.focus();
}

function findControl(form, path) {
  const candidates = [path, path.replace(/^(body|query)\./, ""), path.split(".").slice(-1)[0]];
  for (const name of candidates) {
    const control = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (control) return control;
  }
  return null;
}

/** Run `work` for a form submit: the button shows progress and errors land next to fields. */
export function onSubmit(form, work) {
  form.noValidate = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = event.submitter || form.querySelector("button[type=submit]");
    if (button?.getAttribute("aria-busy") === "true") return;
    clearErrors(form);
    button?.setAttribute("aria-busy", "true");
    try {
      await work(values(form), button);
    } catch (error) {
      if (!error.sessionEnded) showErrors(form, error);
    } finally {
      button?.removeAttribute("aria-busy");
    }
  });
  return form;
}

export function alert(kind, ...content) {
  return h("div", { class: `alert ${kind}`, role: kind === "error" ? "alert" : null }, ...content.map((c) => (
    typeof c === "string" ? h("p", {}, c) : c)));
}

export function loading(text = t("common.loading")) {
  return h("p", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text);
}

export function empty(title, text, action) {
  return h("div", { class: "empty" }, h("h3", {}, title), text ? h("p", {}, text) : null, action || null);
}

export function failure(error, retry) {
  return alert("error", h("p", {}, error.message || t("common.failed")),
    retry ? h("button", { type: "button", class: "secondary", onClick: retry }, t("common.try_again")) : null);
}

export function badge(status, text) {
  return h("span", { class: `badge ${statusTone(status)}` }, text || statusLabel(status));
}

export function pageHeader(title, subtitle, ...actions) {
  return h("div", { class: "page-header" },
    h("div", {}, h("h1", { tabindex: "-1", class: "page-title" }, title), subtitle ? h("p", {}, subtitle) : null),
    actions.length ? h("div", { class: "actions" }, actions) : null);
}

export function toast(message, kind = "info") {
  const region = document.getElementById("toasts");
  const item = h("div", { class: `toast ${kind}` }, message);
  region.append(item);
  setTimeout(() => item.remove(), 6000);
}

/**
 * A modal dialog (native <dialog>: focus is trapped, Escape closes). `build(close)` returns the
 * body; answers what close() was given (undefined when dismissed).
 */
export function dialog(title, build, { wide = false } = {}) {
  return new Promise((resolve) => {
    const titleId = uid("dialog-title");
    const opener = document.activeElement;
    const box = h("dialog", { "aria-labelledby": titleId, class: wide ? "wide" : null });
    const close = (result) => { box.close(); box.remove(); opener?.focus?.(); resolve(result); };
    box.addEventListener("cancel", (event) => { event.preventDefault(); close(undefined); });
    const content = build(close);
    box.append(h("div", { class: "dialog-body" }, h("h2", { id: titleId }, title), content.body),
      h("div", { class: "dialog-actions" }, content.actions || h("button", { type: "button", class: "secondary", onClick: () => close() }, t("common.close"))));
    document.body.append(box);
    box.showModal();
    (box.querySelector("[autofocus]") || box.querySelector("input, select, textarea, button"))?.focus();
  });
}

/** Ask before doing something; answers true when confirmed. */
export function confirmAction(title, message, confirmLabel, { danger = false } = {}) {
  return dialog(title, (close) => ({
    body: typeof message === "string" ? h("p", {}, message) : message,
    actions: [h("button", { type: "button", class: "secondary", onClick: () => close(false) }, t("common.keep_as_is")),
      h("button", { type: "button", class: danger ? "danger" : "", onClick: () => close(true) }, confirmLabel)],
  })).then(Boolean);
}

/** A table that turns into labelled rows at phone width. columns: [{label, cell(row), num}] */
export function table(caption, columns, rows) {
  return h("div", { class: "table-wrap" }, h("table", { class: "responsive" },
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((c) => h("td", {
      class: c.num ? "num" : null, "data-label": c.label }, c.cell(row))))))));
}

/** Status filter links for a list screen. */
export function filters(label, options, current, hrefFor) {
  return h("nav", { class: "filters", "aria-label": label }, options.map(([value, text]) => h("a", {
    href: hrefFor(value), "aria-current": value === current ? "true" : null }, text)));
}

/** A paged list: the first page, then "Load more" while the API has a next cursor. */
export async function pages(container, load, render, whenEmpty) {
  const items = [];
  const more = async (cursor) => {
    try {
      const page = await load(cursor);
      items.push(...(page.items || page));
      if (!items.length) { replace(container, whenEmpty()); return; }
      replace(container, render(items), page.next_cursor
        ? h("button", { type: "button", class: "secondary more", onClick: () => more(page.next_cursor) }, t("common.load_more")) : null);
    } catch (error) {
      if (!error.sessionEnded) replace(container, failure(error, () => more(cursor)));
    }
  };
  await more(undefined);
}
