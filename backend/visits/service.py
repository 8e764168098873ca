"""The rules of door-to-door visits.

Offline sync. A phone records visits without signal and uploads them later, perhaps several
times (a lost response, a retry, an overlapping queue). Each visit carries a `client_id` made on
the phone; the visit table has a unique constraint on it. A batch is validated in a constant
number of queries, inserted with one INSERT … ON CONFLICT (client_id) DO NOTHING … RETURNING, and
only the rows this request really inserted get findings and follow-ups: a concurrent request that
inserted the same visit first wins, and this one answers "duplicate" with the winner's id.

Cycles. A household is due again `cycle` days after the last visit that reached it (any outcome but
not_home: a closed door does not count). The cycle is the grid's (GridVisitCycle, default the
VISIT_CYCLE_DAYS setting), shortened by care tags (CARE_TAG_CYCLE_DAYS, e.g. 独居老人 7 days).

Coverage of a period (a calendar month, Asia/Shanghai), per household:
- visited: at least one visit in the period; then exactly one of met (someone was met), refused,
  moved, not_home — in that order of precedence, so met + refused + moved + not_home = visited;
- overdue: not reached within its cycle at the period's end (or now, for the current month).
Per worker, the same counts over that worker's own visits; `households` and `overdue` there are
the households the worker answers for (a grid worker: the grid; a building chief: the building).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import ScalarSelect

from backend.deliberation import service as deliberation_service
from backend.directory import service as directory_service
from backend.households.models import HouseholdTag
from backend.households.register import residents_of
from backend.households.requesters import requesters
from backend.households.scope import RegisterScope
from backend.issues import service as issues_service
from backend.kernel.clock import utcnow
from backend.kernel.pagination import encode_cursor, from_micros, micros
from backend.kernel.periods import parse_period
from backend.org.models import Community, Compound, Grid, Household, RoleGrant
from backend.visits.models import GridVisitCycle, Visit, VisitFinding
from backend.visits.schemas import VisitIn
from backend.wishes import service as wishes_service

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run a little fast
VISIT_ADAPTER = TypeAdapter(VisitIn)

# ---- the batch ----------------------------------------------------------------------------------


@dataclass
class ItemResult:
    client_id: str | None
    status: str  # created | duplicate | error
    id: int | None = None
    error: str | None = None
    detail: str | None = None
    follow_ups: list[dict] = field(default_factory=list)


def _raw_client_id(item: dict) -> str | None:
    value = item.get("client_id")
    return value[:64] if isinstance(value, str) else None


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ())) or "内容"
        msg = err.get("msg", "无效")
        parts.append(f"{where}: {msg.removeprefix('Value error, ')}")
    return "走访记录格式有误 — " + "; ".join(parts)


def _title(text: str) -> str:
    first = re.split(r"[。！？!?\n]", text.strip(), maxsplit=1)[0].strip() or text.strip()
    return first if len(first) <= 40 else first[:39] + "…"


async def _existing(session: AsyncSession, client_ids: Sequence) -> dict:
    if not client_ids:
        return {}
    rows = await session.execute(
        select(Visit.client_id, Visit.id, Visit.worker_id).where(Visit.client_id.in_(client_ids))
    )
    return {cid: (vid, wid) for cid, vid, wid in rows.all()}


def _known(client_id, found: tuple[int, int], worker_id: int) -> ItemResult:
    visit_id, owner = found
    if owner != worker_id:
        return ItemResult(
            str(client_id),
            "error",
            error="client_id_conflict",
            detail="该 client_id 已被他人的走访记录使用，请重新生成",
        )
    return ItemResult(str(client_id), "duplicate", id=visit_id)


def _check(
    visit: VisitIn,
    household: Household | None,
    residents: dict[int, set[int]],
    scope: RegisterScope,
    now: datetime,
    max_age: timedelta,
) -> tuple[str, str] | None:
    if household is None:
        return "household_not_found", f"住户 {visit.household_id} 不存在"
    if not scope.visits(household.grid_id, household.building_id):
        return "household_out_of_scope", "该住户不在您负责的网格或楼栋内"
    if visit.visited_at > now + CLOCK_SKEW:
        return "visited_at_in_future", "走访时间晚于当前时间，请检查手机的日期和时间"
    if visit.visited_at < now - max_age:
        return "visited_at_too_old", f"走访时间早于 {max_age.days} 天前，超出补录期限，请联系社区补登"
    for finding in visit.findings:
        if finding.resident_id is not None and finding.resident_id not in residents.get(household.id, set()):
            return "resident_not_in_household", f"居民 {finding.resident_id} 不是该户的登记居民"
    return None


def _insert_statement(session: AsyncSession, rows: list[dict]):
    dialect = session.get_bind().dialect.name
    table = Visit.__table__
    if dialect == "postgresql":
        stmt = postgresql.insert(table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table)
    else:  # pragma: no cover - the project runs on these two
        raise RuntimeError(f"unsupported database {dialect}")
    return (
        stmt.values(rows).on_conflict_do_nothing(index_elements=["client_id"]).returning(table.c.id, table.c.client_id)
    )


async def record_batch(
    session: AsyncSession,
    *,
    worker_id: int,
    scope: RegisterScope,
    items: Sequence[VisitIn | dict],
    max_age: timedelta,
) -> list[ItemResult]:
    """Store a batch of offline visits; one result per item, in the items' order."""
    now = utcnow()
    results: list[ItemResult | None] = [None] * len(items)
    first_of: dict = {}
    unique: list[tuple[int, VisitIn]] = []
    echoes: list[tuple[int, int]] = []  # (index, index of the same client_id earlier in the batch)
    for i, item in enumerate(items):
        if not isinstance(item, VisitIn):
            try:
                item = VISIT_ADAPTER.validate_python(item)
            except ValidationError as exc:
                results[i] = ItemResult(_raw_client_id(item), "error", error="invalid_item", detail=_describe(exc))
                continue
        if item.client_id in first_of:
            echoes.append((i, first_of[item.client_id]))
            continue
        first_of[item.client_id] = i
        unique.append((i, item))

    existing = await _existing(session, [v.client_id for _, v in unique])
    household_ids = {v.household_id for _, v in unique}
    households: dict[int, Household] = {}
    community_of: dict[int, int] = {}
    if household_ids:
        rows = await session.execute(
            select(Household, Grid.community_id)
            .join(Grid, Grid.id == Household.grid_id)
            .where(Household.id.in_(household_ids))
        )
        for h, community_id in rows.all():
            households[h.id] = h
            community_of[h.id] = community_id
    residents: dict[int, set[int]] = {}
    if any(f.resident_id for _, v in unique for f in v.findings):
        people = await residents_of(session, household_ids)
        residents = {hid: {r.id for r in rs} for hid, rs in people.items()}

    to_insert: list[tuple[int, VisitIn]] = []
    for i, visit in unique:
        if visit.client_id in existing:
            results[i] = _known(visit.client_id, existing[visit.client_id], worker_id)
            continue
        problem = _check(visit, households.get(visit.household_id), residents, scope, now, max_age)
        if problem is not None:
            results[i] = ItemResult(str(visit.client_id), "error", error=problem[0], detail=problem[1])
            continue
        to_insert.append((i, visit))

    inserted: dict = {}
    if to_insert:
        rows = [
            {
                "client_id": v.client_id,
                "household_id": v.household_id,
                "grid_id": households[v.household_id].grid_id,
                "compound_id": households[v.household_id].compound_id,
                "worker_id": worker_id,
                "visited_at": v.visited_at.astimezone(UTC),
                "outcome": v.outcome,
                "people_met": v.people_met,
                "note": v.note,
                "location": v.location.model_dump() if v.location else None,
                "created_at": now,
            }
            # one global order (by client_id), so that overlapping concurrent batches wait for each
            # other on the unique index instead of deadlocking
            for _, v in sorted(to_insert, key=lambda item: item[1].client_id)
        ]
        inserted = {cid: vid for vid, cid in (await session.execute(_insert_statement(session, rows))).all()}
    raced = [(i, v) for i, v in to_insert if v.client_id not in inserted]
    if raced:  # inserted by a concurrent request between our check and our insert
        winners = await _existing(session, [v.client_id for _, v in raced])
        for i, visit in raced:
            results[i] = _known(visit.client_id, winners[visit.client_id], worker_id)

    created = [(i, v, inserted[v.client_id]) for i, v in to_insert if v.client_id in inserted]
    for i, visit, visit_id in created:
        results[i] = ItemResult(str(visit.client_id), "created", id=visit_id)
    follow_ups = await _follow_up(session, worker_id, created, households, community_of)
    duplicates = [r for r in results if r is not None and r.status == "duplicate"]
    follow_ups.update(await follow_ups_of(session, [r.id for r in duplicates]))
    for r in results:
        if r is not None and r.id is not None:
            r.follow_ups = follow_ups.get(r.id, [])
    for i, j in echoes:
        first = results[j]
        assert first is not None
        status = "duplicate" if first.status in ("created", "duplicate") else first.status
        results[i] = ItemResult(first.client_id, status, first.id, first.error, first.detail, list(first.follow_ups))
    return [r for r in results if r is not None]


