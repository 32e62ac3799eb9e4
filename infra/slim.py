"""Drops from the deployment zip what the Lambda Python runtime already provides (boto3,
botocore, s3transfer: ~16 MB zipped), keeping the package well under 25 MB.

Usage: python -m infra.slim build/<stage>/deployment.zip
"""
from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

PROVIDED_BY_RUNTIME = ("boto3/", "botocore/", "s3transfer/")


def slim(path: Path) -> tuple[int, int]:
    before = path.stat().st_size
    slimmed = path.with_suffix(".slim.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(slimmed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            top = info.filename.split("/")[0] + "/"
            if top in PROVIDED_BY_RUNTIME or top.rstrip("/").split("-")[0] + "/" in PROVIDED_BY_RUNTIME:
                continue
            target.writestr(info, source.read(info))
    shutil.move(slimmed, path)
    return before, path.stat().st_size


if __name__ == "__main__":
    before, after = slim(Path(sys.argv[1]))
    print(f"deployment.zip: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB (runtime-provided SDK removed)")
