"""People's events as messages: a registration decided, to the member who reported in."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.clock import utcnow
from backend.notify import service as notify_service
from backend.org import service as org_service
from backend.people.models import MemberRegistration
from backend.people.state import RegistrationStatus


async def registration_decided(session: AsyncSession, registration: MemberRegistration) -> None:
    names = await org_service.compound_names(session, [registration.compound_id])
    params = {
        "registration_id": registration.id,
        "compound_name": names.get(registration.compound_id) or "小区",
        "approved": registration.status == RegistrationStatus.approved,
        "reason": registration.reason,
        "at": registration.decided_at or utcnow(),
    }
    await notify_service.emit(
        session,
        "registration_decided",
        [registration.user_id],
        params,
        ref=("registration", registration.id),
        compound_id=registration.compound_id,
    )
