"""People's events as messages: a registration decided, to the member who reported in; a claim to a
household (住户认证) decided by staff, to the resident who made it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.kernel.clock import utcnow
from backend.notify import service as notify_service
from backend.org import service as org_service
from backend.people.models import MemberRegistration, ResidentVerification
from backend.people.state import RegistrationStatus, VerificationStatus


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


async def verification_requested(session: AsyncSession, claim: ResidentVerification, user_name: str) -> None:
    """To whoever decides the claim: the grid workers of its grid and the building chief of its building."""
    staff = await directory_service.holders_of(session, ["grid_worker"], "grid", claim.grid_id)
    staff += await directory_service.holders_of(session, ["building_chief"], "building", claim.building_id)
    label = (await org_service.household_labels(session, [claim.household_id]))[claim.household_id]["label"]
    params = {"verification_id": claim.id, "room": label, "user_name": user_name, "at": claim.created_at}
    await notify_service.emit(
        session,
        "verification_requested",
        [uid for uid in staff if uid != claim.user_id],
        params,
        ref=("verification", claim.id),
        compound_id=claim.compound_id,
    )


async def verification_decided(session: AsyncSession, claim: ResidentVerification) -> None:
    label = (await org_service.household_labels(session, [claim.household_id]))[claim.household_id]["label"]
    params = {
        "verification_id": claim.id,
        "room": label,
        "approved": claim.status == VerificationStatus.verified,
        "reason": claim.reason,
        "at": claim.decided_at or utcnow(),
    }
    await notify_service.emit(
        session,
        "verification_decided",
        [claim.user_id],
        params,
        ref=("verification", claim.id),
        compound_id=claim.compound_id,
    )
