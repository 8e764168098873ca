"""The three rates against a fixture computed by hand. The unit is the issue: seven issues, although
G's reopen made an eighth assignment (a reopen is not a new whistle; it counts against disposal).

A new department (测试科) gets seven issues in November 2025, all whistled Monday 11月3日 09:00
(normal urgency: response due 11:00; 3 working days of 450 min → disposal due Thursday 11月6日 09:00):

  A  responded 10:00, resolved Tue, rated satisfied        response ✓  disposal ✓  satisfied
  B  responded 12:30 (late), resolved Wed, rated unsatisfied response ✗  disposal ✓  unsatisfied
  C  responded 10:30, resolved Fri 11月7日 (late), satisfied   response ✓  disposal ✗  satisfied
  D  responded 10:00, resolved Tue, never rated → auto       response ✓  disposal ✓  auto-confirmed
  E  never answered                                          response ✗  disposal ✗
  F  returned 10:15 with a reason                            response ✓  disposal ✗ (returned)
  G  responded 10:00, resolved Tue, reopened Wed 11月5日,     response ✓  disposal ✗ (重新打开)
     the reopen never answered (not a second call)

呼叫应答率 = 5/7 = 0.7143; 事件处置率 = 3/7 = 0.4286; 居民满意率 = 2/3 (A, C of A, B, C), D apart.
Each issue is in exactly one bucket of each figure.
"""

from __future__ import annotations

from backend.directory.models import User
from backend.issues import service
from backend.org import service as org_service
from backend.org.models import Department
from backend.worker import sweep_once
from tests.support.clock import set_now


async def test_three_rates_by_hand(api, app, session, demo_ids):  # noqa: F811
    settings = app.state.settings
    dept = Department(street_id=1, name="测试科")
    staff = User(name="测试干事")
    session.add_all([dept, staff])
    await session.flush()
    await org_service.grant(session, staff.id, "department_staff", "department", dept.id)
    worker = demo_ids["demo-gridworker"]

    set_now(2025, 11, 3, 9, 0)
    issues = {}
    for key in "ABCDEFG":
        issue = await service.raise_issue(
            session,
            actor_id=worker,
            grid_ids={demo_ids["grid_g1"]},
            grid_id=None,
            compound_id=None,
            household_id=demo_ids["house_g1"],
            category="environment",
            description=f"事件{key}",
            location="",
            photos=[],
            urgency="normal",
        )
        await service.whistle(session, settings, issue, actor_id=worker, department_id=dept.id)
        issues[key] = issue
    A, B, C, D, E, F, G = (issues[k] for k in "ABCDEFG")

    set_now(2025, 11, 3, 10, 0)
    for i in (A, D, G):
        await service.respond(session, i, actor_id=staff.id, note="收到")
    set_now(2025, 11, 3, 10, 15)
    await service.hand_back(session, F, actor_id=staff.id, reason="不属本科职责")
    set_now(2025, 11, 3, 10, 30)
    await service.respond(session, C, actor_id=staff.id, note="收到")
    set_now(2025, 11, 3, 12, 30)
    await service.respond(session, B, actor_id=staff.id, note="收到")
    set_now(2025, 11, 4, 10, 0)
    for i in (A, D, G):
        await service.resolve(session, i, actor_id=staff.id, note="已办结", photos=[])
    set_now(2025, 11, 5, 10, 0)
    await service.resolve(session, B, actor_id=staff.id, note="已办结", photos=[])
    await service.reopen(session, settings, G, actor_id=worker, reason="问题仍在")
    set_now(2025, 11, 7, 10, 0)
    await service.resolve(session, C, actor_id=staff.id, note="已办结", photos=[])
    set_now(2025, 11, 7, 11, 0)
    await service.confirm(session, A, actor_id=worker, satisfied=True, comment=None)
    await service.confirm(session, B, actor_id=worker, satisfied=False, comment="不彻底")
    await service.confirm(session, C, actor_id=worker, satisfied=True, comment=None)
    await session.flush()
    set_now(2025, 11, 20, 10, 0)  # D is auto-confirmed by the sweep
    await sweep_once(app.state.session_factory, settings)

    stats = await api.ok("GET", f"/api/v1/stats/escalation?scope=department:{dept.id}&period=2025-11", "demo-street")
    ids = {k: v.id for k, v in issues.items()}
    assert stats["whistled"] == 7
    r = stats["response_rate"]
    assert (r["numerator"], r["denominator"], r["rate"]) == (5, 7, 0.7143)
    assert r["buckets"] == {
        "on_time": sorted(ids[k] for k in "ACDFG"),
        "late": [ids["B"]],
        "unanswered": [ids["E"]],
        "pending": [],
    }
    assert r["issues"] == r["buckets"]  # the older name, kept for clients
    d = stats["disposal_rate"]
    assert (d["numerator"], d["denominator"], d["rate"]) == (3, 7, 0.4286)
    assert d["buckets"] == {
        "on_time": sorted(ids[k] for k in "ABD"),
        "late": [ids["C"]],
        "reopened": [ids["G"]],
        "returned": [ids["F"]],
        "unresolved": [ids["E"]],
        "pending": [],
    }
    assert d["unit"] == "issue" and "重新打开" in d["definition"]
    s = stats["satisfaction_rate"]
    assert (s["numerator"], s["denominator"], s["rate"]) == (2, 3, 0.6667)
    assert s["buckets"] == {"satisfied": sorted([ids["A"], ids["C"]]), "unsatisfied": [ids["B"]]}
    assert s["excluded"] == {"auto_confirmed": [ids["D"]], "awaiting_rating": []}
    assert stats["auto_confirmed"] == {"count": 1, "issues": [ids["D"]]}

    # the same figures seen from the street, per department; another month holds none of them
    street = await api.ok("GET", "/api/v1/stats/escalation?scope=street:1&period=2025-11", "demo-street")
    [row] = [b for b in street["by_department"] if b["department_id"] == dept.id]
    assert row["response_rate"]["rate"] == 0.7143 and row["auto_confirmed"]["count"] == 1
    other = await api.ok("GET", f"/api/v1/stats/escalation?scope=department:{dept.id}&period=2025-10", "demo-street")
    assert other["whistled"] == 0 and other["response_rate"]["rate"] is None
    # scope: the department's own staff only; a community admin may not read a department
    r = await api.get(f"/api/v1/stats/escalation?scope=department:{dept.id}&period=2025-11", "demo-department")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.get("/api/v1/stats/escalation?scope=street:1", "demo-admin")
    assert r.status_code == 403
