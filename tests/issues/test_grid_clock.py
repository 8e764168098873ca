"""The grid's own disposal clock (issue 13): an issue the grid holds past it is overdue in the
ledger; a hazard or dispute reminds its grid worker, and one clock later the community admin.

Raised Monday 2025-11-03 09:00 in 和谐社区第一网格: an urgent hazard (1 working day: due Tuesday
09:00), a normal dispute (5 working days: due Monday 11-10 09:00), a normal environment issue
(due the same; marked, but no reminder), and a hazard the grid whistles at once and its department resolves in
20 minutes (not the grid's).
"""

from __future__ import annotations

from sqlalchemy import select

from backend.directory.models import User
from backend.issues import service
from backend.issues.models import GridIssue, IssueEvent
from backend.notify.models import Notification
from backend.worker import sweep_once
from tests.support.clock import set_now
from tests.support.sheets import column, open_sheet


async def _raise(session, ids, category, urgency):
    return await service.raise_issue(
        session,
        actor_id=ids["demo-gridworker"],
        grid_ids={ids["grid_g1"]},
        grid_id=None,
        compound_id=None,
        household_id=ids["house_g1"],
        category=category,
        description=f"{category}：网格积压测试",
        location="",
        photos=[],
        urgency=urgency,
    )


async def _messages(session, issue_id) -> list[tuple[str, int]]:
    rows = await session.execute(
        select(Notification.event, Notification.user_id)
        .where(Notification.ref_type == "issue", Notification.ref_id == issue_id)
        .order_by(Notification.id)
    )
    return [tuple(r) for r in rows.all()]


async def test_grid_clock_marks_and_reminds(api, app, session, demo_ids):  # noqa: F811
    settings = app.state.settings
    set_now(2025, 11, 3, 9, 0)
    hazard = await _raise(session, demo_ids, "hazard", "urgent")
    dispute = await _raise(session, demo_ids, "dispute", "normal")
    litter = await _raise(session, demo_ids, "environment", "normal")
    whistled = await _raise(session, demo_ids, "hazard", "urgent")
    await service.whistle(session, settings, whistled, actor_id=demo_ids["demo-gridworker"], department_id=None)
    set_now(2025, 11, 3, 9, 20)
    await service.resolve(session, whistled, actor_id=demo_ids["demo-department"], note="已排除", photos=[])
    await session.flush()
    ids = {k: v.id for k, v in (("hazard", hazard), ("dispute", dispute), ("litter", litter), ("whistled", whistled))}

    async def sweep():
        counts = await sweep_once(app.state.session_factory, settings)
        stmt = select(GridIssue).where(GridIssue.id.in_(ids.values())).execution_options(populate_existing=True)
        rows = (await session.execute(stmt)).scalars()
        return counts["issues_grid_overdue"], {r.id: (r.grid_overdue, r.grid_reminder_level) for r in rows}

    set_now(2025, 11, 4, 8, 59)
    marked, flags = await sweep()
    assert marked == 0 and not any(o for o, _ in flags.values())
    set_now(2025, 11, 4, 9, 1)  # the urgent hazard's one working day is over
    marked, flags = await sweep()
    assert marked == 1 and flags[ids["hazard"]] == (True, 1)
    assert await _messages(session, ids["hazard"]) == [("issue_grid_overdue", demo_ids["demo-gridworker"])]
    set_now(2025, 11, 5, 9, 1)  # one more clock: the community admin
    marked, flags = await sweep()
    assert marked == 0 and flags[ids["hazard"]] == (True, 2)
    admin = (await session.execute(select(User.id).where(User.openid == "fake-openid-demo-admin"))).scalar_one()
    assert ("issue_grid_escalated", admin) in await _messages(session, ids["hazard"])
    set_now(2025, 11, 10, 9, 1)  # five working days: the dispute (reminded) and the litter (marked only)
    marked, flags = await sweep()
    assert marked == 2
    assert flags[ids["dispute"]] == (True, 1) and flags[ids["litter"]] == (True, 0)
    assert flags[ids["whistled"]] == (False, 0)  # with a department, on the department's clocks
    assert await _messages(session, ids["litter"]) == []
    assert [t for t, _ in await _messages(session, ids["dispute"])] == ["issue_grid_overdue"]
    events = (await session.execute(select(IssueEvent.type).where(IssueEvent.issue_id == ids["hazard"]))).scalars()
    assert list(events) == ["created", "grid_overdue", "grid_escalated"]
    marked, _ = await sweep()
    assert marked == 0  # once only

    # the ledger says 是否超时 by the grid's clock too
    r = await api.get("/api/v1/exports/ledger?kind=issues&scope=street:1&period=2025-11", "demo-street")
    ws = open_sheet(r.content)
    overdue_col, id_col = column(ws, 2, "是否超时"), column(ws, 2, "编号")
    by_id = {row[id_col - 1]: row[overdue_col - 1] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert by_id[ids["hazard"]] == "是" and by_id[ids["litter"]] == "是" and by_id[ids["whistled"]] == "否"

    # the overview's backlog agrees: three held by the grid, all overdue
    o = await api.ok("GET", "/api/v1/stats/overview?scope=street:1&period=2025-11", "demo-street")
    overdue = set(o["backlog"]["overdue"]["buckets"]["overdue"])
    assert {ids["hazard"], ids["dispute"], ids["litter"]} <= overdue and ids["whistled"] not in overdue
