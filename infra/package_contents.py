"""What the Lambda package leaves out of what `chalice package` vendors, and why (infra/slim.py).

Each rule names zip paths (shell patterns, where `*` also crosses folders). `python -m infra.slim`
prints what each rule saved; the build then loads every module a request imports from the slimmed
package (infra/bytecode.py), so a rule that removed something needed fails `make package`."""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class LeftOut:
    why: str
    patterns: tuple[str, ...]

    def covers(self, path: str) -> bool:
        return any(fnmatchcase(path, pattern) for pattern in self.patterns)


def distribution(name: str) -> tuple[str, ...]:
    """A library's importable folder or module and its pip metadata."""
    return (f"{name}/*", f"{name}.py", f"{name}-*")


# The Lambda Python runtime's own copy of the AWS SDK and the libraries it needs (tests/support/
# rehearsal.py runs the package beside exactly these).
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six")

# fontTools subpackages that fpdf2 does not load for TrueType fonts (checked when building: the
# package renders a PDF in every font it ships).
FONTTOOLS_UNUSED = ("ufoLib", "voltLib", "mtiLib", "merge", "cu2qu", "qu2cu", "diff")

LEFT_OUT = (
    LeftOut("the Lambda Python runtime provides the AWS SDK and its dependencies",
            tuple(p for name in RUNTIME_PROVIDED for p in distribution(name)) + ("python_dateutil-*",)),
    LeftOut("fpdf2 needs Pillow only to embed images, and Portico's PDFs have none",
            ("PIL/*", "pillow-*", "pillow.libs/*")),
    LeftOut("fontTools' compiled accelerators are optional: the pure-Python modules beside them run",
            ("fontTools/*.so",)),
    LeftOut("charset_normalizer's compiled accelerators are optional: the pure-Python md.py and cd.py beside "
            "them run (requests guesses an answer's encoding with them, and Stripe's answers name theirs)",
            ("charset_normalizer/*.so",)),
    LeftOut("fontTools subpackages fpdf2 never loads for TrueType fonts",
            tuple(f"fontTools/{name}/*" for name in FONTTOOLS_UNUSED)),
    LeftOut("stripe.params holds typed dicts for type checkers only", ("stripe/params/*",)),
    LeftOut("pydantic's v1 compatibility package, which nothing imports", ("pydantic/v1/*",)),
    LeftOut("build and type-checking leftovers: C and Cython sources, stubs, tests, scripts",
            ("*.c", "*.pyx", "*.pxd", "*.pyi", "*-stubs/*", "*/tests/*", "*.data/*")),
    LeftOut("pip's lists of installed files, untrue once slimmed (licences and metadata stay)",
            ("*.dist-info/RECORD",)),
)


# What only the passkey ceremonies load: py_webauthn and what it needs to check signatures. They ship
# in the passkeys function's package alone (infra/passkeys_function.py); the API function's package
# goes without them (cryptography alone is 4.5 MB zipped).
PASSKEYS_ONLY = LeftOut(
    "only the passkey ceremonies load them: in the passkeys function's package alone",
    tuple(p for name in ("webauthn", "cryptography", "OpenSSL", "cbor2", "pyasn1", "pyasn1_modules")
          for p in distribution(name)) + ("_cbor2.*", "pyopenssl-*"))


def rule_for(path: str) -> LeftOut | None:
    """The rule that leaves `path` out of the package, if any."""
    return next((rule for rule in LEFT_OUT if rule.covers(path)), None)
