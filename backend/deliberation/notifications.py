"""Deliberation-day messages: the reminder to the community's attendees, and an item deferred
twice flagged to the community admins."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation.models import AgendaItem, Meeting
from backend.directory import service as directory_service
from backend.kernel.clock import SHANGHAI, utcnow
from backend.notify import service as notify_service
from backend.org.models import Community

MEETING_TIME = time(9, 0)  # the deliberation day starts in the morning (Asia/Shanghai)


async def reminder(session: AsyncSession, meeting: Meeting, user_ids: list[int]) -> None:
    community = await session.get(Community, meeting.community_id)
    items = (await session.execute(select(func.count()).where(AgendaItem.meeting_id == meeting.id))).scalar_one()
    params = {
        "meeting_id": meeting.id,
        "community_name": community.name if community else "社区",
        "place": meeting.place or "社区党群服务中心",
        "item_count": items,
        "at": datetime.combine(meeting.date, MEETING_TIME, SHANGHAI),
    }
    await notify_service.emit(
        session, "meeting_reminder", user_ids, params, ref=("meeting", meeting.id), dedupe_key=f"meeting:{meeting.id}"
    )


async def flagged(session: AsyncSession, item: AgendaItem) -> None:
    admins = await directory_service.holders_of(session, ["community_admin"], "community", item.community_id)
    params = {
        "item_id": item.id,
        "item_text": item.text,
        "defer_count": item.defer_count,
        "at": utcnow(),
    }
    await notify_service.emit(
        session, "agenda_flagged", admins, params, ref=("agenda_item", item.id), dedupe_key=f"agenda:{item.id}:flagged"
    )
