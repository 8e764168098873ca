"""A compound's annual plan (年度项目计划): its projects (existing ones of the year, or new
planned ones), submitted to the community, refused with fewer than KEY_PROJECTS_PER_YEAR key
projects (每个小区每年落实重点项目4项以上), approved (its planned projects with it) or returned."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.org.models import Community, Compound
from backend.projects import service
from backend.projects.models import AnnualPlan, Project
from backend.projects.state import EDITABLE_PLAN, PLAN, PROJECT, ProjectStatus


async def get(session: AsyncSession, compound_id: int, year: int, *, for_update: bool = False) -> AnnualPlan | None:
    stmt = select(AnnualPlan).where(AnnualPlan.compound_id == compound_id, AnnualPlan.year == year)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def require(session: AsyncSession, compound_id: int, year: int, *, for_update: bool = False) -> AnnualPlan:
    plan = await get(session, compound_id, year, for_update=for_update)
    if plan is None:
        raise NotFound(f"该小区尚无{year}年度计划", code="plan_not_found")
    return plan


async def _plan_for(session: AsyncSession, compound_id: int, community_id: int, year: int, actor_id: int) -> AnnualPlan:
    plan = await get(session, compound_id, year, for_update=True)
    if plan is not None:
        return plan
    try:
        async with session.begin_nested():
            plan = AnnualPlan(compound_id=compound_id, community_id=community_id, year=year, created_by=actor_id)
            session.add(plan)
            await session.flush()
    except IntegrityError:
        plan = await require(session, compound_id, year, for_update=True)
    return plan


async def put(
    session: AsyncSession, compound_id: int, year: int, *, project_ids: list[int], new: list[dict], actor_id: int
) -> AnnualPlan:
    """The plan's projects become exactly `project_ids` plus the `new` ones (created as planned)."""
    _, community_id, _ = await service.place(session, "compound", compound_id)
    plan = await _plan_for(session, compound_id, community_id, year, actor_id)
    if plan.status not in EDITABLE_PLAN:
        raise PLAN.refusal(plan.status, "edited")
    listed = list((await session.execute(select(Project).where(Project.id.in_(project_ids)))).scalars())
    wrong = sorted(set(project_ids) - {p.id for p in listed if p.compound_id == compound_id and p.year == year})
    if wrong or any(p.status == ProjectStatus.cancelled for p in listed):
        raise InvalidInput(
            f"项目 {wrong or [p.id for p in listed]} 不是该小区{year}年的有效项目", code="project_elsewhere"
        )
    await session.execute(
        update(Project)
        .where(Project.plan_id == plan.id, Project.id.not_in(project_ids))
        .values(plan_id=None)
        .execution_options(synchronize_session=False)
    )
    for p in listed:
        p.plan_id = plan.id
    for entry in new:
        draft = service.Draft(
            scope_kind="compound",
            scope_id=compound_id,
            year=year,
            source="plan",
            source_id=plan.id,
            plan_id=plan.id,
            **entry,
        )
        project = await service.create(session, draft, actor_id=actor_id)
        await PROJECT.record(session, project, "planned", actor_id=actor_id, note=f"{year}年度计划")
    plan.updated_at = utcnow()
    await session.flush()
    return plan


async def projects_of(session: AsyncSession, plan: AnnualPlan) -> list[Project]:
    rows = await session.execute(select(Project).where(Project.plan_id == plan.id).order_by(Project.id))
    return list(rows.scalars())


async def submit(session: AsyncSession, plan: AnnualPlan, *, minimum: int, actor_id: int) -> AnnualPlan:
    count = await service.key_count(session, plan.id)
    if count < minimum:
        raise Conflict(
            f"年度计划只有{count}项重点项目，每个小区每年须落实重点项目{minimum}项以上", code="too_few_key_projects"
        )
    await PLAN.apply(session, plan, "submitted", actor_id=actor_id, values={"submitted_at": utcnow(), "reason": None})
    return plan


async def decide(
    session: AsyncSession, plan: AnnualPlan, *, approve: bool, reason: str | None, actor_id: int
) -> AnnualPlan:
    if not approve:
        if not reason:
            raise InvalidInput("退回须说明理由", code="reason_required")
        await PLAN.apply(
            session, plan, "returned", actor_id=actor_id, values={"reason": reason, "decided_at": utcnow()}
        )
        return plan
    await PLAN.apply(session, plan, "approved", actor_id=actor_id, values={"decided_at": utcnow()})
    for project in await projects_of(session, plan):
        if project.status == ProjectStatus.planned:
            await PROJECT.apply(session, project, "approved", actor_id=actor_id, note=f"随{plan.year}年度计划批准")
    return plan


@dataclass
class PlanRow:
    """A compound the caller reaches and its plan of the year (None while nobody has started one)."""

    compound: Compound
    community_name: str
    plan: AnnualPlan | None
    key_count: int


async def overview(
    session: AsyncSession, compound_ids: set[int], year: int, *, cursor: int | None, limit: int
) -> list[PlanRow]:
    """The compounds in `compound_ids` by id, each with its plan of `year` and its key count (three
    statements whatever the page's size)."""
    stmt = (
        select(Compound, Community.name)
        .join(Community, Community.id == Compound.community_id)
        .where(Compound.id.in_(compound_ids))
    )
    if cursor is not None:
        stmt = stmt.where(Compound.id > cursor)
    rows = (await session.execute(stmt.order_by(Compound.id).limit(limit + 1))).all()
    ids = [c.id for c, _ in rows]
    found = await session.execute(select(AnnualPlan).where(AnnualPlan.compound_id.in_(ids), AnnualPlan.year == year))
    by_compound = {plan.compound_id: plan for plan in found.scalars()}
    counts = dict(
        (
            await session.execute(
                select(Project.plan_id, func.count())
                .where(
                    Project.plan_id.in_([p.id for p in by_compound.values()]),
                    Project.key.is_(True),
                    Project.status != ProjectStatus.cancelled,
                )
                .group_by(Project.plan_id)
            )
        ).all()
    )
    out = []
    for compound, community_name in rows:
        plan = by_compound.get(compound.id)
        out.append(PlanRow(compound, community_name, plan, counts.get(plan.id, 0) if plan else 0))
    return out
