"""A resident's own profile and household binding; Party member profiles and reporting-in (双报到)."""

from __future__ import annotations

from sqlalchemy import Row, Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, Forbidden, NotFound
from backend.org import service as org_service
from backend.org.models import Household, RoleGrant
from backend.people import notifications
from backend.people.models import MemberProfile, MemberRegistration, ResidentVerification
from backend.people.state import REGISTRATION, VERIFICATION, RegistrationStatus, VerificationStatus


async def update_profile(
    session: AsyncSession,
    user: User,
    *,
    name: str | None,
    phone: str | None,
    compound_id: int | None,
    household_id: int | None,
) -> User:
    """Name, phone, compound, and a claim to a household: the claim is a pending verification
    (住户认证) until the WeChat phone matches the register or the household's staff approve it.
    Another compound ends the household binding (moving away)."""
    if name is not None:
        user.name = name
    if phone is not None:
        user.phone = phone
    if compound_id is not None:
        await org_service.get_compound(session, compound_id)
        if compound_id != user.compound_id:
            await end_household(session, user)
        user.compound_id = compound_id
    if household_id is not None:
        if user.compound_id is None:
            raise Conflict("请先选择所在小区", code="compound_required")
        household = await org_service.household_in_compound(session, household_id, user.compound_id)
        await claim_household(session, user, household)
    await session.flush()
    return user


# ---- 住户认证: claims to a household ------------------------------------------------------------


