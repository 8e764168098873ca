"""What a month's visits say about each household, as coverage (coverage.py) counts them: read
live from the visits, or, for a month past the back-fill window, from the facts stored for it.

A phone may upload a visit up to VISIT_MAX_AGE_DAYS after it happened (sync.py refuses older
ones), so a month that ended longer ago than that is *closed*: no visit dated in it, or before its
end, can still arrive. For each closed month the sweep (`fill_closed_months`, run by
backend/worker.py) stores per household (VisitMonthFact)
- the last visit that reached it up to the month's end (cycles.py's rule), and
- the distinct (worker, outcome) pairs of its visits in the month,
which is all coverage reads from the visits. Coverage still recounts every figure from them with
today's households, care tags, cycles and grants, so a stored month answers exactly what a live
count would. The store is a table, not a per-process memory: every worker of the app reads the
same rows, and a row dropped by one process is gone for all.

- A month inside the window is never read from the store (`is_closed` at the time of the report).
- A household without a row for the month (registered since, or its row dropped) is read live.
- Should a visit still arrive for a stored month (VISIT_MAX_AGE_DAYS raised, a clock set back),
  `forget` drops that household's facts from the visit's month on, in the visit's transaction, and
  the sweep stores them again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.clock import to_shanghai, utcnow
from backend.kernel.driver_read import DriverRead
from backend.kernel.periods import Period, parse_period
from backend.kernel.settings import Settings
from backend.org.models import Household
from backend.visits.cycles import last_visits
from backend.visits.models import Visit, VisitMonthClosed, VisitMonthFact

FILL_CHUNK = 5000  # households stored per sweep run, so that one run stays a short transaction


def backfill_window(settings: Settings) -> timedelta:
    """How late a visit may still be recorded (sync.py's VISIT_MAX_AGE_DAYS check)."""
    return timedelta(days=settings.visit_max_age_days)


def is_closed(month: Period, now: datetime, window: timedelta) -> bool:
    """No visit dated before the month's end (inclusive: cycles read visits `<= end`) can still be
    recorded, since sync.py refuses any visited_at < now - window."""
    return month.end < now - window


@dataclass
class Facts:
    """The visits of a month as coverage reads them."""

    reached: dict[int, datetime] = field(default_factory=dict)  # household → last visit that reached it
    of_household: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    of_worker: dict[tuple[int, int], set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, household_id: int, worker_id: int, outcome: str) -> None:
        self.of_household[household_id].add(outcome)
        self.of_worker[(household_id, worker_id)].add(outcome)

    def add_stored(self, household_id: int, last_reached_at: datetime | None, outcomes: list[list]) -> None:
        if last_reached_at is not None:
            self.reached[household_id] = last_reached_at
        for worker_id, outcome in outcomes:
            self.add(household_id, worker_id, outcome)

    def update(self, other: Facts) -> None:
        self.reached.update(other.reached)
        for (hid, wid), outcomes in other.of_worker.items():
            for outcome in outcomes:
                self.add(hid, wid, outcome)


async def live(session: AsyncSession, households, month: Period, as_of: datetime) -> Facts:
    """The facts read from the visits; `households` is a list or a subquery of ids."""
    facts = Facts()
    facts.reached, _ = await last_visits(session, households, as_of, attempts=False)
    rows = await session.execute(
        select(Visit.household_id, Visit.worker_id, Visit.outcome)
        .where(Visit.household_id.in_(households), Visit.visited_at >= month.start, Visit.visited_at < month.end)
        .distinct()
    )
    for hid, wid, outcome in rows.all():
        facts.add(hid, wid, outcome)
    return facts


# the month's (household, worker, outcome) of the households of some grids: built once, bound per call
# (building and keying it afresh cost more CPU than running it)
_OUTCOMES_IN_GRIDS = DriverRead(
    select(Visit.household_id, Visit.worker_id, Visit.outcome)
    .where(
        Visit.household_id.in_(
            select(Household.id).where(Household.grid_id.in_(bindparam("grid_ids", expanding=True))).scalar_subquery()
        ),
        Visit.visited_at >= bindparam("start"),
        Visit.visited_at < bindparam("end"),
    )
    .distinct()
)


async def live_outcomes_in_grids(session: AsyncSession, grid_ids: Iterable[int], month: Period) -> Facts:
    """The month's outcomes of the grids' households, as `live` reads them, without the last visits
    (coverage reads those with its households)."""
    facts = Facts()
    params = {"grid_ids": sorted(grid_ids), "start": month.start, "end": month.end}
    for hid, wid, outcome in await _OUTCOMES_IN_GRIDS.all(session, params):
        facts.add(hid, wid, outcome)
    return facts


# ---- the sweep ---------------------------------------------------------------------------------


def _month(at: datetime) -> Period:
    local = to_shanghai(at)
    return parse_period(f"{local.year}-{local.month:02d}", kinds=("month",))


def _months_since(first: Period) -> Iterator[Period]:
    month = first
    while True:
        yield month
        month = _month(month.end)


async def fill_closed_months(session: AsyncSession, settings: Settings, *, chunk: int = FILL_CHUNK) -> int:
    """Store the facts of the newest closed month not yet complete, up to `chunk` households per
    run (a month is marked complete once no household is missing); returns the rows stored.
    Months before the first visit are never stored: a live count of them reads nothing."""
    first = await session.scalar(select(func.min(Visit.visited_at)))
    if first is None:
        return 0
    now, window = utcnow(), backfill_window(settings)
    done = set((await session.scalars(select(VisitMonthClosed.month))).all())
    closed = []
    for month in _months_since(_month(first)):
        if not is_closed(month, now, window):
            break
        closed.append(month)
    for month in reversed(closed):
        if month.label not in done and (stored := await _fill(session, month, chunk)):
            return stored
    return 0


async def _fill(session: AsyncSession, month: Period, chunk: int) -> int:
    stored = select(VisitMonthFact.household_id).where(VisitMonthFact.month == month.label)
    unstored = select(Household.id).where(Household.id.not_in(stored)).order_by(Household.id).limit(chunk)
    missing = list((await session.scalars(unstored)).all())
    if missing:
        facts = await live(session, missing, month, month.end)
        pairs: dict[int, list[list]] = defaultdict(list)
        for (hid, wid), outcomes in facts.of_worker.items():
            pairs[hid] += [[wid, outcome] for outcome in outcomes]
        rows = [
            {
                "month": month.label,
                "household_id": hid,
                "last_reached_at": facts.reached.get(hid),
                "outcomes": sorted(pairs.get(hid, [])),
            }
            for hid in missing
        ]
        await session.execute(insert(VisitMonthFact), rows)
    if len(missing) < chunk:
        count = await session.scalar(select(func.count()).where(VisitMonthFact.month == month.label))
        session.add(VisitMonthClosed(month=month.label, households=count or 0))
        await session.flush()
    return len(missing)


# ---- a late visit ------------------------------------------------------------------------------


async def forget(session: AsyncSession, visits: Iterable[tuple[int, datetime]]) -> int:
    """Drop the stored facts that the given (household, visited_at) pairs change: the household's
    from the visit's month on (a visit moves every later month's last visit too). No statement
    when every visit falls in the current month (a month is stored only once it has ended), as in
    most uploads; one when nothing was stored for those months."""
    earliest: dict[int, str] = {}
    for hid, at in visits:
        label = _month(at).label
        earliest[hid] = min(earliest.get(hid, label), label)
    if not earliest:
        return 0
    first = min(earliest.values())
    if first >= _month(utcnow()).label:  # this month: never stored yet
        return 0
    result = await session.execute(
        delete(VisitMonthFact).where(VisitMonthFact.household_id.in_(list(earliest)), VisitMonthFact.month >= first)
    )
    dropped = result.rowcount or 0
    if dropped:  # the sweep fills those months again
        await session.execute(delete(VisitMonthClosed).where(VisitMonthClosed.month >= first))
    return dropped
