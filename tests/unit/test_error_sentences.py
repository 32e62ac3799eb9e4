"""The browser words every error the API can answer itself, in each language: every error `code`
(the domain errors' codes, the business rules' names, API Gateway's and Chalice's answers), each
variant the browser tells apart (`details.reason`, `details.rule`) and every field code has a
sentence in every catalogue, so no API English reaches the customer."""
import ast
from pathlib import Path

from chalicelib.domain.errors import FIELD_CODES, RoleForbids, Unauthenticated
from chalicelib.domain.undo import REASONS as UNDO_REFUSALS
from chalicelib.handlers.http import PYDANTIC_CODES
from tests.support.catalogues import LANGUAGES, PLURAL_CATEGORIES, catalogue

CHALICELIB = Path(__file__).resolve().parents[2] / "chalicelib"
ANSWERED_BY_THE_BROWSER = {"network", "unknown"}   # no answer at all; an answer with no envelope


def _name(call: ast.Call) -> str | None:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _rule_of(call: ast.Call) -> ast.AST | None:
    given = {keyword.arg: keyword.value for keyword in call.keywords}
    return call.args[1] if len(call.args) > 1 else given.get("rule")


def error_codes_the_api_answers() -> set[str]:
    """Every error code written in chalicelib: a domain error's `code`, a business rule named
    where it is broken (BusinessRuleViolation(message, rule), a subclass's super().__init__, a
    portal action's Refusal(reason, ...)), the gateway's answers; `error.<code>.<variant>` for
    the variants."""
    codes, unreadable = {"internal_error"}, []
    for module in CHALICELIB.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        rule_classes = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                        and any(getattr(base, "id", None) == "BusinessRuleViolation" for base in node.bases)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                codes |= {_literal(statement.value) for statement in node.body if isinstance(statement, ast.Assign)
                          and any(getattr(target, "id", None) == "code" for target in statement.targets)} - {None}
                if node.name in rule_classes:
                    codes |= {_literal(_rule_of(call)) for call in ast.walk(node)
                              if isinstance(call, ast.Call) and _name(call) == "__init__"} - {None}
            if not isinstance(node, ast.Call):
                continue
            name = _name(node)
            if name == "BusinessRuleViolation":
                rule = _literal(_rule_of(node))
                if rule is None and module.name != "subscription_actions.py":   # Refusal.error: the Refusal's reason
                    unreadable.append(f"{module.name}:{node.lineno}")
                codes.add(rule)
            elif name == "Refusal" and node.args:
                codes.add(_literal(node.args[0]))
            elif name == "GatewayAnswer" and len(node.args) > 1:
                codes.add(_literal(node.args[1]))
            elif name == "Forbidden" and len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
                rules = [_literal(v) for k, v in zip(node.args[1].keys, node.args[1].values) if _literal(k) == "rule"]
                codes |= {f"forbidden.{rule}" for rule in rules}
    assert not unreadable, f"name each business rule with a literal, so the browser's words can be checked: {unreadable}"
    codes.discard(None)
    # an undo refused answers its reason as the code (domain/undo.py's UndoRefused)
    return (codes | {f"unauthenticated.{reason}" for reason in Unauthenticated.REASONS} | set(UNDO_REFUSALS)
            | {f"role_forbids.{RoleForbids.PORTAL_RULE}"} | ANSWERED_BY_THE_BROWSER)


def test_the_codes_found_are_the_api_s_codes():
    codes = error_codes_the_api_answers()
    assert {"invalid_input", "not_found", "quote_changed", "payments_not_configured", "no_payment_method",
            "method_not_allowed", "forbidden.primary_contact_only", "unauthenticated.credentials"} <= codes
    assert len(codes) > 60


def test_every_error_code_the_api_answers_has_a_sentence_in_every_language():
    codes = error_codes_the_api_answers()
    for language in LANGUAGES:
        messages = catalogue(language)
        missing = sorted(code for code in codes if f"error.{code}" not in messages)
        assert not missing, f"{language} has no sentence for {missing}"


def test_every_field_code_has_a_sentence_in_every_language():
    field_codes = FIELD_CODES | set(PYDANTIC_CODES.values())
    assert field_codes == FIELD_CODES, "a pydantic type maps to a code FIELD_CODES lacks"
    for language in LANGUAGES:
        messages = catalogue(language)
        missing = sorted(code for code in field_codes if f"field.{code}" not in messages)
        assert not missing, f"{language} has no sentence for the field codes {missing}"


def _code_worded(key: str) -> str:
    """The code a sentence is for: `error.throttled.one` words `throttled` (a wait in seconds), and
    `error.throttled.minutes.one` too (a wait of minutes)."""
    code = key.removeprefix("error.")
    base, _, category = code.rpartition(".")
    return base.removesuffix(".minutes") if category in PLURAL_CATEGORIES else code


def test_no_catalogue_keeps_a_sentence_for_a_code_nobody_answers():
    codes = error_codes_the_api_answers()
    for language in LANGUAGES:
        stale = sorted(key for key in catalogue(language) if key.startswith("error.")
                       and _code_worded(key) not in codes)
        assert not stale, f"{language} words codes the API no longer answers: {stale}"
        stale_fields = sorted(key for key in catalogue(language) if key.startswith("field.")
                              and key.removeprefix("field.") not in FIELD_CODES)
        assert not stale_fields, stale_fields
