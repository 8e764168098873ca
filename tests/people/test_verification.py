"""住户认证 (issue 12, item 1): a claim to a household is a request until verified, by the WeChat
phone number matching the register or by the household's building chief / grid worker; until
then the account sees nothing of the household. A wish from a visit goes to the resident the grid
worker picked, never to whoever claimed the household last."""

from __future__ import annotations

import re

from sqlalchemy import select

from backend.airing.models import AiringSnapshot
from backend.directory.models import User
from backend.households.models import Resident
from backend.org.models import Building, Compound, Grid, Household
from backend.wishes.models import Wish
from tests.support.visits import visit

G1 = "和谐社区第一网格"


def error(r, status: int, code: str) -> dict:
    assert r.status_code == status, f"expected {status}, got {r.status_code} {r.text}"
    body = r.json()
    assert body["error"] == code and body["detail"], body
    return body


async def free_household(session, grid: str = G1, skip: int = 0) -> tuple[Household, list[Resident]]:
    """A household of `grid` that no account is bound to or claims, whose register lists at least
    two residents, the first with a mobile phone."""
    g = (await session.execute(select(Grid.id).where(Grid.name == grid))).scalar_one()
    bound = select(User.household_id).where(User.household_id.is_not(None))
    households = (
        await session.execute(
            select(Household).where(Household.grid_id == g, Household.id.not_in(bound)).order_by(Household.id)
        )
    ).scalars()
    found = 0
    for h in households:
        people = list(
            (
                await session.execute(select(Resident).where(Resident.household_id == h.id).order_by(Resident.id))
            ).scalars()
        )
        if (
            len(people) >= 2
            and all(p.user_id is None for p in people)
            and re.fullmatch(r"1\d{10}", people[0].phone or "")
        ):
            if found == skip:
                return h, people
            found += 1
    raise AssertionError("demo data lacks a free household with two residents")


async def claim(api, session, who: str, household: Household) -> dict:
    await api.login(who)
    return await api.ok(
        "PATCH",
        "/api/v1/me",
        who,
        json={"name": "陌生人", "compound_id": household.compound_id, "household_id": household.id},
    )


async def file_need(api, household_id: int, text: str, **finding) -> int:
    item = visit(household_id, findings=[{"kind": "need", "text": text, **finding}])
    body = await api.ok("POST", "/api/v1/visits/batch", "demo-gridworker", json={"visits": [item]})
    return body["results"][0]["follow_ups"][0]["id"]


# ---- a claim is a request ------------------------------------------------------------------------


async def test_a_claim_is_pending_and_sees_nothing_of_the_household(api, session):
    h, people = await free_household(session)
    me = await claim(api, session, "verify-stranger", h)
    assert me["household_status"] == "pending"
    assert me["household_id"] is None and me["room"] is None
    assert me["verification"]["status"] == "pending" and me["verification"]["household_id"] == h.id
    assert re.fullmatch(r"\d号楼\d单元\d0\d", me["verification"]["room"])

    # a need the grid worker finds there is filed for the household's resident, not for the claimant
    wish_id = await file_need(api, h.id, "钥匙在门垫下，老人需要有人陪同去医院复查")
    wish = await session.get(Wish, wish_id)
    requester = await session.get(User, wish.requester_id)
    assert requester.id != me["id"] and requester.name == people[0].name and requester.openid is None
    mine = await api.ok("GET", "/api/v1/wishes?mine=true&limit=100", "verify-stranger")
    assert wish_id not in [w["id"] for w in mine["items"]]
    error(await api.get(f"/api/v1/wishes/{wish_id}", "verify-stranger"), 403, "out_of_scope")
    error(
        await api.post(f"/api/v1/wishes/{wish_id}/cancel", "verify-stranger", json={"reason": "不要了"}),
        403,
        "not_requester",
    )

    # it may still place a wish for its compound (reviewed anyway), without a room on it
    placed = await api.ok(
        "POST", "/api/v1/wishes", "verify-stranger", status=201, json={"title": "楼道灯坏了", "category": "repair"}
    )
    assert placed["compound_id"] == h.compound_id and placed["requester"]["room"] is None


