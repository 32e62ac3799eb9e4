"""The layering rules of DESIGN.md hold, and nothing in chalicelib scans a table."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_in_chalicelib_calls_scan():
    offenders = []
    for path in (ROOT / "chalicelib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("scan", "parallel_scan"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Call) and any(isinstance(a, ast.Constant) and a.value == "Scan"
                                                  for a in node.args):   # low-level dispatch("Scan", ...)
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_shared_architecture_check_passes():
    check = ROOT.parent / "shared" / "checks" / "architecture"
    if not check.exists():
        import pytest
        pytest.skip("shared/checks/architecture is not beside this checkout")
    result = subprocess.run([sys.executable, str(check), str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_tests_take_their_builders_from_tests_support_not_from_other_test_modules():
    offenders = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1].startswith("test_"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}")
    assert offenders == []
