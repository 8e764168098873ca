"""Routes of projects (联动执行): projects and their steps, tasks for the co-executors, milestones,
funding, the community's reviews, and the compounds' annual plans."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import CommunityAdmin, CurrentUser, Principal, ProjectManager, Staff
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath
from backend.projects import funding, plans, policy, schemas, service, tasks, views
from backend.projects.models import AnnualPlan, Project, ProjectTask
from backend.projects.state import PLAN, REVIEW_KINDS, PlanStatus, ProjectStatus

router = APIRouter(prefix="/api/v1", tags=["projects"])
YearPath = Annotated[int, Path(ge=2000, le=2100)]
YearQ = Annotated[int, Query(ge=2000, le=2100)]
ScopeQ = Annotated[str | None, Query(pattern=r"^(community|compound):\d{1,9}$", max_length=30)]
StatusQ = Annotated[Literal[tuple(s.value for s in ProjectStatus)] | None, Query()]  # type: ignore[valid-type]
COMMUNITY_EVENTS = frozenset({"approved", "evaluated", "published", "cancelled"})


@router.post(
    "/projects",
    status_code=201,
    response_model=schemas.ProjectDetail,
    summary="Create a project (the compound branch for its compound; the community admin for either scope)",
)
async def create(body: schemas.ProjectCreate, session: SessionDep, principal: ProjectManager) -> schemas.ProjectDetail:
    kind, _, raw = body.scope.partition(":")
    if not await policy.manages_scope(session, principal, kind, int(raw)):
        raise Forbidden("您不能为该范围建立项目", code="out_of_scope")
    ref = body.undertaker if isinstance(body.undertaker, schemas.UndertakerRef) else None
    draft = service.Draft(
        scope_kind=kind,
        scope_id=int(raw),
        title=body.title,
        year=body.year,
        key=body.key,
        source=body.source,
        source_id=body.source_id,
        undertaker="" if ref else body.undertaker,
        undertaker_kind=ref.kind if ref else "text",
        undertaker_id=ref.id if ref else None,
        supervisor_id=body.supervisor_id,
        due_date=body.due_date,
    )
    project = await service.create(session, draft, actor_id=principal.id)
    return await views.detail(session, project, principal, [], "full")


@router.get(
    "/projects",
    response_model=Page[schemas.ProjectOut],
    summary="Projects: staff see their part of the tree; residents the public ones of their compound and community",
)
async def list_projects(
    session: SessionDep,
    principal: CurrentUser,
    scope: ScopeQ = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: StatusQ = None,
    key: bool | None = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.ProjectOut]:
    kind, _, raw = (scope or "").partition(":")
    f = service.ListFilter(
        scope_kind=kind or None, scope_id=int(raw) if raw else None, year=year, status=status, key=key
    )
    rows, next_cursor = page_of(
        await service.list_projects(session, principal, f, cursor=parse_cursor(cursor), limit=limit), limit
    )
    staff = await _staff_ids(session, principal, rows)
    public = frozenset(p.id for p in rows if p.id not in staff)
    return Page(items=await views.projects(session, rows, public_ids=public), next_cursor=next_cursor)


async def _staff_ids(session: AsyncSession, principal: Principal, rows: list[Project]) -> set[int]:
    compounds = await principal.compound_ids(session, "dispatcher", "community_admin", "street_admin")
    communities = principal.scope_ids("community_admin", "community")
    streets = principal.scope_ids("street_admin", "street")
    return {
        p.id
        for p in rows
        if p.compound_id in compounds
        or p.community_id in communities
        or p.street_id in streets
        or p.supervisor_id == principal.id
    }


@router.get(
    "/projects/{project_id}",
    response_model=schemas.ProjectDetail,
    summary="A project with timeline, tasks, milestones, funding and progress (staff, supervisor, "
    "assignees; residents of its scope see the public page, masked)",
)
async def get_project(project_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.ProjectDetail:
    project = await service.get(session, project_id)
    task_rows = await tasks.tasks_of(session, project.id)
    view = await policy.view_of(session, principal, project, task_rows)
    return await views.detail(session, project, principal, task_rows, view)


@router.post(
    "/projects/{project_id}/transitions",
    response_model=schemas.ProjectDetail,
    summary="Move a project: approve, evaluate, publish, cancel (community admin); start, complete, suspend, "
    "resume (the compound branch or the community)",
)
async def move(
    project_id: IdPath, body: schemas.ProjectMove, session: SessionDep, principal: ProjectManager
) -> schemas.ProjectDetail:
    project = await service.get(session, project_id, for_update=True)
    if body.event in COMMUNITY_EVENTS:
        policy.require_community_admin(principal, project.community_id)
    else:
        await policy.require_manages(session, principal, project)
    await service.move(session, project, body.event, actor_id=principal.id, reason=body.reason)
    return await views.detail(session, project, principal, await tasks.tasks_of(session, project.id), "full")


async def _managed(session: AsyncSession, principal: Principal, project_id: int) -> Project:
    project = await service.get(session, project_id)
    await policy.require_manages(session, principal, project)
    return project


@router.post(
    "/projects/{project_id}/tasks",
    status_code=201,
    response_model=schemas.ProjectTaskOut,
    summary="Give a co-executor a task with a working-day deadline (the compound branch or the community)",
)
async def create_task(
    project_id: IdPath,
    body: schemas.ProjectTaskCreate,
    session: SessionDep,
    principal: ProjectManager,
    settings: SettingsDep,
) -> schemas.ProjectTaskOut:
    project = await _managed(session, principal, project_id)
    task = await tasks.create(
        session,
        settings,
        project,
        kind=body.assignee_kind,
        assignee_id=body.assignee_id,
        contact_id=body.contact_id,
        title=body.title,
        due_working_days=body.due_working_days,
        actor_id=principal.id,
    )
    return await views.task_detail(session, task, principal)


@router.get(
    "/project-tasks/mine",
    response_model=Page[schemas.ProjectTaskOut],
    summary="The caller's own tasks as a co-executor (department staff, partner contacts, members, contacts)",
)
async def my_tasks(
    session: SessionDep, principal: CurrentUser, cursor: CursorQ = None, limit: LimitQ = 20
) -> Page[schemas.ProjectTaskOut]:
    departments = principal.scope_ids("department_staff", "department") | principal.scope_ids(
        "department_head", "department"
    )
    partners = principal.scope_ids("partner_contact", "partner")
    mine = or_(
        (ProjectTask.assignee_kind == "department") & ProjectTask.assignee_id.in_(departments),
        ProjectTask.assignee_kind.in_(("partner", "property")) & ProjectTask.assignee_id.in_(partners),
        (ProjectTask.assignee_kind == "owners_committee") & (ProjectTask.contact_id == principal.id),
        (ProjectTask.assignee_kind == "member") & (ProjectTask.assignee_id == principal.id),
    )
    stmt = select(ProjectTask).where(mine)
    if (c := parse_cursor(cursor)) is not None:
        stmt = stmt.where(ProjectTask.id < c)
    rows, next_cursor = page_of(
        list((await session.execute(stmt.order_by(ProjectTask.id.desc()).limit(limit + 1))).scalars()), limit
    )
    names = await tasks.assignee_names(session, rows)
    return Page(items=[views.task(t, names[t.id], principal, public=False) for t in rows], next_cursor=next_cursor)


@router.get(
    "/project-tasks/{task_id}",
    response_model=schemas.ProjectTaskOut,
    summary="A task with its reports (its assignee; the project's staff and supervisor)",
)
async def get_task(task_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.ProjectTaskOut:
    task = await tasks.get(session, task_id)
    project = await service.get(session, task.project_id)
    if not await policy.sees_all(session, principal, project, await tasks.tasks_of(session, project.id)):
        raise Forbidden("您不能查看该任务", code="out_of_scope")
    return await views.task_detail(session, task, principal)


async def _own_task(session: AsyncSession, principal: Principal, task_id: int) -> ProjectTask:
    task = await tasks.get(session, task_id)
    policy.require_acts_on_task(principal, task)
    return task


@router.post(
    "/project-tasks/{task_id}/accept", response_model=schemas.ProjectTaskOut, summary="Accept a task (its assignee)"
)
async def accept_task(task_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.ProjectTaskOut:
    task = await _own_task(session, principal, task_id)
    await tasks.accept(session, task, actor_id=principal.id)
    return await views.task_detail(session, task, principal)


@router.post(
    "/project-tasks/{task_id}/progress",
    response_model=schemas.ProjectTaskOut,
    summary="Report progress with photos (its assignee)",
)
async def report_task(
    task_id: IdPath, body: schemas.ProjectTaskReport, session: SessionDep, principal: CurrentUser
) -> schemas.ProjectTaskOut:
    task = await _own_task(session, principal, task_id)
    await tasks.report(session, task, note=body.note, photos=body.photos, actor_id=principal.id)
    return await views.task_detail(session, task, principal)


@router.post(
    "/project-tasks/{task_id}/complete", response_model=schemas.ProjectTaskOut, summary="Complete a task (its assignee)"
)
async def complete_task(
    task_id: IdPath, body: schemas.ProjectTaskReport, session: SessionDep, principal: CurrentUser
) -> schemas.ProjectTaskOut:
    task = await _own_task(session, principal, task_id)
    await tasks.complete(session, task, note=body.note, photos=body.photos, actor_id=principal.id)
    return await views.task_detail(session, task, principal)


@router.post(
    "/project-tasks/{task_id}/cancel",
    response_model=schemas.ProjectTaskOut,
    summary="Cancel a task with a reason (the compound branch or the community)",
)
async def cancel_task(
    task_id: IdPath, body: schemas.ProjectTaskCancel, session: SessionDep, principal: ProjectManager
) -> schemas.ProjectTaskOut:
    task = await tasks.get(session, task_id)
    await _managed(session, principal, task.project_id)
    await tasks.cancel(session, task, reason=body.reason, actor_id=principal.id)
    return await views.task_detail(session, task, principal)


@router.put(
    "/projects/{project_id}/milestones",
    response_model=list[schemas.MilestoneOut],
    summary="Set the milestones; weights all set and summing to 100, or none (the compound branch or the community)",
)
async def put_milestones(
    project_id: IdPath, body: schemas.MilestonesPut, session: SessionDep, principal: ProjectManager
) -> list[schemas.MilestoneOut]:
    project = await _managed(session, principal, project_id)
    rows = await service.set_milestones(session, project, [i.model_dump() for i in body.items])
    return [schemas.MilestoneOut(**m.model_dump(exclude={"project_id"})) for m in rows]


@router.patch(
    "/projects/{project_id}/milestones/{milestone_id}",
    response_model=schemas.MilestoneOut,
    summary="A milestone's progress (the compound branch or the community)",
)
async def patch_milestone(
    project_id: IdPath,
    milestone_id: IdPath,
    body: schemas.MilestoneProgress,
    session: SessionDep,
    principal: ProjectManager,
) -> schemas.MilestoneOut:
    project = await _managed(session, principal, project_id)
    m = await service.set_progress(session, project, milestone_id, body.progress)
    return schemas.MilestoneOut(**m.model_dump(exclude={"project_id"}))


@router.post(
    "/projects/{project_id}/funding",
    response_model=schemas.FundingLineOut,
    summary="A funding change with evidence: pledged, received (≤ pledged), spent (≤ received), in fen "
    "(the compound branch or the community)",
)
async def change_funding(
    project_id: IdPath, body: schemas.FundingChangeIn, session: SessionDep, principal: ProjectManager
) -> schemas.FundingLineOut:
    project = await _managed(session, principal, project_id)
    line = await funding.change(session, project, **body.model_dump(), actor_id=principal.id)
    return schemas.FundingLineOut(
        source=line.source,
        source_label=funding.FUNDING_SOURCES[line.source],
        pledged=line.pledged,
        received=line.received,
        spent=line.spent,
    )


@router.post(
    "/projects/{project_id}/reviews",
    status_code=201,
    response_model=schemas.ProjectReviewOut,
    summary="The mid-year or year-end review, once per kind (the community admin of its community)",
)
async def review(
    project_id: IdPath, body: schemas.ProjectReviewCreate, session: SessionDep, principal: CommunityAdmin
) -> schemas.ProjectReviewOut:
    project = await service.get(session, project_id, for_update=True)
    policy.require_community_admin(principal, project.community_id)
    row = await service.review(
        session, project, kind=body.kind, score=body.score, note=body.note, actor_id=principal.id
    )
    return _review_out(row)


def _review_out(r) -> schemas.ProjectReviewOut:
    return schemas.ProjectReviewOut(kind=r.kind, kind_label=REVIEW_KINDS[r.kind], score=r.score, note=r.note, at=r.at)


@router.get(
    "/project-reviews",
    response_model=Page[schemas.ReviewRowOut],
    summary="The year's projects of the caller's communities that can be reviewed (started and after), each "
    "with its 年中 / 年底 reviews; reviewed=false: those still without a review of `kind` (the community admin)",
)
async def list_reviews(
    session: SessionDep,
    principal: CommunityAdmin,
    year: YearQ,
    kind: Literal["midyear", "yearend"],
    reviewed: bool | None = None,
    community_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.ReviewRowOut]:
    communities = principal.scope_ids("community_admin", "community")
    if community_id is not None:
        policy.require_community_admin(principal, community_id)
        communities = {community_id}
    rows, next_cursor = page_of(
        await service.reviewable(
            session, communities, year=year, kind=kind, reviewed=reviewed, cursor=parse_cursor(cursor), limit=limit
        ),
        limit,
    )
    outs = await views.projects(session, rows)
    reviews = await service.reviews_by_project(session, [p.id for p in rows])
    places = await service.place_names(session, rows)
    items = [
        schemas.ReviewRowOut(project=out, place_name=places[p.id], reviews=[_review_out(r) for r in reviews[p.id]])
        for p, out in zip(rows, outs, strict=True)
    ]
    return Page(items=items, next_cursor=next_cursor)


# ---- the annual plan ----------------------------------------------------------------------------


async def _plan_out(
    session: AsyncSession, principal: Principal, plan: AnnualPlan, minimum: int
) -> schemas.AnnualPlanOut:
    rows = await plans.projects_of(session, plan)
    return schemas.AnnualPlanOut(
        id=plan.id,
        compound_id=plan.compound_id,
        year=plan.year,
        status=plan.status,
        status_label=PLAN.label(plan.status),
        reason=plan.reason,
        key_count=await service.key_count(session, plan.id),
        key_required=minimum,
        projects=await views.projects(session, rows),
        actions=await policy.plan_actions(session, principal, plan.compound_id, plan.community_id, plan.status),
    )


@router.get(
    "/plans",
    response_model=Page[schemas.PlanSummaryOut],
    summary="The compounds the caller reaches, each with its plan of the year and what the caller may do "
    "with it (the compound branch, the community and street admins)",
)
async def list_plans(
    session: SessionDep,
    principal: Staff,
    settings: SettingsDep,
    year: YearQ,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.PlanSummaryOut]:
    compounds = await principal.compound_ids(session, "dispatcher", "community_admin", "street_admin")
    rows, next_cursor = page_of(
        await plans.overview(session, compounds, year, cursor=parse_cursor(cursor), limit=limit),
        limit,
        key=lambda r: r.compound.id,
    )
    items = []
    for r in rows:
        status = PlanStatus(r.plan.status) if r.plan else None
        items.append(
            schemas.PlanSummaryOut(
                compound_id=r.compound.id,
                compound_name=r.compound.name,
                community_id=r.compound.community_id,
                community_name=r.community_name,
                year=year,
                plan_id=r.plan.id if r.plan else None,
                status=status,
                status_label=PLAN.label(status) if status else "尚未编制",
                reason=r.plan.reason if r.plan else None,
                key_count=r.key_count,
                key_required=settings.key_projects_per_year,
                actions=await policy.plan_actions(session, principal, r.compound.id, r.compound.community_id, status),
            )
        )
    return Page(items=items, next_cursor=next_cursor)


@router.put(
    "/plans/{compound_id}/{year}",
    response_model=schemas.AnnualPlanOut,
    summary="The compound's annual plan: its projects of the year and new planned ones (the compound branch)",
)
async def put_plan(
    compound_id: IdPath,
    year: YearPath,
    body: schemas.AnnualPlanPut,
    session: SessionDep,
    principal: ProjectManager,
    settings: SettingsDep,
) -> schemas.AnnualPlanOut:
    await principal.require_compound(session, compound_id, *policy.BRANCH_ROLES)
    new = [p.model_dump() for p in body.new_projects]
    plan = await plans.put(session, compound_id, year, project_ids=body.project_ids, new=new, actor_id=principal.id)
    return await _plan_out(session, principal, plan, settings.key_projects_per_year)


@router.get(
    "/plans/{compound_id}/{year}",
    response_model=schemas.AnnualPlanOut,
    summary="The compound's annual plan (the compound branch, the community and street admins)",
)
async def get_plan(
    compound_id: IdPath, year: YearPath, session: SessionDep, principal: CurrentUser, settings: SettingsDep
) -> schemas.AnnualPlanOut:
    await principal.require_compound(session, compound_id, "dispatcher", "community_admin", "street_admin")
    plan = await plans.require(session, compound_id, year)
    return await _plan_out(session, principal, plan, settings.key_projects_per_year)


@router.post(
    "/plans/{compound_id}/{year}/submit",
    response_model=schemas.AnnualPlanOut,
    summary="Submit the plan to the community; refused below KEY_PROJECTS_PER_YEAR key projects (the compound branch)",
)
async def submit_plan(
    compound_id: IdPath, year: YearPath, session: SessionDep, principal: ProjectManager, settings: SettingsDep
) -> schemas.AnnualPlanOut:
    await principal.require_compound(session, compound_id, *policy.BRANCH_ROLES)
    plan = await plans.require(session, compound_id, year, for_update=True)
    await plans.submit(session, plan, minimum=settings.key_projects_per_year, actor_id=principal.id)
    return await _plan_out(session, principal, plan, settings.key_projects_per_year)


@router.post(
    "/plans/{compound_id}/{year}/decide",
    response_model=schemas.AnnualPlanOut,
    summary="Approve the plan (its planned projects with it) or return it with a reason (the community admin)",
)
async def decide_plan(
    compound_id: IdPath,
    year: YearPath,
    body: schemas.AnnualPlanDecision,
    session: SessionDep,
    principal: CommunityAdmin,
    settings: SettingsDep,
) -> schemas.AnnualPlanOut:
    plan = await plans.require(session, compound_id, year, for_update=True)
    policy.require_community_admin(principal, plan.community_id)
    await plans.decide(session, plan, approve=body.decision == "approve", reason=body.reason, actor_id=principal.id)
    return await _plan_out(session, principal, plan, settings.key_projects_per_year)