async def test_an_unverified_account_reads_only_its_compounds_airing(api, session):
    h, _ = await free_household(session)
    await claim(api, session, "verify-airing", h)
    page = await api.ok("GET", "/api/v1/airing?limit=100", "verify-airing")
    assert page["items"] and {a["compound_id"] for a in page["items"]} == {h.compound_id}
    community = (
        await session.execute(select(AiringSnapshot.id).where(AiringSnapshot.compound_id.is_(None)).limit(1))
    ).scalar_one()
    error(await api.get(f"/api/v1/airing/{community}", "verify-airing"), 403, "verification_required")
    # a verified resident of the same compound reads the community's
    full = await api.ok("GET", "/api/v1/airing?limit=100", "demo-resident")
    assert None in {a["compound_id"] for a in full["items"]}
    await api.ok("GET", f"/api/v1/airing/{community}", "demo-resident")


# ---- verified by the WeChat phone number ---------------------------------------------------------


async def test_the_wechat_phone_matching_the_register_verifies_the_claim(api, session):
    h, people = await free_household(session)
    await claim(api, session, "verify-phone", h)

    error(
        await api.post("/api/v1/me/verify-phone", "verify-phone", json={"code": "phone-13000000000"}),
        409,
        "phone_mismatch",
    )
    assert (await api.ok("GET", "/api/v1/me", "verify-phone"))["household_status"] == "pending"
    error(
        await api.post("/api/v1/me/verify-phone", "verify-phone", json={"code": "invalid-code"}),
        422,
        "invalid_phone_code",
    )

    me = await api.ok("POST", "/api/v1/me/verify-phone", "verify-phone", json={"code": f"phone-{people[0].phone}"})
    assert me["household_status"] == "verified" and me["household_id"] == h.id and me["room"]
    assert me["verification"]["status"] == "verified" and me["verification"]["method"] == "phone"
    assert me["phone"] == people[0].phone

    # the register marks the resident's verified account; a need for them is now theirs
    entry = await api.ok("GET", f"/api/v1/households/{h.id}", "demo-gridworker")
    flags = {r["id"]: r["verified_account"] for r in entry["residents"]}
    assert flags[people[0].id] is True and flags[people[1].id] is False
    wish_id = await file_need(api, h.id, "想请人帮忙修水龙头", resident_id=people[0].id)
    assert (await session.get(Wish, wish_id)).requester_id == me["id"]
    mine = await api.ok("GET", "/api/v1/wishes?mine=true&limit=100", "verify-phone")
    assert wish_id in [w["id"] for w in mine["items"]]

    # nothing left to verify
    error(
        await api.post("/api/v1/me/verify-phone", "verify-phone", json={"code": "phone-13800000001"}),
        409,
        "no_pending_verification",
    )


async def test_a_need_goes_to_the_resident_the_worker_picks(api, session):
    h, people = await free_household(session)
    await claim(api, session, "verify-last-binder", h)
    wish_id = await file_need(api, h.id, "需要一根结实的拐杖", resident_id=people[1].id)
    requester = await session.get(User, (await session.get(Wish, wish_id)).requester_id)
    assert requester.name == people[1].name and requester.openid is None  # filed on their behalf
    await session.refresh(people[1])
    assert people[1].user_id == requester.id


# ---- the building chief's / grid worker's queue --------------------------------------------------


