"""Who may see and do what with a project, following the org tree.

- Creating: a compound project by the compound branch (the compound's dispatcher grant) or the
  community admin above it; a community project by that community's admin.
- Managing (start, complete, suspend, resume, tasks, milestones, funding): the same people.
- Approving, evaluating, publishing, cancelling, reviewing: the community admin of its community
  (the compound branch may cancel its own project while it is still only planned).
- Seeing everything: the managers, the street admin of its street, its supervisor, and whoever acts
  for one of its tasks. Residents of its scope see the public page (approved and after; masked).
- A task is acted on by its assignee only: a department's staff or head, a partner's contacts
  (partner_contact grant; the property company and work units are partners), the owners'
  committee's contact person, or the Party member named.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.kernel.errors import Forbidden
from backend.org.models import Compound
from backend.projects.models import Project, ProjectTask
from backend.projects.state import EDITABLE_PLAN, PROJECT, PUBLIC, PlanStatus

BRANCH_ROLES = ("dispatcher", "community_admin")


def community_admin_of(principal: Principal, community_id: int) -> bool:
    return community_id in principal.scope_ids("community_admin", "community")


def street_admin_of(principal: Principal, street_id: int) -> bool:
    return street_id in principal.scope_ids("street_admin", "street")


async def manages_scope(session: AsyncSession, principal: Principal, scope_kind: str, scope_id: int) -> bool:
    if scope_kind == "compound":
        return scope_id in await principal.compound_ids(session, *BRANCH_ROLES)
    return community_admin_of(principal, scope_id)


async def manages(session: AsyncSession, principal: Principal, project: Project) -> bool:
    return await manages_scope(session, principal, project.scope_kind, project.scope_id)


def acts_on_task(principal: Principal, task: ProjectTask) -> bool:
    kind = task.assignee_kind
    if kind == "department":
        return bool(
            {task.assignee_id}
            & (
                principal.scope_ids("department_staff", "department")
                | principal.scope_ids("department_head", "department")
            )
        )
    if kind in ("partner", "property"):
        return task.assignee_id in principal.scope_ids("partner_contact", "partner")
    if kind == "owners_committee":
        return task.contact_id == principal.id
    return task.assignee_id == principal.id  # a Party member


async def resident_of_scope(session: AsyncSession, principal: Principal, project: Project) -> bool:
    compound_id = principal.user.compound_id
    if compound_id is None:
        return False
    if project.scope_kind == "compound":
        return compound_id == project.compound_id
    community = (await session.execute(select(Compound.community_id).where(Compound.id == compound_id))).scalar()
    return community == project.community_id


async def sees_all(session: AsyncSession, principal: Principal, project: Project, tasks: list[ProjectTask]) -> bool:
    return (
        await manages(session, principal, project)
        or street_admin_of(principal, project.street_id)
        or project.supervisor_id == principal.id
        or any(acts_on_task(principal, t) for t in tasks)
    )


async def view_of(session: AsyncSession, principal: Principal, project: Project, tasks: list[ProjectTask]) -> str:
    """ "full" or "public", or Forbidden."""
    if await sees_all(session, principal, project, tasks):
        return "full"
    if project.status in PUBLIC and await resident_of_scope(session, principal, project):
        return "public"
    raise Forbidden("您不能查看该项目", code="out_of_scope")


async def require_manages(session: AsyncSession, principal: Principal, project: Project) -> None:
    if not await manages(session, principal, project):
        raise Forbidden("只有项目所在小区党支部或社区可以操作", code="out_of_scope")


def require_community_admin(principal: Principal, community_id: int) -> None:
    if not community_admin_of(principal, community_id):
        raise Forbidden("只有所在社区的管理员可以操作", code="out_of_scope")


def require_acts_on_task(principal: Principal, task: ProjectTask) -> None:
    if not acts_on_task(principal, task):
        raise Forbidden("只有任务的承接方可以操作", code="not_assignee")


async def actions(session: AsyncSession, principal: Principal, project: Project) -> list[str]:
    """The events the caller may apply now (the detail's `actions`)."""
    from_state = {
        "approved": community_admin_of(principal, project.community_id),
        "evaluated": community_admin_of(principal, project.community_id),
        "published": community_admin_of(principal, project.community_id),
        "cancelled": community_admin_of(principal, project.community_id),
    }
    manager = await manages(session, principal, project)
    out = []
    for event in ("approved", "started", "completed", "evaluated", "published", "suspended", "resumed", "cancelled"):
        if PROJECT.can(project.status, event) and from_state.get(event, manager):
            out.append(event)
    return out


async def plan_actions(
    session: AsyncSession, principal: Principal, compound_id: int, community_id: int, status: str | None
) -> list[str]:
    """What the caller may do with a compound's plan now (None: no plan yet). The branch (the
    compound's dispatcher) edits and submits; the community admin approves or returns. The server
    also lets the community admin edit (BRANCH_ROLES); the pages show the community its own part."""
    out: list[str] = []
    if compound_id in await principal.compound_ids(session, "dispatcher"):
        if status is None:
            out.append("edited")
        elif status in EDITABLE_PLAN:
            out += ["edited", "submitted"]
    if status == PlanStatus.submitted and community_admin_of(principal, community_id):
        out += ["approved", "returned"]
    return out
