"""Partners and opportunities as responses."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.kernel.clock import utcnow
from backend.partners import opportunities, policy, schemas, service
from backend.partners.models import Opportunity, OpportunityApplication, Partner
from backend.partners.state import APPLICATION, KIND_LABELS, PARTNER


def summary(partner: Partner) -> schemas.PartnerSummary:
    return schemas.PartnerSummary(
        id=partner.id,
        kind=partner.kind,
        kind_label=KIND_LABELS.get(partner.kind, partner.kind),
        name=partner.name,
        services=partner.services,
        community_id=partner.community_id,
        status=partner.status,
        status_label=PARTNER.label(partner.status),
    )


async def detail(session: AsyncSession, principal: Principal, partner: Partner) -> schemas.PartnerDetail:
    events = await service.events_of(session, partner.id)
    contacts = (await service.contacts_of(session, [partner.id]))[partner.id]
    return schemas.PartnerDetail(
        **summary(partner).model_dump(),
        brand=await service.brand_of(session, partner.street_id),
        contact=partner.contact,
        contact_ids=contacts,
        viewer_is_contact=principal.id in contacts,
        filed_at=partner.filed_at,
        suspend_reason=partner.suspend_reason,
        events=[
            schemas.EventOut(
                type=e.type,
                label=PARTNER.event_label(e.type),
                from_status=e.from_status,
                to_status=e.to_status,
                actor_name=name,
                at=e.at,
                note=e.note,
            )
            for e, name in events
        ],
        actions=policy.actions_for(principal, partner),
    )


def opportunity(row: Opportunity, applications: int) -> schemas.OpportunityOut:
    mode = opportunities.MODE_LABELS[row.mode]
    return schemas.OpportunityOut(
        id=row.id,
        title=row.title,
        mode=row.mode,
        mode_label=mode,
        needs=row.needs,
        deadline=row.deadline,
        community_id=row.community_id,
        open=row.deadline > utcnow(),
        applications=applications,
        share=schemas.ShareCard(
            title=f"招募令｜{row.title}"[:30],
            path=f"/pages/cobuild/opportunities/opportunities?id={row.id}",
            summary=f"{mode}：{row.needs}"[:60],
        ),
    )


def application(row: OpportunityApplication, partner: Partner) -> schemas.ApplicationOut:
    return schemas.ApplicationOut(
        id=row.id,
        opportunity_id=row.opportunity_id,
        partner_id=partner.id,
        partner_name=partner.name,
        partner_status=partner.status,
        pitch=row.pitch,
        status=row.status,
        status_label=APPLICATION.label(row.status),
        decline_reason=row.decline_reason,
    )
