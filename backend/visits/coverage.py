"""Visit coverage of a month (Asia/Shanghai) over a set of grids, per grid and its workers, rolled up
to compound and community. Which grids a caller may ask for is policy.py's rule.

Per household:
- visited: at least one visit in the period; then exactly one of met (someone was met), refused,
  moved, not_home, in that order of precedence (kinds.PRECEDENCE), so
  met + refused + moved + not_home = visited;
- overdue: not reached within its cycle (cycles.py) at the period's end, or now for the current
  month (`as_of`).
Per worker, the same counts over that worker's own visits; `households` and `overdue` there are
the households the worker answers for (a grid worker: the grid; a building chief: the building,
unless they are also a grid worker of its grid). A worker appears under a grid as `grid_worker`
or `building_chief` when they answer for households in it, else as `visitor` (someone who
visited there without a grant on it).

Six queries whatever the number of households (the households read with their care tags and
their last visits in one); a month past the back-fill window reads its visits from the facts stored
for it (month_facts.py), five then, and recounts them exactly as a live report would.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.households.models import HouseholdTag
from backend.kernel.clock import utcnow
from backend.kernel.driver_read import DriverRead
from backend.kernel.figures import figure
from backend.kernel.periods import Period, parse_period
from backend.org.models import Community, Compound, Grid, Household, RoleGrant
from backend.visits import month_facts
from backend.visits.cycles import CyclePolicy, last_visit_at
from backend.visits.kinds import PRECEDENCE, CoverageRole
from backend.visits.models import GridVisitCycle, VisitMonthFact

COUNT_FIELDS = ("households", "visited", "met", "not_home", "refused", "moved", "overdue")


def _blank() -> dict[str, int]:
    return dict.fromkeys(COUNT_FIELDS, 0)


def _classify(flags: set[str]) -> str:
    """The outcome a household (or a worker's visits to it) counts under in the period."""
    for outcome in PRECEDENCE:
        if outcome in flags:
            return outcome
    raise AssertionError(flags)


@dataclass
class Coverage:
    period: str
    start: datetime
    end: datetime
    as_of: datetime
    total: dict
    grids: list[dict]
    compounds: list[dict]
    communities: list[dict]
    figures: dict = field(default_factory=dict)


VISITED_DEFINITION = "按户计：本月有走访记录（见到或未见到）的户数 ÷ 范围内的户数"
CYCLE_DEFINITION = "按户计：在各自走访周期内见到过的户数 ÷ 范围内的户数（截至统计时刻）"


def _figures(visited: dict[str, list[int]], cycle: dict[str, list[int]]) -> dict:
    return {
        "visited": figure("本月走访覆盖率", "household", visited, ["visited"], VISITED_DEFINITION),
        "within_cycle": figure("周期内走访率", "household", cycle, ["within_cycle"], CYCLE_DEFINITION),
    }


async def coverage(
    session: AsyncSession,
    grid_ids: set[int],
    period: str | None,
    policy: CyclePolicy,
    backfill: timedelta | None = None,
) -> Coverage:
    """Coverage of the given grids over one month (`period`, default this month). With the
    back-fill window (`backfill`, see month_facts.py) a closed month's visits are read from their
    stored facts; without it, always from the visits."""
    month = parse_period(period, default="month", kinds=("month",), not_future=True)
    now = utcnow()
    as_of = min(now, month.end)
    if not grid_ids:
        return Coverage(month.label, month.start, month.end, as_of, _blank(), [], [], [])
    stored = backfill is not None and month_facts.is_closed(month, now, backfill)
    households, facts = await _households(session, grid_ids, policy, month, as_of, stored=stored)
    grids = await _grids(session, grid_ids, policy.default_days)
    tally = _Tally(grid_ids, await _staff(session, grid_ids, {h.building_id for h in households.values()}))
    visited: dict[str, list[int]] = {"visited": [], "not_visited": []}
    cycle: dict[str, list[int]] = {"within_cycle": [], "overdue": []}
    for hid, h in households.items():
        days = policy.days(grids.cycles[h.grid_id], h.tags)
        last = facts.reached.get(hid)
        overdue = last is None or last <= as_of - timedelta(days=days)
        tally.household(h.grid_id, h.compound_id, h.building_id, overdue, facts.of_household.get(hid))
        visited["visited" if facts.of_household.get(hid) else "not_visited"].append(hid)
        cycle["overdue" if overdue else "within_cycle"].append(hid)
    tally.settle()
    for (hid, wid), flags in facts.of_worker.items():
        tally.worker_visits(households[hid].grid_id, wid, flags)
    compound_rows = await _compounds(session, set(tally.compounds))
    grids.community_names.update({cid: cname for _, _, cid, cname in compound_rows})
    names = await directory_service.users_by_id(session, {uid for _, uid in tally.workers})
    return Coverage(
        month.label,
        month.start,
        month.end,
        as_of,
        _sum(tally.grids.values()),
        _grid_entries(grids, tally, names),
        [
            {"compound_id": cid, "name": name, "community_id": community_id, **tally.compounds[cid]}
            for cid, name, community_id, _ in sorted(compound_rows)
        ],
        _community_entries(grids, tally, compound_rows),
        _figures(visited, cycle),
    )


# ---- the reads ---------------------------------------------------------------------------------


@dataclass
class _Household:
    grid_id: int
    compound_id: int
    building_id: int
    tags: set[str] = field(default_factory=set)  # its care tags that shorten cycles


def _in(name: str):
    return bindparam(name, expanding=True)


@lru_cache(maxsize=32)
def _households_read(tags: tuple[str, ...], stored: bool) -> DriverRead:
    return DriverRead(_households_statement(tags, stored))


def _households_statement(tags: tuple[str, ...], stored: bool) -> Select:
    """The households of the grids (`grid_ids`) with their care tags among `tags`, and the last visit
    that reached each up to `as_of` (live) or the month's stored facts (`month`). Built once per
    shape: building and keying it afresh cost more CPU than running it."""
    in_grids = Household.grid_id.in_(_in("grid_ids"))
    tagged = and_(HouseholdTag.household_id == Household.id, HouseholdTag.tag.in_(tags))
    columns = [Household.id, Household.grid_id, Household.compound_id, Household.building_id, HouseholdTag.tag]
    stmt = select(*columns).outerjoin(HouseholdTag, tagged).where(in_grids).order_by(Household.id)
    if stored:
        fact = and_(VisitMonthFact.month == bindparam("month"), VisitMonthFact.household_id == Household.id)
        return stmt.add_columns(
            VisitMonthFact.household_id, VisitMonthFact.last_reached_at, VisitMonthFact.outcomes
        ).outerjoin(VisitMonthFact, fact)
    return stmt.add_columns(last_visit_at(Household.id, bindparam("as_of"), reached=True))


async def _households(
    session: AsyncSession, grid_ids: set[int], policy: CyclePolicy, month: Period, as_of: datetime, *, stored: bool
) -> tuple[dict[int, _Household], month_facts.Facts]:
    """The grids' households, by id, with their care tags and what the month's visits say of them.
    One statement reads the households, their tags and either the last visit that reached each
    (live) or the month's stored facts (a closed month); then one more for the month's outcomes
    (live), or two for the households with no stored row (usually none)."""
    read = _households_read(tuple(sorted(policy.tag_days)), stored)
    params = {"grid_ids": sorted(grid_ids), **({"month": month.label} if stored else {"as_of": as_of})}
    households: dict[int, _Household] = {}
    facts, missing = month_facts.Facts(), []
    for hid, gid, cid, bid, tag, *rest in await read.all(session, params):
        if hid not in households:
            households[hid] = _Household(gid, cid, bid)
            if not stored:
                if rest[0] is not None:
                    facts.reached[hid] = rest[0]
            elif rest[0] is None:
                missing.append(hid)
            else:
                facts.add_stored(hid, rest[1], rest[2])
        if tag is not None:
            households[hid].tags.add(tag)
    if not stored:
        facts.update(await month_facts.live_outcomes_in_grids(session, grid_ids, month))
    elif missing:
        facts.update(await month_facts.live(session, missing, month, as_of))
    return households, facts


@dataclass
class _Grids:
    rows: list[Row]  # (grid id, name, community id, community name, cycle days or None)
    cycles: dict[int, int]  # grid → its cycle (the default when it has none of its own)
    community_names: dict[int, str]


_GRIDS = DriverRead(
    select(Grid.id, Grid.name, Grid.community_id, Community.name, GridVisitCycle.cycle_days)
    .join(Community, Community.id == Grid.community_id)
    .outerjoin(GridVisitCycle, GridVisitCycle.grid_id == Grid.id)
    .where(Grid.id.in_(_in("grid_ids")))
)


async def _grids(session: AsyncSession, grid_ids: set[int], default_days: int) -> _Grids:
    """The grids with their community's name and their visit cycle, in one statement."""
    rows = await _GRIDS.all(session, {"grid_ids": sorted(grid_ids)})
    cycles = dict.fromkeys(grid_ids, default_days)
    cycles.update({gid: days for gid, _, _, _, days in rows if days is not None})
    return _Grids(list(rows), cycles, {cid: cname for _, _, cid, cname, _ in rows})


@dataclass
class _Staff:
    """Who answers for the households: grid workers per grid, building chiefs per building."""

    grid_workers: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    chiefs: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


_STAFF = DriverRead(
    select(RoleGrant.user_id, RoleGrant.role, RoleGrant.scope_id).where(
        or_(
            and_(
                RoleGrant.role == CoverageRole.grid_worker,
                RoleGrant.scope_type == "grid",
                RoleGrant.scope_id.in_(_in("grid_ids")),
            ),
            and_(
                RoleGrant.role == CoverageRole.building_chief,
                RoleGrant.scope_type == "building",
                RoleGrant.scope_id.in_(_in("buildings")),
            ),
        )
    )
)


async def _staff(session: AsyncSession, grid_ids: set[int], buildings: set[int]) -> _Staff:
    grants = await _STAFF.all(session, {"grid_ids": sorted(grid_ids), "buildings": sorted(buildings)})
    staff = _Staff()
    for uid, role, scope_id in grants:
        (staff.grid_workers if role == CoverageRole.grid_worker else staff.chiefs)[scope_id].add(uid)
    return staff


_COMPOUNDS = DriverRead(
    select(Compound.id, Compound.name, Compound.community_id, Community.name)
    .join(Community, Community.id == Compound.community_id)
    .where(Compound.id.in_(_in("compound_ids")))
)


async def _compounds(session: AsyncSession, compound_ids: set[int]) -> list[Row]:
    """(compound id, name, community id, community name) of the compounds counted."""
    return await _COMPOUNDS.all(session, {"compound_ids": sorted(compound_ids)})


# ---- counting ----------------------------------------------------------------------------------


class _Tally:
    """The counts per grid, per compound and per (grid, worker), and each worker's role there."""

    def __init__(self, grid_ids: set[int], staff: _Staff) -> None:
        self.staff = staff
        self.grids: dict[int, dict] = {g: _blank() for g in grid_ids}
        self.compounds: dict[int, dict] = defaultdict(_blank)
        self.workers: dict[tuple[int, int], dict] = {}  # (grid, user) → counts
        self.roles: dict[tuple[int, int], CoverageRole] = {}
        self._groups: dict[tuple[int, int, int], dict] = {}  # (grid, compound, building) → counts
        for g in grid_ids:  # a grid's workers are listed even when the grid has no household
            for uid in staff.grid_workers.get(g, ()):
                self.worker(g, uid, CoverageRole.grid_worker)

    def worker(self, grid: int, uid: int, role: CoverageRole) -> dict:
        """A worker's counts under a grid; a grant on it outranks having merely visited there."""
        key = (grid, uid)
        if key not in self.workers:
            self.workers[key] = _blank()
            self.roles[key] = role
        elif role != CoverageRole.visitor and self.roles[key] == CoverageRole.visitor:
            self.roles[key] = role
        return self.workers[key]

    def household(self, gid: int, cid: int, bid: int, overdue: bool, outcomes: set[str] | None) -> None:
        """A household counts in its grid and compound, and for everyone who answers for it: counted
        per (grid, compound, building) here, handed on to each of them by `settle`, once per group
        (everyone answering for one household of a building answers for all of them)."""
        counts = self._groups.get((gid, cid, bid))
        if counts is None:
            counts = self._groups[(gid, cid, bid)] = _blank()
        counts["households"] += 1
        counts["overdue"] += overdue
        if outcomes:
            counts["visited"] += 1
            counts[_classify(outcomes)] += 1

    def settle(self) -> None:
        """Hand the households' counts on to grids, compounds and the workers answering for them."""
        for (gid, cid, bid), counts in self._groups.items():
            for total in (self.grids[gid], self.compounds[cid]):
                for k, v in counts.items():
                    total[k] += v
            in_charge = self.staff.grid_workers.get(gid, set())
            responsible = [self.worker(gid, uid, CoverageRole.grid_worker) for uid in in_charge]
            responsible += [
                self.worker(gid, uid, CoverageRole.building_chief)
                for uid in self.staff.chiefs.get(bid, set()) - in_charge
            ]
            for total in responsible:
                total["households"] += counts["households"]
                total["overdue"] += counts["overdue"]
        self._groups.clear()

    def worker_visits(self, gid: int, wid: int, outcomes: set[str]) -> None:
        """A worker's own visits to one household in the period."""
        counts = self.worker(gid, wid, CoverageRole.visitor)
        counts["visited"] += 1
        counts[_classify(outcomes)] += 1


def _sum(counts: Iterable[dict]) -> dict[str, int]:
    total = _blank()
    for c in counts:
        for k, v in c.items():
            total[k] += v
    return total


# ---- the report --------------------------------------------------------------------------------


def _grid_entries(grids: _Grids, tally: _Tally, names: dict[int, User]) -> list[dict]:
    return [
        {
            "grid_id": grid_id,
            "name": name,
            "community_id": community_id,
            "cycle_days": grids.cycles[grid_id],
            **tally.grids[grid_id],
            "workers": [
                {
                    "worker_id": uid,
                    "name": names[uid].name if uid in names else "",
                    "role": tally.roles[(gid, uid)],
                    **c,
                }
                for (gid, uid), c in sorted(tally.workers.items())
                if gid == grid_id
            ],
        }
        for grid_id, name, community_id, _, _ in sorted(grids.rows)
    ]


def _community_entries(grids: _Grids, tally: _Tally, compound_rows: list[Row]) -> list[dict]:
    """Communities summed from their compounds (a community with grids but no household counts zero)."""
    counts: dict[int, dict] = defaultdict(_blank)
    for compound_id, _, community_id, _ in compound_rows:
        for k, v in tally.compounds[compound_id].items():
            counts[community_id][k] += v
    return [
        {"community_id": cid, "name": grids.community_names[cid], **counts[cid]}
        for cid in sorted({r[2] for r in grids.rows} | {r[2] for r in compound_rows})
    ]
