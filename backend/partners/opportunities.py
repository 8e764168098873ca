"""Opportunity lists (机会清单) and recruitment calls (招募令): the community says what it seeks
and on which terms (购买服务、共建、公益创投、低偿服务); partners, or would-be partners, apply;
an accepted application files the partner (the recognition)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.partners import service
from backend.partners.models import Opportunity, OpportunityApplication, Partner
from backend.partners.state import APPLICATION

MODE_LABELS = {"purchase": "购买服务", "co_build": "共建", "charity": "公益创投", "low_fee": "低偿服务"}


async def create(session: AsyncSession, *, actor_id: int, **fields) -> Opportunity:
    await service.community_of(session, fields["community_id"])
    if fields["deadline"] <= utcnow():
        raise InvalidInput("报名截止时间须晚于现在", code="deadline_past")
    opportunity = Opportunity(created_by=actor_id, **fields)
    session.add(opportunity)
    await session.flush()
    return opportunity


async def get(session: AsyncSession, opportunity_id: int) -> Opportunity:
    row = await session.get(Opportunity, opportunity_id)
    if row is None:
        raise NotFound(f"机会清单 {opportunity_id} 不存在", code="opportunity_not_found")
    return row


async def listing(session: AsyncSession, *, community_id: int | None, cursor: int | None, limit: int) -> list:
    stmt = select(Opportunity)
    if community_id is not None:
        stmt = stmt.where(Opportunity.community_id == community_id)
    if cursor is not None:
        stmt = stmt.where(Opportunity.id < cursor)
    return list((await session.execute(stmt.order_by(Opportunity.id.desc()).limit(limit + 1))).scalars())


async def application_counts(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = await session.execute(
        select(OpportunityApplication.opportunity_id, func.count())
        .where(OpportunityApplication.opportunity_id.in_(ids))
        .group_by(OpportunityApplication.opportunity_id)
    )
    return dict(rows.all())


async def apply(
    session: AsyncSession,
    opportunity: Opportunity,
    *,
    principal_id: int,
    partner: Partner | None,
    new: dict | None,
    pitch: str,
) -> OpportunityApplication:
    if opportunity.deadline <= utcnow():
        raise Conflict("报名已截止", code="opportunity_closed")
    if (partner is None) == (new is None):
        raise InvalidInput("请选择您联系的合伙人，或填写新合伙人的信息（二选一）", code="partner_or_new")
    if partner is None:
        partner = await service.create_partner(
            session, community_id=opportunity.community_id, applicant_id=principal_id, **new
        )
    clash = await session.execute(
        select(OpportunityApplication.id).where(
            OpportunityApplication.opportunity_id == opportunity.id, OpportunityApplication.partner_id == partner.id
        )
    )
    if clash.first() is not None:
        raise Conflict("该合伙人已报名这项机会", code="already_applied")
    application = OpportunityApplication(
        opportunity_id=opportunity.id, partner_id=partner.id, applicant_id=principal_id, pitch=pitch
    )
    session.add(application)
    await session.flush()
    return application


async def get_application(session: AsyncSession, application_id: int) -> OpportunityApplication:
    stmt = select(OpportunityApplication).where(OpportunityApplication.id == application_id).with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"报名 {application_id} 不存在", code="application_not_found")
    return row


async def decide(
    session: AsyncSession, application: OpportunityApplication, *, decision: str, reason: str | None, actor_id: int
) -> OpportunityApplication:
    if decision == "declined" and not reason:
        raise InvalidInput("婉拒须说明理由", code="reason_required")
    values = {"decided_by": actor_id}
    if decision == "declined":
        values["decline_reason"] = reason
    await APPLICATION.apply(session, application, decision, actor_id=actor_id, note=reason, values=values)
    if decision == "accepted":
        partner = await service.get_partner(session, application.partner_id, for_update=True)
        opportunity = await get(session, application.opportunity_id)
        await service.file_partner(session, partner, actor_id=actor_id, note=f"通过机会清单「{opportunity.title}」录用")
    return application


def require_admin_of(communities: set[int], streets: set[int], opportunity: Opportunity, street_id: int) -> None:
    if opportunity.community_id not in communities and street_id not in streets:
        raise Forbidden("您不是该社区的管理员", code="out_of_scope")
