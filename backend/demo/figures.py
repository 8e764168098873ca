"""Demo history for the figures (issue 13): the months before the recent demo, as a real street would
produce them, and the airing of the last complete quarter. Called at the end of backend.demo.load().

- wishes placed mostly in waking hours (08:00–20:00 Asia/Shanghai), fewer at weekends, reviewed
  within hours, taken after an hour to two days, fulfilled after an hour to several days;
- ratings from 1 to 5 (mostly 4–5), with a comment on every low one; some never rated (auto-closed);
- put through the real services at those moments, so every event row tells the same story;
- the airing: the latest quarter whose window has passed and that has finished wishes (never an
  empty one), published by 和谐社区's admin.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.airing import service as airing_service
from backend.directory.models import User
from backend.dispatch.models import Order
from backend.flows import wish_orders
from backend.issues import service as issues_service
from backend.kernel.clock import SHANGHAI, clock, utcnow
from backend.kernel.errors import Conflict
from backend.kernel.periods import parse_period
from backend.kernel.settings import get_settings
from backend.org.models import Community, Compound, Grid, Household, RoleGrant
from backend.people.models import MemberProfile, MemberRegistration
from backend.wishes import service as wishes_service

HISTORY = [  # (category, title, description)
    ("repair", "卫生间马桶水箱漏水", "水箱一直流水，水费涨了不少，想请懂水电的帮忙看看。"),
    ("elder_care", "想请人每周陪老人聊聊天", "老人独居，子女在外地，希望每周有人来坐坐。"),
    ("skills", "想学用手机交电费", "不会在手机上交电费，每次都要跑营业厅。"),
    ("medical_escort", "陪同去医院做眼科检查", "白内障术后复查，需要有人陪同挂号、取报告。"),
    ("goods", "家里需要一台二手轮椅", "老伴摔伤后行动不便，想借或要一台轮椅。"),
    ("education", "孩子英语作业需要辅导", "孩子五年级，家长看不懂英语作业，想请人辅导。"),
    ("repair", "阳台晾衣架坏了", "升降晾衣架的钢丝断了，自己够不着。"),
    ("elder_care", "想请人上门帮忙打扫卫生", "老人腰不好，家里半年没彻底打扫了。"),
    ("skills", "想学用微信和孙子视频", "孙子在外地上学，想学会视频通话。"),
    ("repair", "家里插座冒火花", "厨房插座插电饭煲时冒火花，不敢用了。"),
]
RATINGS = [5, 5, 5, 5, 4, 4, 4, 3, 2, 1]
LOW_COMMENTS = {
    1: "约好的时间没来，打电话才说忘了",
    2: "修完第二天又坏了，希望能再来看看",
    3: "事情办了，但等了挺久",
}
HIGH_COMMENTS = ["非常感谢，很耐心", "来得很及时，修得很好", None, None, "谢谢党员同志"]


def _moment(rng: random.Random, base: datetime, days_ago: float) -> datetime:
    """A believable local moment about `days_ago` days before `base`: waking hours, weekends thinner."""
    day = (base - timedelta(days=days_ago)).astimezone(SHANGHAI).date()
    if day.weekday() >= 5 and rng.random() < 0.6:
        day -= timedelta(days=day.weekday() - 4)  # moved to the Friday before
    hour = rng.choices(range(7, 22), weights=[1, 6, 9, 9, 7, 5, 6, 8, 8, 7, 6, 6, 5, 2, 1])[0]
    return datetime.combine(day, time(hour, rng.randrange(60)), SHANGHAI).astimezone(UTC)


def waking_offset(days_ago: float, hour: int, minute: int = 0) -> timedelta:
    """A clock offset to hour:minute Beijing time about `days_ago` days back, a weekend moved to the
    Friday before; never later than two hours ago (today's early hours stay in the past)."""
    real = datetime.now(UTC)
    day = (real - timedelta(days=days_ago)).astimezone(SHANGHAI).date()
    if day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4)
    target = datetime.combine(day, time(hour, minute), SHANGHAI)
    return min(target, real - timedelta(hours=2)) - real


def _awake(at: datetime, rng: random.Random) -> datetime:
    """`at`, or the next waking moment (08:00–20:00 Beijing time) if it falls at night."""
    local = at.astimezone(SHANGHAI)
    if 8 <= local.hour < 20:
        return at
    day = local.date() + timedelta(days=1 if local.hour >= 20 else 0)
    return datetime.combine(day, time(8 + rng.randrange(3), rng.randrange(60)), SHANGHAI).astimezone(UTC)


