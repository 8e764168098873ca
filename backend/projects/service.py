"""The rules of a project: creating one (from an adopted proposal, the annual plan or the three
lists), moving it through `PROJECT`, listing, milestones with weighted progress, reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.lists import service as lists_service
from backend.org.models import Community, Compound
from backend.partners import service as partners_service
from backend.projects.models import AnnualPlan, Milestone, Project, ProjectEvent, ProjectReview
from backend.projects.state import PROJECT, PUBLIC, REVIEWABLE, ProjectStatus
from backend.proposals import service as proposals_service
from backend.proposals.state import ProposalStatus

P = ProjectStatus


@dataclass
class Draft:
    scope_kind: str
    scope_id: int
    title: str
    year: int
    key: bool
    source: str
    source_id: int | None
    undertaker: str
    undertaker_kind: str = "text"
    undertaker_id: int | None = None
    supervisor_id: int | None = None
    due_date: date | None = None
    plan_id: int | None = None


async def place(session: AsyncSession, scope_kind: str, scope_id: int) -> tuple[int | None, int, int]:
    """(compound_id, community_id, street_id) of a scope, or 422."""
    if scope_kind == "compound":
        row = (
            await session.execute(
                select(Compound.id, Compound.community_id, Community.street_id)
                .join(Community, Community.id == Compound.community_id)
                .where(Compound.id == scope_id)
            )
        ).first()
        if row is None:
            raise InvalidInput(f"小区 {scope_id} 不存在", code="compound_not_found")
        return row[0], row[1], row[2]
    community = await session.get(Community, scope_id)
    if community is None:
        raise InvalidInput(f"社区 {scope_id} 不存在", code="community_not_found")
    return None, community.id, community.street_id


async def undertaker_name(session: AsyncSession, kind: str, ref_id: int | None, text: str) -> str:
    if kind == "partner" and ref_id is not None:
        return (await partners_service.get_partner(session, ref_id)).name
    if kind == "user" and ref_id is not None:
        user = await session.get(User, ref_id)
        if user is None:
            raise InvalidInput(f"用户 {ref_id} 不存在", code="user_not_found")
        return user.name or ""
    if not text:
        raise InvalidInput("请填写承办方", code="undertaker_required")
    return text


async def _check_source(session: AsyncSession, d: Draft, compound_id: int | None, community_id: int):
    """The proposal (adopted, of this scope, not yet a project) or the list item behind a project."""
    if d.source == "proposal":
        if d.source_id is None:
            raise InvalidInput("请填写来源提案", code="source_required")
        proposal = await proposals_service.get_proposal(session, d.source_id, for_update=True)
        same_scope = proposal.community_id == community_id and (compound_id in (None, proposal.compound_id))
        if not same_scope:
            raise InvalidInput("该提案不属于这个小区或社区", code="source_elsewhere")
        if proposal.status != ProposalStatus.adopted or proposal.project_id is not None:
            raise Conflict("只有议事通过、尚未立项的提案可以转为项目", code="proposal_not_adoptable")
        return proposal
    if d.source == "plan" and d.source_id is not None:
        plan = await session.get(AnnualPlan, d.source_id)
        if plan is None or plan.compound_id != compound_id or plan.year != d.year:
            raise InvalidInput("该年度计划不属于这个小区和年度", code="source_elsewhere")
    if d.source == "list" and d.source_id is not None:
        item = await lists_service.get_item(session, d.source_id)
        if item.community_id != community_id or item.kind != "project":
            raise InvalidInput("该清单事项不是本社区的项目清单", code="source_elsewhere")
    return None


async def create(session: AsyncSession, d: Draft, *, actor_id: int) -> Project:
    compound_id, community_id, street_id = await place(session, d.scope_kind, d.scope_id)
    proposal = await _check_source(session, d, compound_id, community_id)
    if d.supervisor_id is not None and await session.get(User, d.supervisor_id) is None:
        raise InvalidInput(f"督办人 {d.supervisor_id} 不存在", code="user_not_found")
    name = await undertaker_name(session, d.undertaker_kind, d.undertaker_id, d.undertaker)
    project = Project(
        **{k: v for k, v in d.__dict__.items() if k != "undertaker"},
        undertaker=name[:60],
        compound_id=compound_id,
        community_id=community_id,
        street_id=street_id,
        created_by=actor_id,
    )
    session.add(project)
    await session.flush()
    await PROJECT.record(session, project, "created", actor_id=actor_id, note=project.title)
    if proposal is not None:
        await proposals_service.link_project(session, proposal, project.id)
        due = d.due_date or date(d.year, 12, 31)
        await proposals_service.start_execution(
            session, proposal, actor_id=actor_id, executor=name[:60], task=f"项目「{project.title}」", due=due
        )
    return project


async def get(session: AsyncSession, project_id: int, *, for_update: bool = False) -> Project:
    stmt = select(Project).where(Project.id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    project = (await session.execute(stmt)).scalar_one_or_none()
    if project is None:
        raise NotFound(f"项目 {project_id} 不存在", code="project_not_found")
    return project


async def move(session: AsyncSession, project: Project, event: str, *, actor_id: int, reason: str | None) -> Project:
    """One step of the project; a cancellation or suspension needs its reason; a completed project
    from a proposal finishes the proposal's executing step."""
    values: dict = {}
    if event in ("cancelled", "suspended"):
        if not reason:
            raise InvalidInput("请说明原因", code="reason_required")
        values["reason"] = reason
    if event == "completed":
        values["completed_at"] = utcnow()
    await PROJECT.apply(session, project, event, actor_id=actor_id, note=reason, values=values)
    if event == "completed" and project.source == "proposal" and project.source_id is not None:
        proposal = await proposals_service.get_proposal(session, project.source_id, for_update=True)
        if proposal.status == ProposalStatus.executing:
            report = f"项目「{project.title}」已完成（进度{await progress_of(session, project.id)}%）"
            await proposals_service.finish_execution(session, proposal, actor_id=actor_id, report=report)
    return project