async def latest_claim(session: AsyncSession, user_id: int) -> ResidentVerification | None:
    stmt = (
        select(ResidentVerification)
        .where(ResidentVerification.user_id == user_id)
        .order_by(ResidentVerification.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def pending_claim(session: AsyncSession, user_id: int) -> ResidentVerification | None:
    stmt = select(ResidentVerification).where(
        ResidentVerification.user_id == user_id, ResidentVerification.status == VerificationStatus.pending
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def get_claim(session: AsyncSession, claim_id: int) -> ResidentVerification:
    claim = await session.get(ResidentVerification, claim_id)
    if claim is None:
        raise NotFound(f"住户认证 {claim_id} 不存在", code="verification_not_found")
    return claim


async def claim_household(session: AsyncSession, user: User, household: Household) -> ResidentVerification | None:
    """A pending claim to `household` (nothing new when it is already the caller's, verified or
    pending). Claiming another household ends the current binding and withdraws a pending claim."""
    if user.household_id == household.id:
        return None
    pending = await pending_claim(session, user.id)
    if pending is not None and pending.household_id == household.id:
        return pending
    await end_household(session, user)
    claim = ResidentVerification(
        user_id=user.id,
        household_id=household.id,
        compound_id=household.compound_id,
        grid_id=household.grid_id,
        building_id=household.building_id,
    )
    try:
        async with session.begin_nested():
            session.add(claim)
    except IntegrityError as exc:  # a second claim at the same moment
        raise Conflict("您的住户认证申请正在处理，请稍后再试", code="verification_pending") from exc
    await notifications.verification_requested(session, claim, user.name)
    return claim


async def end_household(session: AsyncSession, user: User) -> bool:
    """迁出: the verified binding ends (its claim becomes `left`, the account's tokens are revoked)
    and a pending claim is withdrawn. Whether there was anything to end."""
    ended = False
    pending = await pending_claim(session, user.id)
    if pending is not None:
        await VERIFICATION.apply(session, pending, "withdrawn", values={"decided_at": utcnow()})
        ended = True
    if user.household_id is not None:
        stmt = select(ResidentVerification).where(
            ResidentVerification.user_id == user.id,
            ResidentVerification.household_id == user.household_id,
            ResidentVerification.status == VerificationStatus.verified,
        )
        for claim in (await session.execute(stmt)).scalars():
            await VERIFICATION.apply(session, claim, "left", values={"decided_at": utcnow()})
        user.household_id = None
        user.token_version = (user.token_version or 0) + 1
        ended = True
    await session.flush()
    return ended


async def leave_household(session: AsyncSession, user: User) -> User:
    if not await end_household(session, user):
        raise Conflict("您还没有认证住在哪一户", code="no_household")
    return user


async def verify_claim(
    session: AsyncSession, claim: ResidentVerification, *, by_phone: str | None, actor_id: int
) -> ResidentVerification:
    """The claim is verified (by the WeChat phone `by_phone`, else by staff): the account is bound
    to the household. The resident is told when staff decided."""
    event, method = ("phone_matched", "phone") if by_phone else ("approved", "staff")
    values = {"method": method, "decided_by": actor_id, "decided_at": utcnow()}
    await VERIFICATION.apply(session, claim, event, values=values)
    user = await session.get(User, claim.user_id)
    assert user is not None
    user.compound_id = claim.compound_id
    user.household_id = claim.household_id
    if by_phone:
        user.phone = by_phone
    await session.flush()
    if not by_phone:
        await notifications.verification_decided(session, claim)
    return claim


async def reject_claim(
    session: AsyncSession, claim: ResidentVerification, *, reason: str, actor_id: int
) -> ResidentVerification:
    values = {"method": "staff", "reason": reason, "decided_by": actor_id, "decided_at": utcnow()}
    await VERIFICATION.apply(session, claim, "rejected", values=values)
    await notifications.verification_decided(session, claim)
    return claim


# ---- Party members -------------------------------------------------------------------------


async def get_profile(session: AsyncSession, user_id: int) -> MemberProfile:
    profile = await session.get(MemberProfile, user_id)
    if profile is None:
        raise NotFound("尚未完成党员报到", code="not_a_member")
    return profile


async def add_to_member_totals(session: AsyncSession, member_id: int, **deltas: int) -> None:
    """Move a member's running totals (offers_total, offers_taken_total, rating_sum, rating_count)
    in the caller's transaction. A member without a profile has no totals to move."""
    values = {name: getattr(MemberProfile, name) + delta for name, delta in deltas.items()}
    await session.execute(update(MemberProfile).where(MemberProfile.user_id == member_id).values(values))


async def register(
    session: AsyncSession, user: User, *, compound_id: int, work_unit: str, skills: list[str]
) -> MemberRegistration:
    await org_service.get_compound(session, compound_id)
    if compound_id in await directory_service.member_compounds(session, user.id):
        raise Conflict("您已在该小区完成报到", code="already_member")
    pending = await session.execute(
        select(MemberRegistration.id).where(
            MemberRegistration.user_id == user.id,
            MemberRegistration.compound_id == compound_id,
            MemberRegistration.status == RegistrationStatus.pending,
        )
    )
    if pending.first() is not None:
        raise Conflict("您在该小区的报到申请正在审核中", code="registration_pending")
    registration = MemberRegistration(user_id=user.id, compound_id=compound_id, work_unit=work_unit, skills=skills)
    try:
        async with session.begin_nested():
            session.add(registration)
    except IntegrityError as exc:
        raise Conflict("您在该小区的报到申请正在审核中", code="registration_pending") from exc
    return registration


async def get_registration(session: AsyncSession, registration_id: int) -> MemberRegistration:
    registration = await session.get(MemberRegistration, registration_id)
    if registration is None:
        raise NotFound(f"报到申请 {registration_id} 不存在", code="registration_not_found")
    return registration


async def decide_registration(
    session: AsyncSession, registration: MemberRegistration, *, approve: bool, actor_id: int, reason: str | None
) -> MemberRegistration:
    """Approve or reject a pending registration (compare-and-set: of two simultaneous decisions
    exactly one wins, the other gets 409). Approval makes the user a Party member of the compound."""
    values = {"reason": reason, "decided_by": actor_id, "decided_at": utcnow()}
    await REGISTRATION.apply(session, registration, "approved" if approve else "rejected", values=values)
    if approve:
        await _merge_profile(session, registration)
        await org_service.grant(session, registration.user_id, "party_member", "compound", registration.compound_id)
    await session.flush()
    await notifications.registration_decided(session, registration)
    return registration


async def _merge_profile(session: AsyncSession, registration: MemberRegistration) -> None:
    """The member's profile, made on their first approval; a later one adds its skills."""
    profile = await session.get(MemberProfile, registration.user_id)
    if profile is None:
        profile = MemberProfile(
            user_id=registration.user_id, work_unit=registration.work_unit, skills=registration.skills
        )
        try:
            async with session.begin_nested():
                session.add(profile)
        except IntegrityError:  # approved in another compound at the same moment
            profile = await session.get(MemberProfile, registration.user_id, populate_existing=True)
    if profile.work_unit != registration.work_unit or not set(registration.skills) <= set(profile.skills):
        profile.work_unit = registration.work_unit
        profile.skills = sorted(set(profile.skills) | set(registration.skills))
        profile.updated_at = utcnow()


async def list_registrations(
    session: AsyncSession, compound_ids: set[int], status: str | None, cursor: int | None, limit: int
) -> list[MemberRegistration]:
    stmt = select(MemberRegistration).where(MemberRegistration.compound_id.in_(compound_ids))
    if status:
        stmt = stmt.where(MemberRegistration.status == status)
    if cursor is not None:
        stmt = stmt.where(MemberRegistration.id < cursor)
    stmt = stmt.order_by(MemberRegistration.id.desc()).limit(limit + 1)
    return list((await session.execute(stmt)).scalars())


async def update_member(
    session: AsyncSession,
    user_id: int,
    *,
    skills: list[str] | None,
    available: bool | None,
    work_unit: str | None,
    share_phone: bool | None = None,
) -> MemberProfile:
    profile = await get_profile(session, user_id)
    if not await directory_service.member_compounds(session, user_id):
        raise Forbidden("您的党员报到尚未通过", code="not_a_member")
    if skills is not None:
        profile.skills = skills
    if available is not None:
        profile.available = available
    if work_unit is not None:
        profile.work_unit = work_unit
    if share_phone is not None:
        profile.share_phone = share_phone
    profile.updated_at = utcnow()
    await session.flush()
    return profile


def members_of_compound_query(compound_id: int, *, besides: int | None = None, household: bool = False) -> Select:
    """The statement behind `members_of_compound` (less the user `besides`, if given), for callers
    that build on it in SQL (the candidate ranking scores these rows in the database). With
    `household`, each member's household_id instead of its building_id: no household is read."""
    place = User.household_id if household else Household.building_id
    stmt = (
        select(
            User.id,
            User.name,
            place,
            MemberProfile.work_unit,
            MemberProfile.skills,
            MemberProfile.available,
            MemberProfile.offers_total,
            MemberProfile.offers_taken_total,
            MemberProfile.rating_sum,
            MemberProfile.rating_count,
        )
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .join(MemberProfile, MemberProfile.user_id == User.id)
        .where(
            RoleGrant.role == "party_member",
            RoleGrant.scope_type == "compound",
            RoleGrant.scope_id == compound_id,
        )
    )
    if not household:
        stmt = stmt.outerjoin(Household, Household.id == User.household_id)
    return stmt if besides is None else stmt.where(User.id != besides)


async def members_of_compound(session: AsyncSession, compound_id: int) -> list[Row]:
    """The compound's Party members as plain rows, for ranking: id, name, building_id (of their
    household, or None), work_unit, skills, available and the running totals. Columns, not ORM
    objects, because a large compound has thousands of members and this runs on every ranking."""
    stmt = members_of_compound_query(compound_id).order_by(User.id)
    return list((await session.execute(stmt)).all())
