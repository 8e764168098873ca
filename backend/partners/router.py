"""Partner routes: apply, file (recognition) and manage partners, their contacts, the street's
brand name, work units from members' free text; opportunity lists and applications."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from backend.auth.deps import Admin, CurrentUser, StreetAdmin
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath, IdQuery
from backend.partners import opportunities, policy, schemas, service, views, work_units
from backend.partners.policy import PartnerForAdmin, PartnerPath

router = APIRouter(prefix="/api/v1", tags=["partners"])

KindQ = Literal["company", "shop", "social_org", "property", "work_unit", "skilled_resident"]
StatusQ = Literal["applied", "filed", "active", "suspended"]


@router.post(
    "/partners",
    status_code=201,
    response_model=schemas.PartnerDetail,
    summary="Apply as a partner (any logged-in user)",
)
async def create_partner(
    body: schemas.PartnerCreate, session: SessionDep, principal: CurrentUser
) -> schemas.PartnerDetail:
    partner = await service.create_partner(session, applicant_id=principal.id, **body.model_dump())
    return await views.detail(session, principal, partner)


@router.get(
    "/partners",
    response_model=Page[schemas.PartnerSummary],
    summary="Partners the caller may see: of the communities/streets they administer, theirs as contact, their own",
)
async def list_partners(
    session: SessionDep,
    principal: CurrentUser,
    kind: Annotated[KindQ | None, Query()] = None,
    status: Annotated[StatusQ | None, Query()] = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.PartnerSummary]:
    communities, streets = policy.admin_reach(principal)
    rows = await service.list_partners(
        session,
        community_ids=communities,
        street_ids=streets,
        partner_ids=principal.scope_ids(service.CONTACT_ROLE, "partner"),
        applicant_id=principal.id,
        kind=kind,
        status=status,
        cursor=parse_cursor(cursor),
        limit=limit,
    )
    rows, next_cursor = page_of(rows, limit)
    return Page(items=[views.summary(p) for p in rows], next_cursor=next_cursor)


@router.get(
    "/partners/{partner_id}",
    response_model=schemas.PartnerDetail,
    summary="A partner (its admins, its contacts, its applicant)",
)
async def get_partner(partner: PartnerPath, session: SessionDep, principal: CurrentUser) -> schemas.PartnerDetail:
    return await views.detail(session, principal, partner)


@router.post(
    "/partners/{partner_id}/transitions",
    response_model=schemas.PartnerDetail,
    summary="File (recognise), activate, suspend or reinstate a partner (admin of its community or street)",
)
async def transition(
    partner: PartnerForAdmin, body: schemas.TransitionIn, session: SessionDep, principal: Admin
) -> schemas.PartnerDetail:
    await service.transition(session, partner, body.event, actor_id=principal.id, reason=body.reason)
    return await views.detail(session, principal, partner)


@router.post(
    "/partners/{partner_id}/contacts",
    response_model=schemas.PartnerDetail,
    summary="Make an account a contact who acts for the partner (its community admin, street admin)",
)
async def add_contact(
    partner: PartnerForAdmin, body: schemas.ContactIn, session: SessionDep, principal: Admin
) -> schemas.PartnerDetail:
    await service.add_contact(session, partner, body.user_id, actor_id=principal.id)
    return await views.detail(session, principal, partner)


@router.get("/partner-brand", response_model=schemas.BrandOut, summary="The partner brand name of the caller's street")
async def get_brand(session: SessionDep, principal: CurrentUser, street_id: IdQuery = None) -> schemas.BrandOut:
    street = street_id or await service.street_of_user(session, principal.user)
    return schemas.BrandOut(street_id=street, brand_name=await service.brand_of(session, street))


@router.put(
    "/partner-brand", response_model=schemas.BrandOut, summary="Set the street's partner brand name (its street admin)"
)
async def set_brand(body: schemas.BrandIn, session: SessionDep, principal: StreetAdmin) -> schemas.BrandOut:
    if body.street_id not in principal.scope_ids("street_admin", "street"):
        raise Forbidden("您不是该街道的管理员", code="out_of_scope")
    name = await service.set_brand(session, body.street_id, body.brand_name, actor_id=principal.id)
    return schemas.BrandOut(street_id=body.street_id, brand_name=name)


@router.post(
    "/partners/work-units/merge",
    response_model=schemas.WorkUnitMergeOut,
    summary="Turn Party members' free-text work units into work-unit partners, merging near-duplicates (street admin)",
)
async def merge_work_units(session: SessionDep, principal: StreetAdmin) -> schemas.WorkUnitMergeOut:
    streets = principal.scope_ids("street_admin", "street")
    items = await work_units.merge_work_units(session, actor_id=principal.id, street_ids=streets)
    return schemas.WorkUnitMergeOut(items=[schemas.WorkUnitMerge(**i) for i in items])


# ---- opportunities ---------------------------------------------------------------------------


@router.post(
    "/opportunities",
    status_code=201,
    response_model=schemas.OpportunityOut,
    summary="Publish an opportunity list (community admin)",
)
async def create_opportunity(
    body: schemas.OpportunityCreate, session: SessionDep, principal: Admin
) -> schemas.OpportunityOut:
    communities, streets = policy.admin_reach(principal)
    community = await service.community_of(session, body.community_id)
    if body.community_id not in communities and community.street_id not in streets:
        raise Forbidden("您不是该社区的管理员", code="out_of_scope")
    row = await opportunities.create(session, actor_id=principal.id, **body.model_dump())
    return views.opportunity(row, 0)


@router.get(
    "/opportunities", response_model=Page[schemas.OpportunityOut], summary="Opportunity lists (any logged-in user)"
)
async def list_opportunities(
    session: SessionDep, _: CurrentUser, community_id: IdQuery = None, cursor: CursorQ = None, limit: LimitQ = 20
) -> Page[schemas.OpportunityOut]:
    rows = await opportunities.listing(session, community_id=community_id, cursor=parse_cursor(cursor), limit=limit)
    rows, next_cursor = page_of(rows, limit)
    counts = await opportunities.application_counts(session, [r.id for r in rows])
    return Page(items=[views.opportunity(r, counts.get(r.id, 0)) for r in rows], next_cursor=next_cursor)


@router.get(
    "/opportunities/{opportunity_id}",
    response_model=schemas.OpportunityOut,
    summary="An opportunity with its share card (any logged-in user)",
)
async def get_opportunity(opportunity_id: IdPath, session: SessionDep, _: CurrentUser) -> schemas.OpportunityOut:
    row = await opportunities.get(session, opportunity_id)
    counts = await opportunities.application_counts(session, [row.id])
    return views.opportunity(row, counts.get(row.id, 0))


@router.post(
    "/opportunities/{opportunity_id}/applications",
    status_code=201,
    response_model=schemas.ApplicationOut,
    summary="Apply to an opportunity: as a partner's contact, or as a would-be partner (any logged-in user)",
)
async def apply(
    opportunity_id: IdPath, body: schemas.ApplicationCreate, session: SessionDep, principal: CurrentUser
) -> schemas.ApplicationOut:
    row = await opportunities.get(session, opportunity_id)
    partner = None
    if body.partner_id is not None:
        partner = await service.get_partner(session, body.partner_id)
        policy.require_acts_for(principal, partner)
    new = body.partner.model_dump() if body.partner else None
    application = await opportunities.apply(
        session, row, principal_id=principal.id, partner=partner, new=new, pitch=body.pitch
    )
    partner = partner or await service.get_partner(session, application.partner_id)
    return views.application(application, partner)


@router.post(
    "/opportunity-applications/{application_id}/decide",
    response_model=schemas.ApplicationOut,
    summary="Shortlist, accept (files the partner) or decline with a reason (community admin of the opportunity)",
)
async def decide(
    application_id: IdPath, body: schemas.ApplicationDecision, session: SessionDep, principal: Admin
) -> schemas.ApplicationOut:
    application = await opportunities.get_application(session, application_id)
    row = await opportunities.get(session, application.opportunity_id)
    community = await service.community_of(session, row.community_id)
    communities, streets = policy.admin_reach(principal)
    opportunities.require_admin_of(communities, streets, row, community.street_id)
    await opportunities.decide(session, application, decision=body.decision, reason=body.reason, actor_id=principal.id)
    return views.application(application, await service.get_partner(session, application.partner_id))
