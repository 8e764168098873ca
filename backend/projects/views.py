"""Projects, tasks, plans as responses. The public page (residents of the scope) masks people's
names: a Party member's, a user undertaker's, the supervisor's and every actor on the timeline."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.directory import service as directory_service
from backend.kernel.clock import utcnow
from backend.projects import funding, policy, schemas, service, tasks
from backend.projects.models import Milestone, Project, ProjectTask
from backend.projects.state import ASSIGNEE_KINDS, FUNDING_SOURCES, OPEN_TASKS, PROJECT, REVIEW_KINDS, TASK, TaskStatus

PERSONAL = frozenset({"member", "owners_committee"})


def project(p: Project, milestones: list[Milestone], *, public: bool = False) -> schemas.ProjectOut:
    undertaker = directory_service.mask_name(p.undertaker) if public and p.undertaker_kind == "user" else p.undertaker
    return schemas.ProjectOut(
        id=p.id,
        scope=f"{p.scope_kind}:{p.scope_id}",
        compound_id=p.compound_id,
        community_id=p.community_id,
        title=p.title,
        year=p.year,
        key=p.key,
        source=p.source,
        source_id=p.source_id,
        undertaker=undertaker,
        status=p.status,
        status_label=PROJECT.label(p.status),
        reason=p.reason,
        due_date=p.due_date,
        plan_id=p.plan_id,
        progress=service.weighted_progress(milestones),
    )


async def projects(session: AsyncSession, rows: list[Project], *, public_ids: frozenset[int] = frozenset()):
    ms = await service.milestones_of(session, [p.id for p in rows])
    return [project(p, ms[p.id], public=p.id in public_ids) for p in rows]


def _events(rows, names: dict[int, str], label, *, public: bool) -> list[schemas.ProjectEventOut]:
    out = []
    for e in rows:
        name = names.get(e.actor_id) if e.actor_id is not None else None
        out.append(
            schemas.ProjectEventOut(
                type=e.type,
                label=label(e.type),
                from_status=e.from_status,
                to_status=e.to_status,
                actor_name=directory_service.mask_name(name) if name and public else name,
                at=e.at,
                note=e.note,
                photos=getattr(e, "photos", []) or [],
            )
        )
    return out


def task(t: ProjectTask, name: str, principal: Principal, *, public: bool, events=None) -> schemas.ProjectTaskOut:
    mine = policy.acts_on_task(principal, t)
    actions = [e for e in ("accepted", "progress", "completed") if mine and _task_can(t, e)]
    return schemas.ProjectTaskOut(
        id=t.id,
        project_id=t.project_id,
        assignee_kind=t.assignee_kind,
        assignee_kind_label=ASSIGNEE_KINDS[t.assignee_kind],
        assignee_id=None if public and t.assignee_kind == "member" else t.assignee_id,
        assignee_name=directory_service.mask_name(name) if public and t.assignee_kind == "member" else name,
        title=t.title,
        due_working_days=t.due_working_days,
        due_at=t.due_at,
        status=t.status,
        status_label=TASK.label(t.status),
        late=t.status in OPEN_TASKS and t.due_at <= utcnow(),
        reminded=t.reminded,
        escalated=t.escalated,
        report=t.report,
        photos=t.photos,
        events=events,
        actions=actions,
    )


def _task_can(t: ProjectTask, event: str) -> bool:
    if event == "progress":
        return t.status == TaskStatus.accepted
    return TASK.can(t.status, event)


async def task_detail(session: AsyncSession, t: ProjectTask, principal: Principal) -> schemas.ProjectTaskOut:
    names = await tasks.assignee_names(session, [t])
    rows = await tasks.events_of(session, [t.id])
    actors = await directory_service.names_of(session, [e.actor_id for e in rows])
    return task(t, names[t.id], principal, public=False, events=_events(rows, actors, TASK.event_label, public=False))


async def detail(session: AsyncSession, p: Project, principal: Principal, task_rows: list[ProjectTask], view: str):
    public = view == "public"
    ms = (await service.milestones_of(session, [p.id]))[p.id]
    lines = (await funding.lines_of(session, [p.id]))[p.id]
    changes = await funding.changes_of(session, p.id)
    source_of = {line.id: line.source for line in lines}
    reviews = await service.reviews_of(session, p.id)
    events = await service.events_of(session, p.id)
    names = await directory_service.names_of(session, [e.actor_id for e in events] + [p.supervisor_id])
    assignees = await tasks.assignee_names(session, task_rows)
    supervisor = names.get(p.supervisor_id) if p.supervisor_id else None
    return schemas.ProjectDetail(
        **project(p, ms, public=public).model_dump(),
        view=view,
        supervisor_name=directory_service.mask_name(supervisor) if supervisor and public else supervisor,
        tasks=[task(t, assignees[t.id], principal, public=public) for t in task_rows],
        milestones=[schemas.MilestoneOut(**m.model_dump(exclude={"project_id"})) for m in ms],
        funding=[
            schemas.FundingLineOut(
                source=line.source,
                source_label=FUNDING_SOURCES[line.source],
                pledged=line.pledged,
                received=line.received,
                spent=line.spent,
            )
            for line in lines
        ],
        funding_changes=[
            schemas.FundingChangeOut(
                source=source_of[c.line_id], kind=c.kind, amount=c.amount, evidence=c.evidence, note=c.note, at=c.at
            )
            for c in changes
        ],
        reviews=[
            schemas.ProjectReviewOut(kind=r.kind, kind_label=REVIEW_KINDS[r.kind], score=r.score, note=r.note, at=r.at)
            for r in reviews
        ],
        events=_events(events, names, PROJECT.event_label, public=public),
        actions=[] if public else await policy.actions(session, principal, p),
    )