def follow_up_ref(finding: VisitFinding) -> dict | None:
    if finding.wish_id is not None:
        return {"kind": finding.kind, "type": "wish", "id": finding.wish_id}
    if finding.issue_id is not None:
        return {"kind": finding.kind, "type": "issue", "id": finding.issue_id}
    if finding.agenda_item_id is not None:
        return {"kind": finding.kind, "type": "agenda_item", "id": finding.agenda_item_id}
    return None


async def _follow_up(
    session: AsyncSession,
    worker_id: int,
    created: list[tuple[int, VisitIn, int]],
    households: dict[int, Household],
    community_of: dict[int, int],
) -> dict[int, list[dict]]:
    """Turn the findings of the visits just inserted into work, each linked back to its visit:
    a need → a micro-wish filed by the worker for the household's resident (pending review);
    a hazard or dispute → an open grid issue; a suggestion → a deliberation-day agenda item."""
    findings: list[VisitFinding] = []
    needs: list[tuple[VisitFinding, Household, int | None, str]] = []
    issues: list[tuple[VisitFinding, issues_service.IssueDraft]] = []
    agenda: list[tuple[VisitFinding, deliberation_service.AgendaDraft]] = []
    for _, visit, visit_id in created:
        household = households[visit.household_id]
        for f in visit.findings:
            row = VisitFinding(visit_id=visit_id, kind=f.kind, text=f.text, photos=list(f.photos))
            findings.append(row)
            if f.kind == "need":
                needs.append((row, household, f.resident_id, f.category or "other"))
            elif f.kind in ("hazard", "dispute"):
                draft = issues_service.IssueDraft(
                    grid_id=household.grid_id,
                    compound_id=household.compound_id,
                    household_id=household.id,
                    category=f.kind,
                    description=f.text,
                    raised_by=worker_id,
                    photos=list(f.photos),
                )
                issues.append((row, draft))
            else:
                draft = deliberation_service.AgendaDraft(
                    community_id=community_of[household.id],
                    compound_id=household.compound_id,
                    grid_id=household.grid_id,
                    text=f.text,
                    raised_by=worker_id,
                    raised_at=visit.visited_at,
                )
                agenda.append((row, draft))
    if not findings:
        return {}
    if needs:
        users = await requesters(session, [(h, rid) for _, h, rid, _ in needs])
        for (row, _, _, category), user in zip(needs, users, strict=True):
            wish = await wishes_service.create_wish(
                session,
                user,
                title=_title(row.text),
                description=row.text,
                category=category,
                photos=row.photos,
                filed_by=worker_id,
            )
            row.wish_id = wish.id
    for (row, _), issue in zip(issues, await issues_service.open_issues(session, [d for _, d in issues]), strict=True):
        row.issue_id = issue.id
    for (row, _), item in zip(agenda, await deliberation_service.propose(session, [d for _, d in agenda]), strict=True):
        row.agenda_item_id = item.id
    session.add_all(findings)
    await session.flush()
    out: dict[int, list[dict]] = defaultdict(list)
    for row in findings:
        ref = follow_up_ref(row)
        if ref is not None:
            out[row.visit_id].append(ref)
    return out


