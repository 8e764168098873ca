"""The core loop over HTTP with the demo users: 群众点单 → 小区派单 → 党员接单 → 完成 → 评价."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from backend.dispatch.models import Order
from backend.kernel.clock import clock
from backend.wishes.models import Wish, WishEvent
from backend.worker import sweep_once
from tests.support.photos import uploaded
from tests.support.wishes import NEW_WISH, approve, member_id, place, statuses


async def test_review_dispatch_accept_complete_confirm(api, session):
    wish = await place(api)
    assert wish["status"] == "pending_review"
    assert wish["viewer_is_requester"] and wish["actions"] == ["cancel"]
    assert (await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-dispatcher"))["actions"] == ["review"]
    assert wish["requester"]["name"] == "王秀兰" and not wish["requester"]["masked"]

    wish = await approve(api, wish["id"])
    assert wish["status"] == "open"

    cands = await api.ok("GET", f"/api/v1/wishes/{wish['id']}/candidates", "demo-dispatcher")
    assert cands["items"], "the compound has members"
    top = cands["items"][0]
    assert top["reasons"] and all(isinstance(r, str) for r in top["reasons"])
    member = await member_id(api, "demo-member")
    assert member in [c["member_id"] for c in cands["items"]]

    # before acceptance the dispatcher sees the requester masked
    wish = await api.ok(
        "POST",
        f"/api/v1/wishes/{wish['id']}/dispatch",
        "demo-dispatcher",
        json={"member_id": member, "note": "离您最近"},
    )
    assert wish["status"] == "dispatched"
    assert wish["requester"]["masked"] and wish["requester"]["phone"] is None
    assert wish["order"]["status"] == "offered" and wish["order"]["member_id"] == member

    assert wish["actions"] == []  # the dispatcher has nothing more to do
    offered = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-member")
    assert offered["actions"] == ["accept", "decline"] and not offered["viewer_is_requester"]
    orders = await api.ok("GET", "/api/v1/orders?mine=true&status=offered", "demo-member")
    order = next(o for o in orders["items"] if o["wish_id"] == wish["id"])
    assert order["status"] == "offered"

    accepted = await api.ok("POST", f"/api/v1/orders/{order['id']}/accept", "demo-member")
    assert accepted["status"] == "accepted"
    assert accepted["requester"] == {
        "name": "王秀兰",
        "phone": "13800000001",
        "room": accepted["requester"]["room"],
        "masked": False,
    }
    assert accepted["requester"]["room"]
    assert "contact_disclosed" in [e["type"] for e in accepted["events"]]

    # the dispatcher now sees the requester; another member and the admin do not
    seen = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-dispatcher")
    assert seen["requester"]["phone"] == "13800000001"
    admin_view = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-admin")
    assert admin_view["requester"]["masked"] and admin_view["requester"]["name"] == "王**"
    r = await api.get(f"/api/v1/wishes/{wish['id']}", "demo-member2")
    assert r.status_code == 403

    done = await api.ok(
        "POST",
        f"/api/v1/wishes/{wish['id']}/complete",
        "demo-member",
        json={"note": "换了新阀芯，不漏了", "photos": [await uploaded(api, "demo-member")]},
    )
    assert done["status"] == "completed"
    assert done["order"]["completion_note"] == "换了新阀芯，不漏了"

    closed = await api.ok(
        "POST", f"/api/v1/wishes/{wish['id']}/confirm", "demo-resident", json={"rating": 5, "comment": "谢谢张师傅"}
    )
    assert closed["status"] == "closed" and closed["rating"] == 5 and closed["auto_closed"] is False
    assert statuses(closed) == ["pending_review", "open", "dispatched", "accepted", "accepted", "completed", "closed"]

    # confirming twice is a state error, not a second rating
    r = await api.post(f"/api/v1/wishes/{wish['id']}/confirm", "demo-resident", json={"rating": 1})
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"

    # the rows agree with what the API said
    row = await session.get(Wish, wish["id"])
    assert row.status == "closed" and row.rating == 5
    events = (await session.execute(select(func.count()).where(WishEvent.wish_id == wish["id"]))).scalar_one()
    assert events == 7


async def test_wall_claim(api):
    wish = await approve(api, (await place(api, "demo-resident2", category="education", title="孩子需要书包"))["id"])
    wall = await api.ok("GET", "/api/v1/wishes/wall", "demo-member3")
    item = next(i for i in wall["items"] if i["id"] == wish["id"])
    assert item["requester_name"] == "李**"
    assert "phone" not in item and "room" not in item

    claimed = await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", "demo-member3")
    assert claimed["status"] == "accepted"
    assert claimed["order"]["kind"] == "claim" and claimed["order"]["status"] == "accepted"
    assert claimed["requester"]["phone"] == "13800000002"

    # gone from the wall; a second claim loses
    wall = await api.ok("GET", "/api/v1/wishes/wall", "demo-member")
    assert wish["id"] not in [i["id"] for i in wall["items"]]
    r = await api.post(f"/api/v1/wishes/{wish['id']}/claim", "demo-member")
    assert r.status_code == 409 and r.json()["error"] == "already_taken"


async def test_claim_a_dispatched_wish_is_refused(api):
    wish = await approve(api, (await place(api))["id"])
    member = await member_id(api, "demo-member")
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": member})
    r = await api.post(f"/api/v1/wishes/{wish['id']}/claim", "demo-member2")
    assert r.status_code == 409 and r.json()["error"] == "already_taken"


async def test_decline_and_redispatch(api):
    wish = await approve(api, (await place(api))["id"])
    m1, m2 = await member_id(api, "demo-member"), await member_id(api, "demo-member2")
    first = await api.ok("POST", f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": m1})
    declined = await api.ok(
        "POST",
        f"/api/v1/orders/{first['order']['id']}/decline",
        "demo-member",
        json={"reason": "这周出差，实在抽不开身"},
    )
    assert declined["status"] == "open"
    assert declined["events"][-1]["type"] == "declined" and declined["events"][-1]["note"] == "这周出差，实在抽不开身"

    # a declined order cannot be accepted afterwards
    r = await api.post(f"/api/v1/orders/{first['order']['id']}/accept", "demo-member")
    assert r.status_code == 409

    second = await api.ok("POST", f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": m2})
    accepted = await api.ok("POST", f"/api/v1/orders/{second['order']['id']}/accept", "demo-member2")
    assert accepted["status"] == "accepted" and accepted["order"]["member_id"] == m2
    # someone else's order: not theirs to accept or complete
    r = await api.post(f"/api/v1/wishes/{wish['id']}/complete", "demo-member", json={"note": "我来"})
    assert r.status_code == 403 and r.json()["error"] == "not_your_order"


async def test_decline_needs_a_reason(api):
    wish = await approve(api, (await place(api))["id"])
    m1 = await member_id(api, "demo-member")
    d = await api.ok("POST", f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": m1})
    r = await api.post(f"/api/v1/orders/{d['order']['id']}/decline", "demo-member", json={"reason": "  "})
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"


async def test_offer_expiry_returns_the_wish_to_open(api, app):
    wish = await approve(api, (await place(api))["id"])
    m1 = await member_id(api, "demo-member")
    d = await api.ok("POST", f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": m1})

    clock.advance(timedelta(hours=23))
    await sweep_once(app.state.session_factory, app.state.settings)
    assert (await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-dispatcher"))["status"] == "dispatched"
    clock.advance(timedelta(hours=2))
    r = await api.post(f"/api/v1/orders/{d['order']['id']}/accept", "demo-member")
    assert r.status_code == 409 and r.json()["error"] == "offer_expired"

    result = await sweep_once(app.state.session_factory, app.state.settings)
    assert result["offers_expired"] >= 1
    after = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-dispatcher")
    assert after["status"] == "open"
    assert after["events"][-1]["type"] == "offer_expired"
    assert after["order"]["status"] == "expired"
    # and it can be dispatched again
    again = await api.ok(
        "POST",
        f"/api/v1/wishes/{wish['id']}/dispatch",
        "demo-dispatcher",
        json={"member_id": await member_id(api, "demo-member2")},
    )
    assert again["status"] == "dispatched"


async def test_reject_needs_reason_and_is_final(api):
    wish = await place(api)
    r = await api.post(f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "reject"})
    assert r.status_code == 422 and "原因" in r.json()["detail"]
    rejected = await api.ok(
        "POST",
        f"/api/v1/wishes/{wish['id']}/review",
        "demo-dispatcher",
        json={"decision": "reject", "reason": "属于物业维修范围"},
    )
    assert rejected["status"] == "rejected" and rejected["reject_reason"] == "属于物业维修范围"
    r = await api.post(f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    assert r.status_code == 409
    mine = await api.ok("GET", "/api/v1/wishes?mine=true&status=rejected", "demo-resident")
    assert wish["id"] in [w["id"] for w in mine["items"]]


async def test_cancel_releases_the_order(api, session):
    wish = await approve(api, (await place(api))["id"])
    claimed = await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", "demo-member")
    r = await api.post(f"/api/v1/wishes/{wish['id']}/cancel", "demo-resident2", json={"reason": "不是我的"})
    assert r.status_code == 403
    cancelled = await api.ok(
        "POST", f"/api/v1/wishes/{wish['id']}/cancel", "demo-resident", json={"reason": "邻居已经帮我修好了"}
    )
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "邻居已经帮我修好了"
    order = await session.get(Order, claimed["order"]["id"])
    await session.refresh(order)
    assert order.status == "cancelled"
    r = await api.post(f"/api/v1/wishes/{wish['id']}/complete", "demo-member", json={"note": "修好了"})
    assert r.status_code in (403, 409)
    r = await api.post(f"/api/v1/wishes/{wish['id']}/cancel", "demo-resident", json={"reason": "再取消"})
    assert r.status_code == 409


async def test_unconfirmed_completion_is_auto_closed_unrated(api, app):
    wish = await approve(api, (await place(api))["id"])
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", "demo-member")
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/complete", "demo-member", json={"note": "已完成"})
    clock.advance(timedelta(days=6, hours=23))
    await sweep_once(app.state.session_factory, app.state.settings)
    assert (await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-resident"))["status"] == "completed"
    clock.advance(timedelta(hours=2))
    await sweep_once(app.state.session_factory, app.state.settings)
    # a week has passed: the old token has expired (7-day tokens), so the resident logs in again
    r = await api.get(f"/api/v1/wishes/{wish['id']}", "demo-resident")
    assert r.status_code == 401 and r.json()["error"] == "token_expired"
    api.tokens.clear()
    after = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-resident")
    assert after["status"] == "closed" and after["auto_closed"] is True and after["rating"] is None
    assert after["events"][-1]["type"] == "auto_closed"


async def test_bad_input_is_explained(api):
    r = await api.post("/api/v1/wishes", "demo-resident", json={**NEW_WISH, "title": "长" * 41})
    assert r.status_code == 422 and r.json()["error"] == "invalid_input" and r.json()["detail"] == "标题不能超过40个字"
    r = await api.post("/api/v1/wishes", "demo-resident", json={**NEW_WISH, "category": "飞行"})
    assert r.status_code == 422
    r = await api.post(
        "/api/v1/wishes", "demo-resident", json={**NEW_WISH, "photos": [await uploaded(api, "demo-resident")] * 10}
    )
    assert r.status_code == 422
    r = await api.call(
        "POST", "/api/v1/wishes", "demo-resident", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"
    r = await api.get("/api/v1/wishes/999999", "demo-resident")
    assert r.status_code == 404 and r.json()["error"] == "wish_not_found"
    r = await api.get("/api/v1/wishes?cursor=abc", "demo-resident")
    assert r.status_code == 422 and r.json()["error"] == "invalid_cursor"
    r = await api.get("/api/v1/wishes?limit=1000", "demo-resident")
    assert r.status_code == 422
    # values the database cannot hold are refused before they reach it
    r = await api.get("/api/v1/wishes/99999999999999999999", "demo-resident")
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"
    r = await api.get("/api/v1/wishes?mine=true&cursor=99999999999", "demo-resident")
    assert r.status_code == 422 and r.json()["error"] == "invalid_cursor"
    r = await api.post("/api/v1/wishes", "demo-resident", json={**NEW_WISH, "title": "水龙头\x00漏水"})
    assert r.status_code == 422 and "控制字符" in r.json()["detail"]
    r = await api.post("/api/v1/wishes/1/dispatch", "demo-dispatcher", json={"member_id": 2**40})
    assert r.status_code == 422


async def test_my_wishes_paginate_by_keyset(api):
    ids = [(await place(api, title=f"心愿{i}"))["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        q = "/api/v1/wishes?mine=true&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = await api.ok("GET", q, "demo-resident")
        seen += [w["id"] for w in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen))
    assert set(ids) <= set(seen)


async def overdue_alerts(api, who: str, wish_id: int) -> list[dict]:
    api.tokens.pop(who, None)  # the clock moved past the token's lifetime: log in again
    inbox = await api.ok("GET", "/api/v1/inbox?limit=100", who)
    return [n for n in inbox["items"] if n["event"] == "order_overdue" and f"/detail?id={wish_id}" in (n["page"] or "")]


async def test_accepted_order_past_its_due_time_is_flagged_once_to_the_branch(api, app):
    claimed = await approve(api, (await place(api, title="帮忙组装书架"))["id"])
    claimed = await api.ok("POST", f"/api/v1/wishes/{claimed['id']}/claim", "demo-member3")
    due = datetime.fromisoformat(claimed["order"]["due_at"])
    assert claimed["order"]["overdue_at"] is None
    assert due - datetime.fromisoformat(claimed["order"]["responded_at"]) == timedelta(days=7)

    dispatched = await approve(api, (await place(api, title="帮忙疏通下水道"))["id"])
    m1 = await member_id(api, "demo-member")
    d = await api.ok("POST", f"/api/v1/wishes/{dispatched['id']}/dispatch", "demo-dispatcher", json={"member_id": m1})
    await api.ok("POST", f"/api/v1/orders/{d['order']['id']}/accept", "demo-member")

    clock.advance(timedelta(days=6, hours=23))
    await sweep_once(app.state.session_factory, app.state.settings)
    assert not await overdue_alerts(api, "demo-dispatcher", claimed["id"])

    clock.advance(timedelta(hours=2))
    first = await sweep_once(app.state.session_factory, app.state.settings)
    assert first["orders_overdue"] >= 2
    again = await sweep_once(app.state.session_factory, app.state.settings)
    assert again["orders_overdue"] == 0
    # a claim has no dispatcher of its own: the compound's dispatchers are told; a dispatched order
    # tells the dispatcher who sent it; each once
    for wish in (claimed, dispatched):
        alerts = await overdue_alerts(api, "demo-dispatcher", wish["id"])
        assert len(alerts) == 1 and "逾期" in alerts[0]["title"]
        detail = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-dispatcher")  # logged in again above
        assert detail["order"]["overdue_at"] is not None and detail["status"] == "accepted"


async def test_completed_in_time_is_never_overdue(api, app):
    wish = await approve(api, (await place(api, title="帮忙换门锁"))["id"])
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", "demo-member3")
    clock.advance(timedelta(days=3))
    api.tokens.clear()
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/complete", "demo-member3", json={"note": "已换好", "photos": []})
    clock.advance(timedelta(days=10))
    await sweep_once(app.state.session_factory, app.state.settings)
    assert not await overdue_alerts(api, "demo-dispatcher", wish["id"])
