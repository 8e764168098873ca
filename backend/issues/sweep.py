"""The issues' sweep: reminders before each deadline, overdue marks and escalation (department
head, then street leadership), the grid's own clock (an issue the grid holds past its disposal
clock is marked overdue; a hazard or dispute reminds the grid worker, and one clock later the
community admin), and auto-confirmation of resolved issues nobody rated (never
counted as satisfied). Each step records its note through the lifecycle, in a savepoint per
issue, so one conflict skips one issue."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.issues import deadlines, service
from backend.issues.models import GridIssue
from backend.issues.state import AWAITING_RESPONSE, GRID_REMINDED, LIVE, WITH_GRID, IssueStatus
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict
from backend.workcal import service as workcal


async def _note(session: AsyncSession, issue: GridIssue, event: str, note: str, values: dict) -> bool:
    try:
        async with session.begin_nested():
            await service.move(session, issue, event, note=note, values=values)
    except Conflict:
        return False
    return True


async def _escalate(session: AsyncSession, settings, issue: GridIssue, now: datetime, reason: str) -> None:
    if issue.escalation_level >= 2:
        return
    level = issue.escalation_level + 1
    values: dict = {"escalation_level": level, "escalate_next_at": None}
    if level == 1:  # still unfinished one response-window later: up to street leadership
        values["escalate_next_at"] = await deadlines.next_escalation_at(session, settings, issue, now)
    who = "部门负责人" if level == 1 else "街道领导"
    await _note(session, issue, "escalated", f"{reason}，已上报{who}", values)


async def _due(session: AsyncSession, limit: int, *conds) -> list[GridIssue]:
    rows = await session.execute(select(GridIssue).where(*conds).order_by(GridIssue.id).limit(limit))
    return list(rows.scalars())


async def _reminders(session: AsyncSession, now: datetime, limit: int) -> int:
    reminded = 0
    for issue in await _due(
        session,
        limit,
        GridIssue.status.in_(AWAITING_RESPONSE),
        GridIssue.response_reminded == false(),
        GridIssue.response_remind_at <= now,
        GridIssue.response_due_at > now,
    ):
        reminded += await _note(session, issue, "response_reminder", "即将超过响应时限", {"response_reminded": True})
    for issue in await _due(
        session,
        limit,
        GridIssue.status.in_(LIVE),
        GridIssue.disposal_reminded == false(),
        GridIssue.disposal_remind_at <= now,
        GridIssue.disposal_due_at > now,
    ):
        reminded += await _note(session, issue, "disposal_reminder", "即将超过处置时限", {"disposal_reminded": True})
    return reminded


async def _overdue(session: AsyncSession, settings, now: datetime, limit: int) -> int:
    """Issues past a deadline: marked once, and escalated one level."""
    overdue = 0
    response = await _due(
        session,
        limit,
        GridIssue.status.in_(AWAITING_RESPONSE),
        GridIssue.response_overdue == false(),
        GridIssue.response_due_at <= now,
    )
    for issue in response:
        if await _note(session, issue, "response_overdue", "超过响应时限未响应", {"response_overdue": True}):
            overdue += 1
            await _escalate(session, settings, issue, now, "响应超时")
    disposal = await _due(
        session,
        limit,
        GridIssue.status.in_(LIVE),
        GridIssue.disposal_overdue == false(),
        GridIssue.disposal_due_at <= now,
    )
    for issue in disposal:
        if await _note(session, issue, "disposal_overdue", "超过处置时限未办结", {"disposal_overdue": True}):
            overdue += 1
            await _escalate(session, settings, issue, now, "处置超时")
    return overdue


async def _second_escalation(session: AsyncSession, settings, now: datetime, limit: int) -> int:
    issues = await _due(
        session, limit, GridIssue.status.in_(LIVE), GridIssue.escalation_level == 1, GridIssue.escalate_next_at <= now
    )
    for issue in issues:
        await _escalate(session, settings, issue, now, "督办后仍未办理")
    return len(issues)


async def _auto_confirm(session: AsyncSession, settings, now: datetime, limit: int) -> int:
    cutoff = now - timedelta(days=settings.issue_confirm_ttl_days)
    confirmed = 0
    for issue in await _due(session, limit, GridIssue.status == IssueStatus.resolved, GridIssue.resolved_at <= cutoff):
        try:
            async with session.begin_nested():
                await service.move(
                    session,
                    issue,
                    "auto_confirmed",
                    note="超时未评价，系统自动确认（不计入满意）",
                    values={"confirmed_at": now, "auto_confirmed": True, "satisfied": None},
                )
                await deadlines.update_assignment(session, issue.assignment_id, auto_confirmed=True)
        except Conflict:
            continue
        confirmed += 1
    return confirmed


def _grid_due_query(settings, now: datetime) -> list:
    """Issues the grid holds that may be past its clock, not yet marked or not yet fully reminded.
    A working day is at least its working minutes of wall time, so nothing raised later than that
    bound can be due."""
    day_minutes = sum(
        (b.hour * 60 + b.minute) - (a.hour * 60 + a.minute) for a, b in workcal.parse_periods(settings.work_hours)
    )
    bound = now - timedelta(minutes=day_minutes * settings.issue_grid_disposal_working_days_urgent)
    return [
        GridIssue.status.in_(WITH_GRID),
        GridIssue.created_at <= bound,
        or_(
            GridIssue.grid_overdue == false(),
            GridIssue.category.in_(GRID_REMINDED) & (GridIssue.grid_reminder_level < 2),
        ),
    ]


async def _grid_clock(session: AsyncSession, settings, now: datetime, limit: int) -> int:
    """Issues the grid holds past its own disposal clock: marked overdue once (the ledger's 是否超时);
    a hazard or dispute then reminds the grid worker (level 1), and if still held one more clock
    later, the community admin (level 2)."""
    issues = await _due(session, limit, *_grid_due_query(settings, now))
    if not issues:
        return 0
    start = min(i.created_at for i in issues)
    cal = await workcal.load_calendar(session, settings, start, days=(now - start).days + workcal.LOOKAHEAD_DAYS)
    marked = 0
    for issue in issues:
        due = deadlines.grid_due_at(cal, settings, issue)
        if now <= due:
            continue
        reminded = issue.category in GRID_REMINDED
        if not issue.grid_overdue:
            values = {"grid_overdue": True, "grid_reminder_level": 1 if reminded else 0}
            marked += await _note(session, issue, "grid_overdue", "超过网格处置时限仍未处置", values)
        elif reminded and now > cal.add_working(due, deadlines.grid_disposal_minutes(settings, issue, cal.day_minutes)):
            await _note(session, issue, "grid_escalated", "网格超时仍未处置，已提醒社区", {"grid_reminder_level": 2})
    return marked


async def sweep(session: AsyncSession, settings, limit: int = 500) -> dict[str, int]:
    now = utcnow()
    reminded = await _reminders(session, now, limit)
    overdue = await _overdue(session, settings, now, limit)
    escalated = overdue + await _second_escalation(session, settings, now, limit)
    return {
        "reminded": reminded,
        "overdue": overdue,
        "escalated": escalated,
        "auto_confirmed": await _auto_confirm(session, settings, now, limit),
        "grid_overdue": await _grid_clock(session, settings, now, limit),
    }
