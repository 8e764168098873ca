"""Quarterly airing (晾晒): published once, frozen afterwards, residents masked."""

from __future__ import annotations

from sqlalchemy import update

from backend.directory.models import User
from backend.wishes.models import Wish
from tests.support.clock import set_now
from tests.support.wishes import approve, member_id, place


async def fulfil(api, title: str, rating: int) -> int:
    wish = await place(api, title=title)
    await approve(api, wish["id"])
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", "demo-member")
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/complete", "demo-member", json={"note": "已完成", "photos": []})
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/confirm", "demo-resident", json={"rating": rating})
    return wish["id"]


async def test_published_airing_is_frozen_and_masks_residents(api, session):
    set_now(2025, 8, 12, 10, 0)
    first = await fulfil(api, "修理楼道扶手", 5)
    await fulfil(api, "教老人用手机挂号", 3)
    set_now(2025, 10, 8, 10, 0)
    api.tokens.clear()
    me = await api.ok("GET", "/api/v1/me", "demo-admin")
    community_id = (await api.ok("GET", "/api/v1/org/tree", "demo-admin"))["streets"][0]["communities"][0]["id"]

    r = await api.post("/api/v1/airing", "demo-street", json={"community_id": community_id, "period": "2025-Q3"})
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    snaps = await api.ok(
        "POST", "/api/v1/airing", "demo-admin", status=201, json={"community_id": community_id, "period": "2025-Q3"}
    )
    assert me["id"] and len(snaps) == 3  # 锦华苑, 翠湖花园 and the community
    [jinhua] = [s for s in snaps if s["content"]["scope_name"] == "锦华苑"]
    content = jinhua["content"]
    assert content["fulfilled"] == 2 and content["rated"] == 2 and content["average_rating"] == 4.0
    assert content["satisfied"] == 1 and content["auto_closed"] == 0
    assert [w["title"] for w in content["wishes"]] == ["修理楼道扶手", "教老人用手机挂号"]
    assert {w["resident"] for w in content["wishes"]} == {"王**"}  # 王秀兰, masked
    assert "王秀兰" not in str(jinhua) and "13800000001" not in str(jinhua)
    assert content["members"] == [{"name": "张伟", "work_unit": "区税务局", "wishes": 2}]
    assert content["work_units"] == [{"work_unit": "区税务局", "wishes": 2, "members": 1}]

    # later edits under it change nothing: a rating, a title, a member's name
    await session.execute(update(Wish).where(Wish.id == first).values(rating=1, title="改过的标题"))
    member = await member_id(api, "demo-member")
    await session.execute(update(User).where(User.id == member).values(name="张大伟"))
    await session.flush()
    again = await api.ok("GET", f"/api/v1/airing/{jinhua['id']}", "demo-resident")
    assert again["content"] == content and again["title"] == jinhua["title"]
    r = await api.post("/api/v1/airing", "demo-admin", json={"community_id": community_id, "period": "2025-Q3"})
    assert r.status_code == 409 and r.json()["error"] == "already_published"

    listed = await api.ok("GET", "/api/v1/airing", "demo-resident")
    assert jinhua["id"] in [s["id"] for s in listed["items"]] and listed["items"][0]["content"] is None
    r = await api.post("/api/v1/airing", "demo-admin", json={"community_id": community_id, "period": "2026-H1"})
    assert r.status_code == 422
