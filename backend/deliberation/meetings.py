"""Meetings: the monthly deliberation day of each community (the 10th, moved to the next working
day by the working calendar), 恳谈会 and 例会; their items, attendance, outcomes and minutes.
A deferred item rolls to the next deliberation day; deferred twice, it is flagged to the
community admin. A proposal's side of an outcome is in backend/proposals/flow.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import notifications
from backend.deliberation.models import AgendaItem, Meeting, MeetingAttendance
from backend.deliberation.state import AGENDA, MEETING, AgendaStatus, MeetingStatus
from backend.kernel.clock import to_shanghai, utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.kernel.periods import parse_period
from backend.org.models import Community
from backend.workcal.service import Calendar, load_calendar

DELIBERATION_DAY = 10
DEFERRALS_FLAGGED = 2
A = AgendaStatus


def nominal_day(year: int, month: int) -> date:
    """The key of a month's deliberation day: the 10th (agenda items carry it)."""
    return date(year, month, DELIBERATION_DAY)


def next_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return nominal_day(year, month)


def held_on(calendar: Calendar, nominal: date) -> date:
    """The date the deliberation day is held: the 10th, or the next working day after it."""
    day = nominal
    for _ in range(31):
        if calendar.is_workday(day):
            return day
        day += timedelta(days=1)
    return nominal  # pragma: no cover - a month without a working day


async def get_meeting(session: AsyncSession, meeting_id: int, *, for_update: bool = False) -> Meeting:
    stmt = select(Meeting).where(Meeting.id == meeting_id)
    if for_update:
        stmt = stmt.with_for_update()
    meeting = (await session.execute(stmt)).scalar_one_or_none()
    if meeting is None:
        raise NotFound(f"会议 {meeting_id} 不存在", code="meeting_not_found")
    return meeting


@dataclass
class MeetingDraft:
    kind: str
    community_id: int
    compound_id: int | None
    date: date
    place: str
    convener_id: int | None
    period: str | None = None


def evaluation_period(kind: str, compound_id: int | None, period: str | None, day: date) -> str | None:
    """An evaluation meeting (小区评议会) is a compound's and rates one quarter that has ended by its
    date; other kinds carry no period."""
    if kind != "evaluation":
        if period is not None:
            raise InvalidInput("只有小区评议会需要填写评议季度", code="period_not_allowed")
        return None
    if compound_id is None:
        raise InvalidInput("小区评议会由小区召开，请指定小区", code="compound_required")
    if period is None:
        raise InvalidInput("请填写评议的季度，如 2026-Q3", code="period_required")
    quarter = parse_period(period, kinds=("quarter",))
    if quarter.end_day > day:
        raise InvalidInput(f"{quarter.label}尚未结束，只能评议已结束的季度", code="period_not_complete")
    return quarter.label


async def create(session: AsyncSession, d: MeetingDraft) -> Meeting:
    scope_key = f"compound:{d.compound_id}" if d.compound_id else f"community:{d.community_id}"
    meeting = Meeting(
        kind=d.kind,
        community_id=d.community_id,
        compound_id=d.compound_id,
        scope_key=scope_key,
        date=d.date,
        place=d.place,
        convener_id=d.convener_id,
        period=d.period,
        status=MeetingStatus.planned,
    )
    try:
        async with session.begin_nested():
            session.add(meeting)
            await session.flush()
    except IntegrityError:
        raise Conflict("这一天已经有同类会议了", code="meeting_exists") from None
    return meeting


async def deliberation_day_for(session: AsyncSession, community_id: int, nominal: date) -> Meeting | None:
    """The community's deliberation day of the month of `nominal`, if it exists."""
    start = nominal.replace(day=1)
    end = next_month(nominal).replace(day=1)
    rows = await session.execute(
        select(Meeting).where(
            Meeting.community_id == community_id,
            Meeting.kind == "deliberation_day",
            Meeting.compound_id.is_(None),
            Meeting.date >= start,
            Meeting.date < end,
        )
    )
    return rows.scalars().first()


