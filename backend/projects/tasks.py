"""Tasks for the co-executors: who they go to, their working-day deadline and 75% reminder point
(the calendar in backend/workcal, as the issue clocks in backend/issues/deadlines.py), accepting,
progress reports with photos, completing, and the sweep that reminds once and escalates once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.files import service as files_service
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.org.models import Compound, Department
from backend.partners import service as partners_service
from backend.partners.models import Partner
from backend.projects import notifications
from backend.projects.models import Project, ProjectReview, ProjectTask, TaskEvent
from backend.projects.service import require_live
from backend.projects.state import OPEN_TASKS, REVIEW_KINDS, REVIEWABLE, TASK, TaskStatus
from backend.workcal import service as workcal

REMIND_FRACTION = 0.75


async def clocks(session: AsyncSession, settings, start: datetime, working_days: int) -> tuple[datetime, datetime]:
    """(due_at, remind_at): `working_days` of working time from `start` (to the minute), and 75% of it."""
    start = start.replace(second=0, microsecond=0)
    cal = await workcal.load_calendar(session, settings, start)
    total = working_days * cal.day_minutes
    return cal.add_working(start, total), cal.add_working(start, total * REMIND_FRACTION)


async def check_assignee(session: AsyncSession, project: Project, kind: str, assignee_id: int, contact_id: int | None):
    if kind == "department":
        dept = await session.get(Department, assignee_id)
        if dept is None or dept.street_id != project.street_id:
            raise InvalidInput(f"部门 {assignee_id} 不在本街道", code="assignee_not_found")
    elif kind in ("partner", "property"):
        partner = await partners_service.get_partner(session, assignee_id)
        if (partner.kind == "property") != (kind == "property"):
            raise InvalidInput("物业服务企业须选择物业类合伙人", code="assignee_kind_mismatch")
        partners_service.require_recognised(partner, "承接任务")
    elif kind == "owners_committee":
        if project.compound_id != assignee_id or contact_id is None or await session.get(User, contact_id) is None:
            raise InvalidInput("业主委员会须是本项目小区的，并填写联系人", code="assignee_not_found")
    else:
        reported = await directory_service.member_compounds(session, assignee_id)
        if not reported or (project.compound_id is not None and project.compound_id not in reported):
            raise InvalidInput("该党员未向本小区报到", code="assignee_not_member")


async def create(
    session: AsyncSession,
    settings,
    project: Project,
    *,
    kind: str,
    assignee_id: int,
    contact_id: int | None,
    title: str,
    due_working_days: int,
    actor_id: int,
) -> ProjectTask:
    require_live(project, "tasks")
    await check_assignee(session, project, kind, assignee_id, contact_id)
    due_at, remind_at = await clocks(session, settings, utcnow(), due_working_days)
    task = ProjectTask(
        project_id=project.id,
        assignee_kind=kind,
        assignee_id=assignee_id,
        contact_id=contact_id if kind == "owners_committee" else None,
        title=title,
        due_working_days=due_working_days,
        due_at=due_at,
        remind_at=remind_at,
        created_by=actor_id,
    )
    session.add(task)
    await session.flush()
    await TASK.record(session, task, "created", actor_id=actor_id, note=title)
    await notifications.task_event(session, "project_task_assigned", project, task, await actors_of(session, task))
    return task


async def get(session: AsyncSession, task_id: int, *, for_update: bool = False) -> ProjectTask:
    stmt = select(ProjectTask).where(ProjectTask.id == task_id)
    if for_update:
        stmt = stmt.with_for_update()
    task = (await session.execute(stmt)).scalar_one_or_none()
    if task is None:
        raise NotFound(f"任务 {task_id} 不存在", code="task_not_found")
    return task


async def tasks_of(session: AsyncSession, project_id: int) -> list[ProjectTask]:
    rows = await session.execute(
        select(ProjectTask).where(ProjectTask.project_id == project_id).order_by(ProjectTask.id)
    )
    return list(rows.scalars())


async def events_of(session: AsyncSession, task_ids: list[int]) -> list[TaskEvent]:
    if not task_ids:
        return []
    rows = await session.execute(select(TaskEvent).where(TaskEvent.task_id.in_(task_ids)).order_by(TaskEvent.id))
    return list(rows.scalars())


async def accept(session: AsyncSession, task: ProjectTask, *, actor_id: int) -> ProjectTask:
    await TASK.apply(session, task, "accepted", actor_id=actor_id, values={"accepted_at": utcnow()})
    return task


async def report(session: AsyncSession, task: ProjectTask, *, note: str, photos: list[str], actor_id: int) -> TaskEvent:
    """A progress report with photos (a note event: the task stays accepted)."""
    if task.status != TaskStatus.accepted:
        raise TASK.refusal(task.status, "progress")
    await files_service.attach(session, photos)
    values = {"report": note, "photos": [*task.photos, *photos][-30:]}
    event = await TASK.apply(session, task, "progress", actor_id=actor_id, note=note, values=values)
    event.photos = photos
    await session.flush()
    return event


async def complete(
    session: AsyncSession, task: ProjectTask, *, note: str, photos: list[str], actor_id: int
) -> ProjectTask:
    await files_service.attach(session, photos)
    values = {"report": note, "photos": [*task.photos, *photos][-30:], "completed_at": utcnow()}
    event = await TASK.apply(session, task, "completed", actor_id=actor_id, note=note, values=values)
    event.photos = photos
    await session.flush()
    return task


async def cancel(session: AsyncSession, task: ProjectTask, *, reason: str, actor_id: int) -> ProjectTask:
    await TASK.apply(session, task, "cancelled", actor_id=actor_id, note=reason)
    return task


# ---- who acts, who is over them ----------------------------------------------------------------


async def actors_of(session: AsyncSession, task: ProjectTask) -> list[int]:
    kind = task.assignee_kind
    if kind == "department":
        return await directory_service.holders_of(
            session, ["department_staff", "department_head"], "department", task.assignee_id
        )
    if kind in ("partner", "property"):
        return await directory_service.holders_of(session, ["partner_contact"], "partner", task.assignee_id)
    return [task.contact_id] if kind == "owners_committee" and task.contact_id else [task.assignee_id]


async def heads_of(session: AsyncSession, project: Project, task: ProjectTask) -> list[int]:
    """Whom a late task goes to: the department head, the partner's contacts, or the compound
    branch (for the owners' committee and Party members; the community admins for a community project)."""
    kind = task.assignee_kind
    if kind == "department":
        return await directory_service.holders_of(session, ["department_head"], "department", task.assignee_id)
    if kind in ("partner", "property"):
        return await directory_service.holders_of(session, ["partner_contact"], "partner", task.assignee_id)
    if project.compound_id is not None:
        return await directory_service.holders_of(session, ["dispatcher"], "compound", project.compound_id)
    return await directory_service.holders_of(session, ["community_admin"], "community", project.community_id)


async def assignee_names(session: AsyncSession, tasks: list[ProjectTask]) -> dict[int, str]:
    """task id → the assignee's name (a Party member's and a contact's unmasked: views mask them)."""
    wanted: dict[str, set[int]] = {}
    for t in tasks:
        wanted.setdefault(t.assignee_kind, set()).add(t.assignee_id)
    names: dict[tuple[str, int], str] = {}
    for kinds, model, suffix in (
        (("department",), Department, ""),
        (("partner", "property"), Partner, ""),
        (("owners_committee",), Compound, "业主委员会"),
        (("member",), User, ""),
    ):
        ids = set().union(*(wanted.get(k, set()) for k in kinds))
        if ids:
            for rid, name in (await session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all():
                for k in kinds:
                    names[(k, rid)] = f"{name or ''}{suffix}"
    return {t.id: names.get((t.assignee_kind, t.assignee_id), "") for t in tasks}


# ---- the sweep ---------------------------------------------------------------------------------


async def _note(session: AsyncSession, task: ProjectTask, event: str, note: str, flag: str) -> bool:
    try:
        async with session.begin_nested():
            await TASK.apply(session, task, event, note=note, values={flag: True})
    except Conflict:
        return False
    return True


async def _open(session: AsyncSession, limit: int, *conds) -> list[ProjectTask]:
    stmt = select(ProjectTask).where(ProjectTask.status.in_(OPEN_TASKS), *conds).order_by(ProjectTask.id).limit(limit)
    return list((await session.execute(stmt)).scalars())


async def sweep_tasks(session: AsyncSession, settings, limit: int = 200) -> dict[str, int]:
    """Each open task: reminded once at 75% of its time, escalated once when late."""
    now = utcnow()
    reminded = escalated = 0
    for task in await _open(
        session, limit, ProjectTask.reminded == false(), ProjectTask.remind_at <= now, ProjectTask.due_at > now
    ):
        if await _note(session, task, "reminded", "已用去四分之三的时限", "reminded"):
            project = await session.get(Project, task.project_id)
            await notifications.task_event(
                session, "project_task_reminder", project, task, await actors_of(session, task)
            )
            reminded += 1
    for task in await _open(session, limit, ProjectTask.escalated == false(), ProjectTask.due_at <= now):
        project = await session.get(Project, task.project_id)
        heads = await heads_of(session, project, task)
        if await _note(session, task, "escalated", "超过时限未完成，已上报承接方负责人", "escalated"):
            await notifications.task_event(session, "project_task_escalated", project, task, heads)
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}


async def sweep_reviews(session: AsyncSession, settings, limit: int = 500) -> int:
    """In June (年中) and December (年底): the community admins of key projects of the year not yet
    reviewed are reminded, once per project and kind (the notification's dedupe key)."""
    local = utcnow().astimezone(SHANGHAI)
    kind = {6: "midyear", 12: "yearend"}.get(local.month)
    if kind is None:
        return 0
    reviewed = select(ProjectReview.project_id).where(ProjectReview.kind == kind)
    rows = await session.execute(
        select(Project)
        .where(
            Project.year == local.year,
            Project.key.is_(True),
            Project.status.in_(REVIEWABLE),
            Project.id.not_in(reviewed),
        )
        .order_by(Project.id)
        .limit(limit)
    )
    sent = 0
    for project in rows.scalars():
        admins = await directory_service.holders_of(session, ["community_admin"], "community", project.community_id)
        key = f"project_review:{kind}:{local.year}:{project.id}"
        sent += bool(await notifications.review_due(session, project, kind, REVIEW_KINDS[kind], admins, key))
    return sent
