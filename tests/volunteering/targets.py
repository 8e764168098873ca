"""Demo rows the role matrices call on for partners, volunteering and the time bank, and the
bodies those routes are called with (tests/test_role_matrix.py and tests/volunteering/test_access.py)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from backend.directory.models import User
from backend.lists.models import ListBatch, ListClaim, ListItem
from backend.org.models import Community, Compound
from backend.partners.models import Opportunity, OpportunityApplication, Partner
from backend.volunteering.models import Activity, Offer, Redemption, Registration, Team, TeamMembership


async def cobuild_objects(session) -> dict[str, int]:
    async def one(stmt) -> int:
        value = (await session.execute(stmt.limit(1))).scalar_one_or_none()
        assert value is not None, f"demo data lacks {stmt}"
        return value

    def partner(name: str):
        return select(Partner.id).where(Partner.name == name)

    def team(name: str):
        return select(Team.id).where(Team.name == name)

    ids = {
        "demo-partner": await one(select(User.id).where(User.openid == "fake-openid-demo-partner")),
        "demo-leader": await one(select(User.id).where(User.openid == "fake-openid-demo-leader")),
        "community_hx": await one(select(Community.id).where(Community.name == "和谐社区")),
        "partner_own": await one(partner("鲁味坊餐馆")),  # demo-partner's
        "partner_c1": await one(partner("惠民大药房")),  # same community, another partner
        "partner_c3": await one(partner("书香文化书店")),  # another community
        "partner_applied_c1": await one(partner("阳光助老服务社")),
        "partner_applied_c5": await one(partner("滨河口腔诊所")),  # 滨河社区
        "team_own": await one(team("和谐社区红色先锋志愿服务队")),  # demo-leader's
        "team_other": await one(team("巧手剪纸志愿服务队")),
    }
    ids["street_id"] = await one(select(Community.street_id).where(Community.id == ids["community_hx"]))
    memberships = select(TeamMembership.id).where(TeamMembership.status == "pending").order_by(TeamMembership.id)
    ids["membership_own"] = await one(memberships.where(TeamMembership.team_id == ids["team_own"]))
    ids["membership_other"] = await one(memberships.where(TeamMembership.team_id == ids["team_other"]))
    activities = select(Activity.id).where(Activity.closed_at.is_(None)).order_by(Activity.id)
    ids["act_own"] = await one(activities.where(Activity.team_id == ids["team_own"]))  # 社区义诊服务, coming
    ids["act_other"] = await one(activities.where(Activity.team_id == ids["team_other"]))
    ids["reg_resident"] = await one(
        select(Registration.id).where(
            Registration.activity_id == ids["act_own"],
            Registration.user_id == select(User.id).where(User.openid == "fake-openid-demo-resident").scalar_subquery(),
        )
    )
    market = (
        select(Activity.id)
        .where(Activity.organiser_kind == "community", Activity.closed_at.is_not(None))
        .order_by(Activity.id)
    )
    completed = select(Registration).where(
        Registration.activity_id == market.limit(1).scalar_subquery(), Registration.status == "completed"
    )
    row = (await session.execute(completed.order_by(Registration.id).limit(1))).scalar_one()
    ids["reg_completed"], ids["reg_completed_minutes"] = row.id, row.minutes
    own_team_done = (
        select(Activity.id)
        .where(Activity.team_id == ids["team_own"], Activity.closed_at.is_not(None))
        .order_by(Activity.id)
    )
    ids["reg_own_completed"] = await one(
        select(Registration.id).where(
            Registration.activity_id == own_team_done.limit(1).scalar_subquery(), Registration.status == "completed"
        )
    )
    ids["opportunity"] = await one(select(Opportunity.id).order_by(Opportunity.id))
    ids["application_submitted"] = await one(
        select(OpportunityApplication.id)
        .where(OpportunityApplication.status == "submitted")
        .order_by(OpportunityApplication.id)
    )
    ids["offer_own"] = await one(select(Offer.id).where(Offer.partner_id == ids["partner_own"]))
    requested = select(Redemption.id).where(Redemption.status == "requested").order_by(Redemption.id)
    ids["redemption_own"] = await one(requested.where(Redemption.partner_id == ids["partner_own"]))
    ids["redemption_c1"] = await one(requested.where(Redemption.partner_id == ids["partner_c1"]))
    ids["list_batch"] = await one(select(ListBatch.id).order_by(ListBatch.id))
    ids["c1_compound"] = await one(select(Compound.id).where(Compound.name == "锦华苑"))
    item = select(ListItem.id)
    ids["item_need_open"] = await one(item.where(ListItem.title == "儿童暑期托管"))
    claim = select(ListClaim.id).join(ListItem, ListItem.id == ListClaim.item_id)
    ids["claim_proposed"] = await one(claim.where(ListItem.title == "免费测血压血糖"))
    ids["claim_matched"] = await one(claim.where(ListItem.title == "独居老人陪诊"))
    ids["claim_fulfilled"] = await one(claim.where(ListItem.title == "楼道照明改造"))
    return ids


def cobuild_bodies(ids: dict[str, int]) -> dict:
    """(method, path) → a valid request, so that only access decides the answer."""
    return {
        ("POST", "/partners"): lambda: {
            "json": {"kind": "shop", "name": "矩阵包子铺", "community_id": ids["community_hx"]}
        },
        ("POST", "/partners/{partner_id}/transitions"): lambda: {"json": {"event": "filed"}},
        ("POST", "/partners/{partner_id}/contacts"): lambda: {"json": {"user_id": ids["demo-resident"]}},
        ("PUT", "/partner-brand"): lambda: {"json": {"street_id": ids["street_id"], "brand_name": "红色合伙人"}},
        ("POST", "/opportunities"): lambda: {
            "json": {
                "title": "招募家政服务",
                "mode": "purchase",
                "deadline": "2099-01-01T00:00:00+08:00",
                "community_id": ids["community_hx"],
            }
        },
        ("POST", "/opportunities/{opportunity_id}/applications"): lambda: {
            "json": {"partner": {"kind": "shop", "name": "矩阵报名店"}}
        },
        ("POST", "/opportunity-applications/{application_id}/decide"): lambda: {"json": {"decision": "shortlisted"}},
        ("POST", "/teams"): lambda: {
            "json": {"name": "矩阵队", "leader_id": ids["demo-member"], "community_id": ids["community_hx"]}
        },
        ("POST", "/teams/{team_id}/join"): lambda: {"json": {}},
        ("POST", "/team-memberships/{membership_id}/decide"): lambda: {"json": {"decision": "approve"}},
        ("POST", "/activity-series"): lambda: {"json": {"title": "矩阵系列", "community_id": ids["community_hx"]}},
        ("POST", "/activities"): lambda: {
            "json": {
                "title": "矩阵活动",
                "organiser": {"kind": "community"},
                "community_id": ids["community_hx"],
                "start_at": "2099-01-01T09:00:00+08:00",
                "end_at": "2099-01-01T11:00:00+08:00",
                "capacity": 10,
            }
        },
        ("POST", "/activities/{activity_id}/check-in"): lambda: {"json": {"code": "hh1.1.1.000000000000000000000000"}},
        ("POST", "/activities/{activity_id}/roster"): lambda: {
            "json": {"entries": [{"client_id": str(uuid.uuid4()), "user_id": ids["demo-resident"]}]}
        },
        ("POST", "/registrations/{registration_id}/check-out"): lambda: {"json": {}},
        ("POST", "/registrations/{registration_id}/hours"): lambda: {
            "json": {"service_minutes": ids["reg_completed_minutes"], "reason": "核对无误"}
        },
        ("POST", "/timebank/offers"): lambda: {
            "json": {"partner_id": ids["partner_own"], "title": "矩阵兑换", "cost": 5}
        },
        ("POST", "/redemptions/{redemption_id}/decide"): lambda: {"json": {"decision": "confirmed"}},
        ("POST", "/list-batches"): lambda: {
            "json": {
                "scope": f"community:{ids['community_hx']}",
                "title": "矩阵批次",
                "opens_at": "2026-01-01T00:00:00+08:00",
                "closes_at": "2099-01-01T00:00:00+08:00",
            }
        },
        ("POST", "/list-items"): lambda: {
            "json": {
                "batch_id": ids["list_batch"],
                "kind": "need",
                "category": "维修",
                "title": "矩阵需求",
                "owner_kind": "compound",
                "owner_id": ids["c1_compound"],
            }
        },
        ("POST", "/list-items/canvass"): lambda: {
            "json": {
                "batch_id": ids["list_batch"],
                "items": [
                    {
                        "client_id": str(uuid.uuid4()),
                        "kind": "need",
                        "category": "维修",
                        "title": "矩阵走访",
                        "owner_kind": "compound",
                        "owner_id": ids["c1_compound"],
                    }
                ],
            }
        },
        ("POST", "/list-items/{item_id}/claims"): lambda: {
            "json": {"claimant_kind": "partner", "claimant_id": ids["partner_c1"]}
        },
        ("POST", "/list-claims/{claim_id}/decide"): lambda: {"json": {"decision": "accept"}},
        ("POST", "/list-claims/{claim_id}/fulfil"): lambda: {"json": {"evidence": "已陪同就诊"}},
        ("POST", "/list-claims/{claim_id}/close"): lambda: {"json": {"rating": 5}},
    }
