"""Coverage and the to-do list against a little world whose figures are computed by hand.

Now is 2026-11-20 12:00 in Shanghai. Default cycle 30 days; h2 is 独居老人 (7 days).
Visits (Shanghai time):
  h1  wA met       11-05 10:00
  h2  wA met       11-10 10:00                  (7-day cycle: due 11-17, overdue)
  h3  wA met       10-31 23:30 (October!)   wA not_home 11-15 10:00
  h4  never visited
  h5  cB refused   11-12 10:00
  h6  wA not_home  11-03 10:00              cB met 11-08 10:00
  h7  wB moved     11-01 00:30 (November, though still October in UTC)
  h8  wB met       10-01 12:00               (overdue: 50 days)
  h9  wA not_home  11-18 10:00               (compound Y, grid A; never reached: overdue)
  h10 wA met       10-24 12:00               (due 11-23: in the to-do list, not overdue)
"""

from __future__ import annotations

import pytest

from tests.support.api import error
from tests.support.clock import set_now, sh
from tests.support.world import add_visit

COUNTS = ("households", "visited", "met", "not_home", "refused", "moved", "overdue")


def counts(row: dict) -> tuple:
    return tuple(row[k] for k in COUNTS)


@pytest.fixture
async def visited(session, world):
    for household, worker, at, outcome in [
        ("h1", "wA", sh(2026, 11, 5, 10), "met"),
        ("h2", "wA", sh(2026, 11, 10, 10), "met"),
        ("h3", "wA", sh(2026, 10, 31, 23, 30), "met"),
        ("h3", "wA", sh(2026, 11, 15, 10), "not_home"),
        ("h5", "cB", sh(2026, 11, 12, 10), "refused"),
        ("h6", "wA", sh(2026, 11, 3, 10), "not_home"),
        ("h6", "cB", sh(2026, 11, 8, 10), "met"),
        ("h7", "wB", sh(2026, 11, 1, 0, 30), "moved"),
        ("h8", "wB", sh(2026, 10, 1, 12), "met"),
        ("h9", "wA", sh(2026, 11, 18, 10), "not_home"),
        ("h10", "wA", sh(2026, 10, 24, 12), "met"),
    ]:
        await add_visit(session, world, household, worker, at, outcome)
    await session.commit()
    set_now(sh(2026, 11, 20, 12))
    return world


async def test_coverage_of_a_month_by_worker_grid_compound_and_community(api, visited):
    w = visited
    body = await api.ok("GET", "/api/v1/visits/coverage?period=2026-11", w.codes["admin"])
    assert body["period"] == "2026-11"
    assert body["period_start"].startswith("2026-10-31T16:00:00")  # 11-01 00:00 in Shanghai
    grids = {g["grid_id"]: g for g in body["grids"]}
    a, b = grids[w.grids["A"]], grids[w.grids["B"]]
    #                     households visited met not_home refused moved overdue
    assert counts(a) == (8, 6, 3, 2, 1, 0, 3)  # overdue: h2 h4 h9
    assert counts(b) == (2, 1, 0, 0, 0, 1, 1)  # overdue: h8
    workers = {x["worker_id"]: x for x in a["workers"]}
    assert counts(workers[w.users["wA"]]) == (8, 5, 2, 3, 0, 0, 3) and workers[w.users["wA"]]["role"] == "grid_worker"
    assert (
        counts(workers[w.users["cB"]]) == (2, 2, 1, 0, 1, 0, 0) and workers[w.users["cB"]]["role"] == "building_chief"
    )
    assert [counts(x) for x in b["workers"]] == [(2, 1, 0, 0, 0, 1, 1)]
    compounds = {c["compound_id"]: c for c in body["compounds"]}
    assert counts(compounds[w.compounds["X"]]) == (9, 6, 3, 1, 1, 1, 3)
    assert counts(compounds[w.compounds["Y"]]) == (1, 1, 0, 1, 0, 0, 1)
    (community,) = [c for c in body["communities"] if c["community_id"] == w.community]
    assert counts(community) == (10, 7, 3, 2, 1, 1, 4)


async def test_a_past_month_is_judged_at_its_end(api, visited):
    w = visited
    body = await api.ok("GET", "/api/v1/visits/coverage?period=2026-10", w.codes["admin"])
    (community,) = body["communities"]
    # October: h3 (23:30 on the 31st), h8, h10 met; at 11-01 00:00 only h3 and h10 are within 30 days
    assert counts(community) == (10, 3, 3, 0, 0, 0, 8)
    assert body["as_of"].startswith("2026-10-31T16:00:00")


