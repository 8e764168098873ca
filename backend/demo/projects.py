"""Demo projects (联动执行): 锦华苑's annual plan with five key projects, approved; 翠湖花园's plan
with three, refused at submission and still being drafted; projects in every state with tasks (one
late and escalated, one reminded at 75% of its time), milestones and funding; 阳光小区's adopted
proposal 楼道扶手加装 turned into a project. Deterministic: everything is computed from the date.

The plans' projects are dated back to early in the quarter before last (the plan is drawn up ahead),
so that the two demo 小区评议会 (backend/demo/appraisal.py: the last two complete quarters) find
them on their rating sheets, which take the projects created before the quarter's end."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.kernel.clock import SHANGHAI, clock, utcnow
from backend.kernel.errors import Conflict
from backend.kernel.settings import get_settings
from backend.org.models import Compound, Department
from backend.partners.models import Partner
from backend.projects import funding, plans, service, tasks
from backend.projects.models import Project
from backend.proposals.models import Proposal

# (title, key, undertaker, the state it ends in)
C1_PLAN = [
    ("楼道照明改造", True, "锦华苑党支部", "in_progress"),
    ("小区健身角更新", True, "绿茵物业服务有限公司", "completed"),
    ("垃圾分类亭建设", True, "锦华苑业主委员会", "evaluated"),
    ("红色议事长廊", True, "锦华苑党支部", "published"),
    ("非机动车充电棚", True, "绿茵物业服务有限公司", "suspended"),
    ("老年助餐点", False, "鲁味坊餐馆", "approved"),
    ("屋顶防水维修", False, "绿茵物业服务有限公司", "cancelled"),
]
C2_PLAN = [
    ("小区道路修补", True, "翠湖花园党支部"),
    ("增设快递柜", True, "翠湖花园党支部"),
    ("儿童游乐区", True, "翠湖花园业委会"),
]
STEPS = {
    "approved": [],
    "in_progress": ["started"],
    "suspended": ["started", "suspended"],
    "completed": ["started", "completed"],
    "evaluated": ["started", "completed", "evaluated"],
    "published": ["started", "completed", "evaluated", "published"],
    "cancelled": ["cancelled"],
}
REASONS = {"suspended": "充电棚选址待消防部门复核", "cancelled": "已纳入老旧小区改造统一实施"}


async def _user(session: AsyncSession, code: str) -> User:
    return (await session.execute(select(User).where(User.openid == f"fake-openid-{code}"))).scalar_one()


async def _id(session: AsyncSession, model, name: str) -> int:
    return (await session.execute(select(model.id).where(model.name == name))).scalar_one()


async def _milestones_and_money(session: AsyncSession, project: Project, done: bool, actor_id: int) -> None:
    progress = [100, 100, 100] if done else [100, 60, 0]
    await service.set_milestones(
        session,
        project,
        [
            {"title": "方案公示", "weight": 20, "progress": progress[0]},
            {"title": "施工实施", "weight": 60, "progress": progress[1]},
            {"title": "验收评议", "weight": 20, "progress": progress[2]},
        ],
    )
    for source, kind, amount, note in (
        ("party_service", "pledged", 800000, "街道党工委拨付服务群众经费"),
        ("party_service", "received", 500000, "首笔到账"),
        ("party_service", "spent", 326050, "材料采购发票3张"),
        ("cobuilding", "pledged", 200000, "共建单位认捐"),
        ("cobuilding", "received", 200000, "共建单位转账"),
        ("residents", "pledged", 60000, "居民自筹"),
        ("residents", "received", 45000, "已收45户"),
    ):
        await funding.change(
            session, project, source=source, kind=kind, amount=amount, evidence=None, note=note, actor_id=actor_id
        )


async def _task_at(session, settings, project, start, **fields) -> None:
    saved = clock.offset
    clock.offset = saved + (start - utcnow())
    try:
        await tasks.create(session, settings, project, **fields)
    finally:
        clock.offset = saved


async def _reminded_start(session, settings, days: int):
    """A start (whole days back) from which a `days`-working-day task is past 75% but not yet due."""
    now = utcnow()
    for back in range(1, 60):
        start = now - timedelta(days=back)
        due, remind = await tasks.clocks(session, settings, start, days)
        if remind <= now < due:
            return start
    raise AssertionError("no start found")  # pragma: no cover


async def _tasks(session: AsyncSession, project: Project, actor_id: int) -> None:
    settings = get_settings()
    dept = await _id(session, Department, "城管执法中队")
    member = await _user(session, "demo-member")
    shop = await _id(session, Partner, "鲁味坊餐馆")
    now = utcnow()
    await _task_at(session, settings, project, now - timedelta(days=3), kind="department", assignee_id=dept,
                   contact_id=None, title="楼道线路安全检查", due_working_days=20, actor_id=actor_id)  # fmt: skip
    await _task_at(session, settings, project, now - timedelta(days=20), kind="member", assignee_id=member.id,
                   contact_id=None, title="入户征求灯具安装意见", due_working_days=5, actor_id=actor_id)  # fmt: skip
    start = await _reminded_start(session, settings, 10)
    await _task_at(session, settings, project, start, kind="partner", assignee_id=shop,
                   contact_id=None, title="施工期间爱心午餐保障", due_working_days=10, actor_id=actor_id)  # fmt: skip
    rows = await tasks.tasks_of(session, project.id)
    staff = await directory_service.holders_of(session, ["department_staff"], "department", dept)
    await tasks.accept(session, rows[0], actor_id=staff[0])
    await tasks.report(session, rows[0], note="已完成1-3号楼线路检查", photos=[], actor_id=staff[0])
    await tasks.sweep_tasks(session, settings)


async def _c1(session: AsyncSession, year: int) -> None:
    dispatcher, admin = await _user(session, "demo-dispatcher"), await _user(session, "demo-admin")
    c1 = await _id(session, Compound, "锦华苑")
    new = [{"title": t, "key": k, "undertaker": u, "due_date": date(year, 12, 31)} for t, k, u, _ in C1_PLAN]
    plan = await plans.put(session, c1, year, project_ids=[], new=new, actor_id=dispatcher.id)
    await plans.submit(session, plan, minimum=get_settings().key_projects_per_year, actor_id=dispatcher.id)
    await plans.decide(session, plan, approve=True, reason=None, actor_id=admin.id)
    projects = {p.title: p for p in await plans.projects_of(session, plan)}
    for title, _, _, end in C1_PLAN:
        project = projects[title]
        if end not in ("approved", "cancelled"):
            await _milestones_and_money(session, project, end != "in_progress" and end != "suspended", dispatcher.id)
        for event in STEPS[end]:
            actor = admin.id if event in ("evaluated", "published", "cancelled") else dispatcher.id
            await service.move(session, project, event, actor_id=actor, reason=REASONS.get(event))
            if event == "started" and end in ("evaluated", "published"):
                await service.review(session, project, kind="midyear", score=88, note="进度符合计划", actor_id=admin.id)
        if end in ("evaluated", "published"):
            await service.review(session, project, kind="yearend", score=92, note="群众满意度高", actor_id=admin.id)
    await _tasks(session, projects["楼道照明改造"], dispatcher.id)


async def _c2(session: AsyncSession, year: int) -> None:
    """翠湖花园: three key projects only, so the plan's submission is refused; it stays a draft."""
    c2 = await _id(session, Compound, "翠湖花园")
    admin = await _user(session, "demo-admin")
    new = [{"title": t, "key": k, "undertaker": u} for t, k, u in C2_PLAN]
    plan = await plans.put(session, c2, year, project_ids=[], new=new, actor_id=admin.id)
    try:
        async with session.begin_nested():
            await plans.submit(session, plan, minimum=get_settings().key_projects_per_year, actor_id=admin.id)
    except Conflict:
        pass  # 年度计划只有3项重点项目: refused, as the rule says