async def plan_deliberation_days(session: AsyncSession, settings, *, place: str = "社区党群服务中心") -> int:
    """Sweep: every community has its next deliberation day (the 10th, or the next working day)."""
    now = utcnow()
    today = to_shanghai(now).date()
    nominal = nominal_day(today.year, today.month)
    calendar = await load_calendar(session, settings, now, days=75)
    if held_on(calendar, nominal) < today:
        nominal = next_month(nominal)
    start, end = nominal.replace(day=1), next_month(nominal).replace(day=1)
    planned = set(
        (
            await session.execute(
                select(Meeting.community_id).where(
                    Meeting.kind == "deliberation_day",
                    Meeting.compound_id.is_(None),
                    Meeting.date >= start,
                    Meeting.date < end,
                )
            )
        ).scalars()
    )
    made = 0
    for community_id in (await session.execute(select(Community.id).order_by(Community.id))).scalars():
        if community_id not in planned:
            d = MeetingDraft("deliberation_day", community_id, None, held_on(calendar, nominal), place, None)
            await create(session, d)
            made += 1
    return made


async def list_meetings(session: AsyncSession, community_id: int, *, cursor: int | None, limit: int) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.community_id == community_id).order_by(Meeting.id.desc())
    if cursor is not None:
        stmt = stmt.where(Meeting.id < cursor)
    return list((await session.execute(stmt.limit(limit + 1))).scalars())


# ---- items ------------------------------------------------------------------------------------


async def items_of(session: AsyncSession, meeting_id: int) -> list[AgendaItem]:
    rows = await session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.id))
    return list(rows.scalars())


async def get_item(session: AsyncSession, item_id: int, *, for_update: bool = False) -> AgendaItem:
    stmt = select(AgendaItem).where(AgendaItem.id == item_id)
    if for_update:
        stmt = stmt.with_for_update()
    item = (await session.execute(stmt)).scalar_one_or_none()
    if item is None:
        raise NotFound(f"议题 {item_id} 不存在", code="agenda_item_not_found")
    return item


def _require_planned(meeting: Meeting, verb: str) -> None:
    if meeting.status != MeetingStatus.planned:
        raise MEETING.refusal(meeting.status, verb)


async def schedule(session: AsyncSession, meeting: Meeting, item: AgendaItem, *, actor_id: int) -> AgendaItem:
    _require_planned(meeting, "items")
    if item.community_id != meeting.community_id:
        raise InvalidInput("只能把本社区的议题列入议程", code="other_community")
    await AGENDA.apply(session, item, "scheduled", actor_id=actor_id, values={"meeting_id": meeting.id})
    return item


@dataclass
class Outcome:
    decision: str  # adopted | deferred | rejected | referred
    votes_for: int | None = None
    votes_against: int | None = None
    abstained: int | None = None
    note: str | None = None
    follow_up: dict | None = None


async def decide(session: AsyncSession, meeting: Meeting, item: AgendaItem, o: Outcome, *, actor_id: int) -> AgendaItem:
    """Record the meeting's outcome on one of its items; a deferred item goes to the next month's
    deliberation day."""
    _require_planned(meeting, "outcome")
    if item.meeting_id != meeting.id:
        raise NotFound("这个议题不在本次会议的议程上", code="agenda_item_not_found")
    votes = {"votes_for": o.votes_for, "votes_against": o.votes_against, "abstained": o.abstained}
    now = utcnow()
    if o.decision == "deferred":
        count = item.defer_count + 1
        values = {**votes, "outcome_note": o.note, "meeting_id": None, "meeting_date": next_month(meeting.date)}
        values |= {"defer_count": count, "outcome": None}
        if count >= DEFERRALS_FLAGGED and item.flagged_at is None:
            values["flagged_at"] = now
        await AGENDA.apply(session, item, "deferred", actor_id=actor_id, note=o.note, values=values)
        if count >= DEFERRALS_FLAGGED:
            await notifications.flagged(session, item)
        return item
    values = {**votes, "outcome": o.decision, "outcome_note": o.note, "follow_up": o.follow_up, "decided_at": now}
    await AGENDA.apply(session, item, "decided", actor_id=actor_id, note=o.note, values=values)
    if o.decision in ("rejected", "referred"):
        await AGENDA.apply(session, item, "done", actor_id=actor_id, values={"done_at": now})
    return item


