"""Putting suggestions on the agenda of the monthly deliberation day (党群议事日, the 10th)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation.models import AgendaItem, MeetingAttendance
from backend.deliberation.state import AGENDA, AgendaStatus
from backend.kernel.clock import to_shanghai, utcnow
from backend.kernel.errors import Conflict, InvalidInput

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
    source: str = "visit"  # visit | proposal | resident | staff


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
            status=AgendaStatus.proposed,
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


# ---- the agenda: gathering, vetting (征集把关) -----------------------------------------------------


async def list_agenda(
    session: AsyncSession,
    community_ids: set[int],
    *,
    meeting_date: date | None,
    statuses: list[str] | None,
    cursor: int | None,
    limit: int,
) -> list[AgendaItem]:
    stmt = select(AgendaItem).where(AgendaItem.community_id.in_(community_ids)).order_by(AgendaItem.id.desc())
    if meeting_date is not None:
        stmt = stmt.where(AgendaItem.meeting_date == meeting_date)
    if statuses:
        stmt = stmt.where(AgendaItem.status.in_(statuses))
    if cursor is not None:
        stmt = stmt.where(AgendaItem.id < cursor)
    return list((await session.execute(stmt.limit(limit + 1))).scalars())


async def merge(session: AsyncSession, item: AgendaItem, into: AgendaItem, *, actor_id: int) -> AgendaItem:
    if into.id == item.id or into.community_id != item.community_id:
        raise InvalidInput("只能合并到本社区的另一个议题", code="invalid_merge")
    if into.status in (AgendaStatus.merged, AgendaStatus.declined):
        raise Conflict("不能合并到已合并或不予上会的议题", code="invalid_merge")
    note = f"合并到议题 {into.id}"
    await AGENDA.apply(session, item, "merged", actor_id=actor_id, note=note, values={"merged_into_id": into.id})
    return item


async def decline(session: AsyncSession, item: AgendaItem, *, actor_id: int, reason: str | None) -> AgendaItem:
    if not reason:
        raise InvalidInput("不予上会须写明理由", code="reason_required")
    await AGENDA.apply(session, item, "declined", actor_id=actor_id, note=reason, values={"decline_reason": reason})
    return item


async def finish(session: AsyncSession, item: AgendaItem, *, actor_id: int | None, note: str | None) -> AgendaItem:
    """办结 an adopted item whose follow-up is finished (a proposal's item is finished when the
    proposal closes, backend/proposals)."""
    await AGENDA.apply(session, item, "done", actor_id=actor_id, note=note, values={"done_at": utcnow()})
    return item


async def statuses(session: AsyncSession, item_ids) -> dict[int, str]:
    """Agenda items' statuses by id (a visit's suggestion shows what became of it)."""
    ids = set(item_ids)
    if not ids:
        return {}
    rows = await session.execute(select(AgendaItem.id, AgendaItem.status).where(AgendaItem.id.in_(ids)))
    return dict(rows.all())
