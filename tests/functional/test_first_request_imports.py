"""A cold start of the most common request loads what it uses and nothing more: `import app` and a
first GET /portal/me (bench/first_request.py, in a fresh process against a seeded local AWS) load
neither the PDF library nor the X-Ray SDK of an unsampled invocation, nor the tables and plans of
paying (reading a customer needs no idempotency record)."""
import json
import subprocess
import sys
from pathlib import Path

from exercise.local_aws import signed_in_local_aws

ROOT = Path(__file__).resolve().parents[2]
PDF_LIBRARY = ("fpdf", "fontTools", "PIL")
PAYING = ("chalicelib.tables.idempotency", "chalicelib.domain.payment_plans", "chalicelib.services.payments.collection")
NOT_SAMPLED = {"AWS_LAMBDA_FUNCTION_NAME": "portico-dev", "AWS_XRAY_SDK_ENABLED": "true",
               "_X_AMZN_TRACE_ID": "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=0"}


def test_import_app_and_a_first_get_portal_me_load_neither_the_pdf_library_nor_x_ray(tmp_path):
    # Given a local AWS with the demo customer signed in
    with signed_in_local_aws() as aws:
        # When a fresh traced Lambda-like process, not sampled, imports app and serves GET /portal/me
        modules_file = tmp_path / "modules.json"
        subprocess.run([sys.executable, str(ROOT / "bench" / "first_request.py")], check=True, cwd=ROOT,
                       env={**aws.environment, **NOT_SAMPLED, "BENCH_MODULES_TO": str(modules_file)})
    loaded = json.loads(modules_file.read_text())

    # Then it answered (or it would have failed) having loaded the tables, but no PDF library, no X-Ray,
    # nothing of paying
    assert "pynamodb.models" in loaded
    assert [m for m in loaded if m.split(".")[0] in PDF_LIBRARY + ("aws_xray_sdk",)] == []
    assert [m for m in loaded if m in PAYING] == []
