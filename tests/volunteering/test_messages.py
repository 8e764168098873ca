"""WeChat messages of the time bank and teams: the volunteer is told when the partner confirms or
declines a redemption (not when they cancel it themselves), and when the team leader decides their
join request — an inbox item each, and an outbox row for WeChat."""

from __future__ import annotations

from sqlalchemy import select

from backend.notify.models import Notification, OutboxMessage
from backend.partners.models import Partner
from backend.volunteering import timebank
from backend.volunteering.models import Redemption, Team, TeamMembership
from tests.support.demo import user_id


async def _volunteer_with_credits(session) -> str:
    """demo-resident, credited for ten hours of service (as a check-out would), to redeem with."""
    resident = await user_id(session, "demo-resident")
    await timebank.credit_service(
        session, resident, 0, 600, kind="service", ref=("registration", 0), note="测试积分", actor_id=None
    )
    await session.commit()
    return "demo-resident"


async def _messages(session, event: str) -> list[Notification]:
    rows = await session.execute(select(Notification).where(Notification.event == event).order_by(Notification.id))
    return list(rows.scalars())


async def _requested(session, partner: str) -> list[Redemption]:
    pid = (await session.execute(select(Partner.id).where(Partner.name == partner))).scalar_one()
    rows = await session.execute(
        select(Redemption).where(Redemption.partner_id == pid, Redemption.status == "requested").order_by(Redemption.id)
    )
    return list(rows.scalars())


async def test_redemption_confirmed_and_declined_are_told_cancel_is_not(api, session):
    [first, *_] = await _requested(session, "鲁味坊餐馆")  # demo-partner's partner
    before = len(await _messages(session, "redemption_decided"))
    await api.ok("POST", f"/api/v1/redemptions/{first.id}/decide", "demo-partner", json={"decision": "confirmed"})
    [told] = (await _messages(session, "redemption_decided"))[before:]
    assert told.user_id == first.user_id and told.title == "积分兑换成功"
    assert "鲁味坊餐馆" in told.body and f"{first.cost}积分" in told.body
    outbox = (
        (await session.execute(select(OutboxMessage).where(OutboxMessage.notification_id == told.id))).scalars().all()
    )
    assert len(outbox) == 1

    # a new one, declined with a reason: told, with the refund and the reason
    offer = (await session.execute(select(Redemption.offer_id).where(Redemption.id == first.id))).scalar_one()
    volunteer = await _volunteer_with_credits(session)
    again = await api.ok("POST", f"/api/v1/timebank/offers/{offer}/redemptions", volunteer, status=201)
    await api.ok(
        "POST",
        f"/api/v1/redemptions/{again['id']}/decide",
        "demo-partner",
        json={"decision": "declined", "reason": "本周已约满"},
    )
    declined = (await _messages(session, "redemption_decided"))[-1]
    assert declined.title == "积分兑换未成功" and "积分已退回" in declined.body and "本周已约满" in declined.body

    # the volunteer's own cancellation: no message
    third = await api.ok("POST", f"/api/v1/timebank/offers/{offer}/redemptions", volunteer, status=201)
    count = len(await _messages(session, "redemption_decided"))
    await api.ok("POST", f"/api/v1/redemptions/{third['id']}/cancel", volunteer)
    assert len(await _messages(session, "redemption_decided")) == count


async def test_team_join_decision_is_told(api, session):
    team = (await session.execute(select(Team).where(Team.name == "和谐社区红色先锋志愿服务队"))).scalar_one()
    pending = (
        await session.execute(
            select(TeamMembership).where(TeamMembership.team_id == team.id, TeamMembership.status == "pending").limit(1)
        )
    ).scalar_one()
    before = len(await _messages(session, "team_join_decided"))  # the demo's own decisions
    await api.ok("POST", f"/api/v1/team-memberships/{pending.id}/decide", "demo-leader", json={"decision": "approve"})
    [told] = (await _messages(session, "team_join_decided"))[before:]
    assert told.user_id == pending.user_id and told.title == "入队申请已通过" and team.name in told.body
    joined = await api.ok("POST", f"/api/v1/teams/{team.id}/join", "demo-resident", status=201, json={})
    await api.ok(
        "POST", f"/api/v1/team-memberships/{joined['membership_id']}/decide", "demo-leader", json={"decision": "reject"}
    )
    rejected = (await _messages(session, "team_join_decided"))[-1]
    assert rejected.title == "入队申请未通过" and rejected.user_id != pending.user_id
