"""The overview against a fixture counted by hand (tests/stats/fixture.py), March 2024:

wishes submitted in March: W1 closed ★5, W2 closed ★3, W3 closed automatically (no rating), W4 accepted,
W5 open, W6 cancelled, W7 pending review (W8 was submitted in February, finished 3月1日).
  hours to accept: W1 2, W2 4, W3 1, W4 6 → median 3.0; to complete: 24, 36, 24 → median 24.0
  完成率 = finished (W1, W2, W3) ÷ in service (W1–W5) = 3/5; 满意率 = ★≥4 (W1) ÷ rated (W1, W2) = 1/2,
  W3 counted apart as auto-closed
  走访覆盖率: 2 of 4 households visited in March (one twice; a third in February only) = 0.5
  one issue whistled 3月13日 and answered in time: 呼叫应答率 1/1
weeks (Monday-based): 2-26 (completed W8), 3-04 (created W1 W2, completed W1 W2), 3-11 (created W3 W4,
completed W3, whistled 1), 3-18 (created W5 W6), 3-25 (created W7).
"""

from __future__ import annotations

from tests.support.stats_world import build


async def test_overview_by_hand(api, session):
    ids = await build(session)
    o = await api.ok("GET", f"/api/v1/stats/overview?scope=community:{ids['community']}&period=2024-03", "ov-admin")
    assert o["scope"]["name"] == "测试社区" and o["period"]["label"] == "2024-03"
    wishes = o["wishes"]
    assert wishes["total"] == 7
    counts = {s["status"]: s["count"] for s in wishes["by_status"]}
    assert counts == {
        "pending_review": 1,
        "rejected": 0,
        "open": 1,
        "dispatched": 0,
        "accepted": 1,
        "completed": 0,
        "closed": 3,
        "cancelled": 1,
    }
    assert {s["status"]: s["label"] for s in wishes["by_status"]}["closed"] == "已完成"
    assert wishes["median_hours_to_accept"] == 3.0
    assert wishes["median_hours_to_complete"] == 24.0
    w = ids["wishes"]
    pick = {k: v for k, v in wishes["completion"].items() if k in ("label", "numerator", "denominator", "rate")}
    assert pick == {"label": "完成率", "numerator": 3, "denominator": 5, "rate": 0.6}
    assert wishes["completion"]["buckets"] == {
        "open": [w["W5"]],
        "dispatched": [],
        "accepted": [w["W4"]],
        "completed": [],
        "closed": sorted([w["W1"], w["W2"], w["W3"]]),
    }
    assert wishes["completion"]["numerator_buckets"] == ["completed", "closed"]
    sat = wishes["satisfaction"]
    assert (sat["numerator"], sat["denominator"], sat["rate"], sat["auto_closed"]) == (1, 2, 0.5, 1)
    assert sat["buckets"] == {"satisfied": [w["W1"]], "unsatisfied": [w["W2"]]}
    assert sat["excluded"] == {"auto_closed": [w["W3"]], "unrated": [], "awaiting_rating": []}
    v = o["visits"]
    assert (v["label"], v["households"], v["visited"], v["rate"]) == ("走访覆盖率", 4, 2, 0.5)
    assert len(v["buckets"]["visited"]) == 2 and len(v["buckets"]["not_visited"]) == 2 and v["unit"] == "household"
    esc = o["escalation"]
    assert esc["whistled"] == 1 and esc["auto_confirmed"] == 0
    r = esc["response_rate"]
    assert (r["label"], r["numerator"], r["denominator"], r["rate"]) == ("呼叫应答率", 1, 1, 1.0)
    assert esc["satisfaction_rate"]["rate"] is None
    weekly = [(w["week_start"], w["created"], w["completed"], w["whistled"]) for w in o["weekly"]]
    assert weekly == [
        ("2024-02-26", 0, 1, 0),
        ("2024-03-04", 2, 2, 0),
        ("2024-03-11", 2, 1, 1),
        ("2024-03-18", 2, 0, 0),
        ("2024-03-25", 1, 0, 0),
    ]
    assert o["weekly"][1]["label"] == "03-04至03-10"

    # a compound of the community, seen by its admin; February holds only W8
    feb = await api.ok("GET", f"/api/v1/stats/overview?scope=compound:{ids['compound']}&period=2024-02", "ov-admin")
    assert feb["wishes"]["total"] == 1 and feb["wishes"]["satisfaction"]["rate"] == 1.0
    # the street admin may read it; another community's admin may not, nor this one the street
    r = await api.get(f"/api/v1/stats/overview?scope=community:{ids['community']}&period=2024-03", "demo-street")
    assert r.status_code == 200
    r = await api.get(f"/api/v1/stats/overview?scope=community:{ids['community']}&period=2024-03", "demo-admin")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.get("/api/v1/stats/overview?scope=street:1", "ov-admin")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.get(f"/api/v1/stats/overview?scope=community:{ids['community']}", "demo-department")
    assert r.status_code == 403 and r.json()["error"] == "role_required"
