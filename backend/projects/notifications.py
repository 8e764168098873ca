"""Project events as messages: a task to its assignee, the 75% reminder to the assignee, a late
task to the assignee's head, a review due to the community admins."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.clock import utcnow
from backend.notify import service as notify_service
from backend.projects.models import Project, ProjectTask


async def task_event(
    session: AsyncSession, event: str, project: Project, task: ProjectTask, recipients: Iterable[int]
) -> None:
    params = {
        "project_title": project.title,
        "project_id": project.id,
        "task_title": task.title,
        "task_id": task.id,
        "at": utcnow(),
    }
    await notify_service.emit(
        session, event, recipients, params, ref=("project", project.id), compound_id=project.compound_id
    )


async def review_due(
    session: AsyncSession, project: Project, kind: str, kind_label: str, recipients: list[int], key: str
) -> int:
    params = {
        "project_title": project.title,
        "project_id": project.id,
        "task_title": kind_label,
        "kind": kind,
        "year": project.year,
        "at": utcnow(),
    }
    sent = await notify_service.emit(
        session,
        "project_review_due",
        recipients,
        params,
        ref=("project", project.id),
        compound_id=project.compound_id,
        dedupe_key=key,
    )
    return len(sent)
