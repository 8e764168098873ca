"""Offline sync: storing a batch of visits recorded on a phone without signal.

A phone uploads its visits later, perhaps several times (a lost response, a retry, an overlapping
queue). Each visit carries a `client_id` made on the phone; the visit table has a unique
constraint on it. `record_batch` answers every item, in the items' order, in these steps:

1. parse: an item that is not a valid visit is answered `error invalid_item` (one malformed visit
   never blocks the others); a client_id repeated within the batch is answered like its first copy;
2. look up, in a constant number of queries: the client_ids already stored (answered `duplicate`
   with the stored id, or `error client_id_conflict` when another worker's visit has it), the
   households and their registered residents;
3. check each new visit (`_check`): the household exists and the caller visits it (a grid worker
   of its grid, a building chief of its building), visited_at is neither in the future (beyond a
   few minutes of clock skew) nor older than VISIT_MAX_AGE_DAYS, a need names a resident of the
   household;
4. insert with one INSERT … ON CONFLICT (client_id) DO NOTHING … RETURNING: a concurrent request
   that inserted the same visit first wins, and this one answers `duplicate` with the winner's id;
   the inserted visits drop whatever coverage facts were stored for their months (month_facts.py:
   none, unless VISIT_MAX_AGE_DAYS was raised since a month was stored);
5. only the rows this request really inserted get findings and follow-ups (findings.py); the
   duplicates are answered with the follow-ups made the first time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from backend.households.register import residents_of
from backend.households.scope import RegisterScope
from backend.kernel.clock import utcnow
from backend.kernel.labels import detail_and_fields
from backend.org.models import Grid, Household
from backend.visits import findings, month_facts
from backend.visits.kinds import ItemStatus
from backend.visits.models import Visit
from backend.visits.schemas import VisitIn

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run a little fast
VISIT_ADAPTER = TypeAdapter(VisitIn)


@dataclass
class ItemResult:
    client_id: str | None
    status: ItemStatus
    id: int | None = None
    error: str | None = None
    detail: str | None = None
    follow_ups: list[dict] = field(default_factory=list)


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
    batch = _parse(items)
    existing = await _existing(session, [v.client_id for _, v in batch.unique])
    places = await _places(session, batch.unique)
    to_insert: list[tuple[int, VisitIn]] = []
    for i, visit in batch.unique:
        if visit.client_id in existing:
            batch.results[i] = _known(visit.client_id, existing[visit.client_id], worker_id)
            continue
        problem = _check(visit, places.households.get(visit.household_id), places.residents, scope, now, max_age)
        if problem is not None:
            batch.results[i] = ItemResult(str(visit.client_id), ItemStatus.error, error=problem[0], detail=problem[1])
            continue
        to_insert.append((i, visit))
    created = await _insert(session, batch, to_insert, places.households, worker_id, now)
    follow_ups = await findings.follow_up(session, worker_id, created, places.households, places.community_of)
    duplicates = [r for r in batch.results if r is not None and r.status == ItemStatus.duplicate]
    follow_ups.update(await findings.follow_ups_of(session, [r.id for r in duplicates]))
    for r in batch.results:
        if r is not None and r.id is not None:
            r.follow_ups = follow_ups.get(r.id, [])
    batch.answer_echoes()
    return [r for r in batch.results if r is not None]


# ---- 1. parse ----------------------------------------------------------------------------------


@dataclass
class _Batch:
    """The answer to each item so far (None: not yet), the valid items with a client_id not seen
    before in the batch, and the items that repeat an earlier one's client_id."""

    results: list[ItemResult | None]
    unique: list[tuple[int, VisitIn]] = field(default_factory=list)
    echoes: list[tuple[int, int]] = field(default_factory=list)  # (index, index of the first copy)

    def answer_echoes(self) -> None:
        """A repeated client_id is answered like its first copy: created becomes duplicate."""
        for i, j in self.echoes:
            first = self.results[j]
            assert first is not None
            created_or_stored = first.status in (ItemStatus.created, ItemStatus.duplicate)
            status = ItemStatus.duplicate if created_or_stored else first.status
            self.results[i] = ItemResult(
                first.client_id, status, first.id, first.error, first.detail, list(first.follow_ups)
            )


