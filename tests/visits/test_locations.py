"""The grid worker's day on foot: each to-do card knows where its building is (导航 with
wx.openLocation), the register's keepers set a building's location, and a refused visit says
whether sending it again can help."""

from __future__ import annotations

from sqlalchemy import select

from backend.org.models import Building, Household
from tests.support.api import error
from tests.support.demo import households_of_grid
from tests.support.visits import visit


async def test_todo_and_register_carry_the_building_location(api, session):
    todo = await api.ok("GET", "/api/v1/visits/todo", "demo-gridworker")
    card = todo["items"][0]
    assert set(card["building"]) == {"id", "name", "latitude", "longitude"}
    building = await session.get(Building, card["building"]["id"])
    assert card["building"]["name"] == building.name
    moved = await api.ok(
        "PUT",
        f"/api/v1/org/buildings/{building.id}/location",
        "demo-gridworker",
        json={"latitude": 37.4351, "longitude": 118.6752},
    )
    assert moved == {"id": building.id, "name": building.name, "latitude": 37.4351, "longitude": 118.6752}
    todo = await api.ok("GET", "/api/v1/visits/todo", "demo-gridworker")
    here = [i for i in todo["items"] if i["building"]["id"] == building.id]
    assert here and all((i["building"]["latitude"], i["building"]["longitude"]) == (37.4351, 118.6752) for i in here)
    page = await api.ok("GET", "/api/v1/households?limit=100", "demo-gridworker")
    same = [h for h in page["items"] if h["building_id"] == building.id]
    assert same and same[0]["building"]["latitude"] == 37.4351


async def test_only_the_registers_keepers_set_a_location(api, session):
    mine = await households_of_grid(session, "和谐社区第一网格")
    mine_building = (await session.get(Household, mine[0])).building_id
    other = (await session.execute(select(Building.id).where(Building.id != mine_building))).scalars().first()
    body = {"latitude": 37.4, "longitude": 118.6}
    error(
        await api.call("PUT", f"/api/v1/org/buildings/{other}/location", "demo-resident", json=body),
        403,
        "role_required",
    )
    error(
        await api.call("PUT", "/api/v1/org/buildings/999999/location", "demo-gridworker", json=body),
        404,
        "building_not_found",
    )
    bad = {"latitude": 91, "longitude": 0}
    error(
        await api.call("PUT", f"/api/v1/org/buildings/{other}/location", "demo-street", json=bad), 422, "invalid_input"
    )


async def test_a_refused_visit_says_whether_a_retry_can_help(api, session):
    house = (await households_of_grid(session, "和谐社区第一网格"))[0]
    lost = visit(house, findings=[{"kind": "need", "text": "需要助行器", "resident_id": 999999}])
    outside = visit(999999)
    body = await api.ok("POST", "/api/v1/visits/batch", "demo-gridworker", json={"visits": [lost, outside]})
    by_error = {r["error"]: r["retryable"] for r in body["results"]}
    assert by_error == {"resident_not_in_household": True, "household_not_found": False}
    ok = await api.ok("POST", "/api/v1/visits/batch", "demo-gridworker", json={"visits": [visit(house)]})
    assert ok["results"][0]["status"] == "created" and ok["results"][0]["retryable"] is None