async def close(session: AsyncSession, meeting: Meeting, *, minutes: str, actor_id: int) -> Meeting:
    undecided = (
        await session.execute(
            select(func.count()).where(AgendaItem.meeting_id == meeting.id, AgendaItem.status == A.scheduled)
        )
    ).scalar_one()
    if meeting.status == MeetingStatus.planned and undecided:
        raise Conflict(f"还有{undecided}项议题没有议定结果，不能结束会议", code="undecided_items")
    values = {"minutes": minutes, "closed_at": utcnow(), "closed_by": actor_id}
    await MEETING.apply(session, meeting, "closed", actor_id=actor_id, values=values)
    return meeting


# ---- attendance ---------------------------------------------------------------------------------


@dataclass
class Attendee:
    user_id: int | None
    name: str
    household_id: int | None = None
    entered_by: int | None = None
    client_id: str | None = None


async def attend(session: AsyncSession, meeting: Meeting, people: list[Attendee]) -> tuple[int, int]:
    """Add attendance rows; (added, already there). A row sent again (same client id, or the
    same person) is counted as already there, so an offline batch may be retried."""
    _require_planned(meeting, "attendance")
    added = 0
    for person in people:
        row = MeetingAttendance(meeting_id=meeting.id, **person.__dict__)
        try:
            async with session.begin_nested():
                session.add(row)
                await session.flush()
        except IntegrityError:
            continue
        added += 1
    return added, len(people) - added


async def attendance_of(session: AsyncSession, meeting_ids: list[int]) -> dict[int, int]:
    if not meeting_ids:
        return {}
    rows = await session.execute(
        select(MeetingAttendance.meeting_id, func.count())
        .where(MeetingAttendance.meeting_id.in_(meeting_ids))
        .group_by(MeetingAttendance.meeting_id)
    )
    return dict(rows.all())


async def reminder_recipients(session: AsyncSession, meeting: Meeting) -> list[int]:
    """The community's attendees: who attended its meetings before, and who raised an item on this
    meeting's agenda."""
    past = await session.execute(
        select(MeetingAttendance.user_id)
        .join(Meeting, Meeting.id == MeetingAttendance.meeting_id)
        .where(Meeting.community_id == meeting.community_id, MeetingAttendance.user_id.is_not(None))
        .distinct()
    )
    raised = await session.execute(
        select(AgendaItem.raised_by).where(
            AgendaItem.community_id == meeting.community_id,
            (AgendaItem.meeting_id == meeting.id)
            | (AgendaItem.meeting_date == nominal_day(meeting.date.year, meeting.date.month)),
            AgendaItem.status.in_([A.proposed, A.scheduled]),
        )
    )
    return sorted({*past.scalars(), *raised.scalars()})


REMIND_DAYS = 3


async def remind_due(session: AsyncSession, limit: int = 100) -> int:
    """Sweep: three days before a deliberation day, remind the community's attendees once."""
    today = to_shanghai(utcnow()).date()
    rows = await session.execute(
        select(Meeting)
        .where(
            Meeting.kind == "deliberation_day",
            Meeting.status == MeetingStatus.planned,
            Meeting.reminded_at.is_(None),
            Meeting.date >= today,
            Meeting.date <= today + timedelta(days=REMIND_DAYS),
        )
        .order_by(Meeting.id)
        .limit(limit)
    )
    sent = 0
    for meeting in rows.scalars():
        try:
            async with session.begin_nested():
                await MEETING.apply(session, meeting, "reminded", values={"reminded_at": utcnow()})
                await notifications.reminder(session, meeting, await reminder_recipients(session, meeting))
        except Conflict:
            continue
        sent += 1
    return sent