async def _from_proposal(session: AsyncSession, year: int) -> None:
    proposal = (await session.execute(select(Proposal).where(Proposal.title == "楼道扶手加装"))).scalar_one()
    dispatchers = await directory_service.holders_of(session, ["dispatcher"], "compound", proposal.compound_id)
    actor = dispatchers[0]
    draft = service.Draft(
        scope_kind="compound",
        scope_id=proposal.compound_id,
        title="楼道扶手加装",
        year=year,
        key=True,
        source="proposal",
        source_id=proposal.id,
        undertaker="绿茵物业服务有限公司",
        due_date=date(year, 12, 31),
    )
    project = await service.create(session, draft, actor_id=actor)
    await service.move(session, project, "approved", actor_id=actor, reason=None)
    await service.move(session, project, "started", actor_id=actor, reason=None)


def planned_since(today: date) -> datetime:
    """The 5th of the quarter two quarters before today's, 09:00 in Shanghai: before both quarters the
    demo evaluation meetings rate."""
    index = (today.month - 1) // 3 - 2
    year, index = today.year + index // 4, index % 4
    return datetime.combine(date(year, index * 3 + 1, 5), time(9, 0), SHANGHAI)


async def load(session: AsyncSession) -> None:
    today = utcnow().astimezone(SHANGHAI).date()
    await _c1(session, today.year)
    await _c2(session, today.year)
    await _from_proposal(session, today.year)
    planned = update(Project).where(Project.source == "plan").values(created_at=planned_since(today))
    await session.execute(planned.execution_options(synchronize_session=False))
