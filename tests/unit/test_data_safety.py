"""Nothing the merchant's books need is ever hard-deleted: read from the code itself (every call
that deletes is named below, with the table it deletes from), from the table declarations, and
from the infrastructure (point-in-time recovery everywhere; in prod, deletion protection, and no
IAM permission to delete from the books at all)."""
import ast
from pathlib import Path

import pytest
from pynamodb.attributes import TTLAttribute

from chalicelib.tables import MODELS
from tests.support.books import BOOK_TABLES, OTHER_TABLES

LIB = Path(__file__).resolve().parents[2] / "chalicelib"
TABLE_OF_MODEL = {model.__name__: model.Meta.logical_name for model in MODELS}

# Every place in chalicelib/ that deletes (a call to `.delete(...)`, `.delete_*(...)` or a raw
# DeleteItem/BatchWriteItem), by file and innermost function, and the table it deletes from.
# A new deletion fails test_every_deletion_in_the_code_is_named_here until it is added, and it
# cannot be added for a table of the books.
DELETIONS = {
    ("tables/sessions.py", "delete"): "sessions",                        # sign out
    ("tables/merchant_sessions.py", "delete"): "merchant_sessions",      # console sign out
    ("tables/merchant_sessions.py", "delete_many"): "merchant_sessions",  # console password changed
    ("services/access/console_auth.py", "logout"): "merchant_sessions",
    ("services/access/console_auth.py", "change_password"): "merchant_sessions",
    ("services/access/console_auth.py", "change_user"): "merchant_sessions",    # role changed, disabled
    ("services/access/console_auth.py", "reset_password"): "merchant_sessions",  # a forgotten password reset
    ("tables/sessions.py", "delete_many"): "sessions",                   # batch_write of deletes
    ("services/access/sessions.py", "end"): "sessions",
    ("services/access/sessions.py", "end_all_of"): "sessions",           # password changed or reset
    ("services/accounts/profile.py", "update_profile"): "sessions",      # beyond what one move carries
    ("services/accounts/profile.py", "confirm_email_change"): "sessions",  # beyond what one move carries
    ("services/accounts/profile.py", "_move_account"): "portal_users",   # to its new sign-in email
    ("tables/portal_users.py", "delete_in"): "portal_users",             # ... on the version read
    ("tables/rate_counters.py", "forget_failures"): "rate_counters",
    ("tables/idempotency.py", "release"): "idempotency",                 # a failed request frees its key
    ("tables/invoice_claims.py", "release"): "idempotency",              # a settled payment's claim
    ("tables/invoice_claims.py", "release_in"): "idempotency",           # ... in its settlement
    ("tables/refund_requests.py", "finish_in"): "idempotency",           # a recorded refund's claim
    ("tables/refund_requests.py", "release"): "idempotency",             # ... a refused one's
    ("tables/payment_methods.py", "delete_in"): "payment_methods",
    ("services/payments/mirror.py", "change_in"): "payment_methods",     # replaced or removed (Stripe detaches the card)
    ("tables/passkeys.py", "remove"): "passkeys",                        # the customer removes a passkey
    ("tables/passkeys.py", "remove_every"): "passkeys",                  # a password reset removes them all
    ("tables/logos.py", "remove_in"): "logos",                           # a logo the merchant removes
}
RAW_DELETES = {"delete_item", "batch_write_item", "delete_table"}


class _Deletions(ast.NodeVisitor):
    """Calls that delete, by innermost enclosing function, and the models they name directly
    (`Model(key).delete()`, `batch.delete(Model(key))`), resolved through the module's imports."""

    def __init__(self, module: str, aliases: dict[str, str]):
        self.module, self.aliases, self.functions = module, aliases, []
        self.sites: dict[tuple[str, str], set[str]] = {}

    def visit_FunctionDef(self, node):
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        if isinstance(node.func, ast.Attribute) and _deletes(node.func.attr) and not self._set_action(node.func):
            site = (self.module, self.functions[-1] if self.functions else "<module>")
            named = [node.func.value, *node.args[:1]]
            self.sites.setdefault(site, set()).update(
                TABLE_OF_MODEL[model] for model in map(self._model, named) if model in TABLE_OF_MODEL)
        self.generic_visit(node)

    def _set_action(self, func: ast.Attribute) -> bool:
        """`Model.some_set.delete(values)`: an UpdateItem action taking elements out of a set
        attribute; the item stays."""
        path = func.value
        return isinstance(path, ast.Attribute) and isinstance(path.value, ast.Name) and \
            self.aliases.get(path.value.id, path.value.id) in TABLE_OF_MODEL

    def _model(self, expression) -> str | None:
        if isinstance(expression, ast.Call) and isinstance(expression.func, ast.Name):
            return self.aliases.get(expression.func.id, expression.func.id)
        return None


