"""Demo of co-building (共建): a dozen partners with contacts, work units from members' free text,
three volunteer teams, a month of activities with sign-ups, check-ins and hours, a waitlist,
partners' offers and a few redemptions of time-bank credits.

Demo accounts: demo-partner (contact of 鲁味坊餐馆) and demo-leader (leader of 和谐社区红色先锋志愿服务队)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.kernel.clock import clock, to_shanghai, utcnow
from backend.lists import service as lists_service
from backend.org.models import Community, Compound
from backend.partners import opportunities, work_units
from backend.partners import service as partners_service
from backend.partners.models import Partner
from backend.volunteering import registrations, service, timebank
from backend.volunteering.models import Activity
from backend.volunteering.state import RegistrationStatus

SEED = 20261202

# (community, kind, name, contact, services, status)
PARTNERS = [
    ("和谐社区", "shop", "鲁味坊餐馆", "马老板", ["老年助餐", "爱心午餐"], "active"),
    ("和谐社区", "shop", "惠民大药房", "韩店长", ["免费测血压", "送药上门"], "active"),
    ("和谐社区", "property", "绿茵物业服务有限公司", "田经理", ["楼道清洁", "公共设施维修"], "active"),
    ("和谐社区", "social_org", "启航社会工作服务中心", "苏社工", ["四点半课堂", "心理疏导"], "active"),
    ("和谐社区", "skilled_resident", "李师傅家电维修", "李长顺", ["家电维修", "水电维修"], "active"),
    ("和谐社区", "skilled_resident", "巧手剪纸工作室", "冯巧云", ["剪纸教学", "手工课"], "active"),
    ("和谐社区", "company", "东营蓝海科技有限公司", "许工", ["手机教学", "网络安全讲座"], "filed"),
    ("和谐社区", "social_org", "阳光助老服务社", "蒋阿姨", ["陪诊", "上门探访"], "applied"),
    ("明德社区", "shop", "书香文化书店", "魏店长", ["亲子阅读", "图书漂流"], "active"),
    ("明德社区", "company", "明德律师事务所", "沈律师", ["法律咨询"], "filed"),
    ("明德社区", "shop", "爱心理发屋", "杨师傅", ["老人理发"], "suspended"),
    ("滨河社区", "company", "滨河口腔诊所", "钱医生", ["口腔义诊"], "applied"),
]
STEPS = {
    "applied": [],
    "filed": ["filed"],
    "active": ["filed", "activated"],
    "suspended": ["filed", "activated", "suspended"],
}

TEAMS = [
    ("和谐社区", "和谐社区红色先锋志愿服务队", "和谐社工站"),
    ("和谐社区", "巧手剪纸志愿服务队", "和谐社工站"),
    ("明德社区", "明德邻里守望队", "明德社工站"),
]

# (team index or None for the community, title, place, days from now, start hour, hours, capacity, series)
ACTIVITIES = [
    (0, "楼道清洁日", "锦华苑3号楼", -26, 9, 2, 10, None),
    (1, "巧手剪纸公益课（第1课）", "党群服务驿站", -24, 14, 2, 8, "巧手剪纸公益课"),
    (0, "敬老院探望", "幸福街道敬老院", -20, 9, 3, 6, None),
    (1, "巧手剪纸公益课（第2课）", "党群服务驿站", -17, 14, 2, 8, "巧手剪纸公益课"),
    (None, "邻里公益集市", "锦华苑中心广场", -13, 8, 4, 16, "邻里公益集市"),
    (2, "防诈骗宣传进小区", "阳光小区门口", -12, 15, 2, 6, None),
    (1, "巧手剪纸公益课（第3课）", "党群服务驿站", -10, 14, 2, 8, "巧手剪纸公益课"),
    (0, "垃圾分类引导", "翠湖花园", -6, 7, 2, 6, None),
    (None, "邻里公益集市", "锦华苑中心广场", -6, 8, 4, 16, "邻里公益集市"),
    (1, "巧手剪纸公益课（第4课）", "党群服务驿站", -3, 14, 2, 8, "巧手剪纸公益课"),
    (0, "社区义诊服务", "和谐社区党群服务中心", 3, 9, 3, 12, None),
    (1, "巧手剪纸公益课（第5课）", "党群服务驿站", 4, 14, 2, 3, "巧手剪纸公益课"),
    (2, "明德邻里节", "书香苑广场", 6, 9, 3, 12, None),
]

OFFERS = [
    ("鲁味坊餐馆", "爱心午餐一份", "两荤一素，工作日中午", 15),
    ("李师傅家电维修", "上门检修家电一次", "不含配件费", 30),
    ("惠民大药房", "体检套餐（血压血糖）", "到店即测", 10),
    ("巧手剪纸工作室", "剪纸材料包", "红纸、剪刀、图样", 8),
]


async def _users(session: AsyncSession) -> tuple[User, User, list[User]]:
    partner_user = User(openid="fake-openid-demo-partner", name="马春生", phone="13600000001")
    leader = User(openid="fake-openid-demo-leader", name="高志远", phone="13600000002")
    session.add_all([partner_user, leader])
    await session.flush()
    c1_c2 = (
        select(Compound.id).join(Community, Community.id == Compound.community_id).where(Community.name == "和谐社区")
    )
    rows = await session.execute(
        select(User).where(User.compound_id.in_(c1_c2), User.openid.is_(None)).order_by(User.id)
    )
    return partner_user, leader, list(rows.scalars())


async def _partners(session, rng, communities, admin_id, partner_user) -> dict:
    partners = {}
    for community, kind, name, contact, services, status in PARTNERS:
        applicant = partner_user.id if name == "鲁味坊餐馆" else None
        p = await partners_service.create_partner(
            session,
            kind=kind,
            name=name,
            contact=contact,
            services=services,
            community_id=communities[community].id,
            applicant_id=applicant,
        )
        for event in STEPS[status]:
            reason = "多次未按约定提供服务，暂停合作" if event == "suspended" else None
            await partners_service.transition(session, p, event, actor_id=admin_id, reason=reason)
        partners[name] = p
    await partners_service.set_brand(session, partners["鲁味坊餐馆"].street_id, "幸福合伙人", actor_id=admin_id)
    await work_units.merge_work_units(session, actor_id=None)
    return partners


async def _teams(session, rng, communities, leader, residents) -> list:
    teams = []
    for index, (community, name, station) in enumerate(TEAMS):
        leader_id = leader.id if index == 0 else residents[-1 - index].id
        teams.append(
            await service.create_team(
                session, name=name, leader_id=leader_id, community_id=communities[community].id, station=station
            )
        )
    for i, u in enumerate(residents[:14]):
        team = teams[i % 2]
        row = await service.join(session, team, u.id, "想为社区出份力")
        if i < 11:
            await service.decide_membership(
                session, row, approve=True, role="deputy" if i == 0 else "member", actor_id=team.leader_id
            )
    return teams


async def _activity(session, rng, spec, teams, communities, series, admin_id, volunteers):
    team_index, title, place, days, hour, hours, capacity, series_title = spec
    local = to_shanghai(utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    day = local.astimezone(UTC)
    if team_index is None:
        organiser, community_id, actor = {"kind": "community", "id": None}, communities["和谐社区"].id, admin_id
    else:
        team = teams[team_index]
        organiser, community_id, actor = {"kind": "team", "id": team.id}, team.community_id, team.leader_id
    activity = await service.create_activity(
        session,
        actor_id=actor,
        organiser=organiser,
        title=title,
        community_id=community_id,
        place=place,
        start_at=day,
        end_at=day + timedelta(hours=hours),
        capacity=capacity,
        series_id=series.get(series_title),
    )
    saved = clock.offset
    if days < 0:
        clock.offset = saved + (day - timedelta(days=2) - utcnow())
    signers = rng.sample(volunteers, min(len(volunteers), capacity + (2 if capacity <= 3 else rng.randint(-3, 1))))
    regs = [await registrations.sign_up(session, activity, u) for u in signers]
    if days < 0:
        clock.offset = saved + (day + timedelta(hours=hours, minutes=30) - utcnow())
        entries = []
        for r in regs:
            if r.status == RegistrationStatus.registered and rng.random() < 0.85:
                at = day + timedelta(minutes=rng.randint(-10, 25))
                entries.append(
                    {"client_id": str(uuid.UUID(int=rng.getrandbits(128))), "user_id": r.user_id, "checked_in_at": at}
                )
        results = await registrations.roster(session, activity, entries, actor_id=actor)
        arrived = {x["registration_id"] for x in results if x["result"] == "checked_in"}
        for r in regs:
            if r.id in arrived and rng.random() < 0.5:
                out = day + timedelta(hours=hours, minutes=-rng.randint(0, 40))
                await registrations.check_out(session, activity, r, at=out, actor_id=actor)
        await registrations.close(session, activity, actor_id=actor)
    clock.offset = saved
    return activity


async def _timebank(session, rng, partners, volunteers) -> None:
    offers = {}
    for name, title, description, cost in OFFERS:
        offers[name] = await timebank.create_offer(
            session, partners[name], title=title, description=description, cost=cost
        )
    # three confirmed, then one waiting at 鲁味坊餐馆 and one at 惠民大药房
    sequence = ["鲁味坊餐馆", "李师傅家电维修", "惠民大药房", "鲁味坊餐馆", "惠民大药房"]
    buyers = [u for u in rng.sample(volunteers, len(volunteers))]
    for done, name in enumerate(sequence):
        offer = offers[name]
        for u in buyers:
            if (await timebank.account(session, "user", u.id)).balance >= offer.cost:
                buyers.remove(u)
                r = await timebank.redeem(session, offer.id, u)
                if done < 3:
                    await timebank.decide(session, r, "confirmed", actor_id=None, reason=None)
                break


OPPORTUNITIES = [
    ("招募老年助餐服务商", "low_fee", "为80岁以上老人提供低偿午餐，每天约40份", 20),
    ("共建四点半课堂", "co_build", "放学后托管、作业辅导，需要场地和志愿老师", 30),
]


async def _opportunities(session, communities, admin_id, partners, residents) -> None:
    rows = []
    for title, mode, needs, days in OPPORTUNITIES:
        rows.append(
            await opportunities.create(
                session,
                actor_id=admin_id,
                title=title,
                mode=mode,
                needs=needs,
                deadline=utcnow() + timedelta(days=days),
                community_id=communities["和谐社区"].id,
            )
        )
    meal, school = rows
    a = await opportunities.apply(
        session,
        meal,
        principal_id=residents[20].id,
        partner=None,
        new={"kind": "shop", "name": "张记快餐", "contact": "张师傅", "services": ["老年助餐"]},
        pitch="每天可供50份，可送餐上门",
    )
    await opportunities.decide(session, a, decision="shortlisted", reason=None, actor_id=admin_id)
    await opportunities.apply(
        session, meal, principal_id=residents[21].id, partner=partners["阳光助老服务社"], new=None, pitch="有6名助老员"
    )
    b = await opportunities.apply(
        session,
        school,
        principal_id=residents[22].id,
        partner=None,
        new={"kind": "social_org", "name": "小树苗公益社", "contact": "林老师", "services": ["作业辅导"]},
        pitch="",
    )
    await opportunities.decide(session, b, decision="shortlisted", reason=None, actor_id=admin_id)
    await opportunities.decide(session, b, decision="accepted", reason=None, actor_id=admin_id)


# (owner kind, owner name, kind, category, title, quantity, unit)
LIST_ITEMS = [
    ("partner", "惠民大药房", "resource", "医疗", "免费测血压血糖", 100, "人次"),
    ("partner", "绿茵物业服务有限公司", "resource", "场地", "物业会议室周末开放", 1, "间"),
    ("partner", "启航社会工作服务中心", "resource", "心理", "心理咨询师志愿服务", 20, "小时"),
    ("work_unit", "区税务局", "resource", "教育", "个税政策讲解进社区", 2, "场"),
    ("partner", "书香文化书店", "resource", "文体", "图书捐赠", 200, "册"),
    ("compound", "锦华苑", "need", "维修", "楼道照明改造", 6, "栋"),
    ("compound", "锦华苑", "need", "助老", "高龄老人助餐", 30, "人"),
    ("resident", None, "need", "医疗", "独居老人陪诊", 4, "次"),
    ("compound", "翠湖花园", "need", "教育", "儿童暑期托管", 25, "人"),
    ("compound", "锦华苑", "project", "环境", "口袋公园改造", None, ""),
    ("compound", "翠湖花园", "project", "文体", "社区图书角建设", 1, "处"),
]
# (item title, claimant kind, claimant name, steps)
LIST_CLAIMS = [
    ("高龄老人助餐", "partner", "鲁味坊餐馆", ["accept", "fulfil", "close"]),
    ("楼道照明改造", "partner", "绿茵物业服务有限公司", ["accept", "fulfil"]),
    ("独居老人陪诊", "partner", "启航社会工作服务中心", ["accept"]),
    ("免费测血压血糖", "compound", "锦华苑", []),
    ("物业会议室周末开放", "community", "和谐社区", ["decline"]),
    ("儿童暑期托管", "partner", "书香文化书店", []),
]


async def _lists(session, communities, admin_id, partners, residents) -> None:
    hexie = communities["和谐社区"]
    batch = await lists_service.create_batch(
        session,
        scope_kind="community",
        scope_id=hexie.id,
        community_id=hexie.id,
        actor_id=admin_id,
        title="2026年11月资源、需求、项目三清单征集",
        opens_at=utcnow() - timedelta(days=20),
        closes_at=utcnow() + timedelta(days=10),
    )
    compounds = {c.name: c.id for c in (await session.execute(select(Compound))).scalars()}
    units = {p.name: p.id for p in (await session.execute(select(Partner))).scalars()}
    items = {}
    for owner_kind, owner, kind, category, title, quantity, unit in LIST_ITEMS:
        owner_id = residents[5].id if owner_kind == "resident" else (compounds.get(owner) or units[owner])
        items[title] = await lists_service.create_item(
            session,
            batch,
            actor_id=admin_id,
            kind=kind,
            category=category,
            title=title,
            description="",
            quantity=quantity,
            unit=unit,
            owner_kind=owner_kind,
            owner_id=owner_id,
        )
    for title, claimant_kind, claimant, steps in LIST_CLAIMS:
        claimant_id = {"partner": units, "compound": compounds, "community": {hexie.name: hexie.id}}[claimant_kind][
            claimant
        ]
        item = items[title]
        claim = await lists_service.claim(
            session, item, claimant_kind=claimant_kind, claimant_id=claimant_id, note="我们可以承接", actor_id=admin_id
        )
        for step in steps:
            if step == "accept":
                await lists_service.decide(session, item, claim, accept=True, reason=None, actor_id=admin_id)
            elif step == "decline":
                await lists_service.decide(
                    session, item, claim, accept=False, reason="周末会议室已被预订", actor_id=admin_id
                )
            elif step == "fulfil":
                await lists_service.fulfil(
                    session, claim, evidence="已按约定完成，附现场照片", photos=[], actor_id=admin_id
                )
            else:
                await lists_service.close(session, item, claim, rating=5, comment="老人们很满意", actor_id=admin_id)


async def load(session: AsyncSession) -> None:
    rng = random.Random(SEED)
    communities = {c.name: c for c in (await session.execute(select(Community))).scalars()}
    admin_id = (await session.execute(select(User.id).where(User.openid == "fake-openid-demo-admin"))).scalar_one()
    partner_user, leader, residents = await _users(session)
    partners = await _partners(session, rng, communities, admin_id, partner_user)
    teams = await _teams(session, rng, communities, leader, residents)
    series = {}
    for title in ("巧手剪纸公益课", "邻里公益集市"):
        series[title] = (
            await service.create_series(
                session, title=title, community_id=communities["和谐社区"].id, actor_id=admin_id
            )
        ).id
    volunteers = residents[:24]
    for spec in ACTIVITIES:
        await _activity(session, rng, spec, teams, communities, series, admin_id, volunteers)
    await _timebank(session, rng, partners, volunteers)
    await _opportunities(session, communities, admin_id, partners, residents)
    await _lists(session, communities, admin_id, partners, residents)
    # demo-resident has signed up for the coming 社区义诊服务
    resident = (await session.execute(select(User).where(User.openid == "fake-openid-demo-resident"))).scalar_one()
    upcoming = (await session.execute(select(Activity).where(Activity.title == "社区义诊服务"))).scalar_one()
    await registrations.sign_up(session, upcoming, resident)