async def test_a_grid_worker_sees_his_grid_only(api, visited):
    w = visited
    body = await api.ok("GET", "/api/v1/visits/coverage?period=2026-11", w.codes["wA"])
    assert [g["grid_id"] for g in body["grids"]] == [w.grids["A"]]
    assert counts(body["total"]) == (8, 6, 3, 2, 1, 0, 3)
    error(await api.get(f"/api/v1/visits/coverage?grid_id={w.grids['B']}", w.codes["wA"]), 403, "out_of_scope")
    error(await api.get("/api/v1/visits/coverage", w.codes["cB"]), 403, "role_required")
    error(await api.get("/api/v1/visits/coverage", "demo-resident"), 403, "role_required")
    error(await api.get("/api/v1/visits/coverage?period=2026-12", w.codes["wA"]), 422, "invalid_period")
    error(await api.get("/api/v1/visits/coverage?period=2026-13", w.codes["wA"]), 422, "invalid_period")


async def test_a_grid_with_a_longer_cycle(api, visited):
    w = visited
    path = f"/api/v1/visits/cycles/{w.grids['B']}"
    error(await api.call("PUT", path, w.codes["wB"], json={"cycle_days": 60}), 403, "role_required")
    error(await api.call("PUT", path, "demo-admin", json={"cycle_days": 60}), 403, "out_of_scope")
    assert await api.ok("PUT", path, w.codes["admin"], json={"cycle_days": 60}) == {
        "grid_id": w.grids["B"],
        "cycle_days": 60,
    }
    body = await api.ok("GET", f"/api/v1/visits/coverage?grid_id={w.grids['B']}&period=2026-11", w.codes["admin"])
    (b,) = body["grids"]
    assert b["cycle_days"] == 60 and counts(b) == (2, 1, 0, 0, 0, 1, 0)  # h8 is within 60 days


async def test_todo_lists_the_due_most_urgent_first(api, visited):
    w = visited
    body = await api.ok("GET", "/api/v1/visits/todo", w.codes["wA"])
    order = [i["household_id"] for i in body["items"]]
    # overdue first: the 独居老人 on a 7-day cycle, then never visited; then due within 7 days
    assert order == [w.h["h2"], w.h["h4"], w.h["h9"], w.h["h10"]]
    first, *_, last = body["items"]
    assert first["care_tags"] == ["独居老人"] and first["cycle_days"] == 7 and first["overdue"]
    assert first["days_overdue"] == 3 and first["due_at"].startswith("2026-11-17T02:00:00")
    assert body["items"][1]["due_at"] is None and body["items"][1]["last_visit_at"] is None
    never_reached = body["items"][2]
    assert never_reached["due_at"] is None and never_reached["last_attempt_at"].startswith("2026-11-18T02:00:00")
    assert not last["overdue"] and last["due_at"].startswith("2026-11-23T04:00:00")

    page1 = await api.ok("GET", "/api/v1/visits/todo?limit=2", w.codes["wA"])
    page2 = await api.ok("GET", f"/api/v1/visits/todo?limit=2&cursor={page1['next_cursor']}", w.codes["wA"])
    assert [i["household_id"] for i in page1["items"] + page2["items"]] == order and page2["next_cursor"] is None

    # within 0 days: only the overdue; h3 was last reached on 10-31 (its 11-15 visit found nobody
    # home), so it is due on 11-30 and appears with an 11-day horizon
    only_overdue = await api.ok("GET", "/api/v1/visits/todo?within_days=0", w.codes["wA"])
    assert [i["household_id"] for i in only_overdue["items"]] == order[:3]
    wider = await api.ok("GET", "/api/v1/visits/todo?within_days=11", w.codes["wA"])
    h3 = next(i for i in wider["items"] if i["household_id"] == w.h["h3"])
    assert h3["last_attempt_at"].startswith("2026-11-15T02:00:00") and h3["last_visit_at"].startswith("2026-10-31")

    # the building chief: his building only, nothing due there
    assert (await api.ok("GET", "/api/v1/visits/todo", w.codes["cB"]))["items"] == []
    error(await api.get("/api/v1/visits/todo", w.codes["admin"]), 403, "role_required")
    error(await api.get("/api/v1/visits/todo?cursor=abc", w.codes["wA"]), 422, "invalid_cursor")