async def test_the_queue_approves_and_refuses_with_a_reason_and_the_resident_is_told(api, session):
    h, people = await free_household(session)
    other, _ = await free_household(session, skip=1)
    a = (await claim(api, session, "verify-queue-a", h))["verification"]["id"]
    b = (await claim(api, session, "verify-queue-b", other))["verification"]["id"]

    queue = await api.ok("GET", "/api/v1/verifications?status=pending&limit=100", "demo-gridworker")
    items = {v["id"]: v for v in queue["items"]}
    assert {a, b} <= items.keys()
    item = items[a]
    assert item["user_name"] == "陌生人" and item["room"] and item["compound_name"] == "锦华苑"
    assert [r["name"] for r in item["residents"]] == [p.name for p in people]
    assert all(r["phone_masked"] is None or "****" in r["phone_masked"] for r in item["residents"])
    # a grid worker of another grid neither sees nor decides it
    other_queue = await api.ok("GET", "/api/v1/verifications?limit=100", "demo-gridworker2")
    assert a not in [v["id"] for v in other_queue["items"]]
    error(await api.post(f"/api/v1/verifications/{a}/approve", "demo-gridworker2"), 403, "out_of_scope")
    error(await api.post(f"/api/v1/verifications/{a}/reject", "demo-gridworker", json={}), 422, "invalid_input")

    approved = await api.ok("POST", f"/api/v1/verifications/{a}/approve", "demo-gridworker")
    assert approved["status"] == "verified" and approved["method"] == "staff"
    me = await api.ok("GET", "/api/v1/me", "verify-queue-a")
    assert me["household_status"] == "verified" and me["household_id"] == h.id
    error(
        await api.post(f"/api/v1/verifications/{a}/reject", "demo-gridworker", json={"reason": "晚了"}),
        409,
        "already_decided",
    )

    refused = await api.ok(
        "POST", f"/api/v1/verifications/{b}/reject", "demo-gridworker", json={"reason": "户主说不认识此人"}
    )
    assert refused["status"] == "rejected" and refused["reason"] == "户主说不认识此人"
    me_b = await api.ok("GET", "/api/v1/me", "verify-queue-b")
    assert me_b["household_status"] == "none" and me_b["household_id"] is None
    assert me_b["verification"]["status"] == "rejected" and me_b["verification"]["reason"] == "户主说不认识此人"

    inbox_a = await api.ok("GET", "/api/v1/inbox", "verify-queue-a")
    inbox_b = await api.ok("GET", "/api/v1/inbox", "verify-queue-b")
    assert inbox_a["items"][0]["title"] == "住户认证已通过"
    assert inbox_b["items"][0]["title"] == "住户认证未通过" and "户主说不认识此人" in inbox_b["items"][0]["body"]

    decided = await api.ok("GET", "/api/v1/verifications?status=rejected&limit=100", "demo-gridworker")
    assert b in [v["id"] for v in decided["items"]]
    error(await api.get("/api/v1/verifications?status=whatever", "demo-gridworker"), 422, "invalid_status")


async def test_the_building_chief_decides_the_claims_of_their_building(api, session):
    chief_building = (
        await session.execute(
            select(Building.id)
            .join(Grid, Grid.id == Building.grid_id)
            .where(Grid.name == G1)
            .order_by(Building.compound_id, Building.id)
            .limit(1)
        )
    ).scalar_one()
    for skip in range(40):
        h, _ = await free_household(session, skip=skip)
        if h.building_id == chief_building:
            break
    claim_id = (await claim(api, session, "verify-chief", h))["verification"]["id"]
    queue = await api.ok("GET", "/api/v1/verifications?limit=100", "demo-chief")
    assert claim_id in [v["id"] for v in queue["items"]]
    assert all(v["room"].startswith("1号楼") for v in queue["items"])
    await api.ok("POST", f"/api/v1/verifications/{claim_id}/approve", "demo-chief")


# ---- moving, leaving, a second member ------------------------------------------------------------


