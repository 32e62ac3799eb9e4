"""Every badge and status style of the portal is readable: its text colour on its background
meets WCAG AA for normal text (4.5:1), computed from the colour values in the stylesheet itself."""
import re
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "chalicelib" / "web" / "assets" / "styles.css"
AA_NORMAL_TEXT = 4.5


def custom_properties(css: str) -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", css, re.S).group(1)
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", root))


def rules(css: str, selector: re.Pattern) -> dict[str, str]:
    return {name.strip(): body for name, body in re.findall(r"([^{}]+){([^{}]*)}", css)
            if selector.fullmatch(name.strip())}


def colour_of(body: str, prop: str, variables: dict[str, str]) -> str | None:
    found = re.search(rf"(?<![\w-]){prop}\s*:\s*([^;]+);?", body)
    if not found:
        return None
    value = found.group(1).strip()
    while value.startswith("var("):
        value = variables[value[4:-1].strip()].strip()
    return value


def luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def styled_pairs(selector: re.Pattern) -> dict[str, tuple[str, str]]:
    css = STYLESHEET.read_text()
    variables = custom_properties(css)
    base = rules(css, re.compile(r"\.badge"))[".badge"]
    pairs = {}
    for name, body in rules(css, selector).items():
        text = colour_of(body, "color", variables) or colour_of(base, "color", variables)
        fill = colour_of(body, "background", variables) or colour_of(base, "background", variables)
        pairs[name] = (text, fill)
    return pairs


def test_the_contrast_formula_matches_wcag_reference_values():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


def test_every_badge_style_meets_wcag_aa():
    pairs = styled_pairs(re.compile(r"\.badge(\.[\w-]+)?"))
    assert {".badge", ".badge.good", ".badge.bad", ".badge.warn", ".badge.info"} <= set(pairs)
    failing = {name: round(contrast(*colours), 2) for name, colours in pairs.items()
               if contrast(*colours) < AA_NORMAL_TEXT}
    assert not failing, f"badges below {AA_NORMAL_TEXT}:1: {failing}"


def test_every_alert_style_meets_wcag_aa():
    pairs = styled_pairs(re.compile(r"\.alert\.[\w-]+"))
    assert len(pairs) >= 4
    failing = {name: round(contrast(*colours), 2) for name, colours in pairs.items()
               if contrast(*colours) < AA_NORMAL_TEXT}
    assert not failing, f"alerts below {AA_NORMAL_TEXT}:1: {failing}"