def _go(moment: datetime) -> None:
    clock.offset = moment - datetime.now(UTC)


async def _people(session: AsyncSession) -> list[tuple[int, list[User], list[int]]]:
    """Per compound: its residents (no Party members among them) and its members."""
    out = []
    for cid in (await session.execute(select(Compound.id).order_by(Compound.id))).scalars():
        members = list(
            (
                await session.execute(
                    select(RoleGrant.user_id).where(
                        RoleGrant.role == "party_member", RoleGrant.scope_type == "compound", RoleGrant.scope_id == cid
                    )
                )
            ).scalars()
        )
        residents = [
            u
            for u in (await session.execute(select(User).where(User.compound_id == cid).order_by(User.id))).scalars()
            if u.id not in members
        ]
        if residents and members:
            out.append((cid, residents, members))
    return out


async def _one_wish(session, rng, n: int, requester: User, member_id: int, reviewer: int, at: datetime) -> None:
    category, title, description = HISTORY[n % len(HISTORY)]
    _go(at)
    wish = await wishes_service.create_wish(
        session, requester, title=title, description=description, category=category, photos=[]
    )
    _go(at := _awake(at + timedelta(minutes=rng.randint(20, 6 * 60)), rng))
    await wishes_service.review(session, wish, actor_id=reviewer, approve=True, reason=None)
    _go(at := _awake(at + timedelta(minutes=rng.choice([60, 180, 300, 20 * 60, 26 * 60, 44 * 60])), rng))
    await wish_orders.claim(session, wish, member_id=member_id, max_open=99)
    _go(at := _awake(at + timedelta(minutes=rng.choice([60, 90, 240, 22 * 60, 3 * 24 * 60, 5 * 24 * 60])), rng))
    await wish_orders.complete(session, wish, member_id=member_id, note="已办好", photos=[])
    if rng.random() < 0.15:  # nobody confirmed: closed by the sweep, never a rating
        _go(at + timedelta(days=8))
        await wishes_service.auto_close_due(session, timedelta(days=7))
        return
    _go(_awake(at + timedelta(minutes=rng.randint(90, 48 * 60)), rng))
    rating = rng.choice(RATINGS)
    comment = LOW_COMMENTS.get(rating) or rng.choice(HIGH_COMMENTS)
    await wish_orders.confirm(session, wish, actor_id=requester.id, rating=rating, comment=comment)


async def _publish_airing(session: AsyncSession, settings) -> None:
    admin = (await session.execute(select(User).where(User.openid == "fake-openid-demo-admin"))).scalar_one_or_none()
    community = (await session.execute(select(Community).where(Community.name == "和谐社区"))).scalar_one_or_none()
    if admin is None or community is None:
        return
    today = utcnow().astimezone(SHANGHAI).date()
    year, q = today.year, (today.month - 1) // 3 + 1
    for _ in range(4):  # the latest complete quarter with something in it
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
        if utcnow() < airing_service.publishable_from(settings, parse_period(f"{year}-Q{q}")):
            continue
        try:
            await airing_service.publish(
                session, settings, community_id=community.id, period=f"{year}-Q{q}", actor_id=admin.id
            )
            return
        except Conflict:
            continue


ISSUES = [  # (plan, category, urgency, text, days ago, response delay in minutes)
    ("confirmed", "facility", "normal", "小区健身器材螺丝松动，老人锻炼有危险。", 75, 40),
    ("late", "environment", "normal", "垃圾分类亭周边污水横流，气味难闻。", 40, 300),
    ("reopened", "public_order", "normal", "地下车库有人长期占用消防通道停车。", 26, 50),
    ("backlog", "hazard", "normal", "楼道里电动车飞线充电，电线搭在暖气管上。", 33, 0),
    ("backlog", "dispute", "normal", "楼上楼下因漏水赔偿起争执，多次调解未果。", 12, 0),
]


