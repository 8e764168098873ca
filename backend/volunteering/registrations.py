"""Sign-up, the waitlist, check-in (QR code or offline roster), check-out, closing an activity
and hours corrections. Seats are counted on the activity row and taken by compare-and-set
(`registered_count < capacity` in the UPDATE's WHERE), so under any number of sign-ups at once
exactly `capacity` are registered; the rest wait in sign-up order and are promoted, and told,
as seats free."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.volunteering import notifications, timebank
from backend.volunteering.models import Activity, Registration, RosterReceipt
from backend.volunteering.state import REGISTRATION, RegistrationStatus

R = RegistrationStatus


async def _take_seat(session: AsyncSession, activity: Activity) -> bool:
    result = await session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.registered_count < Activity.capacity)
        .values(registered_count=Activity.registered_count + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def _free_seat(session: AsyncSession, activity: Activity) -> None:
    await session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.registered_count > 0)
        .values(registered_count=Activity.registered_count - 1)
        .execution_options(synchronize_session=False)
    )


async def _insert(session: AsyncSession, row: Registration) -> Registration:
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise Conflict("您已报名这项活动", code="already_registered") from None
    return row


async def sign_up(session: AsyncSession, activity: Activity, user: User) -> Registration:
    now = utcnow()
    if activity.closed_at is not None or now > activity.signup_closes_at:
        raise Conflict("报名已截止", code="signup_closed")
    live = await session.execute(
        select(Registration.id).where(
            Registration.activity_id == activity.id, Registration.user_id == user.id, Registration.status != R.cancelled
        )
    )
    if live.first() is not None:
        raise Conflict("您已报名这项活动", code="already_registered")
    seated = await _take_seat(session, activity)
    row = Registration(activity_id=activity.id, user_id=user.id, status=R.registered if seated else R.waitlisted)
    try:
        await _insert(session, row)
    except Conflict:
        if seated:
            await _free_seat(session, activity)
        raise
    await REGISTRATION.record(
        session, row, "created", actor_id=user.id, from_status=None, note=None if seated else "名额已满，进入候补"
    )
    return row


async def get_registration(session: AsyncSession, registration_id: int, *, for_update: bool = True) -> Registration:
    stmt = select(Registration).where(Registration.id == registration_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"报名 {registration_id} 不存在", code="registration_not_found")
    return row


async def promote_next(session: AsyncSession, activity: Activity) -> Registration | None:
    """The longest-waiting sign-up takes a free seat, and is told; None when nobody waits or no seat is free."""
    waiting = await session.execute(
        select(Registration)
        .where(Registration.activity_id == activity.id, Registration.status == R.waitlisted)
        .order_by(Registration.id)
        .limit(1)
        .with_for_update()
    )
    row = waiting.scalar_one_or_none()
    if row is None or not await _take_seat(session, activity):
        return None
    await REGISTRATION.apply(session, row, "promoted", note="有人取消，候补转为正式报名")
    await notifications.promoted(session, activity, row)
    return row


async def cancel(session: AsyncSession, activity: Activity, row: Registration, *, actor_id: int) -> Registration:
    if utcnow() >= activity.start_at:
        raise Conflict("活动已开始，不能取消报名", code="activity_started")
    held_seat = row.status == R.registered
    await REGISTRATION.apply(session, row, "cancelled", actor_id=actor_id)
    if held_seat:
        await _free_seat(session, activity)
        await promote_next(session, activity)
    return row


async def check_in(session: AsyncSession, row: Registration, *, at: datetime, actor_id: int, how: str) -> Registration:
    await REGISTRATION.apply(session, row, "checked_in", actor_id=actor_id, note=how, values={"checked_in_at": at})
    return row


def served_minutes(activity: Activity, checked_in_at: datetime, checked_out_at: datetime) -> int:
    """Minutes of service between check-in and check-out, within the activity's own hours."""
    start = max(checked_in_at, activity.start_at)
    end = min(checked_out_at, activity.end_at)
    return max(0, int(((end - start).total_seconds() + 30) // 60))  # to the nearest minute


async def check_out(
    session: AsyncSession,
    activity: Activity,
    row: Registration,
    *,
    at: datetime,
    actor_id: int,
    event: str = "checked_out",
):
    if row.status != R.checked_in:
        raise REGISTRATION.refusal(row.status, event)
    minutes = served_minutes(activity, row.checked_in_at, at)
    await REGISTRATION.apply(session, row, event, actor_id=actor_id, values={"checked_out_at": at, "minutes": minutes})
    await timebank.credit_service(
        session,
        row.user_id,
        0,
        minutes,
        kind="service",
        ref=("registration", row.id),
        note=activity.title,
        actor_id=actor_id,
    )
    return row


async def correct_hours(
    session: AsyncSession, activity: Activity, row: Registration, *, minutes: int, reason: str, actor_id: int
):
    """An hours correction needs a reason; it is logged (event row: old → new minutes and the
    reason) and moves the credits by the difference."""
    if row.status != R.completed:
        raise REGISTRATION.refusal(row.status, "hours_corrected")
    limit = int((activity.end_at - activity.start_at).total_seconds() // 60)
    if minutes > limit:
        raise InvalidInput(f"服务时长不能超过活动时长（{limit}分钟）", code="minutes_too_long")
    before = row.minutes
    note = f"{before}分钟 → {minutes}分钟：{reason}"
    await REGISTRATION.apply(session, row, "hours_corrected", actor_id=actor_id, note=note, values={"minutes": minutes})
    await timebank.credit_service(
        session,
        row.user_id,
        before,
        minutes,
        kind="correction",
        ref=("registration", row.id),
        note=f"更正：{reason}",
        actor_id=actor_id,
    )
    return row


async def close(session: AsyncSession, activity: Activity, *, actor_id: int) -> dict[str, int]:
    """After the end: the checked-in are checked out at the end, the registered are no-shows, the
    still-waiting are released."""
    if activity.closed_at is not None:
        raise Conflict("活动已结束归档", code="activity_closed")
    if utcnow() < activity.end_at:
        raise Conflict("活动尚未结束，不能结束归档", code="activity_not_over")
    rows = (
        (
            await session.execute(
                select(Registration)
                .where(
                    Registration.activity_id == activity.id,
                    Registration.status.in_((R.registered, R.checked_in, R.waitlisted)),
                )
                .order_by(Registration.id)
            )
        )
        .scalars()
        .all()
    )
    counts = {"completed": 0, "no_show": 0, "released": 0}
    for row in rows:
        if row.status == R.checked_in:
            await check_out(session, activity, row, at=activity.end_at, actor_id=actor_id, event="closed")
            counts["completed"] += 1
        elif row.status == R.registered:
            await REGISTRATION.apply(session, row, "no_show", actor_id=actor_id)
            counts["no_show"] += 1
        else:
            await REGISTRATION.apply(session, row, "closed", actor_id=actor_id, note="活动结束，候补未转正")
            counts["released"] += 1
    activity.closed_at = utcnow()
    await session.flush()
    return counts


async def _receipt(session: AsyncSession, activity: Activity, client_id: str) -> tuple[RosterReceipt, bool]:
    """The receipt of a roster entry, claimed by its client id: (receipt, True) when it is new,
    (the stored receipt, False) on a replay — also when the same batch arrives twice at once."""
    stmt = select(RosterReceipt).where(RosterReceipt.client_id == client_id)
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is not None:
        return found, False
    row = RosterReceipt(client_id=client_id, activity_id=activity.id, result="pending")
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return (await session.execute(stmt)).scalar_one(), False
    return row, True


async def _roster_one(session: AsyncSession, activity: Activity, user_id: int, at: datetime, actor_id: int):
    """(result, registration, detail) of one entry: check in the registered, add a walk-in."""
    live = (
        await session.execute(
            select(Registration)
            .where(
                Registration.activity_id == activity.id,
                Registration.user_id == user_id,
                Registration.status != R.cancelled,
            )
            .with_for_update()
        )
    ).scalar_one_or_none()
    if live is None:
        if await session.get(User, user_id) is None:
            return "refused", None, f"用户 {user_id} 不存在"
        row = Registration(
            activity_id=activity.id, user_id=user_id, status=R.checked_in, walk_in=True, checked_in_at=at
        )
        await _insert(session, row)
        await REGISTRATION.record(session, row, "walked_in", actor_id=actor_id, from_status=None, note="组织者现场登记")
        return "walked_in", row, None
    if live.status == R.registered:
        await check_in(session, live, at=at, actor_id=actor_id, how="组织者名单签到")
        return "checked_in", live, None
    if live.status == R.waitlisted:
        return "refused", live, "候补中，未转为正式报名"
    return "already", live, f"已是「{REGISTRATION.label(live.status)}」"


async def roster(session: AsyncSession, activity: Activity, entries: list[dict], *, actor_id: int) -> list[dict]:
    """The organiser's offline roster, entry by entry by client id: a replayed entry is answered
    from its receipt and changes nothing, so a roster sent twice is counted once."""
    out = []
    for entry in entries:
        receipt, new = await _receipt(session, activity, entry["client_id"])
        if new:
            at = min(entry.get("checked_in_at") or utcnow(), utcnow())
            result, row, detail = await _roster_one(session, activity, entry["user_id"], at, actor_id)
            receipt.result, receipt.detail = result, detail
            receipt.registration_id = row.id if row else None
            await session.flush()
        out.append(
            {
                "client_id": receipt.client_id,
                "result": receipt.result,
                "registration_id": receipt.registration_id,
                "detail": receipt.detail,
                "replayed": not new,
            }
        )
    return out
