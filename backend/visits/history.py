"""A household's visit history, latest first (who may read it is households.policy's rule: whoever
sees the household in the register). What each visit found is read with findings.findings_of."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.pagination import encode_cursor, from_micros, micros
from backend.visits.models import Visit


async def history(
    session: AsyncSession, household_id: int, cursor: tuple[int, ...] | None, limit: int
) -> tuple[list[Visit], str | None]:
    """Visits of one household, latest visited first; keyset on (visited_at, id)."""
    stmt = select(Visit).where(Visit.household_id == household_id)
    if cursor is not None:
        at, last_id = from_micros(cursor[0]), cursor[1]
        stmt = stmt.where(or_(Visit.visited_at < at, and_(Visit.visited_at == at, Visit.id < last_id)))
    stmt = stmt.order_by(Visit.visited_at.desc(), Visit.id.desc()).limit(limit + 1)
    rows = list((await session.execute(stmt)).scalars())
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(micros(rows[-1].visited_at), rows[-1].id)
    return rows, None
