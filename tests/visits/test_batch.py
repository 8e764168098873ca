"""POST /api/v1/visits/batch: visits recorded offline on a phone, uploaded once or many times."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy import event, func, select

from backend.issues.models import GridIssue
from backend.kernel.clock import utcnow
from backend.org.models import Household, RoleGrant
from backend.visits.models import Visit, VisitFinding
from tests.support.api import error
from tests.support.demo import households_of_grid, user_id
from tests.support.visits import visit

G1, G2 = "和谐社区第一网格", "和谐社区第二网格"  # demo-gridworker, demo-gridworker2
URL = "/api/v1/visits/batch"


async def send(api, visits: list[dict], who: str = "demo-gridworker") -> dict:
    return await api.ok("POST", URL, who, json={"visits": visits})


def by_client(body: dict) -> dict[str, dict]:
    return {r["client_id"]: r for r in body["results"]}


async def stored(session, client_ids) -> int:
    ids = [uuid.UUID(c) for c in client_ids]
    return (await session.execute(select(func.count()).where(Visit.client_id.in_(ids)))).scalar_one()


async def test_same_batch_thrice_shuffled_and_overlapping(api, session):
    households = await households_of_grid(session, G1)
    base = utcnow() - timedelta(days=2)
    batch = [visit(h, at=base + timedelta(minutes=10 * i)) for i, h in enumerate(households[:10])]
    batch[1]["findings"] = [{"kind": "hazard", "text": "楼道堆放杂物，堵塞消防通道"}]
    batch[2]["findings"] = [{"kind": "suggestion", "text": "建议增加休息座椅"}]
    batch[3]["outcome"] = "not_home"

    first = await send(api, batch)
    assert (first["created"], first["duplicate"], first["error"]) == (10, 0, 0)
    assert [r["client_id"] for r in first["results"]] == [v["client_id"] for v in batch]  # the items' order
    ids = {c: r["id"] for c, r in by_client(first).items()}
    assert len(set(ids.values())) == 10
    follow = {c: r["follow_ups"] for c, r in by_client(first).items()}
    assert [f["type"] for f in follow[batch[1]["client_id"]]] == ["issue"]
    assert [f["type"] for f in follow[batch[2]["client_id"]]] == ["agenda_item"]

    # the response was lost: the phone sends the same batch again, then once more in another order
    again = await send(api, batch)
    assert (again["created"], again["duplicate"], again["error"]) == (0, 10, 0)
    shuffled = batch[:]
    random.Random(5).shuffle(shuffled)
    third = await send(api, shuffled)
    assert (third["created"], third["duplicate"], third["error"]) == (0, 10, 0)
    assert [r["client_id"] for r in third["results"]] == [v["client_id"] for v in shuffled]
    for body in (again, third):
        for c, r in by_client(body).items():
            assert r["status"] == "duplicate" and r["id"] == ids[c] and r["follow_ups"] == follow[c]

    # a later batch overlaps the first: 5 sent before, 5 new
    fresh = [visit(h, at=base + timedelta(hours=5, minutes=i)) for i, h in enumerate(households[10:15])]
    overlap = batch[5:] + fresh
    fourth = await send(api, overlap)
    assert (fourth["created"], fourth["duplicate"], fourth["error"]) == (5, 5, 0)
    for v in batch[5:]:
        assert by_client(fourth)[v["client_id"]]["id"] == ids[v["client_id"]]

    all_ids = [v["client_id"] for v in batch + fresh]
    assert await stored(session, all_ids) == 15
    visit_ids = [r["id"] for r in first["results"]]
    findings = (await session.execute(select(func.count()).where(VisitFinding.visit_id.in_(visit_ids)))).scalar_one()
    assert findings == 2
    issues = await session.execute(select(GridIssue).where(GridIssue.id == follow[batch[1]["client_id"]][0]["id"]))
    issue = issues.scalar_one()
    assert (issue.category, issue.status, issue.household_id) == ("hazard", "open", batch[1]["household_id"])


async def test_invalid_items_are_refused_one_by_one_and_valid_ones_kept(api, session):
    mine = await households_of_grid(session, G1)
    other = (await households_of_grid(session, G2))[0]
    now = utcnow()
    good = [visit(mine[0]), visit(mine[1], outcome="refused")]
    unknown = visit(2_000_000_000)
    outside = visit(other)
    future = visit(mine[2], at=now + timedelta(days=1))
    too_old = visit(mine[3], at=now - timedelta(days=31))
    bad_shape = {"client_id": str(uuid.uuid4()), "household_id": mine[4], "outcome": "asleep"}
    no_id = {"household_id": mine[4], "visited_at": now.isoformat(), "outcome": "met"}
    naive = visit(mine[5], at=now.replace(tzinfo=None))
    wrong_resident = visit(mine[6], findings=[{"kind": "need", "text": "需要拐杖", "resident_id": 2_000_000_000}])
    twice = visit(mine[7])
    items = [good[0], unknown, outside, future, too_old, bad_shape, no_id, naive, wrong_resident, good[1], twice, twice]

    body = await send(api, items)
    got = [(r["status"], r["error"]) for r in body["results"]]
    assert got == [
        ("created", None),
        ("error", "household_not_found"),
        ("error", "household_out_of_scope"),
        ("error", "visited_at_in_future"),
        ("error", "visited_at_too_old"),
        ("error", "invalid_item"),
        ("error", "invalid_item"),
        ("error", "invalid_item"),
        ("error", "resident_not_in_household"),
        ("created", None),
        ("created", None),
        ("duplicate", None),  # the same client_id twice in one batch: stored once
    ]
    assert (body["created"], body["duplicate"], body["error"]) == (3, 1, 8)
    results = body["results"]
    assert results[10]["id"] == results[11]["id"]
    assert results[6]["client_id"] is None and results[5]["client_id"] == bad_shape["client_id"]
    assert all(r["detail"] for r in results if r["status"] == "error")
    assert "走访结果" in results[5]["detail"]  # the field named by its Chinese label
    assert await stored(session, [v["client_id"] for v in (*good, twice)]) == 3
    refused = [unknown, outside, future, too_old, bad_shape, naive, wrong_resident]
    assert await stored(session, [v["client_id"] for v in refused]) == 0


async def test_a_household_outside_the_workers_grid_is_refused(api, session):
    other = await households_of_grid(session, G2)
    body = await send(api, [visit(h) for h in other[:3]])
    assert body["created"] == 0 and {r["error"] for r in body["results"]} == {"household_out_of_scope"}
    # the other grid's own worker may
    body = await send(api, [visit(h) for h in other[:3]], who="demo-gridworker2")
    assert body["created"] == 3


async def test_building_chief_visits_only_his_building(api, session):
    chief = await user_id(session, "demo-chief")
    grant = select(RoleGrant.scope_id).where(RoleGrant.user_id == chief, RoleGrant.role == "building_chief")
    building = (await session.execute(grant)).scalar_one()
    inside = (await session.execute(select(Household).where(Household.building_id == building))).scalars().first()
    # a household of the same grid, in another building: the grid worker's, not the chief's
    outside = (
        (
            await session.execute(
                select(Household.id).where(Household.building_id != building, Household.grid_id == inside.grid_id)
            )
        )
        .scalars()
        .first()
    )
    inside = inside.id
    body = await send(api, [visit(inside), visit(outside)], who="demo-chief")
    assert [(r["status"], r["error"]) for r in body["results"]] == [
        ("created", None),
        ("error", "household_out_of_scope"),
    ]


async def test_a_client_id_used_by_someone_else_is_not_leaked(api, session):
    mine = await households_of_grid(session, G1)
    theirs = await households_of_grid(session, G2)
    item = visit(mine[0])
    await send(api, [item])
    stolen = {**item, "household_id": theirs[0]}
    body = await send(api, [stolen], who="demo-gridworker2")
    r = body["results"][0]
    assert (r["status"], r["error"], r["id"]) == ("error", "client_id_conflict", None)


async def test_batch_size_and_roles(api, session):
    mine = await households_of_grid(session, G1)
    r = await api.post(URL, "demo-gridworker", json={"visits": [visit(mine[0]) for _ in range(201)]})
    error(r, 422, "invalid_input")
    error(await api.post(URL, "demo-gridworker", json={"visits": []}), 422, "invalid_input")
    error(await api.post(URL, "demo-resident", json={"visits": [visit(mine[0])]}), 403, "role_required")
    error(await api.post(URL, "demo-admin", json={"visits": [visit(mine[0])]}), 403, "role_required")
    error(await api.post(URL, None, json={"visits": [visit(mine[0])]}), 401)
    body = await send(api, [visit(h) for h in (mine * 3)[:200]])
    assert body["created"] == 200


async def test_a_batch_is_checked_in_a_constant_number_of_queries(api, session, db):
    """10 visits or 200: the same number of statements (no query per item)."""
    _, engine = db
    mine = await households_of_grid(session, G1)
    await api.login("demo-gridworker")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        sizes = {}
        for size in (10, 200):
            statements.clear()
            items = [visit(h) for h in (mine * 3)[: size - 2]]
            items += [visit(2_000_000_000), visit(mine[0], at=utcnow() + timedelta(days=2))]
            body = await send(api, items)
            assert body["created"] == size - 2 and body["error"] == 2
            sizes[size] = len(statements)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert sizes[10] == sizes[200], sizes
    assert sizes[200] <= 12, sizes
