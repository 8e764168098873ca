"""Pictures for upload tests, and a photo uploaded through POST /uploads for tests that fill photo
fields (which take only this service's own upload references)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def jpeg(color=(90, 140, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(out, "JPEG")
    return out.getvalue()


async def uploaded(api, who: str) -> str:
    """The ref of a fresh photo uploaded by ``who``."""
    r = await api.post("/api/v1/uploads", who, files={"file": ("photo.jpg", jpeg(), "image/jpeg")})
    assert r.status_code == 201, r.text
    return r.json()["ref"]


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG built by hand: signature, IHDR, one zlib IDAT, IEND, each chunk with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    rows = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))  # filter 0 + red pixels
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


async def upload(api, who, name: str, data: bytes, content_type: str = "application/octet-stream"):
    return await api.post("/api/v1/uploads", who, files={"file": (name, data, content_type)})
