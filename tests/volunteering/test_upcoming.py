"""GET /activities?upcoming=true: only activities not over yet (the mini-program's 志愿活动 list);
without it, past ones too (the demo has a month of activities behind it)."""

from __future__ import annotations

from datetime import datetime

from backend.kernel.clock import clock


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
