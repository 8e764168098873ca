"""Demo proposals (社区提案) in every state across the three communities, put through the real
services at past dates. Called at the end of backend.demo.load(); the deliberation days that
decided some of them are in backend/demo/deliberation.py."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import meetings
from backend.demo import deliberation as deliberation_demo
from backend.directory.models import User
from backend.kernel.clock import SHANGHAI, clock, utcnow
from backend.org.models import Compound, RoleGrant
from backend.proposals import flow
from backend.proposals import service as proposals
from backend.proposals.models import Proposal

THRESHOLD = 5
# far enough back for the deliberation day that adopted them and the steps after it to be past
DAYS_AGO = {"executing": 45, "evaluating": 75, "published": 70, "closed": 110}
# (compound, who, plan, kind, level, category, title, problem, solution, undertaking, days ago)
PLANS = [
    (
        "锦华苑",
        "demo-resident",
        "submitted",
        "individual",
        "compound",
        "facilities",
        "3号楼单元门禁维修",
        "3号楼单元门禁坏了半个月，外卖快递随意进出，老人不放心",
        "由物业更换门禁主板，费用从公共收益中列支",
        None,
        2,
    ),
    (
        "锦华苑",
        "demo-resident",
        "draft",
        "individual",
        "compound",
        "culture",
        "周末露天电影",
        "小区孩子暑假没地方去，晚上都在玩手机",
        "每月一次露天电影，借用社区投影设备",
        "我可以负责每次的场地布置",
        1,
    ),
    (
        "锦华苑",
        "demo-resident2",
        "cosigning",
        "joint",
        "compound",
        "environment",
        "楼道堆物清理",
        "楼道里堆满纸箱和旧家具，既挡路又有火灾隐患",
        "开展一次集中清理，之后每季度由楼栋长巡查",
        None,
        3,
    ),
    (
        "锦华苑",
        "demo-resident",
        "accepted",
        "joint",
        "compound",
        "elderly_children",
        "老年助餐点",
        "小区独居老人多，做饭困难，常常一顿饭吃两天",
        "利用社区活动室开设助餐点，引入爱心企业配送",
        "我愿意组织志愿者送餐",
        6,
    ),
    (
        "锦华苑",
        "demo-resident2",
        "rejected",
        "individual",
        "compound",
        "facilities",
        "要求物业修我家阳台",
        "我家阳台漏水，物业一直推脱",
        "物业应该负责维修",
        None,
        9,
    ),
    (
        "翠湖花园",
        None,
        "returned",
        "individual",
        "compound",
        "safety",
        "电动车集中充电棚",
        "电动车在楼道里充电，存在起火风险",
        "在小区西侧建设充电棚",
        None,
        5,
    ),
    (
        "翠湖花园",
        None,
        "executing",
        "individual",
        "community",
        "neighbourly",
        "共享工具箱",
        "邻居们家里的工具用得少又占地方",
        "在社区服务站设共享工具箱，登记借用",
        "我捐出一套电钻工具并负责登记",
        40,
    ),
    (
        "阳光小区",
        None,
        "evaluating",
        "individual",
        "compound",
        "environment",
        "垃圾分类督导",
        "垃圾分类投放准确率低，桶边常有散落垃圾",
        "早晚高峰由党员志愿者在投放点督导",
        None,
        55,
    ),
    (
        "书香苑",
        None,
        "published",
        "organisation",
        "community",
        "culture",
        "社区读书会",
        "社区缺少文化活动场所，居民读书氛围不浓",
        "联合第一中学每月举办读书会，学校提供图书",
        None,
        70,
    ),
    (
        "金色家园",
        None,
        "closed",
        "individual",
        "compound",
        "facilities",
        "健身器材维修",
        "小区健身器材生锈损坏，有安全隐患",
        "申请社区公益金维修，更换两件损坏器材",
        None,
        90,
    ),
    (
        "阳光小区",
        None,
        "adopted",
        "individual",
        "compound",
        "elderly_children",
        "四点半课堂",
        "双职工家庭孩子放学后无人看管",
        "利用小区党群服务站开设四点半课堂，党员志愿者轮流值守",
        "我可以每周辅导两次作业",
        40,
    ),
    (
        "金色家园",
        None,
        "not_adopted",
        "individual",
        "compound",
        "environment",
        "拆除小区全部绿篱改建停车位",
        "小区停车难，晚上车位不够",
        "把绿篱全部改成停车位",
        None,
        60,
    ),
    (
        "康乐小区",
        None,
        "withdrawn",
        "individual",
        "compound",
        "safety",
        "夜间巡逻队",
        "小区夜间照明差，最近丢了几辆电动车",
        "组织居民志愿巡逻队",
        None,
        12,
    ),
    (
        "康乐小区",
        None,
        "submitted",
        "individual",
        "street",
        "safety",
        "滨河大道夜间照明",
        "滨河大道康乐小区段路灯稀少，夜间行人多有不便",
        "由街道协调城管部门增设路灯",
        None,
        4,
    ),
    (  # adopted, then made a project by backend/demo/projects.py (联动执行)
        "阳光小区",
        None,
        "adopted",
        "individual",
        "compound",
        "facilities",
        "楼道扶手加装",
        "老楼没有电梯，老人上下楼吃力",
        "在6栋老楼楼道加装扶手，由共建单位出资、物业施工",
        None,
        50,
    ),
]


async def _people(session: AsyncSession, compound_name: str) -> tuple[Compound, list[User]]:
    compound = (await session.execute(select(Compound).where(Compound.name == compound_name))).scalar_one()
    users = (
        await session.execute(
            select(User)
            .where(User.compound_id == compound.id, User.household_id.is_not(None), User.openid.is_(None))
            .order_by(User.id)
        )
    ).scalars()
    return compound, list(users)


async def _reviewer(session: AsyncSession, proposal: Proposal) -> int:
    role, scope_type, scope_id = {
        "compound": ("dispatcher", "compound", proposal.compound_id),
        "community": ("community_admin", "community", proposal.community_id),
        "street": ("street_admin", "street", proposal.street_id),
    }[proposal.level]
    found = (
        await session.execute(
            select(RoleGrant.user_id).where(
                RoleGrant.role == role, RoleGrant.scope_type == scope_type, RoleGrant.scope_id == scope_id
            )
        )
    ).scalar()
    if found is None:  # a community without an admin of its own: the street admin stands in
        found = (await session.execute(select(RoleGrant.user_id).where(RoleGrant.role == "street_admin"))).scalar()
    return found


async def _cosign(session, proposal: Proposal, signers: list[User], count: int) -> None:
    for u in signers[:count]:
        await proposals.cosign(
            session, proposal, proposals.Signature(household_id=u.household_id, user_id=u.id), threshold=THRESHOLD
        )
        clock.offset += timedelta(hours=2)


async def _adopt(session, proposal: Proposal, rng, decision: str = "adopted") -> None:
    """The deliberation day of its month decides on it (the meeting is closed with minutes later,
    backend/demo/deliberation.py)."""
    item = await meetings.get_item(session, proposal.agenda_item_id)
    admin = await deliberation_demo.meeting_for(session, item, None)
    clock.offset = datetime.combine(admin.date, time(10), SHANGHAI) - utcnow() + clock.offset
    actor = await _reviewer(session, proposal)
    await meetings.schedule(session, admin, item, actor_id=actor)
    votes = rng.randint(15, 30)
    if decision == "adopted":
        outcome = meetings.Outcome(decision, votes, rng.randint(0, 2), rng.randint(0, 3), note="同意实施")
    else:
        outcome = meetings.Outcome(decision, rng.randint(2, 6), votes, rng.randint(0, 3), note="多数居民不同意减少绿地")
    await meetings.decide(session, admin, item, outcome, actor_id=actor)
    await flow.on_outcome(session, item, decision, actor_id=actor)


async def _advance(session, proposal: Proposal, plan: str, proposer: User, people: list[User], rng) -> None:
    """Put a submitted proposal through review and the steps after the meeting, up to `plan`."""
    reviewer = await _reviewer(session, proposal)
    clock.offset += timedelta(days=1, hours=rng.randint(1, 6))
    if plan == "rejected":
        await proposals.reject(session, proposal, actor_id=reviewer, reason="属于个人家庭事务", codes=["N01", "N04"])
        return
    if plan == "returned":
        await proposals.return_(session, proposal, actor_id=reviewer, reason="请补充充电棚选址和费用测算")
        return
    await flow.accept(session, proposal, actor_id=reviewer, reason=None)
    if plan == "accepted":
        return
    if plan == "not_adopted":
        await _adopt(session, proposal, rng, "rejected")
        return
    await _adopt(session, proposal, rng)
    if plan == "adopted":
        return
    clock.offset += timedelta(days=2)
    undertaker = proposer.name if proposal.will_undertake else "社区居委会"
    due = (clock.now() + timedelta(days=20)).date()
    await proposals.start_execution(
        session, proposal, actor_id=reviewer, executor=undertaker, task=proposal.solution[:60], due=due
    )
    if plan == "executing":
        return
    clock.offset += timedelta(days=rng.randint(10, 18))
    await proposals.finish_execution(session, proposal, actor_id=reviewer, report="已按方案实施完毕，居民反映良好")
    for u in people[: rng.randint(3, 6)]:
        clock.offset += timedelta(hours=rng.randint(2, 20))
        await proposals.rate(session, proposal, user_id=u.id, rating=rng.choice([3, 4, 4, 5, 5]), comment=None)
    if plan == "evaluating":
        return
    # a published result is still on the board (公示 for 7 days from two days ago); a closed one ended
    clock.offset = -timedelta(days=2) if plan == "published" else clock.offset + timedelta(days=3)
    await proposals.publish(session, proposal, actor_id=reviewer, notice_days=7)
    if plan == "published":
        return
    clock.offset += timedelta(days=8)
    await proposals.close_due(session)


async def load(session: AsyncSession, demo_users: dict[str, User]) -> None:
    rng = random.Random(17)
    saved = clock.offset
    try:
        for compound_name, who, plan, kind, level, category, title, problem, solution, undertaking, days in PLANS:
            compound, people = await _people(session, compound_name)
            proposer = demo_users[who] if who else people[rng.randrange(len(people))]
            clock.offset = -timedelta(days=DAYS_AGO.get(plan, days), hours=rng.randint(0, 9))
            draft = proposals.Draft(
                level=level,
                kind=kind,
                title=title,
                problem=problem,
                solution=solution,
                category=category,
                will_undertake=undertaking is not None,
                undertaking=undertaking,
                estimated_cost=rng.choice([None, 800, 2400, 5000, 12000]),
                organisation_name="第一中学" if kind == "organisation" else None,
            )
            proposal = await proposals.create(session, proposer, compound.id, draft)
            if plan == "draft":
                continue
            clock.offset += timedelta(hours=rng.randint(1, 30))
            await proposals.submit(session, proposal, actor_id=proposer.id, threshold=THRESHOLD)
            others = [u for u in people if u.household_id != proposer.household_id]
            if kind == "joint":
                await _cosign(session, proposal, others, 3 if plan == "cosigning" else THRESHOLD + rng.randint(0, 3))
            if plan in ("cosigning", "submitted"):
                continue
            if plan == "withdrawn":
                await proposals.withdraw(session, proposal, actor_id=proposer.id, reason="已与物业协商解决")
                continue
            await _advance(session, proposal, plan, proposer, others, rng)
    finally:
        clock.offset = saved
