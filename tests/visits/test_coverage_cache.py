"""Coverage of a closed month from the facts stored for it (backend/visits/month_facts.py): the same
report as a live count, and never for a month a late visit can still change.

The little world of tests/support/world.py with visits in September, October and November 2026;
VISIT_MAX_AGE_DAYS is 30, so on 12-20 September and October are closed and November is not.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from backend.households.models import HouseholdTag
from backend.org.models import Household
from backend.visits import coverage as visit_coverage
from backend.visits import month_facts
from backend.visits.cycles import CyclePolicy
from backend.visits.models import VisitMonthClosed, VisitMonthFact
from tests.support.clock import set_now, sh
from tests.support.statements import Statements
from tests.support.visits import visit
from tests.support.world import add_visit

VISITS = [
    ("h1", "wA", sh(2026, 9, 3, 10), "met"),
    ("h4", "wA", sh(2026, 9, 30, 23, 50), "not_home"),
    ("h5", "cB", sh(2026, 9, 12, 10), "refused"),
    ("h8", "wB", sh(2026, 9, 14, 10), "met"),
    ("h1", "wA", sh(2026, 10, 5, 10), "met"),
    ("h2", "wA", sh(2026, 10, 10, 10), "met"),
    ("h3", "wA", sh(2026, 10, 31, 23, 30), "met"),
    ("h6", "wA", sh(2026, 10, 3, 10), "not_home"),
    ("h6", "cB", sh(2026, 10, 8, 10), "met"),
    ("h7", "wB", sh(2026, 10, 1, 0, 30), "moved"),
    ("h9", "wA", sh(2026, 10, 18, 10), "not_home"),
    ("h10", "wA", sh(2026, 11, 1, 0, 0), "met"),  # the first moment of November: October's end
    ("h3", "wA", sh(2026, 11, 15, 10), "not_home"),
]


@pytest.fixture
async def visited(session, world):
    for household, worker, at, outcome in VISITS:
        await add_visit(session, world, household, worker, at, outcome)
    await session.commit()
    return world


def grids_of(w) -> set[int]:
    return set(w.grids.values())


async def fill(session, settings) -> int:
    stored = 0
    while n := await month_facts.fill_closed_months(session, settings):
        stored += n
    await session.commit()
    return stored


async def both(session, grids, period, settings):
    """(from the store when the month is closed, always live)"""
    policy, window = CyclePolicy.from_settings(settings), month_facts.backfill_window(settings)
    stored = await visit_coverage.coverage(session, grids, period, policy, window)
    live = await visit_coverage.coverage(session, grids, period, policy, None)
    return stored, live


async def stored_months(session) -> set[str]:
    return set((await session.scalars(select(VisitMonthFact.month).distinct())).all())


async def test_a_closed_month_from_its_stored_facts_is_the_live_count(app, db, session, visited):
    w, settings, (_, engine) = visited, app.state.settings, db
    set_now(sh(2026, 12, 20, 12))
    assert await fill(session, settings) > 0
    assert {"2026-09", "2026-10"} <= await stored_months(session)
    assert "2026-11" not in await stored_months(session) and "2026-12" not in await stored_months(session)
    closed = set((await session.scalars(select(VisitMonthClosed.month))).all())
    assert {"2026-09", "2026-10"} <= closed
    for period in ("2026-09", "2026-10"):
        with Statements(engine) as seen:
            stored = await visit_coverage.coverage(
                session,
                grids_of(w),
                period,
                CyclePolicy.from_settings(settings),
                month_facts.backfill_window(settings),
            )
        assert seen.reading("visit") == [], "a stored month reads no visit"
        assert len(seen.texts) == 5
        live = await visit_coverage.coverage(session, grids_of(w), period, CyclePolicy.from_settings(settings))
        assert stored == live
    october = live
    # by hand: h1 h2 h3 h6 h7 h9 visited in October (h10's visit is November's first moment)
    assert october.figures["visited"]["buckets"]["visited"] == sorted(
        w.h[k] for k in ("h1", "h2", "h3", "h6", "h7", "h9")
    )
    # h10 was reached at October's end exactly, h2 (独居老人, 7 days) on 10-10: overdue
    assert w.h["h10"] in october.figures["within_cycle"]["buckets"]["within_cycle"]
    assert w.h["h2"] in october.figures["within_cycle"]["buckets"]["overdue"]

    # what is not a visit is read as it is today: a new care tag, a household moved to another
    # grid, a household registered since (no stored row: read live)
    session.add(HouseholdTag(household_id=w.h["h1"], tag="独居老人"))
    await session.execute(update(Household).where(Household.id == w.h["h10"]).values(grid_id=w.grids["B"]))
    h = await session.get(Household, w.h["h4"])
    session.add(
        Household(
            grid_id=h.grid_id, compound_id=h.compound_id, building_id=h.building_id, unit_id=h.unit_id, room="新户"
        )
    )
    await session.commit()
    for period in ("2026-09", "2026-10"):
        stored, live = await both(session, grids_of(w), period, settings)
        assert stored == live
    assert stored.total["households"] == 11


async def test_the_route_answers_a_stored_month_as_a_live_one(api, app, session, visited):
    w = visited
    set_now(sh(2026, 12, 20, 12))
    before = await api.ok("GET", "/api/v1/visits/coverage?period=2026-10", w.codes["admin"])
    await fill(session, app.state.settings)
    assert "2026-10" in await stored_months(session)
    after = await api.ok("GET", "/api/v1/visits/coverage?period=2026-10", w.codes["admin"])
    assert after == before


async def test_a_month_inside_the_window_is_never_served_from_the_store(api, app, db, session, visited):
    """On 11-20 October ended 19 days ago: a phone may still upload a visit of October."""
    w, settings, (_, engine) = visited, app.state.settings, db
    set_now(sh(2026, 11, 20, 12))
    await fill(session, settings)
    assert "2026-10" not in await stored_months(session)
    # even rows that say otherwise (nobody visited, nobody reached) are not read for October
    rows = [
        VisitMonthFact(month="2026-10", household_id=hid, last_reached_at=None, outcomes=[]) for hid in w.h.values()
    ]
    session.add_all(rows)
    await session.commit()
    with Statements(engine) as seen:
        stored, live = await both(session, grids_of(w), "2026-10", settings)
    assert stored == live and stored.total["visited"] == 6
    assert not any("visitmonthfact" in t for t in seen.texts)

    # a late visit of October (h4, 10-25) changes October
    path = "/api/v1/visits/coverage?period=2026-10"
    before = await api.ok("GET", path, w.codes["admin"])
    batch = {"visits": [visit(w.h["h4"], at=sh(2026, 10, 25, 10))]}
    (result,) = (await api.ok("POST", "/api/v1/visits/batch", w.codes["wA"], json=batch))["results"]
    assert result["status"] == "created"
    after = await api.ok("GET", path, w.codes["admin"])
    assert after["total"]["visited"] == before["total"]["visited"] + 1
    assert after["total"]["met"] == before["total"]["met"] + 1
    # and the late visit dropped the rows that could have hidden it
    # (September, closed since 10-21, is stored and stays: the visit is October's)
    assert set(
        (await session.scalars(select(VisitMonthFact.month).where(VisitMonthFact.household_id == w.h["h4"]))).all()
    ) == {"2026-09"}


async def test_a_late_visit_of_a_stored_month_drops_its_facts(api, app, session, visited):
    """Should VISIT_MAX_AGE_DAYS be raised after October was stored, a visit of October may still
    arrive: it drops what was stored for its household from October on, and October is stored again."""
    w, settings = visited, app.state.settings
    set_now(sh(2026, 12, 20, 12))
    await fill(session, settings)
    path = "/api/v1/visits/coverage?period=2026-10"
    before = await api.ok("GET", path, w.codes["admin"])
    settings.visit_max_age_days = 90
    try:
        batch = {"visits": [visit(w.h["h4"], at=sh(2026, 10, 25, 10))]}
        (result,) = (await api.ok("POST", "/api/v1/visits/batch", w.codes["wA"], json=batch))["results"]
        assert result["status"] == "created"
    finally:
        settings.visit_max_age_days = 30
    await session.commit()
    left = set(
        (await session.scalars(select(VisitMonthFact.month).where(VisitMonthFact.household_id == w.h["h4"]))).all()
    )
    assert left == {"2026-09"}, "October on are dropped, September stays"
    assert "2026-10" not in set((await session.scalars(select(VisitMonthClosed.month))).all())
    # October is closed again (window 30 days): h4 is read live, the others from the store
    after = await api.ok("GET", path, w.codes["admin"])
    assert after["total"]["visited"] == before["total"]["visited"] + 1
    stored, live = await both(session, grids_of(w), "2026-10", settings)
    assert stored == live
    assert await fill(session, settings) >= 1  # h4's October stored again
    stored, live = await both(session, grids_of(w), "2026-10", settings)
    assert stored == live and w.h["h4"] in stored.figures["visited"]["buckets"]["visited"]
