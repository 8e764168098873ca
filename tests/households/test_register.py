"""The household register: grid workers see their grids' households with phones, building chiefs
their building's, community and street admins everything below them with phones masked; nobody
else sees anything."""

from __future__ import annotations

from sqlalchemy import select

from backend.households.models import HouseholdTag, Resident
from backend.org.models import Household, RoleGrant
from tests.support.api import error
from tests.support.demo import grid_id, households_of_grid, user_id

G1, G2 = "和谐社区第一网格", "和谐社区第二网格"
PHONE_MASK = "****"


async def test_a_grid_worker_of_grid_a_cannot_read_grid_b(api, session):
    g1, g2 = await grid_id(session, G1), await grid_id(session, G2)
    b_households = await households_of_grid(session, G2)
    page = await api.ok("GET", "/api/v1/households?limit=100", "demo-gridworker")
    assert page["items"] and {h["grid_id"] for h in page["items"]} == {g1}
    error(await api.get(f"/api/v1/households/{b_households[0]}", "demo-gridworker"), 403, "out_of_scope")
    error(await api.get(f"/api/v1/households?grid_id={g2}", "demo-gridworker"), 403, "out_of_scope")
    error(await api.get(f"/api/v1/households/{b_households[0]}/visits", "demo-gridworker"), 403, "out_of_scope")
    error(await api.get(f"/api/v1/households/export?grid_id={g2}", "demo-gridworker"), 403, "out_of_scope")
    r = await api.call("PUT", f"/api/v1/households/{b_households[0]}", "demo-gridworker", json={})
    error(r, 403, "out_of_scope")
    # and the other way round
    error(await api.get(f"/api/v1/households/{page['items'][0]['id']}", "demo-gridworker2"), 403, "out_of_scope")
    assert (await api.ok("GET", f"/api/v1/households/{b_households[0]}", "demo-gridworker2"))["grid_id"] == g2
    # every page stays in grid A
    seen, cursor = 0, None
    while True:
        url = "/api/v1/households?limit=30" + (f"&cursor={cursor}" if cursor else "")
        page = await api.ok("GET", url, "demo-gridworker")
        assert {h["grid_id"] for h in page["items"]} == {g1}
        seen += len(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == len(await households_of_grid(session, G1))


async def test_phones_are_masked_for_everyone_but_the_grid_and_building_staff(api, session):
    chief = await user_id(session, "demo-chief")
    grant = select(RoleGrant.scope_id).where(RoleGrant.user_id == chief, RoleGrant.role == "building_chief")
    building = (await session.execute(grant)).scalar_one()
    household = (
        await session.execute(
            select(Household.id)
            .where(Household.building_id == building, Resident.phone.is_not(None))
            .join(Resident, Resident.household_id == Household.id)
            .order_by(Household.id)
            .limit(1)
        )
    ).scalar_one()
    phones = {}
    for who in ("demo-gridworker", "demo-chief", "demo-admin", "demo-street"):
        body = await api.ok("GET", f"/api/v1/households/{household}", who)
        phones[who] = [r["phone"] for r in body["residents"] if r["phone"]]
        assert body["phones_masked"] == (who in ("demo-admin", "demo-street"))
    assert phones["demo-gridworker"] == phones["demo-chief"]
    assert all(PHONE_MASK not in p and len(p) == 11 for p in phones["demo-gridworker"])
    assert (
        phones["demo-admin"]
        == phones["demo-street"]
        == [p[:3] + PHONE_MASK + p[-4:] for p in phones["demo-gridworker"]]
    )

    # the building chief sees his building only
    other = (
        (
            await session.execute(
                select(Household.id).where(
                    Household.building_id != building, Household.grid_id == await grid_id(session, G1)
                )
            )
        )
        .scalars()
        .first()
    )
    error(await api.get(f"/api/v1/households/{other}", "demo-chief"), 403, "out_of_scope")
    chief_page = await api.ok("GET", "/api/v1/households?limit=100", "demo-chief")
    assert {h["building_id"] for h in chief_page["items"]} == {building}
    for who, code in (("demo-resident", "role_required"), ("demo-dispatcher", "role_required")):
        error(await api.get(f"/api/v1/households/{household}", who), 403, code)
        error(await api.get("/api/v1/households", who), 403, code)
    error(await api.get("/api/v1/households", None), 401)


async def test_filters_by_tag_and_name(api, session):
    g1 = await grid_id(session, G1)
    tagged = set(
        (
            await session.execute(
                select(HouseholdTag.household_id)
                .join(Household, Household.id == HouseholdTag.household_id)
                .where(HouseholdTag.tag == "独居老人", Household.grid_id == g1)
            )
        ).scalars()
    )
    assert tagged, "the demo has 独居老人 in grid 1"
    page = await api.ok("GET", "/api/v1/households?tag=独居老人&limit=100", "demo-gridworker")
    assert {h["id"] for h in page["items"]} == tagged
    assert all("独居老人" in h["care_tags"] for h in page["items"])
    someone = (
        (
            await session.execute(
                select(Resident).join(Household, Household.id == Resident.household_id).where(Household.grid_id == g1)
            )
        )
        .scalars()
        .first()
    )
    page = await api.ok("GET", f"/api/v1/households?q={someone.name}", "demo-gridworker")
    assert someone.household_id in [h["id"] for h in page["items"]]
    assert all(someone.name in [r["name"] for r in h["residents"]] for h in page["items"])


async def test_replace_a_households_register(api, session):
    household = (await households_of_grid(session, G1))[0]
    before = await api.ok("GET", f"/api/v1/households/{household}", "demo-gridworker")
    kept = before["residents"][0]
    body = {
        "address": "幸福路88号1号楼1单元101",
        "care_tags": ["高龄", "独居老人"],
        "residents": [
            {"id": kept["id"], "name": kept["name"], "relation": "本人", "phone": "13911112222"},
            {"name": "赵小满", "relation": "子女"},
        ],
    }
    after = await api.ok("PUT", f"/api/v1/households/{household}", "demo-gridworker", json=body)
    assert after["address"] == body["address"] and after["care_tags"] == ["独居老人", "高龄"]  # configured order
    assert [(r["name"], r["relation"], r["phone"]) for r in after["residents"]] == [
        (kept["name"], "本人", "13911112222"),
        ("赵小满", "子女", None),
    ]
    assert after["residents"][0]["id"] == kept["id"]
    # everybody else in the household was removed
    count = (await session.execute(select(Resident.id).where(Resident.household_id == household))).scalars().all()
    assert len(count) == 2

    # an admin sends back what he was shown (a masked phone): the number is kept
    admin_view = await api.ok("GET", f"/api/v1/households/{household}", "demo-admin")
    masked = admin_view["residents"][0]["phone"]
    assert masked == "139****2222"
    body["residents"][0]["phone"] = masked
    await api.ok("PUT", f"/api/v1/households/{household}", "demo-admin", json=body)
    assert (await api.ok("GET", f"/api/v1/households/{household}", "demo-gridworker"))["residents"][0]["phone"] == (
        "13911112222"
    )

    url = f"/api/v1/households/{household}"
    error(await api.call("PUT", url, "demo-gridworker", json={**body, "care_tags": ["富豪"]}), 422, "unknown_care_tag")
    twice = {**body, "residents": [{"name": "甲"}, {"name": "甲"}]}
    error(await api.call("PUT", url, "demo-gridworker", json=twice), 422, "duplicate_resident")
    bad_phone = {**body, "residents": [{"name": "甲", "phone": "12345"}]}
    error(await api.call("PUT", url, "demo-gridworker", json=bad_phone), 422, "invalid_phone")


async def test_care_tags_are_configurable(api, app):
    body = await api.ok("GET", "/api/v1/households/care-tags", "demo-gridworker")
    assert [t["tag"] for t in body["items"]][:2] == ["独居老人", "高龄"]
    assert {t["tag"]: t["cycle_days"] for t in body["items"]}["独居老人"] == 7
    app.state.settings.care_tags = [*app.state.settings.care_tags, "空巢老人"]
    try:
        body = await api.ok("GET", "/api/v1/households/care-tags", "demo-gridworker")
        assert "空巢老人" in [t["tag"] for t in body["items"]]
    finally:
        app.state.settings.care_tags = app.state.settings.care_tags[:-1]


async def test_a_name_passes_from_a_removed_resident_to_a_kept_one(api, session):
    household = (await households_of_grid(session, G1))[1]
    url = f"/api/v1/households/{household}"
    first = await api.ok(
        "PUT", url, "demo-gridworker", json={"residents": [{"name": "钱一"}, {"name": "钱二", "relation": "子女"}]}
    )
    one, two = first["residents"]
    after = await api.ok("PUT", url, "demo-gridworker", json={"residents": [{"id": one["id"], "name": "钱二"}]})
    assert [(r["id"], r["name"]) for r in after["residents"]] == [(one["id"], "钱二")]
    # two residents swapping names in one request is refused, not a server error
    both = await api.ok("PUT", url, "demo-gridworker", json={"residents": [{"name": "钱二"}, {"name": "钱三"}]})
    a, b = both["residents"]
    swap = {"residents": [{"id": a["id"], "name": b["name"]}, {"id": b["id"], "name": a["name"]}]}
    r = await api.call("PUT", url, "demo-gridworker", json=swap)
    assert r.status_code in (200, 409), r.text
    if r.status_code == 409:
        assert r.json()["error"] == "duplicate_resident"
    assert two["id"] not in [x["id"] for x in after["residents"]]