def _deletes(name: str) -> bool:
    return name == "delete" or name.startswith("delete_") or name in RAW_DELETES


def deletions_in_the_code() -> dict[tuple[str, str], set[str]]:
    """(file, function) -> the tables its deletions name directly (empty when not visible)."""
    sites = {}
    for path in sorted(LIB.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {alias.asname or alias.name: alias.name for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) for alias in node.names}
        aliases.update({target.id: node.value.id for node in tree.body   # `I = IdempotencyItem`
                        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name)
                        for target in node.targets if isinstance(target, ast.Name)})
        visitor = _Deletions(str(path.relative_to(LIB)), aliases)
        visitor.visit(tree)
        sites.update(visitor.sites)
    return sites


def test_every_table_is_counted_in_the_books_or_not():
    tables = {model.Meta.logical_name for model in MODELS}
    unclassified = tables - BOOK_TABLES - OTHER_TABLES
    assert not unclassified, (f"new table(s) {sorted(unclassified)}: add each to BOOK_TABLES (its items are "
                              "never deleted) or OTHER_TABLES in tests/support/books.py")
    assert not BOOK_TABLES & OTHER_TABLES
    assert BOOK_TABLES | OTHER_TABLES == tables, "tests/support/books.py names a table that no longer exists"


def test_every_deletion_in_the_code_is_named_here():
    found = deletions_in_the_code()
    assert set(found) - set(DELETIONS) == set(), "a new deletion: name it in DELETIONS with its table"
    assert set(DELETIONS) - set(found) == set(), "a deletion named in DELETIONS is gone: remove it"


def test_no_deletion_touches_the_books_and_each_deletes_from_the_table_it_says():
    for site, tables in deletions_in_the_code().items():
        assert DELETIONS[site] not in BOOK_TABLES, site
        assert tables <= {DELETIONS[site]}, (site, tables)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.Meta.logical_name)
def test_only_tables_outside_the_books_are_deletable_or_expire(model):
    in_books = model.Meta.logical_name in BOOK_TABLES
    expires = any(isinstance(a, TTLAttribute) for a in model.get_attributes().values())
    if in_books:
        assert not model.Meta.deletable and not expires
    assert model.Meta.deletable == (model.Meta.logical_name in set(DELETIONS.values()))


def test_the_lambdas_may_delete_only_from_the_deletable_tables():
    from infra.generate import merge_template
    resources = merge_template("prod")["Resources"]
    deleting = {}   # role -> tables it may delete from
    for name, resource in resources.items():
        for policy in resource.get("Properties", {}).get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = set(statement.get("Action", []))
                if {"dynamodb:DeleteItem", "dynamodb:BatchWriteItem"} & actions or actions & {"dynamodb:*", "*"}:
                    deleting.setdefault(name, set()).update(
                        r["Fn::Sub"].rsplit("table/portico-prod-", 1)[1] for r in statement["Resource"])
    assert all(tables <= set(DELETIONS.values()) for tables in deleting.values()), deleting
    assert deleting["ApiHandlerRole"] == set(DELETIONS.values())


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_table_has_point_in_time_recovery_and_prod_keeps_the_books_whatever_happens(stage):
    from infra.generate import merge_template
    tables = {r["Properties"]["TableName"].removeprefix(f"portico-{stage}-"): r
              for r in merge_template(stage)["Resources"].values() if r.get("Type") == "AWS::DynamoDB::Table"}
    for name, resource in tables.items():
        properties = resource["Properties"]
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, name
        assert properties["DeletionProtectionEnabled"] is (stage == "prod"), name
        assert resource["DeletionPolicy"] == ("Retain" if stage == "prod" else "Delete"), name
        if name in BOOK_TABLES:
            assert properties.get("TimeToLiveSpecification", {"Enabled": False})["Enabled"] is False, name


def test_the_portal_names_table_switches_off_the_expiry_its_retired_names_once_had():
    # Given the template of a stage made when retired portal names expired after 90 days
    from infra.generate import merge_template
    [names] = [r for r in merge_template("prod")["Resources"].values()
               if r.get("Type") == "AWS::DynamoDB::Table" and r["Properties"]["TableName"].endswith("portal_addresses")]

    # Then its TTL is switched off by name, so a deploy turns it off rather than leaving it as it was
    assert names["Properties"]["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": False}
