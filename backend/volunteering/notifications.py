"""Volunteering events as messages: a waitlisted volunteer promoted to a seat is told."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.notify import service as notify_service
from backend.volunteering.models import Activity, Registration


async def promoted(session: AsyncSession, activity: Activity, registration: Registration) -> None:
    params = {
        "activity_id": activity.id,
        "activity_title": activity.title,
        "place": activity.place,
        "start_at": activity.start_at,
    }
    await notify_service.emit(
        session, "activity_promoted", [registration.user_id], params, ref=("activity", activity.id)
    )
