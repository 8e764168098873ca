"""The worker's to-do list: the households a grid worker or building chief visits that are overdue
or due soon, most urgent first (when a household is due is cycles.py's rule).

Order: overdue before due; among the overdue, shorter cycles (care tags such as 独居老人) first,
then the longest overdue (never visited first); among those due, the soonest first. The list is
computed whole and paged by its sort key, so a page never skips or repeats a household.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from backend.households.scope import RegisterScope
from backend.kernel.clock import utcnow
from backend.kernel.pagination import encode_cursor, micros
from backend.org.models import Household
from backend.visits.cycles import CyclePolicy, care_tags_of, grid_cycles, last_visits


@dataclass
class Due:
    household: tuple[int, int, int, int]  # id, grid_id, compound_id, building_id
    tags: set[str]
    cycle_days: int
    last_visit_at: datetime | None
    last_attempt_at: datetime | None
    due_at: datetime | None
    overdue: bool
    days_overdue: int
    key: tuple[int, int, int, int]


async def todo(
    session: AsyncSession,
    scope: RegisterScope,
    policy: CyclePolicy,
    *,
    grid_id: int | None,
    within_days: int,
    cursor: tuple[int, ...] | None,
    limit: int,
) -> tuple[list[Due], str | None]:
    """Households the caller visits that are overdue or due within `within_days`, in the module's
    order; four queries."""
    now = utcnow()
    where = scope.clause(visiting=True)
    if grid_id is not None:
        where = and_(where, Household.grid_id == grid_id)
    ids = select(Household.id).where(where).scalar_subquery()
    rows = (
        await session.execute(
            select(Household.id, Household.grid_id, Household.compound_id, Household.building_id).where(where)
        )
    ).all()
    tags = await care_tags_of(session, ids)
    cycles = await grid_cycles(session, {r[1] for r in rows}, policy.default_days)
    reached, attempted = await last_visits(session, ids, now)
    horizon = now + timedelta(days=within_days)
    out: list[Due] = []
    for row in rows:
        days = policy.days(cycles[row[1]], tags.get(row[0], ()))
        due = _due(row, tags.get(row[0], set()), days, reached.get(row[0]), attempted.get(row[0]), now)
        if due.due_at is None or due.due_at <= horizon:
            out.append(due)
    out.sort(key=lambda d: d.key)
    if cursor is not None:
        out = [d for d in out if d.key > cursor]
    if len(out) > limit:
        return out[:limit], encode_cursor(*out[limit - 1].key)
    return out, None


def _due(row: Row, tags: set[str], days: int, last: datetime | None, attempt: datetime | None, now: datetime) -> Due:
    """One household's place on the list: when it is due, how late, and its sort key."""
    hid = row[0]
    due_at = last + timedelta(days=days) if last is not None else None
    overdue = due_at is None or due_at <= now
    late = (now - due_at).days if due_at is not None and overdue else 0
    due_key = micros(due_at) if due_at is not None else 0
    key = (0, days, due_key, hid) if overdue else (1, due_key, days, hid)
    return Due(tuple(row), tags, days, last, attempt, due_at, overdue, late, key)
