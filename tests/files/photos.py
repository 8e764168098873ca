"""A photo uploaded through POST /uploads, for tests that fill photo fields (which take only this
service's own upload references)."""

from __future__ import annotations

import io

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
