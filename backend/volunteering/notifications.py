"""Volunteering events as messages: a waitlisted volunteer promoted to a seat is told; a volunteer
is told when the partner confirms or declines their redemption (declined: the credits came back);
a volunteer who asked to join a team is told the leader's decision."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.clock import utcnow
from backend.notify import service as notify_service
from backend.partners.models import Partner
from backend.volunteering.models import Activity, Offer, Redemption, Registration, Team, TeamMembership
from backend.volunteering.state import MembershipStatus, RedemptionStatus


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


async def redemption_decided(session: AsyncSession, redemption: Redemption) -> None:
    """After the partner's confirmation or decline (not the volunteer's own cancellation)."""
    if redemption.status not in (RedemptionStatus.confirmed, RedemptionStatus.declined):
        return
    offer = await session.get(Offer, redemption.offer_id)
    partner = await session.get(Partner, redemption.partner_id)
    params = {
        "redemption_id": redemption.id,
        "offer_title": offer.title if offer else "积分兑换",
        "partner_name": partner.name if partner else "合伙人",
        "cost": redemption.cost,
        "approved": redemption.status == RedemptionStatus.confirmed,
        "reason": redemption.reason,
        "at": utcnow(),
    }
    await notify_service.emit(
        session, "redemption_decided", [redemption.user_id], params, ref=("redemption", redemption.id)
    )


async def membership_decided(session: AsyncSession, row: TeamMembership) -> None:
    team = await session.get(Team, row.team_id)
    params = {
        "team_id": row.team_id,
        "team_name": team.name if team else "志愿服务队",
        "approved": row.status == MembershipStatus.approved,
        "at": utcnow(),
    }
    await notify_service.emit(session, "team_join_decided", [row.user_id], params, ref=("team", row.team_id))
