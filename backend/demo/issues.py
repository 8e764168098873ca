"""Demo escalation data: the working calendar (2004–2026 from chinesecalendar), category policies
with default departments, a department head, and grid issues in every state put through the real
services at past dates. Called at the end of backend.demo.load().

Login added (dev, fake WeChat): `demo-depthead` (负责人 of 城管执法中队, department 1).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.demo import figures as figures_demo
from backend.directory.models import User
from backend.issues import service
from backend.issues import sweep as issue_sweep
from backend.issues.models import IssuePolicy
from backend.kernel.clock import clock
from backend.kernel.settings import get_settings
from backend.org import service as org_service
from backend.org.models import Department, Grid, Household, RoleGrant
from backend.workcal import service as workcal

DEFAULT_DEPARTMENTS = {  # category -> department name
    "illegal_building": "城管执法中队",
    "environment": "城管执法中队",
    "market": "市场监管所",
    "public_order": "派出所",
    "facility": "住建办",
    "hazard": "综合执法办",
    "dispute": "民政办",
}
PLANS = [
    # (state, category, urgency, text, days ago)
    ("open", "facility", "normal", "3号楼单元门门禁损坏，陌生人随意进出。", 1),
    ("whistled", "environment", "urgent", "小区东门垃圾桶满溢，气味很大，夏天易生蚊蝇。", 0),
    ("overdue", "illegal_building", "normal", "1号楼顶楼住户在楼顶私搭彩钢板房。", 12),
    ("responded", "market", "normal", "小区门口流动摊贩占道经营，早高峰堵路。", 2),
    ("returned", "public_order", "normal", "夜间有人在小区广场聚集喧哗，影响休息。", 4),
    ("resolved", "environment", "normal", "绿化带内堆放建筑垃圾，长期无人清运。", 3),
    ("satisfied", "illegal_building", "urgent", "临街商铺擅自外扩雨棚，存在坠落风险。", 20),
    ("unsatisfied", "facility", "normal", "小区路灯损坏多盏，夜间出行不便。", 25),
    ("auto_confirmed", "environment", "normal", "化粪池井盖破损，有异味外溢。", 30),
    ("reopened", "environment", "normal", "下水道堵塞反复返水，清理后又堵。", 15),
]


async def load(session: AsyncSession) -> None:
    settings = get_settings()
    await workcal.seed_from_chinesecalendar(session)
    depts = {d.name: d for d in (await session.execute(select(Department))).scalars()}
    for category, name in DEFAULT_DEPARTMENTS.items():
        days = 2.0 if category == "hazard" else None  # safety hazards: a shorter disposal clock
        session.add(IssuePolicy(category=category, default_department_id=depts[name].id, disposal_working_days=days))
    await session.flush()

    chengguan = depts["城管执法中队"]
    head = User(openid="fake-openid-demo-depthead", name="严正", phone="13700000012")
    session.add(head)
    await session.flush()
    await org_service.grant(session, head.id, "department_head", "department", chengguan.id)
    staff_of: dict[int, int] = {}
    for dept in depts.values():
        rows = await session.execute(
            select(RoleGrant.user_id).where(
                RoleGrant.role == "department_staff",
                RoleGrant.scope_type == "department",
                RoleGrant.scope_id == dept.id,
            )
        )
        uid = rows.scalars().first()
        if uid is None:
            u = User(name=f"{dept.name[:2]}干事", phone=None)
            session.add(u)
            await session.flush()
            await org_service.grant(session, u.id, "department_staff", "department", dept.id)
            uid = u.id
        staff_of[dept.id] = uid

    grid = (await session.execute(select(Grid).order_by(Grid.id).limit(1))).scalar_one()
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
        (
            await session.execute(
                select(Household).where(Household.grid_id == grid.id).order_by(Household.id).limit(20)
            )
        ).scalars()
    )
    saved = clock.offset
    try:
        for n, (plan, category, urgency, text, days_ago) in enumerate(PLANS):
            clock.offset = saved + figures_demo.waking_offset(days_ago, 8 + n % 6, (23 * n) % 60)
            h = houses[n]
            issue = await service.raise_issue(
                session,
                actor_id=worker,
                grid_ids={grid.id},
                grid_id=None,
                compound_id=None,
                household_id=h.id,
                category=category,
                description=text,
                location="",
                photos=[],
                urgency=urgency,
            )
            if plan == "open":
                continue
            await service.whistle(session, settings, issue, actor_id=worker, department_id=None)
            staff = staff_of[issue.department_id]
            if plan in ("whistled", "overdue"):
                continue
            clock.offset += timedelta(minutes=20)
            if plan == "returned":
                await service.hand_back(session, issue, actor_id=staff, reason="不属于本部门职责，建议转派出所")
                continue
            await service.respond(session, issue, actor_id=staff, note="已收到，马上安排人员到场")
            if plan == "responded":
                continue
            clock.offset += timedelta(days=1)
            await service.resolve(session, issue, actor_id=staff, note="已现场处置完毕", photos=[])
            if plan == "resolved":
                continue
            if plan == "reopened":
                clock.offset += timedelta(hours=5)
                await service.reopen(session, settings, issue, actor_id=worker, reason="居民反映问题仍在")
                continue
            if plan == "auto_confirmed":
                continue  # the sweep below confirms it automatically
            clock.offset += timedelta(hours=3)
            await service.confirm(
                session,
                issue,
                actor_id=worker,
                satisfied=plan == "satisfied",
                comment="居民很满意" if plan == "satisfied" else "处理不彻底",
            )
    finally:
        clock.offset = saved
    await issue_sweep.sweep(session, settings)  # reminders, overdue and escalation, auto-confirmation
