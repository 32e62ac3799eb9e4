"""Imports what Portico's requests import, from the unzipped package beside the runtime's SDK only,
and prints (JSON) the package's files among the modules loaded. Run by infra/bytecode.py as
`python -I -S -B infra/request_imports.py PACKAGE SDK`, so nothing else is importable and nothing
is written into the package.

What requests import: `import app` (every cold start), every chalicelib module (what the first
request of each route loads), and the libraries routes load only when they need them: the PDF
library (a document in each font the package ships), the X-Ray SDK (a sampled request), Stripe's
client and the services the gateway calls, the password lists and hasher; and, in the passkeys
function's package (the only one that has them), the WebAuthn ceremonies' modules.

Standard library only until the package is on sys.path."""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import pkgutil
import sys

STRIPE_SERVICES = ("customers", "setup_intents", "payment_methods", "payment_intents", "refunds")
XRAY_MODULES = ("aws_xray_sdk.core", "aws_xray_sdk.ext.botocore.patch", "aws_xray_sdk.ext.requests.patch")
NOT_IN_REQUESTS = ("chalicelib.cli",)   # the operator's command line


def main(package: str, sdk: str) -> None:
    sys.path[:0] = [package, sdk]
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    importlib.import_module("app")
    import chalicelib
    for found in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
        if found.name not in NOT_IN_REQUESTS:
            importlib.import_module(found.name)
    render_a_document_in_every_font()
    for name in XRAY_MODULES:
        importlib.import_module(name)
    import stripe
    client = stripe.StripeClient("sk_test_request_imports")
    for service in STRIPE_SERVICES:
        getattr(client.v1, service)
    from chalicelib.domain import password_policy
    from chalicelib.gateways.password_hasher import PasswordHasher
    password_policy.check_password("harbour lantern pebble orchard", email=None)
    PasswordHasher().hash("harbour lantern pebble orchard")
    if importlib.util.find_spec("webauthn") is not None:
        import_the_passkey_ceremonies_libraries()
    print(json.dumps(sorted(set(_files_within(package)))))


def import_the_passkey_ceremonies_libraries() -> None:
    """Every module of py_webauthn (the ceremonies load its verifiers as an answer needs them), and
    with them what it needs of cryptography, pyOpenSSL, cbor2 and pyasn1."""
    import webauthn
    for found in pkgutil.walk_packages(webauthn.__path__, "webauthn."):
        importlib.import_module(found.name)


def render_a_document_in_every_font() -> None:
    from chalicelib.gateways.pdf import Party, PdfDocument, Table, render_pdf
    names = "Łódź Ωмега ∑ ≤ √ “quoted” 株式会社 客户 한국"   # Latin, Greek, Cyrillic, symbols, CJK
    render_pdf(PdfDocument(title="Invoice", number="INV-1", issuer=Party("Acme", ("1 Harbour Street",)),
                           recipient=Party(names), facts=(("Issued", "2026-12-01"),),
                           table=Table(("Description", "Amount"), ((names, "1.00"),), ("L", "R")),
                           totals=(("Total", "1.00"),), notes=("Thank you.",), footer="Acme"))


def _files_within(package: str):
    root = os.path.realpath(package) + os.sep
    for module in list(sys.modules.values()):
        path = os.path.realpath(getattr(module, "__file__", None) or "")
        if path.startswith(root):
            yield path[len(root):]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
