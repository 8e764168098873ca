"""Raise → 吹哨 → 报到 → 办结 → 确认 over HTTP, with roles and scope; deadlines, reminders and
escalation with the controllable clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from backend.issues.models import IssueAssignment
from backend.kernel.clock import SHANGHAI, clock
from backend.notify.models import Notification, OutboxMessage
from backend.worker import sweep_once
from tests.support.clock import set_now
from tests.support.issues import RAISE, raise_issue
from tests.support.photos import uploaded


def minute(value: str) -> datetime:
    """A timestamp of the API in Shanghai, to the minute (the test clock keeps ticking)."""
    return datetime.fromisoformat(value).astimezone(SHANGHAI).replace(second=0, microsecond=0)


def types(issue: dict) -> list[str]:
    return [e["type"] for e in issue["events"]]


async def notes(session, event: str, issue_id: int) -> list[int]:
    rows = await session.execute(
        select(Notification.user_id).where(
            Notification.event == event, Notification.ref_type == "issue", Notification.ref_id == issue_id
        )
    )
    return sorted(rows.scalars())


async def test_whistle_respond_resolve_confirm(api, session, demo_ids):
    issue = await raise_issue(api, demo_ids)
    assert issue["status"] == "open" and issue["source"] == "direct" and issue["actions"] == ["whistle", "resolve"]
    assert issue["response_due_at"] is None and types(issue) == ["created"]

    # only the grid's workers whistle
    r = await api.post(f"/api/v1/issues/{issue['id']}/whistle", "demo-department", json={})
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    r = await api.post(f"/api/v1/issues/{issue['id']}/whistle", "demo-gridworker2", json={})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"

    # no department given: routed by category (environment → 城管执法中队)
    issue = await api.ok("POST", f"/api/v1/issues/{issue['id']}/whistle", "demo-gridworker", json={})
    assert issue["status"] == "whistled" and issue["department_id"] == demo_ids["dept1"]
    assert issue["department_name"] == "城管执法中队"
    assert issue["response_due_at"] and issue["disposal_due_at"]
    assert await notes(session, "issue_whistled", issue["id"]) == sorted(
        [demo_ids["demo-department"], demo_ids["demo-depthead"]]
    )

    # only the assigned department responds: the grid worker has no such role, another department is out of scope
    r = await api.post(f"/api/v1/issues/{issue['id']}/respond", "demo-gridworker", json={"note": "收到"})
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    seen = await api.ok("GET", f"/api/v1/issues/{issue['id']}", "demo-department")
    assert seen["actions"] == ["respond", "resolve", "return"]
    issue = await api.ok("POST", f"/api/v1/issues/{issue['id']}/respond", "demo-department", json={"note": "马上到"})
    assert issue["status"] == "responded" and issue["responded_at"]
    assert await notes(session, "issue_progress", issue["id"]) == [demo_ids["demo-gridworker"]]
    ref = await uploaded(api, "demo-department")
    issue = await api.ok(
        "POST",
        f"/api/v1/issues/{issue['id']}/resolve",
        "demo-department",
        json={"note": "已清理完毕", "photos": [ref]},
    )
    assert issue["status"] == "resolved" and [p.split("?")[0] for p in issue["resolution_photos"]] == [ref]
    r = await api.post(f"/api/v1/issues/{issue['id']}/confirm", "demo-department", json={"satisfied": True})
    assert r.status_code == 403
    issue = await api.ok(
        "POST", f"/api/v1/issues/{issue['id']}/confirm", "demo-gridworker", json={"satisfied": True, "comment": "好"}
    )
    assert issue["status"] == "confirmed" and issue["satisfied"] is True and not issue["auto_confirmed"]
    assert types(issue) == ["created", "whistled", "responded", "resolved", "confirmed"]
    assert [e["to_status"] for e in issue["events"]] == ["open", "whistled", "responded", "resolved", "confirmed"]
    r = await api.post(f"/api/v1/issues/{issue['id']}/reopen", "demo-gridworker", json={"reason": "又坏了"})
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"

    # lists: the grid's, the department's; a resident may not list
    mine = await api.ok("GET", "/api/v1/issues?mine=true&status=confirmed", "demo-gridworker")
    assert issue["id"] in [i["id"] for i in mine["items"]]
    dept = await api.ok("GET", "/api/v1/issues?mine=true", "demo-department")
    assert issue["id"] in [i["id"] for i in dept["items"]]
    assert all(i["department_id"] == demo_ids["dept1"] for i in dept["items"])
    other = await api.ok("GET", "/api/v1/issues?mine=true", "demo-gridworker2")
    assert issue["id"] not in [i["id"] for i in other["items"]]
    assert (await api.get("/api/v1/issues", "demo-resident")).status_code == 403
    assert (await api.get(f"/api/v1/issues/{issue['id']}", "demo-resident")).json()["error"] == "out_of_scope"


async def test_return_rewhistle_and_reopen_make_new_assignments(api, session, demo_ids):
    issue = await raise_issue(api, demo_ids, category="market")
    issue = await api.ok(
        "POST", f"/api/v1/issues/{issue['id']}/whistle", "demo-gridworker", json={"department_id": demo_ids["dept1"]}
    )
    issue = await api.ok(
        "POST", f"/api/v1/issues/{issue['id']}/return", "demo-department", json={"reason": "属市场监管所职责"}
    )
    assert issue["status"] == "returned" and issue["return_reason"] == "属市场监管所职责"
    issue = await api.ok("POST", f"/api/v1/issues/{issue['id']}/whistle", "demo-gridworker", json={})
    assert issue["department_id"] == demo_ids["dept2"]  # market → 市场监管所 by default
    # 城管 may no longer act on it, though it still sees it (it was assigned once)
    r = await api.post(f"/api/v1/issues/{issue['id']}/respond", "demo-department", json={"note": "收到"})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    assert (await api.get(f"/api/v1/issues/{issue['id']}", "demo-department")).status_code == 200
    rows = (
        (await session.execute(select(IssueAssignment).where(IssueAssignment.issue_id == issue["id"]))).scalars().all()
    )
    assert [(a.department_id, a.outcome) for a in rows] == [
        (demo_ids["dept1"], "returned"),
        (demo_ids["dept2"], "open"),
    ]
    assert rows[0].responded_at is not None  # returning answered the call


async def test_deadlines_reminder_overdue_and_escalation_over_a_holiday(api, app, session, demo_ids):
    settings = app.state.settings
    # Tuesday 2025-09-30 16:00, the eve of 国庆: normal response = 120 working minutes
    set_now(2025, 9, 30, 16, 0)
    issue = await raise_issue(api, demo_ids)
    issue = await api.ok("POST", f"/api/v1/issues/{issue['id']}/whistle", "demo-gridworker", json={})
    due, disposal = minute(issue["response_due_at"]), minute(issue["disposal_due_at"])
    assert due == datetime(2025, 10, 9, 9, 0, tzinfo=SHANGHAI)  # 90 min on the 30th, 1–8 October off
    # 1350 min: 90 (30th) + 450 (9th) + 450 (10th) + 360 on the make-up Saturday 11th
    assert disposal == datetime(2025, 10, 11, 16, 0, tzinfo=SHANGHAI)

    async def sweep():
        return await sweep_once(app.state.session_factory, settings)

    assert (await sweep())["issues_reminded"] == 0
    set_now(2025, 9, 30, 17, 31)  # 75% of the response clock used (it is 17:30)
    assert (await sweep())["issues_reminded"] == 1
    assert await notes(session, "issue_deadline_near", issue["id"]) == sorted(
        [demo_ids["demo-department"], demo_ids["demo-depthead"]]
    )
    assert (await sweep())["issues_reminded"] == 0  # once only
    set_now(2025, 10, 8, 23, 0)  # the whole holiday passes: still in time
    assert (await sweep())["issues_overdue"] == 0

    set_now(2025, 10, 9, 9, 1)
    api.tokens.clear()  # a week has passed: log in again
    result = await sweep()
    assert result["issues_overdue"] == 1 and result["issues_escalated"] == 1
    seen = await api.ok("GET", f"/api/v1/issues/{issue['id']}", "demo-gridworker")
    assert seen["response_overdue"] and seen["escalation_level"] == 1 and seen["status"] == "whistled"
    assert types(seen)[-3:] == ["response_reminder", "response_overdue", "escalated"]
    assert await notes(session, "issue_escalated", issue["id"]) == [demo_ids["demo-depthead"]]

    # one more response window (120 working minutes) without an answer: street leadership
    set_now(2025, 10, 9, 11, 2)
    assert (await sweep())["issues_escalated"] == 1
    assert await notes(session, "issue_escalated", issue["id"]) == sorted(
        [demo_ids["demo-depthead"], demo_ids["demo-street"]]
    )
    assert (await sweep())["issues_escalated"] == 0  # at the top already

    issue = await api.ok("POST", f"/api/v1/issues/{issue['id']}/respond", "demo-department", json={"note": "到"})
    set_now(2025, 10, 11, 12, 0)  # the make-up Saturday: disposal reminder (75% = 1012.5 min) is due
    assert (await sweep())["issues_reminded"] == 1
    set_now(2025, 10, 11, 16, 1)
    assert (await sweep())["issues_overdue"] == 1
    seen = await api.ok("GET", f"/api/v1/issues/{issue['id']}", "demo-gridworker")
    assert seen["disposal_overdue"] and seen["escalation_level"] == 2
    outbox = await session.execute(
        select(OutboxMessage.template)
        .join(Notification, Notification.id == OutboxMessage.notification_id)
        .where(Notification.ref_type == "issue", Notification.ref_id == issue["id"])
    )
    assert {"issue_assigned", "issue_deadline", "issue_escalated", "issue_progress"} <= set(outbox.scalars())


async def test_unrated_resolution_is_auto_confirmed_never_satisfied(api, app, session, demo_ids):
    issue = await raise_issue(api, demo_ids)
    await api.ok("POST", f"/api/v1/issues/{issue['id']}/whistle", "demo-gridworker", json={})
    await api.ok("POST", f"/api/v1/issues/{issue['id']}/resolve", "demo-department", json={"note": "已处理"})
    clock.advance(timedelta(days=app.state.settings.issue_confirm_ttl_days, minutes=1))
    assert (await sweep_once(app.state.session_factory, app.state.settings))["issues_auto_confirmed"] >= 1
    api.tokens.clear()
    seen = await api.ok("GET", f"/api/v1/issues/{issue['id']}", "demo-gridworker")
    assert seen["status"] == "confirmed" and seen["auto_confirmed"] and seen["satisfied"] is None
    assert types(seen)[-1] == "auto_confirmed"


async def test_departments_route(api):
    depts = await api.ok("GET", "/api/v1/org/departments", "demo-gridworker")
    by_name = {d["name"]: d for d in depts}
    assert len(depts) == 6 and "environment" in by_name["城管执法中队"]["default_categories"]


async def test_a_public_place_issue_from_the_places_of_my_grid(api, session, demo_ids):
    from backend.org.models import Building, Compound

    places = await api.ok("GET", "/api/v1/issues/places", "demo-gridworker")
    assert [p["grid_id"] for p in places] == [demo_ids["grid_g1"]]
    in_grid = (
        (
            await session.execute(
                select(Compound.id)
                .join(Building, Building.compound_id == Compound.id)
                .where(Building.grid_id == demo_ids["grid_g1"])
                .distinct()
                .order_by(Compound.id)
            )
        )
        .scalars()
        .all()
    )
    assert [c["compound_id"] for c in places[0]["compounds"]] == list(in_grid) and in_grid
    compound = places[0]["compounds"][0]

    body = {**RAISE, "description": "小区东门路灯不亮，晚上很黑。", "location": "东门", "category": "facility"}
    issue = await api.ok(
        "POST",
        "/api/v1/issues",
        "demo-gridworker",
        status=201,
        json={**body, "grid_id": demo_ids["grid_g1"], "compound_id": compound["compound_id"]},
    )
    assert issue["household_id"] is None and issue["compound_id"] == compound["compound_id"]
    # a compound outside the grid, or no place at all, is refused with a reason
    outside = (await session.execute(select(Compound.id).where(Compound.id.not_in(in_grid)).limit(1))).scalar_one()
    r = await api.post(
        "/api/v1/issues", "demo-gridworker", json={**body, "grid_id": demo_ids["grid_g1"], "compound_id": outside}
    )
    assert r.status_code == 422 and r.json()["error"] == "compound_not_in_grid"
    r = await api.post("/api/v1/issues", "demo-gridworker", json=body)
    assert r.status_code == 422 and r.json()["error"] == "place_required"
