"""GET /activities?upcoming=true: only activities not over yet (the mini-program's 志愿活动 list);
without it, past ones too (the demo has a month of activities behind it). my_community=true: those
of the community of the caller's compound, unless a community_id is given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend.kernel.clock import clock
from backend.org.models import Community


async def _all(api, query: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = await api.ok(
            "GET", f"/api/v1/activities?limit=5{query}" + (f"&cursor={cursor}" if cursor else ""), "demo-resident"
        )
        items += page["items"]
        if not (cursor := page["next_cursor"]):
            return items


async def test_upcoming_only_activities_not_over(api):
    now = clock.now()
    everything = await _all(api, "")
    upcoming = await _all(api, "&upcoming=true")
    expected = [a["id"] for a in everything if datetime.fromisoformat(a["end_at"]) > now]
    assert [a["id"] for a in upcoming] == expected
    assert 0 < len(upcoming) < len(everything)


async def test_my_community_is_the_callers_compounds_community(api, session):
    from_hx = await _all(api, "&upcoming=true&my_community=true")
    everything = await _all(api, "&upcoming=true")
    hx = (await session.execute(select(Community.id).where(Community.name == "和谐社区"))).scalar_one()
    # demo-resident lives in 锦华苑, 和谐社区
    assert [a["id"] for a in from_hx] == [a["id"] for a in everything if a["community_id"] == hx]
    assert from_hx and len(from_hx) < len(everything)
    # an explicit community wins
    other = next(a["community_id"] for a in everything if a["community_id"] != hx)
    explicit = await _all(api, f"&upcoming=true&my_community=true&community_id={other}")
    assert explicit and {a["community_id"] for a in explicit} == {other}
