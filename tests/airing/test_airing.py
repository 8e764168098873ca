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


async def test_complete_quarters_only_and_corrections_as_versions(api, session):
    """A quarter is published once it has ended and the confirm/back-fill window (7 days) passed;
    never empty; a correction is a new version with its reason, and both stay readable."""
    set_now(2025, 9, 20, 10, 0)
    first = await fulfil(api, "修理楼道扶手", 4)
    community_id = (await api.ok("GET", "/api/v1/org/tree", "demo-admin"))["streets"][0]["communities"][0]["id"]
    body = {"community_id": community_id, "period": "2025-Q3"}

    set_now(2025, 10, 7, 23, 59)  # Q3 ended 10-01 00:00; the window ends 10-08 00:00 Beijing time
    api.tokens.clear()  # the logins of September have expired
    r = await api.post("/api/v1/airing", "demo-admin", json=body)
    assert r.status_code == 409 and r.json()["error"] == "period_not_complete"
    assert "2025年10月08日 00:00起可以发布" in r.json()["detail"]
    r = await api.post("/api/v1/airing", "demo-admin", json={**body, "period": "2025-Q2"})  # nothing in it
    assert r.status_code == 409 and r.json()["error"] in ("period_not_complete", "nothing_to_publish")
    set_now(2025, 10, 8, 0, 1)
    r = await api.post("/api/v1/airing", "demo-admin", json={**body, "period": "2025-Q2"})
    assert r.status_code == 409 and r.json()["error"] == "nothing_to_publish"
    r = await api.post("/api/v1/airing", "demo-admin", json={**body, "correction_reason": "补录"})
    assert r.status_code == 409 and r.json()["error"] == "nothing_to_correct"

    v1 = await api.ok("POST", "/api/v1/airing", "demo-admin", status=201, json=body)
    [c1] = [s for s in v1 if s["compound_id"] is None]
    assert c1["version"] == 1 and c1["supersedes_id"] is None
    sat = c1["content"]["satisfaction"]
    assert sat["buckets"]["satisfied"] == [first] and sat["numerator"] == 1 and sat["denominator"] == 1
    r = await api.post("/api/v1/airing", "demo-admin", json=body)
    assert r.status_code == 409 and r.json()["error"] == "already_published" and "更正原因" in r.json()["detail"]

    # a wish back-filled late and a rating corrected: a new version, with its reason
    await session.execute(update(Wish).where(Wish.id == first).values(rating=2))
    await session.flush()
    v2 = await api.ok(
        "POST", "/api/v1/airing", "demo-admin", status=201, json={**body, "correction_reason": "居民更正了评分"}
    )
    [c2] = [s for s in v2 if s["compound_id"] is None]
    assert (c2["version"], c2["supersedes_id"], c2["correction_reason"]) == (2, c1["id"], "居民更正了评分")
    assert c2["content"]["satisfaction"]["buckets"]["unsatisfied"] == [first]
    assert "更正第2版" in c2["title"]

    old = await api.ok("GET", f"/api/v1/airing/{c1['id']}", "demo-resident")
    assert old["content"] == c1["content"] and old["superseded_by_id"] == c2["id"]  # unchanged, readable
    assert [(h["version"], h["correction_reason"]) for h in old["history"]] == [(1, None), (2, "居民更正了评分")]
    new = await api.ok("GET", f"/api/v1/airing/{c2['id']}", "demo-resident")
    assert new["superseded_by_id"] is None and len(new["history"]) == 2
    listed = await api.ok("GET", "/api/v1/airing?limit=100", "demo-resident")
    by_id = {s["id"]: s for s in listed["items"]}
    assert by_id[c1["id"]]["superseded_by_id"] == c2["id"] and by_id[c2["id"]]["superseded_by_id"] is None
