"""Who may read and edit which part of the register, and the dependencies that load it for a route.

Every rule starts from the caller's RegisterScope (scope.py):
- a household is read and edited by whoever sees it (`RegisterScope.sees`); its phones are shown
  in full only to those who visit it (`RegisterScope.reveals`), masked for admins;
- a grid named as a filter (or as the grid of a coverage report) must be one the caller sees
  whole; a building chief filtering by grid is not refused: the scope's own filter leaves them
  only their buildings' households.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from backend.auth.deps import GridReader
from backend.households.scope import RegisterScope, scope_of
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, NotFound
from backend.kernel.validation import IdPath
from backend.org.models import Household


def require_grid(scope: RegisterScope, grid_id: int) -> None:
    """The caller sees this grid whole (a grid worker of it, or an admin above it)."""
    if grid_id not in scope.staff_grids:
        raise Forbidden("该网格不在您的管辖范围内", code="out_of_scope")


def require_grid_filter(scope: RegisterScope, grid_id: int | None) -> None:
    """`?grid_id=` on the register and its export: refused outside the caller's grids, except for
    building chiefs (see the module's docstring)."""
    if grid_id is not None and not scope.chief_buildings:
        require_grid(scope, grid_id)


async def visible_household(session, household_id: int, scope: RegisterScope) -> Household:
    household = await session.get(Household, household_id)
    if household is None:
        raise NotFound(f"住户 {household_id} 不存在", code="household_not_found")
    if not scope.sees(household):
        raise Forbidden("该住户不在您负责的网格内", code="out_of_scope")
    return household


# ---- dependencies ------------------------------------------------------------------------------


async def _reader_scope(session: SessionDep, principal: GridReader) -> RegisterScope:
    return await scope_of(session, principal)


ReaderScope = Annotated[RegisterScope, Depends(_reader_scope)]  # grid workers, building chiefs, admins


async def _visible(household_id: IdPath, session: SessionDep, scope: ReaderScope) -> tuple[Household, RegisterScope]:
    return await visible_household(session, household_id, scope), scope


HouseholdVisible = Annotated[tuple[Household, RegisterScope], Depends(_visible)]  # (household, scope)
