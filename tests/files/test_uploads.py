"""Photo uploads: recognised by content (JPEG, PNG, WebP), at most 5 MB, served back under /uploads/."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from PIL import Image

from tests.support.api import error
from tests.support.photos import png, upload


def test_the_hand_made_png_is_valid():
    data = png(3, 2)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    # walk the chunks and check every CRC and the pixel data
    pos, kinds = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        kinds.append(kind)
        if kind == b"IDAT":
            assert len(zlib.decompress(body)) == 2 * (1 + 3 * 3)
        pos += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]


async def test_png_upload_round_trip(api, client):
    data = png()
    r = await upload(api, "demo-resident", "水龙头.png", data, "image/png")
    assert r.status_code == 201, r.text
    out = r.json()
    assert re.fullmatch(r"/uploads/[0-9a-f]{32}\.png", out["ref"]), out
    assert out["url"].startswith(out["ref"] + "?exp=") and "&sig=" in out["url"], out
    assert out["content_type"] == "image/png" and out["kind"] == "photo" and out["duration_ms"] is None

    served = await client.get(out["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (2, 2)  # re-encoded, the same picture
    assert len(served.content) == out["size"]

    # the ref is accepted where photos are expected, and comes back signed
    wish = await api.ok(
        "POST",
        "/api/v1/wishes",
        "demo-resident",
        status=201,
        json={"title": "水龙头漏水", "category": "repair", "photos": [out["ref"]]},
    )
    [photo] = wish["photos"]
    assert photo.startswith(out["ref"] + "?exp=") and (await client.get(photo)).status_code == 200


async def test_every_upload_gets_its_own_name(api):
    urls = {(await upload(api, "demo-member", "same.png", png())).json()["url"] for _ in range(3)}
    assert len(urls) == 3


async def test_type_comes_from_content_not_name(api):
    # a PNG called .jpg is stored as .png; the client's name never reaches the URL
    r = await upload(api, "demo-resident", "../../etc/passwd.jpg", png(), "image/jpeg")
    assert r.status_code == 201, r.text
    assert r.json()["ref"].endswith(".png") and "passwd" not in r.json()["url"]
    assert r.json()["content_type"] == "image/png"


def picture(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (30, 120, 200)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "ext", "mime"), [("JPEG", "jpg", "image/jpeg"), ("WEBP", "webp", "image/webp")])
async def test_jpeg_and_webp_are_accepted(api, client, fmt, ext, mime):
    r = await upload(api, "demo-resident", "photo.bin", picture(fmt))
    assert r.status_code == 201, r.text
    assert r.json()["ref"].endswith("." + ext) and r.json()["content_type"] == mime
    served = await client.get(r.json()["url"])
    assert served.status_code == 200 and Image.open(io.BytesIO(served.content)).format == fmt


async def test_a_picture_that_does_not_decode_is_refused(api):
    fake_jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
    body = error(await upload(api, "demo-resident", "photo.jpg", fake_jpeg), 422, "unreadable_image")
    assert "图片" in body["detail"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.jpg", "这不是图片，只是一段文字。\n".encode()),
        ("page.png", b"<html><script>alert(1)</script></html>"),
        ("anim.jpg", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,"),
        ("doc.jpg", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    ],
    ids=["text", "html", "gif", "pdf"],
)
async def test_other_content_is_refused(api, name, data):
    r = await upload(api, "demo-resident", name, data, "image/jpeg")
    body = error(r, 422, "unsupported_file_type")
    assert "PNG" in body["detail"]


async def test_over_5_mb_is_413(api, app):
    limit = app.state.settings.upload_max_bytes
    assert limit == 5 * 1024 * 1024
    head = png()
    r = await upload(api, "demo-resident", "big.png", head + b"\x00" * (limit + 1 - len(head)), "image/png")
    body = error(r, 413, "file_too_large")
    assert "5 MB" in body["detail"]
    # exactly the limit is fine (trailing bytes are not part of the picture: re-encoding drops them)
    r = await upload(api, "demo-resident", "max.png", head + b"\x00" * (limit - len(head)), "image/png")
    assert r.status_code == 201 and r.json()["size"] < 1000, r.text


async def test_empty_or_missing_file(api):
    error(await upload(api, "demo-resident", "empty.png", b""), 422, "empty_file")
    error(await api.post("/api/v1/uploads", "demo-resident", data={"note": "no file"}), 422, "invalid_input")
    error(await api.post("/api/v1/uploads", "demo-resident", json={"file": "abc"}), 422, "invalid_input")


async def test_anonymous_upload_is_401(api):
    error(await upload(api, None, "door.png", png(), "image/png"), 401, "not_authenticated")


async def test_a_bare_upload_path_is_refused(client):
    error(await client.get("/uploads/" + "0" * 32 + ".png"), 403, "link_invalid")
