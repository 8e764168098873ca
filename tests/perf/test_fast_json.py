"""The hot lists answer with kernel.responses.FastJSON (plain rows, orjson, no response-model
validation): their bytes must be exactly what the response model serialises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from pydantic import BaseModel

from backend.kernel.pagination import Page
from backend.kernel.responses import FastJSON
from backend.wishes.schemas import WishDetail, WishSummary

PAGE = Page[WishSummary]


def _as_the_model_says(body: bytes) -> bytes:
    return PAGE.model_validate_json(body).model_dump_json().encode()


async def test_the_wall_answers_the_models_bytes(api):
    r = await api.get("/api/v1/wishes/wall?limit=1", "demo-member")
    assert r.status_code == 200, r.text
    assert r.json()["items"], "the demo member's wall has wishes"
    assert r.headers["content-type"] == "application/json"
    assert r.content == _as_the_model_says(r.content)
    assert r.json()["next_cursor"], "more than one wish on the wall"
    more = await api.get(f"/api/v1/wishes/wall?limit=1&cursor={r.json()['next_cursor']}", "demo-member")
    assert more.status_code == 200, more.text
    assert more.content == _as_the_model_says(more.content)


async def test_my_wishes_and_the_staff_list_answer_the_models_bytes(api):
    for who in ("demo-resident", "demo-dispatcher"):
        r = await api.get("/api/v1/wishes?mine=true" if who == "demo-resident" else "/api/v1/wishes", who)
        assert r.status_code == 200, r.text
        assert r.json()["items"], who
        assert r.content == _as_the_model_says(r.content)
    mine = (await api.get("/api/v1/wishes?mine=true", "demo-resident")).json()["items"]
    assert all("*" not in w["requester_name"] for w in mine)  # one's own name, unmasked


async def test_a_wish_detail_is_the_models_bytes(api):
    mine = (await api.get("/api/v1/wishes?mine=true", "demo-resident")).json()["items"]
    assert mine
    for wish in mine[:3]:
        for who in ("demo-resident", "demo-dispatcher"):
            r = await api.get(f"/api/v1/wishes/{wish['id']}", who)
            if r.status_code != 200:
                continue  # another compound's dispatcher
            assert r.headers["content-type"] == "application/json"
            assert r.json()["events"], "the timeline is there"
            assert r.content == WishDetail.model_validate_json(r.content).model_dump_json().encode()


class _Sample(BaseModel):
    text: str
    at: datetime
    none: datetime | None
    n: int
    flag: bool


def test_fast_json_writes_what_pydantic_writes():
    for at in (
        datetime(2026, 12, 2, 6, 30, tzinfo=UTC),  # no microseconds
        datetime(2026, 12, 2, 6, 30, 1, 5, tzinfo=UTC),
        datetime(2026, 12, 2, 6, 30, 1, 123456, tzinfo=UTC),
    ):
        sample = _Sample(text='楼道灯不亮 "引号" \\ 😀', at=at, none=None, n=-3, flag=True)
        assert FastJSON(sample.model_dump()).body == sample.model_dump_json().encode()
    # the app stores UTC only (kernel.db.UTCDateTime): another offset would not come out as Z
    other = datetime(2026, 12, 2, 14, 30, tzinfo=timezone(timedelta(hours=8)))
    assert FastJSON({"at": other}).body != _Sample(text="", at=other, none=None, n=0, flag=False).model_dump_json()
