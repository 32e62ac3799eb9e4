"""The Lambda package leaves out what the function never loads (infra/package_contents.py), and
nothing of Portico itself; the API function's leaves out what only the passkey ceremonies load."""
from pathlib import Path

from infra.package_contents import PASSKEYS_ONLY, rule_for

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_of_portico_itself_is_left_out_of_the_package():
    # Given every file of app.py and chalicelib/ (code, fonts, templates, the browser portal)
    ours = ["app.py"] + [p.relative_to(ROOT).as_posix() for p in (ROOT / "chalicelib").rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts]

    # Then no rule leaves any of them out, not even of the API function's package
    assert [path for path in ours if rule_for(path) or PASSKEYS_ONLY.covers(path)] == []


def test_the_runtimes_sdk_pillow_and_what_only_type_checkers_read_are_left_out():
    left_out = ["boto3/session.py", "botocore/data/dynamodb/2012-08-10/service-2.json.gz", "six.py",
                "python_dateutil-2.9.0.post0.dist-info/METADATA", "PIL/Image.py", "pillow-13.0.0.dist-info/RECORD",
                "fontTools/misc/bezierTools.cpython-311-x86_64-linux-gnu.so", "fontTools/misc/bezierTools.c",
                "stripe/params/_customer_create_params.py", "wrapt-stubs/__init__.pyi", "certifi/tests/__init__.py",
                "stripe-16.1.0.dist-info/RECORD"]
    kept = ["fontTools/misc/bezierTools.py", "fontTools/subset/__init__.py", "fpdf/fpdf.py", "stripe/_stripe_client.py",
            "pydantic_core/_pydantic_core.cpython-311-x86_64-linux-gnu.so", "stripe-16.1.0.dist-info/LICENSE",
            "certifi/cacert.pem", "urllib3/__init__.py"]

    assert [path for path in left_out if rule_for(path) is None] == []
    assert [path for path in kept if rule_for(path) is not None] == []


def test_only_the_passkeys_functions_package_carries_py_webauthn_and_what_it_checks_signatures_with():
    passkeys_only = ["webauthn/__init__.py", "webauthn-2.8.0.dist-info/METADATA",
                     "cryptography/hazmat/bindings/_rust.abi3.so", "cryptography-50.0.2.dist-info/LICENSE",
                     "OpenSSL/crypto.py", "pyopenssl-26.4.0.dist-info/METADATA", "cbor2/_decoder.py",
                     "_cbor2.cpython-311-x86_64-linux-gnu.so", "pyasn1/codec/der/decoder.py",
                     "pyasn1_modules/rfc5280.py"]
    every_package = ["cffi/api.py", "_cffi_backend.cpython-311-x86_64-linux-gnu.so", "argon2/__init__.py",
                     "chalicelib/services/access/passkeys.py", "chalicelib/domain/passkeys.py"]

    assert [path for path in passkeys_only if not PASSKEYS_ONLY.covers(path)] == []
    assert [path for path in every_package if PASSKEYS_ONLY.covers(path)] == []
    assert [path for path in passkeys_only if rule_for(path)] == []   # in the passkeys package all the same