async def test_leaving_moving_and_a_second_verified_member(api, session):
    h, people = await free_household(session)
    await claim(api, session, "verify-first", h)
    await api.ok("POST", "/api/v1/me/verify-phone", "verify-first", json={"code": f"phone-{people[0].phone}"})
    await claim(api, session, "verify-second", h)
    pending = (await api.ok("GET", "/api/v1/me", "verify-second"))["verification"]["id"]
    await api.ok("POST", f"/api/v1/verifications/{pending}/approve", "demo-gridworker")
    second = await api.ok("GET", "/api/v1/me", "verify-second")
    first = await api.ok("GET", "/api/v1/me", "verify-first")
    assert first["household_id"] == second["household_id"] == h.id, "two verified members of one household"

    # leaving: the household is gone, the old token is revoked, a new login works
    token = api.tokens["verify-first"]
    left = await api.ok("POST", "/api/v1/me/leave-household", "verify-first")
    assert left["household_status"] == "none" and left["household_id"] is None and left["verification"] is None
    r = await api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    error(r, 401, "token_revoked")
    await api.login("verify-first")
    error(await api.post("/api/v1/me/leave-household", "verify-first"), 409, "no_household")
    # the register still names the resident; a need for them no longer reaches the departed account
    wish_id = await file_need(api, h.id, "需要有人帮忙搬家具", resident_id=people[0].id)
    requester = await session.get(User, (await session.get(Wish, wish_id)).requester_id)
    assert requester.id != first["id"] and requester.openid is None and requester.name == people[0].name
    assert (await api.ok("GET", "/api/v1/me", "verify-second"))["household_id"] == h.id

    # moving house: a claim on another household ends the binding; it is pending again
    elsewhere, _ = await free_household(session, skip=1)
    moved = await claim(api, session, "verify-second", elsewhere)
    assert moved["household_status"] == "pending" and moved["household_id"] is None
    assert moved["verification"]["household_id"] == elsewhere.id
    # moving to another compound withdraws the claim
    c2 = (await session.execute(select(Compound.id).where(Compound.name == "翠湖花园"))).scalar_one()
    await api.login("verify-second")
    gone = await api.ok("PATCH", "/api/v1/me", "verify-second", json={"compound_id": c2})
    assert gone["household_status"] == "none" and gone["verification"] is None
    queue = await api.ok("GET", "/api/v1/verifications?limit=100", "demo-gridworker")
    assert moved["verification"]["id"] not in [v["id"] for v in queue["items"]]


async def test_the_demo_has_verified_residents_and_a_claim_waiting(api):
    me = await api.ok("GET", "/api/v1/me", "demo-resident")
    assert me["household_status"] == "verified" and me["verification"]["method"] in ("phone", "staff")
    queue = await api.ok("GET", "/api/v1/verifications", "demo-gridworker")
    assert [v["user_name"] for v in queue["items"]] == ["马春燕"]
    assert queue["items"][0]["residents"] and not any(r["verified"] for r in queue["items"][0]["residents"])


async def test_the_households_grid_worker_is_told_of_a_new_claim(api, session):
    h, _ = await free_household(session)
    await claim(api, session, "verify-tell", h)
    items = (await api.ok("GET", "/api/v1/inbox", "demo-gridworker"))["items"]
    assert items[0]["title"] == "有住户认证待审核" and "陌生人申请认证为" in items[0]["body"]
    other = (await api.ok("GET", "/api/v1/inbox", "demo-gridworker2"))["items"]
    assert not other or other[0]["title"] != "有住户认证待审核"


async def test_staff_do_not_decide_their_own_claim(api, session):
    h, _ = await free_household(session)
    await api.login("demo-gridworker")
    me = await api.ok(
        "PATCH", "/api/v1/me", "demo-gridworker", json={"compound_id": h.compound_id, "household_id": h.id}
    )
    await api.login("demo-gridworker")  # the claim ended the worker's own binding: a fresh token
    own = me["verification"]["id"]
    error(await api.post(f"/api/v1/verifications/{own}/approve", "demo-gridworker"), 403, "own_claim")
    error(
        await api.post(f"/api/v1/verifications/{own}/reject", "demo-gridworker", json={"reason": "x"}), 403, "own_claim"
    )
