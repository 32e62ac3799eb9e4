"""An organization's logo, as the merchant uploads it: a small PNG, shown in the portal's header, at
the top of emails and on PDFs.

PNG only: an SVG is a document that can carry scripts and links, a JPEG or GIF adds nothing a logo
needs. The image is checked as bytes, not trusted by the name or type it came with: the PNG
signature and header, its size in bytes and in pixels. A logo is named by its version (a hash of
its bytes), so its address changes with it and may be cached for good."""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from .errors import InvalidInput

CONTENT_TYPE = "image/png"
MAX_BYTES = 32 * 1024
MIN_PIXELS, MAX_PIXELS = 16, 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Logo:
    data: bytes
    width: int
    height: int

    @property
    def version(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:16]


def checked_logo(data: bytes, field: str = "png_base64") -> Logo:
    """`data` as a logo, or InvalidInput on `field` saying what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise InvalidInput({field: f"A logo is at most {MAX_BYTES // 1024} KiB."}, codes={field: "logo_too_large"})
    if not data.startswith(PNG_SIGNATURE) or len(data) < 33 or data[12:16] != b"IHDR":
        raise InvalidInput({field: "A logo is a PNG image."}, codes={field: "logo_not_png"})
    width, height = struct.unpack(">II", data[16:24])
    if not (MIN_PIXELS <= width <= MAX_PIXELS and MIN_PIXELS <= height <= MAX_PIXELS):
        raise InvalidInput({field: f"A logo is {MIN_PIXELS} to {MAX_PIXELS} pixels wide and high."},
                           codes={field: "logo_dimensions"})
    return Logo(data, width, height)


def logo_path(org_id: str, version: str) -> str:
    """Where the portal serves the logo (relative to the portal, as the API's paths are)."""
    return f"/portal/auth/logos/{org_id}/{version}" if version else ""
