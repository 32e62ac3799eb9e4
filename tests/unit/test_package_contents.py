"""The Lambda package leaves out what the function never loads (infra/package_contents.py), and
nothing of Portico itself."""
from pathlib import Path

from infra.package_contents import rule_for

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_of_portico_itself_is_left_out_of_the_package():
    # Given every file of app.py and chalicelib/ (code, fonts, templates, the browser portal)
    ours = ["app.py"] + [p.relative_to(ROOT).as_posix() for p in (ROOT / "chalicelib").rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts]

    # Then no rule leaves any of them out
    assert [path for path in ours if rule_for(path)] == []


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
