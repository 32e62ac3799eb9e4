// Spending history: per currency, the last twelve months' invoiced and paid as an inline SVG bar
// chart, with a sentence that sums it up and the same figures as a table (for screen readers and
// anyone who would rather read numbers). The figures are each month's statement (GET /portal/spending).
import { api } from "./api.js";
import { money } from "./format.js";
import { locale, plural, t } from "./i18n.js";
import { h, replace, table } from "./ui.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640, HEIGHT = 180, BASE = 160, TOP = 10;

/** Fills `container` with one card per currency; says nothing if the history is not available. */
export async function spendingHistory(container, months = 12) {
  let answer;
  try {
    answer = await api.get("/portal/spending", { months });
  } catch {
    replace(container);   // the history is extra: the screen works without it
    return;
  }
  replace(container, (answer.currencies || []).map((c) => currencyCard(c)));
}

function currencyCard(c) {
  const of = (minor) => money({ amount_minor: minor, currency: c.currency, currency_exponent: c.currency_exponent });
  const total = (key) => c.months.reduce((sum, m) => sum + m[key].amount_minor, 0);
  const first = c.months[0], last = c.months[c.months.length - 1];
  const id = `spending-${c.currency}`;
  const summary = t("spending.summary", { from: monthName(first.month), to: monthName(last.month),
    invoiced: of(total("invoiced")), paid: of(total("paid")) });
  return h("section", { class: "card spending", "aria-labelledby": id },
    h("h2", { id }, plural("spending.title", c.months.length, { currency: c.currency })),
    h("p", { id: `${id}-summary` }, summary),
    chart(c.months, id, `${id}-summary`),
    h("p", { class: "legend", "aria-hidden": "true" },
      h("span", { class: "swatch invoiced" }), " ", t("spending.invoiced"), " ", h("span", { class: "swatch paid" }), " ", t("spending.paid")),
    h("details", {}, h("summary", {}, t("spending.show_table")),
      table(t("spending.table", { currency: c.currency }), [
        { label: t("spending.month"), cell: (m) => monthName(m.month) },
        { label: t("spending.invoiced"), num: true, cell: (m) => money(m.invoiced) },
        { label: t("spending.paid"), num: true, cell: (m) => money(m.paid) },
      ], c.months)));
}

function chart(months, labelledBy, describedBy) {
  const highest = Math.max(1, ...months.flatMap((m) => [m.invoiced.amount_minor, m.paid.amount_minor]));
  const slot = WIDTH / months.length, bar = Math.max(2, slot / 2 - 4);
  const svg = svgElement("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-labelledby": labelledBy, "aria-describedby": describedBy,
    class: "spending-chart", width: "100%", preserveAspectRatio: "xMidYMid meet" });
  svg.append(svgElement("line", { x1: 0, x2: WIDTH, y1: BASE, y2: BASE, class: "axis" }));
  months.forEach((m, i) => {
    const x = i * slot + 2;
    for (const [key, offset] of [["invoiced", 0], ["paid", bar + 1]]) {
      const height = Math.max(0, Math.round((m[key].amount_minor / highest) * (BASE - TOP)));
      const rect = svgElement("rect", { x: x + offset, y: BASE - height, width: bar, height, class: key });
      rect.append(svgElement("title", {}, t("spending.bar", { month: monthName(m.month), kind: t(`spending.${key}`), amount: money(m[key]) })));
      svg.append(rect);
    }
    // both names of the month: the stylesheet shows the one that fits the chart's width
    for (const form of ["short", "narrow"]) {
      svg.append(svgElement("text", { x: x + bar, y: HEIGHT - 4, "text-anchor": "middle", class: `tick ${form}` },
        monthOnly(m.month, form)));
    }
  });
  return svg;
}

function svgElement(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function monthOnly(month, form) {
  const number = Number(month.split("-")[1]);
  return new Intl.DateTimeFormat(locale, { month: form, timeZone: "UTC" }).format(new Date(Date.UTC(2000, number - 1, 1)));
}

function monthName(month) {
  const [year, number] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(year, number - 1, 1)));
}
