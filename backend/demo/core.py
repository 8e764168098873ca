"""Demo data: a believable street with Chinese names, loaded into an empty database in dev mode.

Every demo user logs in (dev mode, fake WeChat) with the code of the same name, e.g.
`demo-resident`, because the fake answers openid `fake-openid-<code>`. Wishes are put through the
real services so that every state has a consistent timeline.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.demo import appraisal as appraisal_demo
from backend.demo import cobuild as cobuild_demo
from backend.demo import deliberation as deliberation_demo
from backend.demo import evaluations as evaluations_demo
from backend.demo import figures as figures_demo
from backend.demo import issues as issues_demo
from backend.demo import projects as projects_demo
from backend.demo import proposals as proposals_demo
from backend.demo import verification as verification_demo
from backend.demo import visits as visits_demo
from backend.directory.models import User
from backend.flows import wish_orders
from backend.kernel.clock import clock
from backend.org import service as org_service
from backend.org.models import Building, Community, Compound, Department, Grid, Household, Street, Unit
from backend.people import service as people_service
from backend.people.models import MemberProfile
from backend.wishes import service as wishes_service

SEED = 20261123
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = [
    "秀兰",
    "建国",
    "桂英",
    "志强",
    "海燕",
    "德明",
    "玉梅",
    "俊杰",
    "淑珍",
    "国华",
    "丽娟",
    "文斌",
    "春花",
    "永刚",
    "红霞",
    "立新",
    "晓东",
    "慧敏",
    "振华",
    "雪梅",
    "宏伟",
    "金凤",
    "明辉",
    "凤英",
    "家豪",
    "婷婷",
]
WORK_UNITS = [
    "区税务局",
    "区人民医院",
    "第一中学",
    "国网供电公司",
    "区城管局",
    "中国银行支行",
    "区法院",
    "区教育局",
    "石油化工公司",
    "区卫健委",
    "实验小学",
    "区司法局",
    "市公交集团",
    "区住建局",
]
SKILL_SETS = [
    ["水电维修", "手机教学"],
    ["医疗护理", "陪诊"],
    ["课业辅导", "书法"],
    ["家电维修", "管道疏通"],
    ["法律咨询"],
    ["驾驶", "物资采购"],
    ["助老服务", "陪伴聊天"],
    ["心理疏导", "课业辅导"],
    ["电脑", "手机教学"],
    ["理发", "家政"],
    ["木工", "搬运"],
]

DEMO_USERS = {
    # code: (name, phone)
    "demo-resident": ("王秀兰", "13800000001"),
    "demo-resident2": ("李建国", "13800000002"),
    "demo-member": ("张伟", "13900000001"),
    "demo-member2": ("刘芳", "13900000002"),
    "demo-member3": ("陈磊", "13900000003"),
    "demo-dispatcher": ("赵敏", "13700000001"),
    "demo-gridworker": ("孙丽", "13700000002"),
    "demo-admin": ("周海", "13700000003"),
    "demo-department": ("吴强", "13700000004"),
    "demo-street": ("郑国栋", "13700000005"),
}

WISH_SAMPLES = [
    ("elder_care", "想请人陪老伴下楼散散步", "老伴腿脚不便，每周二、四下午想有人陪着在小区里走一走。"),
    ("education", "孩子需要一个新书包", "孩子上三年级，书包背带断了，希望能有一个结实的书包。"),
    ("repair", "厨房水龙头一直滴水", "厨房水龙头关不紧，晚上滴答响，自己不会修。"),
    ("medical_escort", "下周三需要陪同去医院复查", "独居，下周三上午去区人民医院复查，希望有人陪同挂号取药。"),
    ("goods", "需要一根结实的拐杖", "家里老人走路不稳，想要一根带防滑脚垫的拐杖。"),
    ("skills", "想学用智能手机视频通话", "子女在外地，想学会用微信视频和他们聊天。"),
    ("repair", "楼道灯不亮了", "我家门口这层楼道灯坏了半个月，晚上上下楼很不安全。"),
    ("education", "想请人辅导初二数学", "孩子初二数学跟不上，周末想请党员志愿者辅导一两次。"),
    ("elder_care", "想请人帮忙理发", "老人行动不便，出不了门，想请人上门理发。"),
    ("skills", "想了解遗嘱怎么写才有效", "想咨询一下自书遗嘱的注意事项。"),
    ("goods", "冬天需要一床厚被子", "家里被子太薄，想要一床厚棉被过冬。"),
    ("repair", "卫生间下水道堵了", "卫生间地漏堵了，水下不去。"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


async def load_if_empty(session: AsyncSession) -> bool:
    if (await session.execute(select(func.count()).select_from(Street))).scalar_one():
        return False
    await load(session)
    return True


async def load(session: AsyncSession) -> dict:
    rng = random.Random(SEED)
    street = Street(name="幸福街道")
    session.add(street)
    await session.flush()
    for dept in ["城管执法中队", "市场监管所", "派出所", "住建办", "民政办", "综合执法办"]:
        session.add(Department(street_id=street.id, name=dept))
    layout = {
        "和谐社区": [("锦华苑", "幸福路88号"), ("翠湖花园", "翠湖街12号")],
        "明德社区": [("阳光小区", "明德路5号"), ("书香苑", "文汇街36号")],
        "滨河社区": [("金色家园", "滨河大道101号"), ("康乐小区", "滨河大道220号")],
    }
    compounds: list[Compound] = []
    households: dict[int, list[Household]] = {}
    grids: list[Grid] = []
    for community_name, cps in layout.items():
        community = Community(street_id=street.id, name=community_name)
        session.add(community)
        await session.flush()
        community_grids = [Grid(community_id=community.id, name=f"{community_name}第{n}网格") for n in ("一", "二")]
        session.add_all(community_grids)
        await session.flush()
        grids.extend(community_grids)
        for index, (cname, address) in enumerate(cps):
            compound = Compound(community_id=community.id, name=cname, address=address)
            session.add(compound)
            await session.flush()
            compounds.append(compound)
            households[compound.id] = []
            for b in range(1, 5):
                grid = community_grids[0] if (index == 0 and b <= 3) else community_grids[1]
                # a compound every ~800 m across 东营 (GCJ-02), its buildings ~40 m apart
                lat = 37.4340 + 0.0072 * len(compounds) + 0.0004 * (b - 1)
                lng = 118.6750 + 0.0055 * (len(compounds) % 3) + 0.0003 * (b % 2)
                building = Building(
                    compound_id=compound.id,
                    grid_id=grid.id,
                    name=f"{b}号楼",
                    latitude=round(lat, 6),
                    longitude=round(lng, 6),
                )
                session.add(building)
                await session.flush()
                for u in (1, 2):
                    unit = Unit(building_id=building.id, name=f"{u}单元")
                    session.add(unit)
                    await session.flush()
                    for floor in range(1, 7):
                        for room in (1, 2):
                            h = Household(
                                unit_id=unit.id,
                                building_id=building.id,
                                compound_id=compound.id,
                                grid_id=grid.id,
                                room=f"{floor}0{room}",
                            )
                            session.add(h)
                            households[compound.id].append(h)
            await session.flush()
    c1 = compounds[0]
    free = {cid: list(hs) for cid, hs in households.items()}
    for hs in free.values():
        rng.shuffle(hs)

    def user(code: str | None, name: str, phone: str, compound: Compound) -> User:
        h = free[compound.id].pop()
        u = User(
            openid=f"fake-openid-{code}" if code else None,
            name=name,
            phone=phone,
            compound_id=compound.id,
            household_id=h.id,
        )
        session.add(u)
        return u

    demo = {code: user(code, name, phone, c1) for code, (name, phone) in DEMO_USERS.items()}
    await session.flush()
    g1 = grids[0]
    await org_service.grant(session, demo["demo-dispatcher"].id, "dispatcher", "compound", c1.id)
    await org_service.grant(session, demo["demo-gridworker"].id, "grid_worker", "grid", g1.id)
    await org_service.grant(session, demo["demo-admin"].id, "community_admin", "community", c1.community_id)
    await org_service.grant(session, demo["demo-department"].id, "department_staff", "department", 1)
    await org_service.grant(session, demo["demo-street"].id, "street_admin", "street", street.id)

    async def member(u: User, compound: Compound, work_unit: str, skills: list[str]) -> None:
        session.add(MemberProfile(user_id=u.id, work_unit=work_unit, skills=skills))
        await org_service.grant(session, u.id, "party_member", "compound", compound.id)

    await member(demo["demo-member"], c1, "区税务局", ["水电维修", "手机教学"])
    await member(demo["demo-member2"], c1, "区人民医院", ["医疗护理", "陪诊"])
    await member(demo["demo-member3"], c1, "第一中学", ["课业辅导", "书法"])

    residents: dict[int, list[User]] = {c.id: [] for c in compounds}
    members: dict[int, list[User]] = {c.id: [] for c in compounds}
    residents[c1.id] += [demo["demo-resident"], demo["demo-resident2"]]
    members[c1.id] += [demo["demo-member"], demo["demo-member2"], demo["demo-member3"]]
    for compound in compounds:
        for _ in range(30):
            residents[compound.id].append(user(None, _name(rng), _phone(rng), compound))
        extra = 6 if compound.id == c1.id else 4
        for _ in range(extra):
            u = user(None, _name(rng), _phone(rng), compound)
            await session.flush()
            await member(u, compound, rng.choice(WORK_UNITS), rng.choice(SKILL_SETS))
            members[compound.id].append(u)
        if compound.id != c1.id:
            d = user(None, _name(rng), _phone(rng), compound)
            await session.flush()
            await org_service.grant(session, d.id, "dispatcher", "compound", compound.id)
    await session.flush()

    # a pending 双报到 registration for the dispatcher to review
    applicant = residents[c1.id][3]
    await people_service.register(session, applicant, compound_id=c1.id, work_unit="区司法局", skills=["法律咨询"])

    dispatcher_of = {c1.id: demo["demo-dispatcher"].id}
    for compound in compounds[1:]:
        dispatcher_of[compound.id] = None
    saved_offset = clock.offset
    try:
        await _wishes(session, rng, compounds, residents, members, demo, dispatcher_of)
    finally:
        clock.offset = saved_offset
    await visits_demo.load(session)  # grid work: register, visits, findings
    await issues_demo.load(session)  # escalation: calendar, policies, issues
    await figures_demo.load(session)  # the months before, and the last complete quarter's airing
    await verification_demo.load(session)  # 住户认证: the demo accounts verified, a claim in the queue
    await proposals_demo.load(session, demo)  # co-governance: proposals (社区提案)
    await deliberation_demo.load(session)  # deliberation days: past with minutes, the coming agenda
    await cobuild_demo.load(session)  # partners, volunteer teams and activities, the time bank
    await projects_demo.load(session)  # projects (联动执行): plans, tasks, milestones, funding
    await appraisal_demo.load(session)  # 小区评议会: two quarters rated, one published, one awaiting review
    await evaluations_demo.load(session)  # contacts and sign-ins, campaigns and ballots, assessment, competition
    return {"compounds": len(compounds), "households": sum(len(h) for h in households.values())}


async def _wishes(session, rng, compounds, residents, members, demo, dispatcher_of) -> None:
    """Wishes in every state, placed at past dates and moved on through the services."""
    ttl = timedelta(hours=24)
    plans = [
        "pending",
        "pending",
        "rejected",
        "open",
        "open",
        "open",
        "dispatched",
        "accepted",
        "completed",
        "closed",
        "closed",
        "closed",
        "cancelled",
        "auto_closed",
    ]
    c1 = compounds[0]
    for compound in compounds:
        cplans = plans if compound.id == c1.id else rng.sample(plans, 7)
        for i, plan in enumerate(cplans):
            recent = {"pending": 1, "open": 3, "dispatched": 1, "accepted": 3, "completed": 2}
            days_ago = recent.get(plan, 12 + 3 * i) + rng.random()
            clock.offset = figures_demo.waking_offset(days_ago, 8 + i % 4, (17 * i) % 60)
            if compound.id == c1.id and i < 6:
                requester = demo["demo-resident"] if i % 2 == 0 else demo["demo-resident2"]
            else:
                requester = rng.choice(residents[compound.id])
            category, title, description = WISH_SAMPLES[(i + compound.id) % len(WISH_SAMPLES)]
            wish = await wishes_service.create_wish(
                session, requester, title=title, description=description, category=category, photos=[]
            )
            if plan == "pending":
                continue
            staff = dispatcher_of.get(compound.id) or demo["demo-street"].id
            clock.offset += timedelta(hours=3)
            if plan == "rejected":
                await wishes_service.review(
                    session, wish, actor_id=staff, approve=False, reason="该需求属于物业维修范围，已转物业公司处理"
                )
                continue
            await wishes_service.review(session, wish, actor_id=staff, approve=True, reason=None)
            if plan == "open":
                continue
            if plan == "cancelled":
                clock.offset += timedelta(hours=5)
                await wish_orders.cancel(session, wish, actor_id=requester.id, reason="家人已经帮忙解决了")
                continue
            pool = members[compound.id]
            m = demo["demo-member"] if plan == "dispatched" and compound.id == c1.id else rng.choice(pool)
            clock.offset += timedelta(hours=2)
            if plan == "dispatched":
                clock.offset = timedelta(hours=-2)
                await wish_orders.dispatch(
                    session, wish, member_id=m.id, actor_id=staff, note="您住得近，麻烦跑一趟", offer_ttl=ttl
                )
                continue
            if rng.random() < 0.5:
                order = await wish_orders.dispatch(
                    session, wish, member_id=m.id, actor_id=staff, note=None, offer_ttl=ttl
                )
                clock.offset += timedelta(hours=4)
                await wish_orders.accept(session, wish, order, member_id=m.id)
            else:
                await wish_orders.claim(session, wish, member_id=m.id, max_open=99)
            if plan == "accepted":
                continue
            clock.offset += timedelta(days=1)
            await wish_orders.complete(session, wish, member_id=m.id, note="已上门处理完毕，居民很满意", photos=[])
            if plan == "completed":
                clock.offset = -timedelta(days=1)
                continue
            if plan == "auto_closed":
                clock.offset += timedelta(days=8)
                await wishes_service.auto_close_due(session, timedelta(days=7))
                continue
            clock.offset += timedelta(hours=15)  # rated the next morning
            await wish_orders.confirm(
                session,
                wish,
                actor_id=requester.id,
                rating=rng.choice([4, 5, 5, 5]),
                comment="非常感谢党员同志的热心帮助！",
            )
