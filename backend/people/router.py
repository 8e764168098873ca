"""The caller's own profile and household (/me), Party members reporting in (双报到) and their
member profile."""

from __future__ import annotations

from fastapi import APIRouter

from backend.auth.deps import CommunityAdmin, CurrentUser, Member, MemberApprover, Principal
from backend.directory import service as directory_service
from backend.kernel.db import SessionDep
from backend.kernel.errors import InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath, IdQuery
from backend.people import schemas, service, views
from backend.people.models import MemberRegistration

router = APIRouter(prefix="/api/v1/members", tags=["members"])
me_router = APIRouter(prefix="/api/v1", tags=["auth"])
APPROVERS = ("dispatcher", "community_admin")


async def _out(session, regs: list[MemberRegistration]) -> list[schemas.RegistrationOut]:
    users = await directory_service.users_by_id(session, [r.user_id for r in regs])
    return [schemas.RegistrationOut(**r.model_dump(), user_name=users[r.user_id].name or "未填写姓名") for r in regs]


@router.post(
    "/register",
    status_code=201,
    response_model=schemas.RegistrationOut,
    summary="Report in to the compound where one lives (any logged-in user)",
)
async def register(body: schemas.RegisterIn, session: SessionDep, principal: CurrentUser) -> schemas.RegistrationOut:
    reg = await service.register(
        session, principal.user, compound_id=body.compound_id, work_unit=body.work_unit, skills=body.skills
    )
    return (await _out(session, [reg]))[0]


@router.get(
    "/registrations",
    response_model=Page[schemas.RegistrationOut],
    summary="Registrations of the compounds one approves (dispatcher, community admin)",
)
async def registrations(
    session: SessionDep,
    principal: MemberApprover,
    status: str | None = "pending",
    compound_id: IdQuery = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.RegistrationOut]:
    if status not in (None, "", "pending", "approved", "rejected"):
        raise InvalidInput("status 只能是 pending、approved 或 rejected", code="invalid_status")
    scope = await principal.compound_ids(session, *APPROVERS)
    if compound_id is not None:
        await principal.require_compound(session, compound_id, *APPROVERS)
        scope = {compound_id}
    rows = await service.list_registrations(session, scope, status or None, parse_cursor(cursor), limit)
    rows, next_cursor = page_of(rows, limit)
    return Page(items=await _out(session, rows), next_cursor=next_cursor)


async def _decide(session, principal: Principal, registration_id: int, approve: bool, reason: str | None):
    reg = await service.get_registration(session, registration_id)
    await principal.require_compound(session, reg.compound_id, *APPROVERS)
    await service.decide_registration(session, reg, approve=approve, actor_id=principal.id, reason=reason)
    return (await _out(session, [reg]))[0]


@router.post(
    "/registrations/{registration_id}/approve",
    response_model=schemas.RegistrationOut,
    summary="Approve a registration (the compound's dispatcher or its community admin)",
)
async def approve(registration_id: IdPath, session: SessionDep, principal: MemberApprover) -> schemas.RegistrationOut:
    return await _decide(session, principal, registration_id, True, None)


@router.post(
    "/registrations/{registration_id}/reject",
    response_model=schemas.RegistrationOut,
    summary="Reject a registration with a reason (the compound's dispatcher or its community admin)",
)
async def reject(
    registration_id: IdPath, body: schemas.RejectIn, session: SessionDep, principal: MemberApprover
) -> schemas.RegistrationOut:
    return await _decide(session, principal, registration_id, False, body.reason)


async def _member_out(session, principal: Principal) -> schemas.MemberOut:
    profile = await service.get_profile(session, principal.id)
    compounds = await directory_service.member_compounds(session, principal.id)
    return schemas.MemberOut(
        user_id=principal.id,
        name=principal.user.name,
        work_unit=profile.work_unit,
        skills=profile.skills,
        available=profile.available,
        share_phone=profile.share_phone,
        compound_ids=sorted(compounds),
    )


@router.get("/me", response_model=schemas.MemberOut, summary="The caller's member profile (party_member)")
async def member_me(session: SessionDep, principal: Member) -> schemas.MemberOut:
    return await _member_out(session, principal)


@router.patch(
    "/me",
    response_model=schemas.MemberOut,
    summary="Edit skills, work unit, availability and whether residents may call (party_member)",
)
async def patch_member_me(body: schemas.MemberPatch, session: SessionDep, principal: Member) -> schemas.MemberOut:
    await service.update_member(
        session,
        principal.id,
        skills=body.skills,
        available=body.available,
        work_unit=body.work_unit,
        share_phone=body.share_phone,
    )
    return await _member_out(session, principal)


# ---- the caller's own profile ---------------------------------------------------------------


@me_router.get("/me", response_model=schemas.MeOut, summary="The caller's profile and roles (any logged-in user)")
async def me(session: SessionDep, principal: CurrentUser) -> schemas.MeOut:
    return await views.me_out(session, principal)


@me_router.patch(
    "/me",
    response_model=schemas.MeOut,
    summary="Update name and phone, bind to a compound, claim a household (pending until verified; any logged-in user)",
)
async def patch_me(body: schemas.MePatch, session: SessionDep, principal: CurrentUser) -> schemas.MeOut:
    await service.update_profile(
        session,
        principal.user,
        name=body.name,
        phone=body.phone,
        compound_id=body.compound_id,
        household_id=body.household_id,
    )
    return await views.me_out(session, principal)


@me_router.post(
    "/me/leave-household",
    response_model=schemas.MeOut,
    summary="迁出: end the caller's household binding, or withdraw a pending claim (any logged-in user)",
)
async def leave_household(session: SessionDep, principal: CurrentUser) -> schemas.MeOut:
    await service.leave_household(session, principal.user)
    return await views.me_out(session, principal)


@me_router.get(
    "/contact-views",
    response_model=Page[schemas.ContactViewOut],
    summary="Who saw residents' contact details, when, where and why (community admin, their communities)",
)
async def contact_views(
    session: SessionDep, principal: CommunityAdmin, cursor: CursorQ = None, limit: LimitQ = 20
) -> Page[schemas.ContactViewOut]:
    communities = principal.scope_ids("community_admin", "community")
    rows = await directory_service.contact_views(session, communities, parse_cursor(cursor), limit)
    rows, next_cursor = page_of(rows, limit)
    return Page(items=await views.contact_views_out(session, rows), next_cursor=next_cursor)
