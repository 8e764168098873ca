"""Activities, registrations and ledger entries as responses."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.volunteering import policy, schemas
from backend.volunteering.models import Activity, Registration
from backend.volunteering.state import REGISTRATION, RegistrationStatus


async def waitlist_position(session: AsyncSession, row: Registration) -> int | None:
    if row.status != RegistrationStatus.waitlisted:
        return None
    ahead = await session.execute(
        select(func.count()).where(
            Registration.activity_id == row.activity_id,
            Registration.status == RegistrationStatus.waitlisted,
            Registration.id < row.id,
        )
    )
    return ahead.scalar_one() + 1


def registration(
    row: Registration,
    *,
    name: str | None = None,
    position: int | None = None,
    activity_title=None,
    activity_start_at=None,
) -> schemas.RegistrationOut:
    return schemas.RegistrationOut(
        id=row.id,
        activity_id=row.activity_id,
        activity_title=activity_title,
        activity_start_at=activity_start_at,
        user_id=row.user_id,
        name=name,
        status=row.status,
        status_label=REGISTRATION.label(row.status),
        walk_in=row.walk_in,
        waitlist_position=position,
        checked_in_at=row.checked_in_at,
        checked_out_at=row.checked_out_at,
        minutes=row.minutes,
    )


def summary(activity: Activity) -> schemas.ActivityOut:
    return schemas.ActivityOut(
        id=activity.id,
        title=activity.title,
        community_id=activity.community_id,
        organiser_kind=activity.organiser_kind,
        team_id=activity.team_id,
        partner_id=activity.partner_id,
        series_id=activity.series_id,
        place=activity.place,
        start_at=activity.start_at,
        end_at=activity.end_at,
        signup_closes_at=activity.signup_closes_at,
        capacity=activity.capacity,
        registered=activity.registered_count,
        seats_left=max(0, activity.capacity - activity.registered_count),
        closed=activity.closed_at is not None,
    )


async def detail(session: AsyncSession, principal: Principal, activity: Activity) -> schemas.ActivityOut:
    await session.refresh(activity, ["registered_count", "closed_at"])
    out = summary(activity)
    mine = (
        await session.execute(
            select(Registration)
            .where(
                Registration.activity_id == activity.id,
                Registration.user_id == principal.id,
                Registration.status != RegistrationStatus.cancelled,
            )
            .order_by(Registration.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if mine is not None:
        out.my_registration = registration(mine, position=await waitlist_position(session, mine))
        if REGISTRATION.can(mine.status, "cancelled"):
            out.actions.append("cancel")
        if REGISTRATION.can(mine.status, "checked_in"):
            out.actions.append("check_in")
    elif activity.closed_at is None:
        out.actions.append("sign_up")
    if await policy.organises(session, principal, activity):
        out.actions += ["roster", "checkin_code", "close"]
    return out
