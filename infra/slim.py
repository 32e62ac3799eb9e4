"""Turns `chalice package`'s deployment.zip into the Lambda package: without what the function
never loads (infra/package_contents.py: the runtime's SDK, Pillow, fontTools' accelerators, ...),
with bytecode for every module a request imports (infra/bytecode.py), at most 18 MB zipped.

Usage: python -m infra.slim build/<stage>/deployment.zip   (sam.json beside it names the runtime)
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from . import bytecode
from .package_contents import rule_for

# 12 MB until passkeys: their signatures are checked with `cryptography`, whose one compiled library
# weighs 4.5 MB zipped and cannot be slimmed (17.1 MB with it). Lambda allows 50 MB.
LIMIT_BYTES = 18_000_000


def slim(path: Path) -> list[str]:
    """Rewrites the zip at `path`; answers what it did, a line each."""
    runtime = bytecode.check_runtime(path.with_name("sam.json"))
    before = path.stat().st_size
    with tempfile.TemporaryDirectory(prefix="portico-package-") as work:
        package, sdk = Path(work) / "task", bytecode.runtime_sdk(Path(work) / "sdk")
        saved = _unpack_kept(path, package)
        modules = bytecode.request_modules(package, sdk)
        bytecode.compile_in_subprocess(package, modules, Path(work) / "modules.json")
        bytecode.request_modules(package, sdk)   # and as shipped, with sources replaced, still serves them
        _zip(package, path)
    after = path.stat().st_size
    lines = [f"{path.name}: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB zipped "
             f"(limit {LIMIT_BYTES / 1e6:.0f} MB), bytecode for {runtime} of {len(modules)} modules requests import"]
    lines += [f"  left out, {size / 1e6:.1f} MB unzipped: {why}" for why, size in saved.most_common()]
    if after > LIMIT_BYTES:
        raise SystemExit("\n".join(lines + [f"{path} is over {LIMIT_BYTES / 1e6:.0f} MB"]))
    return lines


def _unpack_kept(path: Path, into: Path) -> Counter:
    """Extracts what the package keeps; answers the bytes left out, by reason."""
    saved: Counter = Counter()
    with zipfile.ZipFile(path) as source:
        for info in source.infolist():
            rule = rule_for(info.filename)
            if rule is None:
                source.extract(info, into)
                _keep_mode(info, into / info.filename)
            else:
                saved[rule.why] += info.file_size
    return saved


def _keep_mode(info: zipfile.ZipInfo, extracted: Path) -> None:
    mode = info.external_attr >> 16
    if mode and not info.is_dir():
        extracted.chmod(mode & 0o7777)


def _zip(folder: Path, path: Path) -> None:
    """Every file of `folder` in a deterministic order, readable by Lambda's user (0o644/0o755)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    written = path.with_suffix(".slim.zip")
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for file in files:
            info = zipfile.ZipInfo.from_file(file, file.relative_to(folder).as_posix())
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if os.access(file, os.X_OK) else 0o644) << 16
            target.writestr(info, file.read_bytes(), compresslevel=9)
    shutil.move(written, path)


if __name__ == "__main__":
    print(*slim(Path(sys.argv[1])), sep="\n")