def _parse(items: Sequence[VisitIn | dict]) -> _Batch:
    batch = _Batch(results=[None] * len(items))
    first_of: dict = {}
    for i, item in enumerate(items):
        if not isinstance(item, VisitIn):
            try:
                item = VISIT_ADAPTER.validate_python(item)
            except ValidationError as exc:
                batch.results[i] = ItemResult(
                    _raw_client_id(item), ItemStatus.error, error="invalid_item", detail=_describe(exc)
                )
                continue
        if item.client_id in first_of:
            batch.echoes.append((i, first_of[item.client_id]))
            continue
        first_of[item.client_id] = i
        batch.unique.append((i, item))
    return batch


def _raw_client_id(item: dict) -> str | None:
    value = item.get("client_id")
    return value[:64] if isinstance(value, str) else None


def _describe(exc: ValidationError) -> str:
    """The item's problems in Chinese, each field named by its label (as every 422 is)."""
    detail, _ = detail_and_fields(exc.errors(), limit=3)
    return f"走访记录格式有误：{detail}"


# ---- 2. look up --------------------------------------------------------------------------------


async def _existing(session: AsyncSession, client_ids: Sequence) -> dict:
    """{client_id: (visit id, worker id)} of the client_ids already stored."""
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
            ItemStatus.error,
            error="client_id_conflict",
            detail="该 client_id 已被他人的走访记录使用，请重新生成",
        )
    return ItemResult(str(client_id), ItemStatus.duplicate, id=visit_id)


@dataclass
class _Places:
    households: dict[int, Household]
    community_of: dict[int, int]  # household → community (of its grid)
    residents: dict[int, set[int]]  # household → resident ids, read only when a finding names one


async def _places(session: AsyncSession, unique: list[tuple[int, VisitIn]]) -> _Places:
    household_ids = {v.household_id for _, v in unique}
    places = _Places({}, {}, {})
    if household_ids:
        rows = await session.execute(
            select(Household, Grid.community_id)
            .join(Grid, Grid.id == Household.grid_id)
            .where(Household.id.in_(household_ids))
        )
        for h, community_id in rows.all():
            places.households[h.id] = h
            places.community_of[h.id] = community_id
    if any(f.resident_id for _, v in unique for f in v.findings):
        people = await residents_of(session, household_ids)
        places.residents = {hid: {r.id for r in rs} for hid, rs in people.items()}
    return places


# ---- 3. check ----------------------------------------------------------------------------------


def _check(
    visit: VisitIn,
    household: Household | None,
    residents: dict[int, set[int]],
    scope: RegisterScope,
    now: datetime,
    max_age: timedelta,
) -> tuple[str, str] | None:
    """(error code, detail) when the visit may not be stored."""
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


# ---- 4. insert ---------------------------------------------------------------------------------


async def _insert(
    session: AsyncSession,
    batch: _Batch,
    to_insert: list[tuple[int, VisitIn]],
    households: dict[int, Household],
    worker_id: int,
    now: datetime,
) -> list[findings.Created]:
    """Insert the checked visits; answer each `created`, or `duplicate` when a concurrent request
    inserted it first. Returns (index, visit, id) of the rows this request inserted."""
    inserted: dict = {}
    if to_insert:
        rows = [
            _row(v, households[v.household_id], worker_id, now)
            # one global order (by client_id), so that overlapping concurrent batches wait for each
            # other on the unique index instead of deadlocking
            for _, v in sorted(to_insert, key=lambda item: item[1].client_id)
        ]
        inserted = {cid: vid for vid, cid in (await session.execute(_insert_statement(session, rows))).all()}
    raced = [(i, v) for i, v in to_insert if v.client_id not in inserted]
    if raced:  # inserted by a concurrent request between our check and our insert
        winners = await _existing(session, [v.client_id for _, v in raced])
        for i, visit in raced:
            batch.results[i] = _known(visit.client_id, winners[visit.client_id], worker_id)
    created = [(i, v, inserted[v.client_id]) for i, v in to_insert if v.client_id in inserted]
    if created:  # a visit that changes a month whose facts were stored (month_facts.py)
        await month_facts.forget(session, [(v.household_id, v.visited_at) for _, v, _ in created])
    for i, visit, visit_id in created:
        batch.results[i] = ItemResult(str(visit.client_id), ItemStatus.created, id=visit_id)
    return created


def _row(v: VisitIn, household: Household, worker_id: int, now: datetime) -> dict:
    return {
        "client_id": v.client_id,
        "household_id": v.household_id,
        "grid_id": household.grid_id,
        "compound_id": household.compound_id,
        "worker_id": worker_id,
        "visited_at": v.visited_at.astimezone(UTC),
        "outcome": v.outcome,
        "people_met": v.people_met,
        "note": v.note,
        "location": v.location.model_dump() if v.location else None,
        "created_at": now,
    }


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
