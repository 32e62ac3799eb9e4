"""axe-core run in the page: its serious and critical WCAG 2 A/AA findings, and a screen checked and
kept as a screenshot per language."""
from pathlib import Path

from tests.e2e.conftest import screenshot

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RUN = """async () => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } });
  if (!result.passes.some((rule) => rule.id === "color-contrast")) return ["axe checked no colour contrast"];
  return result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}"""


def violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN)


def checked(page, found: dict, screen: str, language: str) -> None:
    """axe's findings on what the page shows now, and its screenshot in this language."""
    found[screen] = violations(page)
    screenshot(page, f"{screen.replace(' ', '-')}-{language}")
