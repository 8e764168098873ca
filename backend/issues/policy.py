"""Who may see a grid issue and do what with it, and the path dependencies that load one.

- The grid that raised it (its grid workers, and whoever raised it) sees it; the grid whistles,
  closes an open one itself, confirms or reopens a resolved one.
- A department sees the issues whistled to it (now or before); it responds, resolves, returns.
- Community admins see their community's issues, street admins their street's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import CurrentUser, DepartmentStaff, GridWorkerOnly, IssueResolver, Principal
from backend.issues import service
from backend.issues.models import GridIssue, IssueAssignment
from backend.issues.service import Viewer
from backend.issues.state import AWAITING_RESPONSE, ISSUE, LIVE
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.validation import IdPath
from backend.org.models import Community


def viewer_of(principal: Principal) -> Viewer:
    return Viewer(
        user_id=principal.id,
        grid_ids=principal.scope_ids("grid_worker", "grid"),
        department_ids=principal.scope_ids("department_staff", "department")
        | principal.scope_ids("department_head", "department"),
        community_ids=principal.scope_ids("community_admin", "community"),
        street_ids=principal.scope_ids("street_admin", "street"),
    )


def is_assigned_to(issue: GridIssue, department_ids: set[int]) -> bool:
    return issue.department_id is not None and issue.department_id in department_ids


async def can_view(session: AsyncSession, viewer: Viewer, issue: GridIssue) -> bool:
    if issue.raised_by == viewer.user_id or issue.grid_id in viewer.grid_ids:
        return True
    if issue.community_id in viewer.community_ids:
        return True
    if viewer.department_ids:
        if is_assigned_to(issue, viewer.department_ids):
            return True
        past = await session.execute(
            select(IssueAssignment.id)
            .where(IssueAssignment.issue_id == issue.id, IssueAssignment.department_id.in_(viewer.department_ids))
            .limit(1)
        )
        if past.first() is not None:
            return True
    if viewer.street_ids and issue.community_id is not None:
        community = await session.get(Community, issue.community_id)
        return community is not None and community.street_id in viewer.street_ids
    return False


def actions_for(issue: GridIssue, viewer: Viewer) -> list[str]:
    """What the viewer may do now: the lifecycle says what the status allows, this says who may."""
    out = []
    in_grid = issue.grid_id in viewer.grid_ids
    mine = is_assigned_to(issue, viewer.department_ids)
    if in_grid and ISSUE.can(issue.status, "whistled"):
        out.append("whistle")
    if in_grid and ISSUE.can(issue.status, "grid_resolved"):
        out.append("resolve")
    if mine and issue.status in AWAITING_RESPONSE:
        out.append("respond")
    if mine and issue.status in LIVE:
        out += ["resolve", "return"]
    if in_grid and ISSUE.can(issue.status, "confirmed"):
        out += ["confirm", "reopen"] if issue.department_id else ["confirm"]
    return out


def require_department(issue: GridIssue, viewer: Viewer) -> None:
    if not is_assigned_to(issue, viewer.department_ids):
        raise Forbidden("该事件未派给您所在的部门", code="out_of_scope")


def require_grid(issue: GridIssue, viewer: Viewer) -> None:
    if issue.grid_id not in viewer.grid_ids:
        raise Forbidden("只有该网格的网格员可以操作", code="out_of_scope")


def require_resolver(issue: GridIssue, viewer: Viewer) -> None:
    """An open issue the grid closes itself; anything else only its department resolves."""
    if ISSUE.can(issue.status, "grid_resolved") and issue.grid_id in viewer.grid_ids:
        return
    require_department(issue, viewer)


# ---- path dependencies: (issue, viewer) ------------------------------------------------------

Loaded = tuple[GridIssue, Viewer]


async def _visible(issue_id: IdPath, session: SessionDep, principal: CurrentUser) -> Loaded:
    issue = await service.get_issue(session, issue_id)
    viewer = viewer_of(principal)
    if not await can_view(session, viewer, issue):
        raise Forbidden("您无权查看该事件", code="out_of_scope")
    return issue, viewer


async def _for_grid(principal: GridWorkerOnly, issue_id: IdPath, session: SessionDep) -> Loaded:
    issue, viewer = await service.get_issue(session, issue_id), viewer_of(principal)
    require_grid(issue, viewer)
    return issue, viewer


async def _for_department(principal: DepartmentStaff, issue_id: IdPath, session: SessionDep) -> Loaded:
    issue, viewer = await service.get_issue(session, issue_id), viewer_of(principal)
    require_department(issue, viewer)
    return issue, viewer


async def _for_resolver(principal: IssueResolver, issue_id: IdPath, session: SessionDep) -> Loaded:
    issue, viewer = await service.get_issue(session, issue_id), viewer_of(principal)
    require_resolver(issue, viewer)
    return issue, viewer


IssueVisible = Annotated[Loaded, Depends(_visible)]
IssueForGrid = Annotated[Loaded, Depends(_for_grid)]
IssueForDepartment = Annotated[Loaded, Depends(_for_department)]
IssueForResolver = Annotated[Loaded, Depends(_for_resolver)]
