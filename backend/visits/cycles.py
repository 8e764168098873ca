"""Visit cycles: when a household is due for its next visit.

A household is due again `cycle` days after the last visit that reached it (any outcome but
not_home: a closed door does not count). The cycle is the grid's (GridVisitCycle, default the
VISIT_CYCLE_DAYS setting), shortened by care tags (CARE_TAG_CYCLE_DAYS, e.g. 独居老人 7 days).
The to-do list (todo.py) and coverage (coverage.py) both judge "overdue" with these reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import ScalarSelect

from backend.households.models import HouseholdTag
from backend.kernel.clock import utcnow
from backend.kernel.settings import Settings
from backend.org.models import Household
from backend.visits.kinds import NOT_REACHED
from backend.visits.models import GridVisitCycle, Visit


@dataclass(frozen=True)
class CyclePolicy:
    default_days: int
    tag_days: dict[str, int]

    @classmethod
    def from_settings(cls, settings: Settings) -> CyclePolicy:
        return cls(default_days=settings.visit_cycle_days, tag_days=dict(settings.care_tag_cycle_days))

    def days(self, grid_days: int, tags: Iterable[str]) -> int:
        """A household's cycle: its grid's, or the shortest of its care tags' when shorter."""
        return min([grid_days, *(self.tag_days[t] for t in tags if t in self.tag_days)])


async def grid_cycles(session: AsyncSession, grid_ids: Iterable[int], default_days: int) -> dict[int, int]:
    ids = set(grid_ids)
    out = dict.fromkeys(ids, default_days)
    if ids:
        rows = await session.execute(
            select(GridVisitCycle.grid_id, GridVisitCycle.cycle_days).where(GridVisitCycle.grid_id.in_(ids))
        )
        out.update(dict(rows.all()))
    return out


async def set_cycle(session: AsyncSession, grid_id: int, cycle_days: int, actor_id: int) -> GridVisitCycle:
    row = await session.get(GridVisitCycle, grid_id)
    if row is None:
        row = GridVisitCycle(grid_id=grid_id, cycle_days=cycle_days, updated_by=actor_id)
        session.add(row)
    else:
        row.cycle_days, row.updated_by, row.updated_at = cycle_days, actor_id, utcnow()
    await session.flush()
    return row


async def last_visits(
    session: AsyncSession, households, as_of: datetime, *, attempts: bool = True
) -> tuple[dict, dict]:
    """(last visit that reached the household, last visit of any outcome) per household, up to
    as_of; `households` is a subquery of household ids; without `attempts` the second is left out.
    One statement: per household, correlated max() lookups, each a backward probe of
    ix_visit_household_id_visited_at_outcome, so the cost follows the number of households and
    not the years of visits behind them."""
    h = aliased(Household)
    columns = [h.id, last_visit_at(h.id, as_of, reached=True)] + ([last_visit_at(h.id, as_of)] if attempts else [])
    rows = (await session.execute(select(*columns).where(h.id.in_(households)))).all()
    reached = {row[0]: row[1] for row in rows if row[1] is not None}
    attempted = {row[0]: row[2] for row in rows if attempts and row[2] is not None}
    return reached, attempted


def last_visit_at(household_id, as_of: datetime, *, reached: bool = False) -> ScalarSelect:
    """The correlated max(visited_at) up to as_of of the household whose id column is given (with
    `reached`, of the visits that reached it): one backward probe of
    ix_visit_household_id_visited_at_outcome."""
    where = [Visit.outcome != NOT_REACHED] if reached else []
    return (
        select(func.max(Visit.visited_at))
        .where(Visit.household_id == household_id, Visit.visited_at <= as_of, *where)
        .scalar_subquery()
    )


async def care_tags_of(session: AsyncSession, households) -> dict[int, set[str]]:
    """The care tags (which shorten cycles) of the households of a subquery of ids."""
    out: dict[int, set[str]] = defaultdict(set)
    rows = await session.execute(
        select(HouseholdTag.household_id, HouseholdTag.tag).where(HouseholdTag.household_id.in_(households))
    )
    for hid, tag in rows.all():
        out[hid].add(tag)
    return out
