"""Who may do what with visits and grids, and the dependencies that give a route the caller's scope.

Everything starts from the caller's households.scope.RegisterScope:
- record visits (the batch) and read the to-do list: grid workers (every household of their
  grids) and building chiefs (the households of their buildings); a batch item for a household
  outside that is answered `household_out_of_scope` (sync.py), not refused as a whole;
- coverage: the grids the caller sees whole (grid workers, community and street admins);
  `?grid_id=` must be one of them;
- a grid's visit cycle: the community and street admins above the grid;
- a household's visit history: whoever sees the household in the register
  (households.policy.HouseholdVisible).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from backend.auth.deps import Admin, GridStaff, GridWorker
from backend.households import policy as households_policy
from backend.households.scope import RegisterScope, scope_of
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden


def coverage_grids(scope: RegisterScope, grid_id: int | None) -> set[int]:
    """The grids a coverage report covers: the one asked for, else all the caller sees whole."""
    if grid_id is None:
        return set(scope.staff_grids)
    households_policy.require_grid(scope, grid_id)
    return {grid_id}


def require_cycle_admin(scope: RegisterScope, grid_id: int) -> None:
    if grid_id not in scope.admin_grids:
        raise Forbidden("该网格不在您的管辖范围内", code="out_of_scope")


# ---- dependencies ------------------------------------------------------------------------------


async def _visitor_scope(session: SessionDep, principal: GridWorker) -> RegisterScope:
    return await scope_of(session, principal)


async def _staff_scope(session: SessionDep, principal: GridStaff) -> RegisterScope:
    return await scope_of(session, principal)


async def _admin_scope(session: SessionDep, principal: Admin) -> RegisterScope:
    return await scope_of(session, principal)


VisitorScope = Annotated[RegisterScope, Depends(_visitor_scope)]  # grid workers and building chiefs
StaffScope = Annotated[RegisterScope, Depends(_staff_scope)]  # grid workers, community and street admins
AdminScope = Annotated[RegisterScope, Depends(_admin_scope)]  # community and street admins
