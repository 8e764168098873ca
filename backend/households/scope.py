"""Which households a caller may see in the register, and which they visit (`RegisterScope`).

- grid_worker on a grid: every household of the grid, phones in full; may record visits;
- building_chief (楼栋长) on a building: the households of that building, phones in full; may record visits;
- community_admin / street_admin: the households of the grids below them, phones masked;
- everyone else: nothing.

Not to be confused with backend.auth.reach.ReportScope, the `?scope=` of figures and reports.
The checks made with a RegisterScope (a grid filter, one household) are in policy.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.org.models import Community, Grid, Household


@dataclass(frozen=True)
class RegisterScope:
    worker_grids: frozenset[int] = frozenset()  # grid_worker grants
    chief_buildings: frozenset[int] = frozenset()  # building_chief grants
    admin_grids: frozenset[int] = frozenset()  # grids under community_admin / street_admin grants

    @property
    def empty(self) -> bool:
        return not (self.worker_grids or self.chief_buildings or self.admin_grids)

    @property
    def staff_grids(self) -> frozenset[int]:
        """Grids seen whole (by a grid worker or an admin), the grids coverage is reported on."""
        return self.worker_grids | self.admin_grids

    def sees(self, household: Household) -> bool:
        return household.grid_id in self.staff_grids or household.building_id in self.chief_buildings

    def visits(self, grid_id: int, building_id: int) -> bool:
        """May record visits to (and sees the phones of) a household of this grid and building."""
        return grid_id in self.worker_grids or building_id in self.chief_buildings

    def reveals(self, household: Household) -> bool:
        return self.visits(household.grid_id, household.building_id)

    def clause(self, *, visiting: bool = False) -> ColumnElement[bool]:
        """SQL filter on Household for the households seen (or, `visiting`, visited) under this scope."""
        grids = self.worker_grids if visiting else self.staff_grids
        parts = []
        if grids:
            parts.append(Household.grid_id.in_(grids))
        if self.chief_buildings:
            parts.append(Household.building_id.in_(self.chief_buildings))
        return or_(*parts) if parts else false()


async def scope_of(session: AsyncSession, principal: Principal) -> RegisterScope:
    """The caller's scope from their grants: one query when they hold an admin grant, else none."""
    communities = principal.scope_ids("community_admin", "community")
    streets = principal.scope_ids("street_admin", "street")
    admin_grids: set[int] = set()
    if communities or streets:
        stmt = (
            select(Grid.id)
            .join(Community, Community.id == Grid.community_id)
            .where(or_(Grid.community_id.in_(communities), Community.street_id.in_(streets)))
        )
        admin_grids = set((await session.execute(stmt)).scalars())
    return RegisterScope(
        worker_grids=frozenset(principal.scope_ids("grid_worker", "grid")),
        chief_buildings=frozenset(principal.scope_ids("building_chief", "building")),
        admin_grids=frozenset(admin_grids),
    )
