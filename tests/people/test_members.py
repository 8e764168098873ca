"""双报到: in-post Party members report in to the compound where they live; the compound's dispatcher
(or the community admin) approves. Then the member's own profile, availability and workload, as the
dispatcher's candidate ranking and the wall claim see them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.kernel.errors import Conflict
from backend.org.models import Compound
from backend.people import service as people_service

C1, C2, C3 = "锦华苑", "翠湖花园", "阳光小区"  # 和谐社区, 和谐社区, 明德社区


def error(r, status: int, code: str | None = None) -> dict:
    """Assert an error answer: the status, the {"error", "detail"} shape, and the code."""
    assert r.status_code == status, f"expected {status}, got {r.status_code} {r.text}"
    body = r.json()
    assert {"error", "detail"} <= body.keys(), body
    assert isinstance(body["error"], str) and isinstance(body["detail"], str) and body["detail"], body
    if code is not None:
        assert body["error"] == code, body
    return body


async def compound_id(session, name: str) -> int:
    return (await session.execute(select(Compound.id).where(Compound.name == name))).scalar_one()


async def newcomer(api, code: str, name: str, compound: int) -> int:
    """A first-time user who lives in `compound`."""
    assert (await api.login(code))["new_user"]
    me = await api.ok("PATCH", "/api/v1/me", code, json={"name": name, "compound_id": compound})
    return me["id"]


async def register(api, code: str, compound: int, **extra) -> dict:
    body = {"compound_id": compound, "work_unit": "区人民医院", "skills": ["陪诊", "医疗护理"], **extra}
    return await api.ok("POST", "/api/v1/members/register", code, status=201, json=body)


async def place_and_approve(api, title: str = "想请人帮忙换灯泡", category: str = "repair") -> int:
    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": title, "category": category}
    )
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    return wish["id"]


async def member_id(api, code: str) -> int:
    return (await api.ok("GET", "/api/v1/me", code))["id"]


# ---- reporting in ---------------------------------------------------------------------------


async def test_register_and_approve_makes_a_party_member(api, session):
    c1 = await compound_id(session, C1)
    uid = await newcomer(api, "newcomer-member", "周建华", c1)

    reg = await register(api, "newcomer-member", c1, skills=[" 陪诊 ", "医疗护理"])
    assert reg["status"] == "pending" and reg["user_id"] == uid and reg["user_name"] == "周建华"
    assert reg["compound_id"] == c1 and reg["skills"] == ["陪诊", "医疗护理"]
    assert reg["decided_at"] is None and reg["reason"] is None

    # a second request while the first is pending
    r = await api.post(
        "/api/v1/members/register", "newcomer-member", json={"compound_id": c1, "work_unit": "区人民医院"}
    )
    error(r, 409, "registration_pending")

    # not a member yet
    error(await api.get("/api/v1/wishes/wall", "newcomer-member"), 403, "role_required")
    error(await api.get("/api/v1/members/me", "newcomer-member"), 403, "role_required")

    # the dispatcher of 锦华苑 sees it among the pending ones, newest first
    pending = await api.ok("GET", "/api/v1/members/registrations", "demo-dispatcher")
    assert pending["items"][0]["id"] == reg["id"]
    assert all(i["status"] == "pending" and i["compound_id"] == c1 for i in pending["items"])
    assert len(pending["items"]) >= 2, "the demo has a pending registration too"

    approved = await api.ok("POST", f"/api/v1/members/registrations/{reg['id']}/approve", "demo-dispatcher")
    assert approved["status"] == "approved" and approved["decided_at"] is not None

    me = await api.ok("GET", "/api/v1/me", "newcomer-member")
    assert me["roles"] == ["resident", "party_member"]
    assert {"role": "party_member", "scope_type": "compound", "scope_id": c1} in me["grants"]
    profile = await api.ok("GET", "/api/v1/members/me", "newcomer-member")
    assert profile == {
        "user_id": uid,
        "name": "周建华",
        "work_unit": "区人民医院",
        "skills": ["陪诊", "医疗护理"],
        "available": True,
        "share_phone": False,
        "compound_ids": [c1],
    }

    wall = await api.ok("GET", "/api/v1/wishes/wall", "newcomer-member")
    assert wall["items"], "锦华苑 has open wishes in the demo"
    assert all(i["status"] == "open" and i["compound_id"] == c1 for i in wall["items"])

    # gone from the pending list, found among the approved ones
    pending = await api.ok("GET", "/api/v1/members/registrations", "demo-dispatcher")
    assert reg["id"] not in [i["id"] for i in pending["items"]]
    done = await api.ok("GET", "/api/v1/members/registrations?status=approved", "demo-dispatcher")
    assert reg["id"] in [i["id"] for i in done["items"]]

    # reporting in again to the same compound
    error(
        await api.post(
            "/api/v1/members/register", "newcomer-member", json={"compound_id": c1, "work_unit": "区人民医院"}
        ),
        409,
        "already_member",
    )


async def test_deciding_twice_is_409(api, session):
    c1 = await compound_id(session, C1)
    await newcomer(api, "newcomer-twice", "钱多", c1)
    reg = await register(api, "newcomer-twice", c1)
    await api.ok("POST", f"/api/v1/members/registrations/{reg['id']}/approve", "demo-dispatcher")
    error(
        await api.post(f"/api/v1/members/registrations/{reg['id']}/approve", "demo-dispatcher"),
        409,
        "registration_decided",
    )
    error(
        await api.post(f"/api/v1/members/registrations/{reg['id']}/reject", "demo-admin", json={"reason": "重复提交"}),
        409,
        "registration_decided",
    )


async def test_reject_needs_a_reason(api, session):
    c1 = await compound_id(session, C1)
    await newcomer(api, "newcomer-rejected", "孙悦", c1)
    reg = await register(api, "newcomer-rejected", c1)
    url = f"/api/v1/members/registrations/{reg['id']}/reject"
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "长" * 201}):
        error(await api.post(url, "demo-dispatcher", json=body), 422, "invalid_input")

    rejected = await api.ok("POST", url, "demo-dispatcher", json={"reason": "经核实不在本小区居住"})
    assert rejected["status"] == "rejected" and rejected["reason"] == "经核实不在本小区居住"
    me = await api.ok("GET", "/api/v1/me", "newcomer-rejected")
    assert me["roles"] == ["resident"]
    error(await api.get("/api/v1/wishes/wall", "newcomer-rejected"), 403, "role_required")

    # after a rejection one may report in again
    again = await register(api, "newcomer-rejected", c1)
    assert again["id"] != reg["id"] and again["status"] == "pending"


async def test_dispatcher_decides_only_for_their_compound(api, session):
    c1, c2, c3 = [await compound_id(session, n) for n in (C1, C2, C3)]
    await newcomer(api, "newcomer-c2", "吴桐", c2)
    reg = await register(api, "newcomer-c2", c2)

    for action, body in (("approve", None), ("reject", {"reason": "不在本小区"})):
        r = await api.post(f"/api/v1/members/registrations/{reg['id']}/{action}", "demo-dispatcher", json=body)
        error(r, 403, "out_of_scope")
    listed = await api.ok("GET", "/api/v1/members/registrations", "demo-dispatcher")
    assert reg["id"] not in [i["id"] for i in listed["items"]]
    error(await api.get(f"/api/v1/members/registrations?compound_id={c2}", "demo-dispatcher"), 403, "out_of_scope")

    # 翠湖花园 is in 和谐社区: its community admin sees and decides it
    listed = await api.ok("GET", f"/api/v1/members/registrations?compound_id={c2}", "demo-admin")
    assert [i["id"] for i in listed["items"]] == [reg["id"]]
    approved = await api.ok("POST", f"/api/v1/members/registrations/{reg['id']}/approve", "demo-admin")
    assert approved["status"] == "approved"
    assert (await api.ok("GET", "/api/v1/members/me", "newcomer-c2"))["compound_ids"] == [c2]

    # 阳光小区 is in 明德社区: not 和谐社区's admin's to decide
    await newcomer(api, "newcomer-c3", "郑好", c3)
    reg3 = await register(api, "newcomer-c3", c3)
    error(await api.post(f"/api/v1/members/registrations/{reg3['id']}/approve", "demo-admin"), 403, "out_of_scope")
    everything = await api.ok("GET", "/api/v1/members/registrations?status=", "demo-admin")
    assert {i["compound_id"] for i in everything["items"]} == {c1, c2}


async def test_registration_input_and_lookups(api, session):
    c1 = await compound_id(session, C1)
    await api.login("newcomer-input")
    url = "/api/v1/members/register"
    error(
        await api.post(url, "newcomer-input", json={"compound_id": 999999, "work_unit": "区法院"}),
        404,
        "compound_not_found",
    )
    error(await api.post(url, "newcomer-input", json={"compound_id": c1, "work_unit": " "}), 422, "invalid_input")
    error(
        await api.post(url, "newcomer-input", json={"compound_id": c1, "work_unit": "区法院", "skills": ["技" * 21]}),
        422,
        "invalid_input",
    )
    error(
        await api.post("/api/v1/members/registrations/999999/approve", "demo-dispatcher"), 404, "registration_not_found"
    )
    error(await api.get("/api/v1/members/registrations?status=maybe", "demo-dispatcher"), 422, "invalid_status")


async def test_registrations_paginate_by_keyset(api, session):
    c1 = await compound_id(session, C1)
    for n in range(4):
        await newcomer(api, f"newcomer-page-{n}", f"翻页{n}", c1)
        await register(api, f"newcomer-page-{n}", c1)
    seen, cursor = [], None
    while True:
        page = await api.ok(
            "GET", "/api/v1/members/registrations?limit=2" + (f"&cursor={cursor}" if cursor else ""), "demo-dispatcher"
        )
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) >= 5 and len(seen) == len(set(seen)) and seen == sorted(seen, reverse=True)


# ---- the member's own profile, availability and workload ---------------------------------------


async def test_unavailable_member_ranks_last_and_cannot_be_dispatched(api):
    wish_id = await place_and_approve(api)
    m2 = await member_id(api, "demo-member2")

    profile = await api.ok("PATCH", "/api/v1/members/me", "demo-member2", json={"available": False})
    assert profile["available"] is False and profile["work_unit"] == "区人民医院", "other fields are kept"
    assert (await api.ok("GET", "/api/v1/members/me", "demo-member2"))["available"] is False

    items = (await api.ok("GET", f"/api/v1/wishes/{wish_id}/candidates", "demo-dispatcher"))["items"]
    last = items[-1]
    assert last["member_id"] == m2 and last["available"] is False
    assert last["reasons"][0] == "本人设置暂不接单"
    assert all(c["available"] for c in items[:-1])

    r = await api.post(f"/api/v1/wishes/{wish_id}/dispatch", "demo-dispatcher", json={"member_id": m2})
    error(r, 409, "member_unavailable")

    # back on duty: ranked among the others again, with no 暂不接单 reason
    assert (await api.ok("PATCH", "/api/v1/members/me", "demo-member2", json={"available": True}))["available"]
    items = (await api.ok("GET", f"/api/v1/wishes/{wish_id}/candidates", "demo-dispatcher"))["items"]
    back = next(c for c in items if c["member_id"] == m2)
    assert back["available"] and "本人设置暂不接单" not in back["reasons"]
    assert items[-1]["member_id"] != m2
    await api.ok("POST", f"/api/v1/wishes/{wish_id}/dispatch", "demo-dispatcher", json={"member_id": m2})


async def test_member_edits_skills_and_work_unit(api):
    updated = await api.ok(
        "PATCH", "/api/v1/members/me", "demo-member3", json={"skills": ["书法", "围棋"], "work_unit": "实验小学"}
    )
    assert updated["skills"] == ["书法", "围棋"] and updated["work_unit"] == "实验小学" and updated["available"]
    error(await api.patch("/api/v1/members/me", "demo-member3", json={"skills": ["x"] * 21}), 422, "invalid_input")
    error(await api.patch("/api/v1/members/me", "demo-member3", json={"available": "sometimes"}), 422, "invalid_input")
    error(await api.patch("/api/v1/members/me", "demo-resident", json={"available": False}), 403, "role_required")


async def test_member_with_three_open_orders_ranks_last_and_cannot_claim(api, app):
    max_open = app.state.settings.max_open_orders
    assert max_open == 3
    m3 = await member_id(api, "demo-member3")
    live = await api.ok("GET", "/api/v1/orders?mine=true&status=offered,accepted", "demo-member3")
    for n in range(max_open - len(live["items"])):
        wish_id = await place_and_approve(api, title=f"需要帮忙{n}")
        await api.ok("POST", f"/api/v1/wishes/{wish_id}/claim", "demo-member3")
    live = await api.ok("GET", "/api/v1/orders?mine=true&status=offered,accepted", "demo-member3")
    assert len(live["items"]) == max_open

    wish_id = await place_and_approve(api, title="孩子需要辅导作业", category="education")
    items = (await api.ok("GET", f"/api/v1/wishes/{wish_id}/candidates", "demo-dispatcher"))["items"]
    last = items[-1]
    assert last["member_id"] == m3, "even though 课业辅导 matches the wish, a full member ranks last"
    assert last["open_orders"] == max_open and last["available"] is False
    assert last["reasons"][0] == f"在办订单已达{max_open}单"
    assert all(c["open_orders"] < max_open for c in items[:-1])

    body = error(await api.post(f"/api/v1/wishes/{wish_id}/claim", "demo-member3"), 409, "too_many_open_orders")
    assert str(max_open) in body["detail"]
    # still open for someone else
    claimed = await api.ok("POST", f"/api/v1/wishes/{wish_id}/claim", "demo-member2")
    assert claimed["status"] == "accepted"


# ---- known bugs ------------------------------------------------------------------------------


async def test_two_simultaneous_decisions_do_not_both_win(api, app, session):
    """Today the late reject overwrites the approval: the registration ends "rejected" while the user
    keeps the party_member grant the approval gave."""
    c1 = await compound_id(session, C1)
    await newcomer(api, "newcomer-race", "韩梅", c1)
    reg = await register(api, "newcomer-race", c1)
    dispatcher, admin = await member_id(api, "demo-dispatcher"), await member_id(api, "demo-admin")

    # The dispatcher and the community admin open the same pending registration at the same moment ...
    first, second = app.state.session_factory(), app.state.session_factory()
    try:
        seen_by_first = await people_service.get_registration(first, reg["id"])
        seen_by_second = await people_service.get_registration(second, reg["id"])
        assert seen_by_first.status == seen_by_second.status == "pending"
        # ... the dispatcher approves ...
        await people_service.decide_registration(first, seen_by_first, approve=True, actor_id=dispatcher, reason=None)
        await first.flush()
        # ... and the admin's reject, decided on what they saw, must lose rather than overwrite.
        with pytest.raises(Conflict):
            await people_service.decide_registration(
                second, seen_by_second, approve=False, actor_id=admin, reason="不在本小区"
            )
        await first.refresh(seen_by_first)
        assert seen_by_first.status == "approved"
    finally:
        await second.close()
        await first.close()


async def test_member_cannot_take_their_own_wish(api):
    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-member", status=201, json={"title": "家里灯泡坏了", "category": "repair"}
    )
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    me = await member_id(api, "demo-member")

    r = await api.post(f"/api/v1/wishes/{wish['id']}/claim", "demo-member")
    assert r.status_code in (403, 409), f"a member claimed their own wish: {r.status_code}"
    error(r, r.status_code)
    r = await api.post(f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": me})
    assert r.status_code in (403, 409, 422), f"a wish was dispatched to its own requester: {r.status_code}"
    error(r, r.status_code)
    items = (await api.ok("GET", f"/api/v1/wishes/{wish['id']}/candidates", "demo-dispatcher"))["items"]
    assert me not in [c["member_id"] for c in items], "the requester is offered as a candidate for their own wish"
