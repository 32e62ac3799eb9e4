"""Turns `chalice package`'s deployment.zip into the Lambda packages: without what no function
loads (infra/package_contents.py: the runtime's SDK, Pillow, fontTools' accelerators, ...), with
bytecode for every module a request imports (infra/bytecode.py), as two zips of the same code:

- passkeys.zip, for the passkeys function (infra/passkeys_function.py): everything, at most 18 MB;
- deployment.zip, for every other function: without what only the passkey ceremonies load
  (py_webauthn, cryptography, pyOpenSSL, cbor2, pyasn1), at most 12 MB.

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
from .package_contents import PASSKEYS_ONLY, rule_for

# The API function's package, and the scheduled functions' and the worker's: the cold start of every
# request reads it (issue: at most 12 MB with everything it needs).
LIMIT_BYTES = 12_000_000
# The passkeys function's: the same plus the ceremonies' libraries, whose one compiled library
# (cryptography's) weighs 4.5 MB zipped and cannot be slimmed (17.1 MB in all). Lambda allows 50 MB.
PASSKEYS_LIMIT_BYTES = 18_000_000
PASSKEYS_PACKAGE = "passkeys.zip"


def slim(path: Path) -> list[str]:
    """Rewrites the zip at `path` and writes passkeys.zip beside it; answers what it did, a line each."""
    runtime = bytecode.check_runtime(path.with_name("sam.json"))
    before, passkeys = path.stat().st_size, path.with_name(PASSKEYS_PACKAGE)
    with tempfile.TemporaryDirectory(prefix="portico-package-") as work:
        package, sdk = Path(work) / "task", bytecode.runtime_sdk(Path(work) / "sdk")
        saved = _unpack_kept(path, package)
        modules = bytecode.request_modules(package, sdk)
        bytecode.compile_in_subprocess(package, modules, Path(work) / "modules.json")
        bytecode.request_modules(package, sdk)   # and as shipped, with sources replaced, still serves them
        _zip(package, passkeys)
        moved = _remove_passkeys_only(package)
        bytecode.request_modules(package, sdk)   # and without the ceremonies' libraries, every other route too
        _zip(package, path)
    lines = [f"{path.name}: {before / 1e6:.1f} MB -> {path.stat().st_size / 1e6:.1f} MB zipped "
             f"(limit {LIMIT_BYTES / 1e6:.0f} MB), bytecode for {runtime} of {len(modules)} modules requests import",
             f"{passkeys.name}: {passkeys.stat().st_size / 1e6:.1f} MB zipped (limit {PASSKEYS_LIMIT_BYTES / 1e6:.0f} MB),"
             f" the same and {moved / 1e6:.1f} MB unzipped that only the passkey ceremonies load"]
    lines += [f"  left out, {size / 1e6:.1f} MB unzipped: {why}" for why, size in saved.most_common()]
    over = [f"{zipped} is over {limit / 1e6:.0f} MB" for zipped, limit in ((path, LIMIT_BYTES), (passkeys, PASSKEYS_LIMIT_BYTES))
            if zipped.stat().st_size > limit]
    if over:
        raise SystemExit("\n".join(lines + over))
    return lines


def _remove_passkeys_only(package: Path) -> int:
    """Deletes what only the passkey ceremonies load from the unpacked `package`; answers its bytes."""
    removed = 0
    for file in sorted(p for p in package.rglob("*") if p.is_file()):
        if PASSKEYS_ONLY.covers(file.relative_to(package).as_posix()):
            removed += file.stat().st_size
            file.unlink()
    for folder in sorted((p for p in package.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


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
