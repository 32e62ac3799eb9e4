"""The browser reads only what the API declares: every response field a screen reads is a property
the OpenAPI document declares, and no screen guesses between two names for one value
(`total ?? total_minor ?? amount_minor`), so a renamed field fails here instead of showing nothing.

How a read is found (a heuristic, kept simple on purpose): the scripts' comments and the text of
their string literals are blanked out (the code inside `${...}` is kept), then a read is
`.name`, `?.name`, `["name"]` or a name in a destructuring pattern (`const { a_b } = ...`,
`({ a_b }) =>`, `function f({ a_b })`). Only snake_case names count: the API's fields are
snake_case and the scripts' own variables, functions and DOM properties are camelCase, so an
underscore is a good sign the name came from an answer. A name the scripts build themselves in
snake_case would be reported too: rename it to camelCase rather than widen this test."""
from __future__ import annotations

import importlib
import re
from functools import lru_cache
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[2] / "chalicelib" / "web" / "assets"
SNAKE = r"[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]"
BRACKET_READ = re.compile(r"\[\s*([\"'])(" + SNAKE + r")\1\s*\]")
DOT_READ = re.compile(r"(?<![\w$])[\w$\])]+\s*(?:\?\.|\.)\s*(" + SNAKE + r")\b")
PATTERN = re.compile(r"(?:(?:const|let|var)\s*\{([^{}]*)\}\s*=)|(?:\(\s*\{([^{}]*)\}\s*(?:=[^)]*)?\)\s*=>)"
                     r"|(?:function\s*[\w$]*\s*\(\s*\{([^{}]*)\})")
FALLBACK = re.compile(r"([\w$]+(?:\s*(?:\?\.|\.)\s*[\w$]+)*?)\s*(?:\?\.|\.)\s*(\w+)\s*(\?\?|\|\|)\s*"
                      r"([\w$]+(?:\s*(?:\?\.|\.)\s*[\w$]+)*?)\s*(?:\?\.|\.)\s*(\w+)\b")


def scripts() -> list[Path]:
    return [path for path in sorted(ASSETS.rglob("*.js")) if path.parent.name != "messages"]


def code_only(source: str) -> str:
    """The source with comments and the text of string literals blanked (same length, same lines);
    a bracket read `["a_b"]` is kept, and so is the code inside a template's `${...}`."""
    kept = {m.start(2) - 1: m.end(2) + 1 for m in BRACKET_READ.finditer(source)}
    out, i, templates = [], 0, []   # templates: the brace depth at which each open `${` started
    depth = 0
    while i < len(source):
        c = source[i]
        if i in kept:
            out.append(source[i:kept[i]])
            i = kept[i]
        elif source.startswith("//", i):
            end = source.find("\n", i)
            end = len(source) if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif source.startswith("/*", i):
            end = source.find("*/", i) + 2
            out.append(re.sub(r"[^\n]", " ", source[i:end]))
            i = end
        elif c in "\"'`" or (c == "}" and templates and templates[-1] == depth):
            if c == "}":
                templates.pop()
                quote = "`"
            else:
                quote = c
            out.append(quote)
            i += 1
            while i < len(source) and source[i] != quote:
                if source[i] == "\\":
                    out.append("  ")
                    i += 2
                    continue
                if quote == "`" and source.startswith("${", i):
                    templates.append(depth)
                    out.append("${")
                    i += 2
                    break
                out.append("\n" if source[i] == "\n" else " ")
                i += 1
            else:
                out.append(quote)
                i += 1
        else:
            depth += {"{": 1, "}": -1}.get(c, 0)
            out.append(c)
            i += 1
    return "".join(out)


def reads(code: str) -> set[str]:
    names = set(DOT_READ.findall(code)) | {m.group(2) for m in BRACKET_READ.finditer(code)}
    for match in PATTERN.finditer(code):
        pattern = next(group for group in match.groups() if group is not None)
        for part in pattern.split(","):
            name = part.split(":")[0].split("=")[0].strip().removeprefix("...")
            if re.fullmatch(SNAKE, name):
                names.add(name)
    return names


@lru_cache(maxsize=1)
def declared_properties() -> set[str]:
    importlib.import_module("app")   # every route declared
    from chalicelib.handlers.openapi import document
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                found.update(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(document()["components"])
    return found


def test_the_heuristic_sees_dotted_optional_bracket_and_destructured_reads_but_not_strings():
    source = ('const { amount_minor, currency } = due;\n'
              'items.map(({ invoice_id: id }) => id);\n'
              'const label = `#/x/${row?.payment_id}` + t("payments.pay_now") + plan["plan_code"];\n'
              '// a comment naming total_minor\n'
              'const text = "see.next_billing_on";')
    assert reads(code_only(source)) == {"amount_minor", "invoice_id", "payment_id", "plan_code"}


@pytest.mark.parametrize("script", scripts(), ids=lambda path: str(path.relative_to(ASSETS)))
def test_every_snake_case_field_a_screen_reads_is_declared_by_the_api(script):
    read = reads(code_only(script.read_text(encoding="utf-8")))
    undeclared = sorted(read - declared_properties())
    assert not undeclared, f"{script.name} reads fields no answer declares: {undeclared}"


def in_a_condition(code: str, start: int) -> bool:
    """Whether `start` is inside the parentheses of an `if (...)` on its line: `a.x || a.y` there
    asks whether either is set, it does not pick a value."""
    line_start = code.rfind("\n", 0, start) + 1
    opening = code.rfind("if (", line_start, start)
    if opening < 0:
        return False
    segment = code[opening + 3:start]
    return segment.count("(") > segment.count(")")


def guesses(code: str) -> list[str]:
    """`x.a_b ?? x.c_d` or `x.a || x.b_c`: two names of the same object, one of them an API field,
    where a value is picked (a test in an `if (...)` is not a guess)."""
    found = []
    for match in FALLBACK.finditer(code):
        if in_a_condition(code, match.start()):
            continue
        left, left_name, operator, right, right_name = match.groups()
        same_object = re.sub(r"\s|\?", "", left) == re.sub(r"\s|\?", "", right)
        if same_object and left_name != right_name and (re.fullmatch(SNAKE, left_name)
                                                         or re.fullmatch(SNAKE, right_name)):
            found.append(match.group(0))
    return found


def test_the_guess_finder_sees_alternative_names_of_one_object_only():
    assert guesses("owed(outstanding.total ?? outstanding.total_minor)") == [
        "outstanding.total ?? outstanding.total_minor"]
    assert guesses("date(last?.succeeded_at || last.created_at)") == ["last?.succeeded_at || last.created_at"]
    assert guesses("sub.current_term?.end || sub.trial?.end") == []
    assert guesses("a.plan_name || b.plan_name") == []
    assert guesses("if (pause && (pause.pause_at || pause.resume_at)) {") == []


@pytest.mark.parametrize("script", scripts(), ids=lambda path: str(path.relative_to(ASSETS)))
def test_no_screen_guesses_between_two_names_for_one_value(script):
    found = guesses(code_only(script.read_text(encoding="utf-8")))
    assert not found, f"{script.name} falls back between field names: {found}"
