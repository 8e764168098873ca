"""The escalation clocks: response and disposal deadlines in working time (the calendar in
backend/workcal), the reminder points, and the assignment rows each whistle opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.issues.models import GridIssue, IssueAssignment, IssuePolicy
from backend.workcal import service as workcal


@dataclass(frozen=True)
class Clocks:
    response_minutes: float
    disposal_minutes: float


async def clocks_for(session: AsyncSession, settings, issue: GridIssue, day_minutes: int) -> Clocks:
    """The issue's deadlines in working minutes: its category's policy row, else the settings."""
    policy = await session.get(IssuePolicy, issue.category)
    if issue.urgency == "urgent":
        response = (policy and policy.response_minutes_urgent) or settings.issue_response_minutes_urgent
    else:
        response = (policy and policy.response_minutes_normal) or settings.issue_response_minutes_normal
    days = (policy and policy.disposal_working_days) or settings.issue_disposal_working_days
    return Clocks(float(response), float(days) * day_minutes)


async def start_clocks(session: AsyncSession, settings, issue: GridIssue, now: datetime) -> dict:
    """Fresh clocks for a whistle or a reopen: the issue's deadline columns. Deadlines count from
    the minute of the whistle, so that they fall on whole minutes."""
    now = now.replace(second=0, microsecond=0)
    cal = await workcal.load_calendar(session, settings, now)
    clocks = await clocks_for(session, settings, issue, cal.day_minutes)
    fraction = settings.issue_reminder_fraction
    return {
        "response_due_at": cal.add_working(now, clocks.response_minutes),
        "disposal_due_at": cal.add_working(now, clocks.disposal_minutes),
        "response_remind_at": cal.add_working(now, clocks.response_minutes * fraction),
        "disposal_remind_at": cal.add_working(now, clocks.disposal_minutes * fraction),
        "response_reminded": False,
        "disposal_reminded": False,
        "response_overdue": False,
        "disposal_overdue": False,
        "escalation_level": 0,
        "escalate_next_at": None,
        "responded_at": None,
        "resolved_at": None,
    }


async def next_escalation_at(session: AsyncSession, settings, issue: GridIssue, now: datetime) -> datetime:
    """One response window after `now`: when a still unfinished issue goes up another level."""
    cal = await workcal.load_calendar(session, settings, now)
    clocks = await clocks_for(session, settings, issue, cal.day_minutes)
    return cal.add_working(now, clocks.response_minutes)


async def new_assignment(
    session: AsyncSession, issue: GridIssue, department_id: int, actor_id: int | None, now: datetime, clocks: dict
) -> IssueAssignment:
    """One whistle to one department; the three rates are counted over these rows."""
    assert issue.community_id is not None
    a = IssueAssignment(
        issue_id=issue.id,
        department_id=department_id,
        community_id=issue.community_id,
        whistled_by=actor_id,
        whistled_at=now,
        response_due_at=clocks["response_due_at"],
        disposal_due_at=clocks["disposal_due_at"],
    )
    session.add(a)
    await session.flush()
    return a


async def update_assignment(session: AsyncSession, assignment_id: int | None, **values) -> None:
    if assignment_id is None:
        return
    await session.execute(
        update(IssueAssignment)
        .where(IssueAssignment.id == assignment_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def grid_disposal_minutes(settings, issue: GridIssue, day_minutes: int) -> float:
    """The grid's own disposal clock in working minutes: days from the settings, urgent shorter."""
    if issue.urgency == "urgent":
        return settings.issue_grid_disposal_working_days_urgent * day_minutes
    return settings.issue_grid_disposal_working_days * day_minutes


def grid_due_at(cal: workcal.Calendar, settings, issue: GridIssue) -> datetime:
    """When an issue the grid still holds becomes overdue: its grid clock from when it was raised."""
    return cal.add_working(issue.created_at, grid_disposal_minutes(settings, issue, cal.day_minutes))
