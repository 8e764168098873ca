"""Photos don't reveal homes (issue 12 item 6): EXIF (GPS) stripped on upload with the orientation
kept; files served only through short-lived signed URLs; photo fields take only this service's own
upload references; a daily quota; orphans swept after a day. And voice notes (contract §2/§3)."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from backend.files import service as files_service
from backend.files.models import Upload
from backend.kernel.clock import clock
from backend.worker import SWEEPS
from tests.support.api import error
from tests.support.photos import png, upload

GPS_IFD = 0x8825
ORIENTATION = 0x0112
WISH = {"title": "楼道灯坏了", "category": "repair"}


def jpeg_with_gps(orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "DoorCam"  # Make
    exif[0x9286] = "家门口"  # UserComment-ish
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (37.0, 25.0, 48.0), "E", (118.0, 40.0, 12.0)
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (120, 80, 40)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


async def photo(api, who="demo-resident", data=None) -> dict:
    r = await upload(api, who, "door.jpg", data or jpeg_with_gps(), "image/jpeg")
    assert r.status_code == 201, r.text
    return r.json()


async def test_gps_and_camera_tags_are_stripped_and_the_orientation_kept(api, client):
    original = jpeg_with_gps()
    before = Image.open(io.BytesIO(original)).getexif()
    assert before.get_ifd(GPS_IFD) and before[0x010F] == "DoorCam"
    out = await photo(api, data=original)
    served = await client.get(out["url"])
    assert served.status_code == 200
    after = Image.open(io.BytesIO(served.content))
    exif = after.getexif()
    assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif and GPS_IFD not in exif
    assert exif[ORIENTATION] == 6 and after.size == (8, 6)
    assert b"DoorCam" not in served.content


async def test_served_only_through_a_signed_unexpired_url_with_safe_headers(api, client):
    out = await photo(api)
    r = await client.get(out["url"])
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"].startswith("private")
    error(await client.get(out["ref"]), 403, "link_invalid")  # the bare path
    query = parse_qs(urlsplit(out["url"]).query)
    exp, sig = query["exp"][0], query["sig"][0]
    other = await photo(api)
    error(await client.get(f"{other['ref']}?exp={exp}&sig={sig}"), 403, "link_invalid")  # another file's signature
    error(await client.get(f"{out['ref']}?exp={int(exp) + 3600}&sig={sig}"), 403, "link_invalid")  # a later expiry
    clock.advance(timedelta(hours=1, minutes=6))  # one hour (rounded up to 5 minutes) later
    body = error(await client.get(out["url"]), 403, "link_expired")
    assert "过期" in body["detail"]


async def test_every_response_carrying_photos_signs_them(api, client):
    out = await photo(api)
    wish = await api.ok("POST", "/api/v1/wishes", "demo-resident", status=201, json={**WISH, "photos": [out["ref"]]})
    again = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-resident")
    for shown in (wish["photos"][0], again["photos"][0]):
        assert shown.startswith(out["ref"] + "?exp=")
        assert (await client.get(shown)).status_code == 200


async def test_an_older_client_sending_the_url_is_accepted_and_the_ref_stored(api, session):
    out = await photo(api)
    wish = await api.ok("POST", "/api/v1/wishes", "demo-resident", status=201, json={**WISH, "photos": [out["url"]]})
    from backend.wishes.models import Wish

    stored = (await session.execute(select(Wish.photos).where(Wish.id == wish["id"]))).scalar_one()
    assert stored == [out["ref"]]


@pytest.mark.parametrize(
    "foreign",
    [
        "http://127.0.0.1/uploads/0123456789abcdef0123456789abcdef.jpg",
        "https://e.x/a.jpg",
        "http://169.254.169.254/latest/meta-data",
        "/uploads/../../etc/passwd",
        "/uploads/a.jpg",
        "/api/v1/me",
        "/uploads/0123456789abcdef0123456789abcdef.mp3",  # a voice note is not a photo
    ],
)
async def test_photo_fields_refuse_anything_but_our_own_uploads(api, foreign):
    body = error(await api.post("/api/v1/wishes", "demo-resident", json={**WISH, "photos": [foreign]}), 422)
    assert "照片" in body["detail"]


async def test_a_well_formed_ref_to_no_upload_is_refused(api):
    ghost = "/uploads/0123456789abcdef0123456789abcdef.jpg"
    body = error(
        await api.post("/api/v1/wishes", "demo-resident", json={**WISH, "photos": [ghost]}), 422, "unknown_upload"
    )
    assert "重新上传" in body["detail"]


async def test_a_daily_upload_quota_per_user(api, app):
    app.state.settings.upload_daily_quota = 2
    await photo(api, data=png())
    await photo(api, data=png())
    body = error(await upload(api, "demo-resident", "third.png", png(), "image/png"), 429, "upload_quota")
    assert "明天" in body["detail"]
    await photo(api, who="demo-member", data=png())  # per user
    clock.advance(timedelta(days=1))
    await photo(api, data=png())  # a new day


async def test_orphans_older_than_a_day_are_swept_attached_ones_kept(api, app, session):
    settings = app.state.settings
    kept, orphan, fresh = await photo(api), await photo(api), None
    await api.ok("POST", "/api/v1/wishes", "demo-resident", status=201, json={**WISH, "photos": [kept["ref"]]})
    clock.advance(timedelta(hours=25))
    fresh = await photo(api)
    assert "uploads_orphaned" in SWEEPS
    assert await SWEEPS["uploads_orphaned"](session, settings) == 1
    names = set((await session.execute(select(Upload.name))).scalars())
    directory = settings.upload_dir
    for out, there in ((kept, True), (orphan, False), (fresh, True)):
        name = out["ref"].rsplit("/", 1)[1]
        assert (name in names) is there and (directory / name).exists() is there, (out, there)
    assert await files_service.sweep_orphans(session, settings) == 0


# ---- voice notes (contracts §2, §3) -------------------------------------------------------------

FRAME = b"\xff\xfb\x90\x00" + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 26.1 ms a frame


def mp3(seconds: float) -> bytes:
    return FRAME * round(seconds * 44100 / 1152)


async def voice(api, seconds: float = 5, who="demo-resident") -> dict:
    r = await upload(api, who, "voice.mp3", mp3(seconds), "audio/mpeg")
    assert r.status_code == 201, r.text
    return r.json()


async def test_a_voice_note_upload_says_its_kind_and_duration(api, client):
    out = await voice(api, 5)
    assert out["kind"] == "voice" and out["content_type"] == "audio/mpeg" and out["ref"].endswith(".mp3")
    assert 4900 <= out["duration_ms"] <= 5100
    served = await client.get(out["url"])
    assert served.status_code == 200 and served.headers["content-type"] == "audio/mpeg"


async def test_voice_notes_over_60_seconds_or_2_mb_are_refused(api):
    body = error(await upload(api, "demo-resident", "long.mp3", mp3(70), "audio/mpeg"), 422, "voice_too_long")
    assert "60 秒" in body["detail"]
    big = mp3(59) + b"\x00" * (2 * 1024 * 1024)
    error(await upload(api, "demo-resident", "big.mp3", big, "audio/mpeg"), 422, "voice_too_large")


async def test_a_wish_told_by_voice_carries_it_to_whoever_sees_the_description(api, client):
    out = await voice(api, 12)
    wish = await api.ok(
        "POST",
        "/api/v1/wishes",
        "demo-resident",
        status=201,
        json={"category": "repair", "voice": out["ref"], "voice_seconds": 30},
    )
    assert wish["title"] == "语音心愿"
    assert wish["voice"]["seconds"] == 12  # the file's own length wins over the recorder's word
    assert wish["voice"]["url"].startswith(out["ref"] + "?exp=")
    assert (await client.get(wish["voice"]["url"])).status_code == 200
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    seen = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-dispatcher")
    assert seen["voice"]["seconds"] == 12 and seen["voice"]["url"].startswith(out["ref"])
    plain = await api.ok("POST", "/api/v1/wishes", "demo-resident", status=201, json=WISH)
    assert plain["voice"] is None


async def test_the_voice_field_takes_only_a_voice_upload(api):
    pic = await photo(api)
    body = error(await api.post("/api/v1/wishes", "demo-resident", json={**WISH, "voice": pic["ref"]}), 422)
    assert "语音" in body["detail"]
    body = error(await api.post("/api/v1/wishes", "demo-resident", json={**WISH, "voice": "https://e.x/v.mp3"}), 422)
    assert "语音" in body["detail"]
