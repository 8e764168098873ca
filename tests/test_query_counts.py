"""No N+1: the number of SQL statements a list endpoint runs does not grow with the page size."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from backend.households.models import HouseholdTag
from backend.org.models import Household
from tests.support.statements import Statements

LISTS = [
    ("demo-dispatcher", "/api/v1/wishes"),
    ("demo-resident", "/api/v1/wishes?mine=true"),
    ("demo-admin", "/api/v1/wishes"),
    ("demo-member", "/api/v1/wishes/wall"),
    ("demo-member3", "/api/v1/orders?mine=true"),
    ("demo-dispatcher", "/api/v1/orders?mine=false"),
    ("demo-dispatcher", "/api/v1/members/registrations?status="),
    ("demo-resident", "/api/v1/org/compounds"),
    ("demo-resident", "/api/v1/inbox"),
    ("demo-gridworker", "/api/v1/households"),
    ("demo-gridworker", "/api/v1/visits/todo"),
    ("demo-gridworker", "/api/v1/verifications?status=verified"),
    ("demo-street", "/api/v1/proposals"),
    ("demo-resident", "/api/v1/proposals"),
    ("demo-admin", "/api/v1/agenda"),
    # partners, volunteering, the time bank, the three lists (issue 19)
    ("demo-admin", "/api/v1/partners"),
    ("demo-resident", "/api/v1/teams"),
    ("demo-resident", "/api/v1/activities"),
    ("demo-resident", "/api/v1/timebank/offers"),
    ("demo-resident", "/api/v1/list-items"),
    # projects (issue 18)
    ("demo-admin", "/api/v1/projects"),
    ("demo-resident", "/api/v1/projects"),
]


class StatementCounter:
    def __init__(self, engine):
        self.engine = engine.sync_engine
        self.count = 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args):
        self.count += 1


async def _count(api, engine, who, path, limit):
    sep = "&" if "?" in path else "?"
    await api.headers(who)  # log in outside the count
    with StatementCounter(engine) as counter:
        r = await api.get(f"{path}{sep}limit={limit}", who)
    assert r.status_code == 200, r.text
    return counter.count, len(r.json()["items"])


async def _more_rows(api) -> None:
    """Enough rows that every list has more than one small page: inbox items, orders, registrations."""
    for i in range(3):
        wish = await api.ok(
            "POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": f"计数{i}", "category": "other"}
        )
        await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
        if i < 2:
            await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", "demo-member3")
    for i in range(3):
        await api.ok(
            "POST",
            "/api/v1/members/register",
            f"count-newcomer-{i}",
            status=201,
            json={"compound_id": 1, "work_unit": "区税务局"},
        )


@pytest.mark.parametrize("who, path", LISTS)
async def test_statements_do_not_grow_with_page_size(api, db, who, path):
    _, engine = db
    await _more_rows(api)
    small, n_small = await _count(api, engine, who, path, 2)
    large, n_large = await _count(api, engine, who, path, 50)
    assert n_large > n_small, f"{path}: the demo data should fill more than one small page"
    assert large == small, f"{path}: {small} statements for {n_small} items but {large} for {n_large}"


async def test_wish_detail_does_not_grow_with_its_timeline(api, db):
    _, engine = db
    members = [(await api.ok("GET", "/api/v1/me", m))["id"] for m in ("demo-member", "demo-member2")]
    ids = []
    for rounds in (1, 4):
        wish = await api.ok(
            "POST", "/api/v1/wishes", "demo-resident2", status=201, json={"title": "时间线", "category": "repair"}
        )
        await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
        for r in range(rounds):
            d = await api.ok(
                "POST", f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": members[r % 2]}
            )
            if r < rounds - 1:
                who = "demo-member" if r % 2 == 0 else "demo-member2"
                await api.ok("POST", f"/api/v1/orders/{d['order']['id']}/decline", who, json={"reason": "没空"})
        ids.append(wish["id"])
    counts, events = [], []
    for wid in ids:
        with StatementCounter(engine) as counter:
            body = await api.ok("GET", f"/api/v1/wishes/{wid}", "demo-dispatcher")
        counts.append(counter.count)
        events.append(len(body["events"]))
    assert events[1] > events[0] + 4
    assert counts[0] == counts[1], (counts, events)


async def test_coverage_reads_care_tags_and_last_visits_with_the_households(api, db, session):
    """Coverage runs a fixed number of statements however many households and care tags its grids
    hold, and reads the tags and each household's last visit in the statement that reads the
    households (not one statement each)."""
    _, engine = db
    who, path = "demo-gridworker", "/api/v1/visits/coverage"
    await api.headers(who)
    with Statements(engine) as before:
        body = await api.ok("GET", path, who)
    (grid,) = body["grids"]
    households = list((await session.scalars(select(Household).where(Household.grid_id == grid["grid_id"]))).all())
    h = households[0]
    for i in range(6):
        new = Household(grid_id=h.grid_id, compound_id=h.compound_id, building_id=h.building_id, unit_id=h.unit_id)
        new.room = f"计数{i}"
        session.add(new)
        await session.flush()
        session.add(HouseholdTag(household_id=new.id, tag="独居老人"))
        session.add(HouseholdTag(household_id=new.id, tag="高龄"))
    await session.commit()
    with Statements(engine) as after:
        body = await api.ok("GET", path, who)
    assert body["total"]["households"] == grid["households"] + 6
    assert len(after.texts) == len(before.texts), (before.texts, after.texts)
    (tags,) = after.reading("householdtag")
    columns = tags.split(" FROM ")[0]
    assert "householdtag.tag" in columns and "household.grid_id" in columns, "care tags read with the households"
    assert "max(visit.visited_at)" in columns, "and so is each household's last visit"


class StatementLog(StatementCounter):
    """The statements with their parameters, in order."""

    def __init__(self, engine):
        super().__init__(engine)
        self.seen: list[tuple[str, str]] = []

    def _hit(self, conn, cursor, statement, parameters, *args):
        super()._hit()
        self.seen.append((statement, repr(parameters)))


async def test_wish_detail_reads_each_row_once(api, db):
    """The requester's view of a wish a member holds: the member is read once (for the order and the
    contact card alike) and the last call-back comes from the timeline already read."""
    _, engine = db
    member = (await api.ok("GET", "/api/v1/me", "demo-member"))["id"]
    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-resident2", status=201, json={"title": "读一次", "category": "repair"}
    )
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    d = await api.ok("POST", f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": member})
    await api.ok("POST", f"/api/v1/orders/{d['order']['id']}/accept", "demo-member")
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/callback", "demo-resident2")
    await api.headers("demo-resident2")
    with StatementLog(engine) as log:
        body = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-resident2")
    assert body["contact"]["callback_requested_at"] is not None
    assert body["order"]["member_name"] == body["contact"]["member_name"]
    repeated = [s for s in set(log.seen) if log.seen.count(s) > 1]
    assert not repeated, repeated
    timeline = [s for s, _ in log.seen if "FROM wishevent" in s]
    assert len(timeline) == 1, ("the call-back time comes from the timeline read once", timeline)
