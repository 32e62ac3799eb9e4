"""Builders for the merchant's logo: a small PNG made here, and setting it through the admin API."""
import base64
import struct
import zlib


def png(width: int = 64, height: int = 32, rgb: tuple[int, int, int] = (31, 111, 235)) -> bytes:
    """A PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def put_logo(admin, data: bytes):
    return admin.put("/admin/organization/logo", {"png_base64": base64.b64encode(data).decode()})