@dataclass
class ListFilter:
    scope_kind: str | None = None
    scope_id: int | None = None
    year: int | None = None
    status: str | None = None
    key: bool | None = None


async def visible_clause(session: AsyncSession, principal: Principal):
    """Staff see the projects of the tree they reach; anyone else the public ones of their own
    compound and community."""
    compounds = await principal.compound_ids(session, "dispatcher", "community_admin", "street_admin")
    communities = principal.scope_ids("community_admin", "community")
    streets = principal.scope_ids("street_admin", "street")
    conds = [Project.compound_id.in_(compounds), Project.community_id.in_(communities), Project.street_id.in_(streets)]
    own = principal.user.compound_id
    if own is not None:
        community = (await session.execute(select(Compound.community_id).where(Compound.id == own))).scalar()
        public_scope = or_(
            Project.compound_id == own, and_(Project.scope_kind == "community", Project.community_id == community)
        )
        conds.append(and_(Project.status.in_(PUBLIC), public_scope))
    conds.append(Project.supervisor_id == principal.id)
    return or_(*conds)


async def list_projects(
    session: AsyncSession, principal: Principal, f: ListFilter, *, cursor: int | None, limit: int
) -> list[Project]:
    stmt = select(Project).where(await visible_clause(session, principal))
    if f.scope_kind == "compound":
        stmt = stmt.where(Project.compound_id == f.scope_id)
    elif f.scope_kind == "community":
        stmt = stmt.where(Project.community_id == f.scope_id)
    for column, value in ((Project.year, f.year), (Project.status, f.status), (Project.key, f.key)):
        if value is not None:
            stmt = stmt.where(column == value)
    if cursor is not None:
        stmt = stmt.where(Project.id < cursor)
    return list((await session.execute(stmt.order_by(Project.id.desc()).limit(limit + 1))).scalars())


async def events_of(session: AsyncSession, project_id: int) -> list[ProjectEvent]:
    rows = await session.execute(
        select(ProjectEvent).where(ProjectEvent.project_id == project_id).order_by(ProjectEvent.id)
    )
    return list(rows.scalars())


# ---- milestones and progress ----------------------------------------------------------------


def weighted_progress(milestones: list[Milestone]) -> int:
    """Σ weight × progress / 100 (integer percent, rounded half up); equal shares without weights."""
    if not milestones:
        return 0
    if all(m.weight is not None for m in milestones):
        return (sum(m.weight * m.progress for m in milestones) + 50) // 100
    return (sum(m.progress for m in milestones) * 2 + len(milestones)) // (2 * len(milestones))


def check_weights(weights: list[int | None]) -> None:
    given = [w for w in weights if w is not None]
    if given and (len(given) != len(weights) or sum(given) != 100):
        raise InvalidInput(
            f"里程碑权重须全部填写且合计为100（现合计{sum(given)}，{len(weights) - len(given)}项未填）",
            code="weights_not_100",
        )


async def milestones_of(session: AsyncSession, project_ids: list[int]) -> dict[int, list[Milestone]]:
    out: dict[int, list[Milestone]] = {pid: [] for pid in project_ids}
    if project_ids:
        rows = await session.execute(
            select(Milestone)
            .where(Milestone.project_id.in_(project_ids))
            .order_by(Milestone.project_id, Milestone.position)
        )
        for m in rows.scalars():
            out[m.project_id].append(m)
    return out