async def findings_of(session: AsyncSession, visit_ids: Iterable[int]) -> dict[int, list[VisitFinding]]:
    ids = set(visit_ids)
    out: dict[int, list[VisitFinding]] = defaultdict(list)
    if ids:
        rows = await session.execute(
            select(VisitFinding).where(VisitFinding.visit_id.in_(ids)).order_by(VisitFinding.id)
        )
        for f in rows.scalars():
            out[f.visit_id].append(f)
    return out


async def follow_ups_of(session: AsyncSession, visit_ids: Iterable[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for visit_id, rows in (await findings_of(session, visit_ids)).items():
        out[visit_id] = [ref for ref in map(follow_up_ref, rows) if ref is not None]
    return out


# ---- a household's history ----------------------------------------------------------------------


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


# ---- cycles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CyclePolicy:
    default_days: int
    tag_days: dict[str, int]

    def days(self, grid_days: int, tags: Iterable[str]) -> int:
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


async def _last_visits(
    session: AsyncSession, households, as_of: datetime, *, attempts: bool = True
) -> tuple[dict, dict]:
    """(last visit that reached the household, last visit of any outcome) per household, up to
    as_of; `households` is a subquery of household ids; without `attempts` the second is left out.
    One statement: per household, correlated max() lookups, each a backward probe of
    ix_visit_household_id_visited_at_outcome, so the cost follows the number of households and
    not the years of visits behind them."""
    h = aliased(Household)

    def last(*where) -> ScalarSelect:
        return (
            select(func.max(Visit.visited_at))
            .where(Visit.household_id == h.id, Visit.visited_at <= as_of, *where)
            .scalar_subquery()
        )

    columns = [h.id, last(Visit.outcome != "not_home")] + ([last()] if attempts else [])
    rows = (await session.execute(select(*columns).where(h.id.in_(households)))).all()
    reached = {row[0]: row[1] for row in rows if row[1] is not None}
    attempted = {row[0]: row[2] for row in rows if attempts and row[2] is not None}
    return reached, attempted


async def _tags(session: AsyncSession, households) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    rows = await session.execute(
        select(HouseholdTag.household_id, HouseholdTag.tag).where(HouseholdTag.household_id.in_(households))
    )
    for hid, tag in rows.all():
        out[hid].add(tag)
    return out


# ---- the worker's to-do list --------------------------------------------------------------------


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
    """Households the caller visits that are overdue or due within `within_days`, most urgent first:
    overdue before due; among the overdue, shorter cycles (care tags such as 独居老人) first, then the
    longest overdue (never visited first); among those due, the soonest first."""
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
    tags = await _tags(session, ids)
    cycles = await grid_cycles(session, {r[1] for r in rows}, policy.default_days)
    reached, attempted = await _last_visits(session, ids, now)
    horizon = now + timedelta(days=within_days)
    out: list[Due] = []
    for row in rows:
        hid, gid = row[0], row[1]
        days = policy.days(cycles[gid], tags.get(hid, ()))
        last = reached.get(hid)
        due_at = last + timedelta(days=days) if last is not None else None
        if due_at is not None and due_at > horizon:
            continue
        overdue = due_at is None or due_at <= now
        late = (now - due_at).days if due_at is not None and overdue else 0
        due_key = micros(due_at) if due_at is not None else 0
        key = (0, days, due_key, hid) if overdue else (1, due_key, days, hid)
        out.append(Due(tuple(row), tags.get(hid, set()), days, last, attempted.get(hid), due_at, overdue, late, key))
    out.sort(key=lambda d: d.key)
    if cursor is not None:
        out = [d for d in out if d.key > cursor]
    if len(out) > limit:
        return out[:limit], encode_cursor(*out[limit - 1].key)
    return out, None


# ---- coverage -----------------------------------------------------------------------------------

COUNT_FIELDS = ("households", "visited", "met", "not_home", "refused", "moved", "overdue")


def _blank() -> dict[str, int]:
    return dict.fromkeys(COUNT_FIELDS, 0)


def _classify(flags: set[str]) -> str:
    for outcome in ("met", "refused", "moved", "not_home"):
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


async def coverage(session: AsyncSession, grid_ids: set[int], period: str | None, policy: CyclePolicy) -> Coverage:
    """Coverage of the given grids over one month: eight queries whatever the number of households."""
    month = parse_period(period, default="month", kinds=("month",), not_future=True)
    label, start, end = month.label, month.start, month.end
    as_of = min(utcnow(), end)
    if not grid_ids:
        return Coverage(label, start, end, as_of, _blank(), [], [], [])
    in_grids = Household.grid_id.in_(grid_ids)
    ids = select(Household.id).where(in_grids).scalar_subquery()
    households = (
        await session.execute(
            select(Household.id, Household.grid_id, Household.compound_id, Household.building_id).where(in_grids)
        )
    ).all()
    tags = await _tags(session, ids)
    # the grids with their community's name and their visit cycle, in one statement
    grid_rows = (
        await session.execute(
            select(Grid.id, Grid.name, Grid.community_id, Community.name, GridVisitCycle.cycle_days)
            .join(Community, Community.id == Grid.community_id)
            .outerjoin(GridVisitCycle, GridVisitCycle.grid_id == Grid.id)
            .where(Grid.id.in_(grid_ids))
        )
    ).all()
    cycles = dict.fromkeys(grid_ids, policy.default_days)
    cycles.update({gid: days for gid, _, _, _, days in grid_rows if days is not None})
    community_names = {cid: cname for _, _, cid, cname, _ in grid_rows}
    reached, _ = await _last_visits(session, ids, as_of, attempts=False)
    visit_rows = await session.execute(
        select(Visit.household_id, Visit.worker_id, Visit.outcome)
        .where(Visit.household_id.in_(ids), Visit.visited_at >= start, Visit.visited_at < end)
        .distinct()
    )
    flags: dict[int, set[str]] = defaultdict(set)
    worker_flags: dict[tuple[int, int], set[str]] = defaultdict(set)
    for hid, wid, outcome in visit_rows.all():
        flags[hid].add(outcome)
        worker_flags[(hid, wid)].add(outcome)

    grid_of = {h[0]: h[1] for h in households}
    buildings = {h[3] for h in households}
    grants = await session.execute(
        select(RoleGrant.user_id, RoleGrant.role, RoleGrant.scope_id).where(
            or_(
                and_(RoleGrant.role == "grid_worker", RoleGrant.scope_type == "grid", RoleGrant.scope_id.in_(grid_ids)),
                and_(
                    RoleGrant.role == "building_chief",
                    RoleGrant.scope_type == "building",
                    RoleGrant.scope_id.in_(buildings),
                ),
            )
        )
    )
    grid_workers: dict[int, set[int]] = defaultdict(set)  # grid → users
    chiefs: dict[int, set[int]] = defaultdict(set)  # building → users
    for uid, role, scope_id in grants.all():
        (grid_workers if role == "grid_worker" else chiefs)[scope_id].add(uid)

    grid_counts: dict[int, dict] = {g: _blank() for g in grid_ids}
    compound_counts: dict[int, dict] = defaultdict(_blank)
    workers: dict[tuple[int, int], dict] = {}  # (grid, user) → counts
    roles: dict[tuple[int, int], str] = {}

    def worker(grid: int, uid: int, role: str) -> dict:
        key = (grid, uid)
        if key not in workers:
            workers[key] = _blank()
            roles[key] = role
        elif role != "visitor" and roles[key] == "visitor":
            roles[key] = role
        return workers[key]

    for g in grid_ids:
        for uid in grid_workers.get(g, ()):
            worker(g, uid, "grid_worker")
    for hid, gid, cid, bid in households:
        days = policy.days(cycles[gid], tags.get(hid, ()))
        last = reached.get(hid)
        overdue = last is None or last <= as_of - timedelta(days=days)
        counted = [grid_counts[gid], compound_counts[cid]]
        in_charge = grid_workers.get(gid, set())
        responsible = [worker(gid, uid, "grid_worker") for uid in in_charge]
        responsible += [worker(gid, uid, "building_chief") for uid in chiefs.get(bid, set()) - in_charge]
        for counts in counted + responsible:
            counts["households"] += 1
            counts["overdue"] += overdue
        if hid in flags:
            outcome = _classify(flags[hid])
            for counts in counted:
                counts["visited"] += 1
                counts[outcome] += 1
    for (hid, wid), outcomes in worker_flags.items():
        counts = worker(grid_of[hid], wid, "visitor")
        counts["visited"] += 1
        counts[_classify(outcomes)] += 1

    compound_rows = (
        await session.execute(
            select(Compound.id, Compound.name, Compound.community_id, Community.name)
            .join(Community, Community.id == Compound.community_id)
            .where(Compound.id.in_(compound_counts))
        )
    ).all()
    community_names.update({cid: cname for _, _, cid, cname in compound_rows})
    names = await directory_service.users_by_id(session, {uid for _, uid in workers})
    community_counts: dict[int, dict] = defaultdict(_blank)
    for compound_id, _, community_id, _ in compound_rows:
        for k, v in compound_counts[compound_id].items():
            community_counts[community_id][k] += v
    total = _blank()
    for counts in grid_counts.values():
        for k, v in counts.items():
            total[k] += v
    grids = [
        {
            "grid_id": grid_id,
            "name": name,
            "community_id": community_id,
            "cycle_days": cycles[grid_id],
            **grid_counts[grid_id],
            "workers": [
                {"worker_id": uid, "name": names[uid].name if uid in names else "", "role": roles[(gid, uid)], **c}
                for (gid, uid), c in sorted(workers.items())
                if gid == grid_id
            ],
        }
        for grid_id, name, community_id, _, _ in sorted(grid_rows)
    ]
    compounds = [
        {"compound_id": cid, "name": name, "community_id": community_id, **compound_counts[cid]}
        for cid, name, community_id, _ in sorted(compound_rows)
    ]
    communities = [
        {"community_id": cid, "name": community_names[cid], **community_counts[cid]}
        for cid in sorted({r[2] for r in grid_rows} | {r[2] for r in compound_rows})
    ]
    return Coverage(label, start, end, as_of, total, grids, compounds, communities)
