"""Demo of the cascaded evaluation and the department assessment: the departments' contacts (set 60
days ago) and their sign-ins since, with gaps (and one on the latest holiday, which does not count), a
closed campaign of each level with ballots and an open one for residents, the assessment weights,
and this year's 夺旗摘星 indicators with two entered values (one approved, one pending).

Community secretaries for 明德社区 and 滨河社区 are added (without a login) so that every community
rates the departments."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.assessment import competition
from backend.assessment import service as assessment_service
from backend.directory.models import User
from backend.evaluations import checkins
from backend.evaluations import service as evaluations_service
from backend.evaluations.models import EvaluationBallot
from backend.evaluations.state import CAMPAIGN
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.periods import today_local
from backend.org import service as org_service
from backend.org.models import Community, Compound, Department, RoleGrant, Street
from backend.workcal.models import WorkCalendarDay

SEED = 18
QUESTIONS = {
    "residents_rate_compound": [
        {"code": "service", "text": "小区党支部服务群众", "kind": "score_1_5"},
        {"code": "environment", "text": "小区环境与秩序", "kind": "score_1_5"},
        {"code": "advice", "text": "意见建议", "kind": "comment"},
    ],
    "compounds_rate_community": [
        {"code": "support", "text": "社区对小区工作的支持", "kind": "score_1_5"},
        {"code": "advice", "text": "意见建议", "kind": "comment"},
    ],
    "communities_rate_department": [
        {"code": "response", "text": "接到吹哨后响应及时", "kind": "score_1_5"},
        {"code": "result", "text": "问题解决效果", "kind": "score_1_5"},
        {"code": "advice", "text": "意见建议", "kind": "comment"},
    ],
}
TITLES = {
    "residents_rate_compound": "党群评小区",
    "compounds_rate_community": "小区评社区",
    "communities_rate_department": "社区评部门",
}


async def _user(session: AsyncSession, code: str) -> User:
    return (await session.execute(select(User).where(User.openid == f"fake-openid-{code}"))).scalar_one()


CONTACT_DAYS = 60  # the demo's contacts were set this many days ago


async def _contacts(session: AsyncSession, staff: User) -> Department:
    dept = (await session.execute(select(Department).order_by(Department.id).limit(1))).scalar_one()
    c1 = (await session.execute(select(Compound).where(Compound.name == "锦华苑"))).scalar_one()
    rows = await checkins.set_contacts(
        session,
        dept,
        [
            {"user_id": staff.id, "place_kind": "compound", "place_id": c1.id},
            {"user_id": staff.id, "place_kind": "community", "place_id": c1.community_id},
        ],
    )
    for row in rows:
        row.created_at = utcnow() - timedelta(days=CONTACT_DAYS)
    await session.flush()
    return dept


def _at(day, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


async def _signins(session: AsyncSession, staff: User, rng: random.Random) -> None:
    """Sign-ins at 锦华苑 since the contacts were set, with gaps (every fourth working day missed, a
    replay), the community on Mondays, and one on the latest holiday in that time (kept, never counted)."""
    c1 = (await session.execute(select(Compound).where(Compound.name == "锦华苑"))).scalar_one()
    today = today_local()
    days = [today - timedelta(days=n) for n in range(CONTACT_DAYS - 1, 0, -1)]
    exceptions = dict(
        (
            await session.execute(
                select(WorkCalendarDay.day, WorkCalendarDay.workday).where(WorkCalendarDay.day >= days[0])
            )
        ).all()
    )
    items, n = [], 0
    for day in days:
        if not exceptions.get(day, day.weekday() < 5):
            continue
        n += 1
        if n % 4 == 0:
            continue  # a gap
        at = _at(day, 9, rng.randint(0, 40))
        items.append({"client_id": str(uuid.uuid4()), "at": at, "place_kind": "compound", "place_id": c1.id})
        if day.weekday() == 0:
            at = _at(day, 15, rng.randint(0, 40))
            items.append(
                {"client_id": str(uuid.uuid4()), "at": at, "place_kind": "community", "place_id": c1.community_id}
            )
    holidays = [d for d in days if exceptions.get(d) is False]
    if holidays:  # none in these weeks of the year: the weekends stand for days off
        at = _at(holidays[-1], 10, 5)
        items.append({"client_id": str(uuid.uuid4()), "at": at, "place_kind": "compound", "place_id": c1.id})
    for item in items:
        item.update(latitude=37.4412, longitude=118.6805)
    await checkins.batch(session, staff.id, items)
    await checkins.batch(session, staff.id, items[:2])  # a replay of the first two: counted once


async def _secretaries(session: AsyncSession, rng: random.Random) -> None:
    communities = list((await session.execute(select(Community).order_by(Community.id))).scalars())
    held = set((await session.execute(select(RoleGrant.scope_id).where(RoleGrant.role == "community_admin"))).scalars())
    for community, name in zip(communities, ["高建华", "孟庆云", "贾玉梅"], strict=False):
        if community.id in held:
            continue
        u = User(name=name, phone=f"1370000{rng.randint(1000, 9999)}")
        session.add(u)
        await session.flush()
        await org_service.grant(session, u.id, "community_admin", "community", community.id)


async def _campaign(session: AsyncSession, street: Street, actor: User, level: str, period: str, closed: bool):
    now = utcnow()
    opens, closes = (
        (now - timedelta(days=40), now - timedelta(days=10))
        if closed
        else (now - timedelta(days=1), now + timedelta(days=30))
    )
    campaign = await evaluations_service.create_campaign(
        session,
        street_id=street.id,
        actor_id=actor.id,
        level=level,
        title=f"{period} {TITLES[level]}",
        period=period,
        questions=QUESTIONS[level],
        opens_at=opens,
        closes_at=closes,
    )
    await CAMPAIGN.apply(session, campaign, "opened", actor_id=actor.id)
    return campaign


def _answers(level: str, rng: random.Random) -> dict:
    out = {q["code"]: rng.choice((3, 4, 4, 5, 5)) for q in QUESTIONS[level] if q["kind"] == "score_1_5"}
    if rng.random() < 0.3:
        out["advice"] = rng.choice(["希望多组织活动", "楼道照明还需改进", "响应很及时，点赞", "停车难问题请继续关注"])
    return out


async def _ballots(session: AsyncSession, campaign, rng: random.Random, share: float) -> None:
    """Ballots cast in the window by a share of the eligible rater units (the person: one of the unit)."""
    units = await evaluations_service.eligible(session, campaign.level, campaign.street_id)
    people = await _unit_people(session, campaign.level)
    for target_id, keys in sorted(units.items()):
        for key in sorted(keys):
            if rng.random() > share or key not in people:
                continue
            session.add(
                EvaluationBallot(
                    campaign_id=campaign.id,
                    target_id=target_id,
                    rater_key=key,
                    rater_id=people[key],
                    answers=_answers(campaign.level, rng),
                    created_at=campaign.opens_at + timedelta(days=rng.randint(0, 25), hours=rng.randint(1, 12)),
                )
            )
    await session.flush()


async def _unit_people(session: AsyncSession, level: str) -> dict[str, int]:
    """rater unit → a person who votes for it."""
    if level == "residents_rate_compound":
        rows = await session.execute(select(User.household_id, User.id).where(User.household_id.is_not(None)))
        return {f"household:{h}": u for h, u in rows.all()}
    role, kind = ("dispatcher", "compound") if level == "compounds_rate_community" else ("community_admin", "community")
    rows = await session.execute(
        select(RoleGrant.scope_id, RoleGrant.user_id).where(RoleGrant.role == role, RoleGrant.scope_type == kind)
    )
    return {f"{kind}:{s}": u for s, u in rows.all()}


def _last_quarter() -> str:
    today = today_local()
    q = (today.month - 1) // 3
    return f"{today.year}-Q{q}" if q else f"{today.year - 1}-Q4"


async def _assessment(session: AsyncSession, street: Street, actor: User) -> None:
    weights = {"response": 20, "disposal": 20, "satisfaction": 10, "evaluation": 20, "checkin": 20, "overdue": 10}
    await assessment_service.set_weights(session, street.id, weights, actor.id)
    year = today_local().year
    indicators = [
        {"code": "visits", "name": "走访覆盖率", "source": "visit_coverage", "target": 60, "star": 90},
        {"code": "wishes", "name": "微心愿完成率", "source": "wish_completion", "target": 60, "star": 85},
        {"code": "wish_rating", "name": "微心愿满意率", "source": "wish_satisfaction", "target": 80, "star": 95},
        {"code": "response", "name": "呼叫应答率", "source": "response_rate", "target": 80, "star": 95},
        {"code": "disposal", "name": "事件处置率", "source": "disposal_rate", "target": 70, "star": 90},
        {"code": "satisfaction", "name": "居民满意率", "source": "satisfaction_rate", "target": 80, "star": 95},
        {"code": "proposals", "name": "提案采纳数", "source": "proposals_adopted", "target": 1, "star": 3},
        {"code": "volunteers", "name": "志愿服务人次", "source": "volunteer_person_times", "target": 10, "star": 30},
        {"code": "projects", "name": "项目按期完成率", "source": "projects_on_time", "target": 80, "star": 100},
        {"code": "brand", "name": "党建品牌创建", "source": "entered", "target": 1, "star": 1},
        {"code": "property", "name": "红色物业覆盖小区数", "source": "entered", "target": 1, "star": 2},
    ]
    await competition.set_indicators(session, street.id, year, {"indicators": indicators, "flag_stars": 3}, actor.id)
    communities = {c.name: c for c in (await session.execute(select(Community))).scalars()}
    admin = await _user(session, "demo-admin")
    brand = await competition.enter(
        session,
        communities["和谐社区"],
        year,
        "brand",
        {"value": 1, "evidence": "「幸福和谐」党建品牌已挂牌", "photos": []},
        admin.id,
    )
    await competition.decide(session, brand, "approve", actor.id, None)
    secretary = (
        await session.execute(
            select(RoleGrant.user_id).where(
                RoleGrant.role == "community_admin", RoleGrant.scope_id == communities["明德社区"].id
            )
        )
    ).scalar_one()
    await competition.enter(
        session,
        communities["明德社区"],
        year,
        "property",
        {"value": 2, "evidence": "阳光小区、书香苑已引入红色物业", "photos": []},
        secretary,
    )


async def load(session: AsyncSession) -> None:
    rng = random.Random(SEED)
    street = (await session.execute(select(Street).order_by(Street.id).limit(1))).scalar_one()
    actor = await _user(session, "demo-street")
    staff = await _user(session, "demo-department")
    await _secretaries(session, rng)
    await _contacts(session, staff)
    await _signins(session, staff, rng)
    quarter = _last_quarter()
    for level, share in (
        ("residents_rate_compound", 0.6),
        ("compounds_rate_community", 0.9),
        ("communities_rate_department", 1.0),
    ):
        campaign = await _campaign(session, street, actor, level, quarter, closed=True)
        await _ballots(session, campaign, rng, share)
        await CAMPAIGN.apply(session, campaign, "closed", actor_id=actor.id)
    await _campaign(session, street, actor, "residents_rate_compound", _this_quarter(), closed=False)
    await _assessment(session, street, actor)


def _this_quarter() -> str:
    today = today_local()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