async def _issues_elsewhere(session: AsyncSession, settings) -> None:
    """Issues in the communities other than the first one (which demo/issues.py fills): some
    whistled and handled in time, one answered late, one reopened, two still with the grid."""
    grids = list((await session.execute(select(Grid).order_by(Grid.id))).scalars())
    first_community = grids[0].community_id if grids else None
    seen: set[int] = set()
    for grid in grids:
        if grid.community_id in seen or grid.community_id == first_community:
            continue
        seen.add(grid.community_id)
        worker = (
            (
                await session.execute(
                    select(RoleGrant.user_id).where(
                        RoleGrant.role == "grid_worker", RoleGrant.scope_type == "grid", RoleGrant.scope_id == grid.id
                    )
                )
            )
            .scalars()
            .first()
        )
        houses = list(
            (await session.execute(select(Household.id).where(Household.grid_id == grid.id).limit(10))).scalars()
        )
        if worker is None or not houses:
            continue
        for n, plan in enumerate(ISSUES):
            await _one_issue(session, settings, grid, worker, houses[n % len(houses)], n, plan)


async def _one_issue(session, settings, grid, worker: int, house: int, n: int, plan) -> None:
    kind, category, urgency, text, days_ago, delay = plan
    clock.offset = waking_offset(days_ago, 9 + n % 5, (13 * n) % 60)
    issue = await issues_service.raise_issue(
        session,
        actor_id=worker,
        grid_ids={grid.id},
        grid_id=None,
        compound_id=None,
        household_id=house,
        category=category,
        description=text,
        location="",
        photos=[],
        urgency=urgency,
    )
    if kind == "backlog":
        return
    clock.offset += timedelta(minutes=15)
    await issues_service.whistle(session, settings, issue, actor_id=worker, department_id=None)
    staff = (
        (
            await session.execute(
                select(RoleGrant.user_id).where(
                    RoleGrant.role == "department_staff",
                    RoleGrant.scope_type == "department",
                    RoleGrant.scope_id == issue.department_id,
                )
            )
        )
        .scalars()
        .first()
    )
    clock.offset += timedelta(minutes=delay)
    if kind == "returned":
        await issues_service.hand_back(session, issue, actor_id=staff, reason="属物业管理范围，请网格协调物业")
        return
    await issues_service.respond(session, issue, actor_id=staff, note="收到，已安排人员")
    clock.offset += timedelta(days=1, hours=2)
    await issues_service.resolve(session, issue, actor_id=staff, note="已处置", photos=[])
    clock.offset += timedelta(hours=3)
    if kind == "reopened":
        await issues_service.reopen(session, settings, issue, actor_id=worker, reason="车辆又停回来了")
        return
    await issues_service.confirm(session, issue, actor_id=worker, satisfied=kind == "confirmed", comment=None)


async def _reported_in(session: AsyncSession, rng: random.Random, base: datetime) -> None:
    """Members reported in (双报到) weeks before their first order: the grant dated then, and an
    approved registration in the ledger for each (applied a few days before its approval)."""
    firsts = dict(
        (await session.execute(select(Order.member_id, func.min(Order.created_at)).group_by(Order.member_id))).all()
    )
    registered = set((await session.execute(select(MemberRegistration.user_id))).scalars())
    units = dict((await session.execute(select(MemberProfile.user_id, MemberProfile.work_unit))).all())
    grants = (
        await session.execute(
            select(RoleGrant).where(RoleGrant.role == "party_member", RoleGrant.scope_type == "compound")
        )
    ).scalars()
    for grant in grants:
        first = firsts.get(grant.user_id) or base - timedelta(days=30)
        approved = _moment(rng, first, rng.uniform(14, 45))
        grant.created_at = approved
        if grant.user_id in registered:
            continue
        session.add(
            MemberRegistration(
                user_id=grant.user_id,
                compound_id=grant.scope_id,
                work_unit=units.get(grant.user_id) or "未填写",
                status="approved",
                created_at=approved - timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 5)),
                decided_at=approved,
            )
        )
    await session.flush()


async def load(session: AsyncSession) -> None:
    settings = get_settings()
    rng = random.Random(1313)
    reviewer = (await session.execute(select(User.id).where(User.openid == "fake-openid-demo-admin"))).scalar_one()
    saved, base = clock.offset, utcnow()
    try:
        n = 0
        for _, residents, members in await _people(session):
            for _ in range(rng.randint(2, 3)):
                at = _moment(rng, base, rng.uniform(60, 200))  # the previous quarter and the months before it
                await _one_wish(session, rng, n, rng.choice(residents), rng.choice(members), reviewer, at)
                n += 1
        await _issues_elsewhere(session, settings)
    finally:
        clock.offset = saved
    await _reported_in(session, rng, base)
    await _publish_airing(session, settings)