async def progress_of(session: AsyncSession, project_id: int) -> int:
    return weighted_progress((await milestones_of(session, [project_id]))[project_id])


def require_live(project: Project, what: str) -> None:
    if project.status in (P.cancelled, P.published):
        raise PROJECT.refusal(project.status, what)


async def set_milestones(session: AsyncSession, project: Project, items: list[dict]) -> list[Milestone]:
    """Replace the project's milestones (the weights summing to 100 when set)."""
    require_live(project, "milestones")
    check_weights([i.get("weight") for i in items])
    await session.execute(delete(Milestone).where(Milestone.project_id == project.id))
    rows = [Milestone(project_id=project.id, position=n, **i) for n, i in enumerate(items, 1)]
    session.add_all(rows)
    await session.flush()
    return rows


async def set_progress(session: AsyncSession, project: Project, milestone_id: int, progress: int) -> Milestone:
    require_live(project, "milestones")
    m = await session.get(Milestone, milestone_id)
    if m is None or m.project_id != project.id:
        raise NotFound(f"里程碑 {milestone_id} 不存在", code="milestone_not_found")
    m.progress = progress
    await session.flush()
    return m


# ---- reviews (年中、年底集中观摩评估) ----------------------------------------------------------


async def review(
    session: AsyncSession, project: Project, *, kind: str, score: int, note: str, actor_id: int
) -> ProjectReview:
    if project.status not in REVIEWABLE:
        raise PROJECT.refusal(project.status, "reviewed")
    row = ProjectReview(project_id=project.id, kind=kind, score=score, note=note, reviewer_id=actor_id)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        raise Conflict("该项目本阶段已评估过", code="already_reviewed") from None
    label = "年中" if kind == "midyear" else "年底"
    await PROJECT.record(session, project, "reviewed", actor_id=actor_id, note=f"{label}评估 {score} 分")
    return row


async def reviews_of(session: AsyncSession, project_id: int) -> list[ProjectReview]:
    rows = await session.execute(
        select(ProjectReview).where(ProjectReview.project_id == project_id).order_by(ProjectReview.id)
    )
    return list(rows.scalars())


async def reviewable(
    session: AsyncSession,
    community_ids: set[int],
    *,
    year: int,
    kind: str,
    reviewed: bool | None,
    cursor: int | None,
    limit: int,
) -> list[Project]:
    """The year's projects of these communities that can be reviewed (started and after), newest
    first; `reviewed` keeps those with (True) or without (False) a review of `kind`."""
    stmt = select(Project).where(
        Project.community_id.in_(community_ids), Project.year == year, Project.status.in_(REVIEWABLE)
    )
    if reviewed is not None:
        done = select(ProjectReview.project_id).where(ProjectReview.kind == kind)
        stmt = stmt.where(Project.id.in_(done) if reviewed else Project.id.not_in(done))
    if cursor is not None:
        stmt = stmt.where(Project.id < cursor)
    return list((await session.execute(stmt.order_by(Project.id.desc()).limit(limit + 1))).scalars())


async def reviews_by_project(session: AsyncSession, project_ids: list[int]) -> dict[int, list[ProjectReview]]:
    out: dict[int, list[ProjectReview]] = {pid: [] for pid in project_ids}
    if project_ids:
        rows = await session.execute(
            select(ProjectReview).where(ProjectReview.project_id.in_(project_ids)).order_by(ProjectReview.id)
        )
        for r in rows.scalars():
            out[r.project_id].append(r)
    return out


async def place_names(session: AsyncSession, rows: list[Project]) -> dict[int, str]:
    """Each project's place in words: its compound's name, or its community's for a community project."""
    compounds = {p.compound_id for p in rows if p.compound_id is not None}
    communities = {p.community_id for p in rows if p.compound_id is None}
    names_c = dict((await session.execute(select(Compound.id, Compound.name).where(Compound.id.in_(compounds)))).all())
    names_m = dict(
        (await session.execute(select(Community.id, Community.name).where(Community.id.in_(communities)))).all()
    )
    return {p.id: names_c.get(p.compound_id) if p.compound_id else names_m.get(p.community_id, "") for p in rows}


async def key_count(session: AsyncSession, plan_id: int) -> int:
    return (
        await session.execute(
            select(func.count()).where(Project.plan_id == plan_id, Project.key.is_(True), Project.status != P.cancelled)
        )
    ).scalar_one()
