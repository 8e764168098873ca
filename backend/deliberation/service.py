"""Putting suggestions on the agenda of the monthly deliberation day (党群议事日, the 10th)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation.models import AgendaItem, MeetingAttendance
from backend.kernel.clock import to_shanghai, utcnow

DELIBERATION_DAY = 10


def next_deliberation_day(at: datetime) -> date:
    """The first deliberation day strictly after `at` (Asia/Shanghai dates): a suggestion raised on
    the 10th itself goes to next month's meeting, the agenda of the day being already set."""
    local = to_shanghai(at).date()
    if local.day < DELIBERATION_DAY:
        return local.replace(day=DELIBERATION_DAY)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return date(year, month, DELIBERATION_DAY)


@dataclass
class AgendaDraft:
    community_id: int
    compound_id: int | None
    grid_id: int | None
    text: str
    raised_by: int
    raised_at: datetime
    source: str = "visit"


async def propose(session: AsyncSession, drafts: list[AgendaDraft]) -> list[AgendaItem]:
    if not drafts:
        return []
    now = utcnow()
    items = [
        AgendaItem(
            community_id=d.community_id,
            compound_id=d.compound_id,
            grid_id=d.grid_id,
            text=d.text,
            meeting_date=next_deliberation_day(d.raised_at),
            status="proposed",
            source=d.source,
            raised_by=d.raised_by,
            created_at=now,
        )
        for d in drafts
    ]
    session.add_all(items)
    await session.flush()
    return items


async def attended_item(session: AsyncSession, item_id: int, user_id: int) -> bool:
    """Whether the user attended the meeting that took up the agenda item."""
    row = await session.execute(
        select(MeetingAttendance.id)
        .join(AgendaItem, AgendaItem.meeting_id == MeetingAttendance.meeting_id)
        .where(AgendaItem.id == item_id, MeetingAttendance.user_id == user_id)
        .limit(1)
    )
    return row.scalar_one_or_none() is not None
