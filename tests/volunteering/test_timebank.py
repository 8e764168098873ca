"""The time bank: partners' offers, redemption held until the partner confirms, declines refunded,
every movement two entries, the demo's ledger sound."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.partners.models import Partner
from backend.volunteering import timebank
from backend.volunteering.models import CreditEntry, CreditMovement


async def partner_id(session, name: str) -> int:
    return (await session.execute(select(Partner.id).where(Partner.name == name))).scalar_one()


async def test_demo_ledger_is_sound(session):
    assert await timebank.invariant_breaches(session) == []
    movements = (await session.execute(select(func.count()).select_from(CreditMovement))).scalar_one()
    entries = (await session.execute(select(func.count()).select_from(CreditEntry))).scalar_one()
    assert movements > 50 and entries == 2 * movements


async def test_offer_redeem_confirm_and_decline_refunds(api, session):
    own = await partner_id(session, "鲁味坊餐馆")
    other = await partner_id(session, "惠民大药房")
    r = await api.post(
        "/api/v1/timebank/offers", "demo-partner", json={"partner_id": other, "title": "冒名", "cost": 1}
    )
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.post("/api/v1/timebank/offers", "demo-resident", json={"partner_id": own, "title": "冒名", "cost": 1})
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    offer = await api.ok(
        "POST",
        "/api/v1/timebank/offers",
        "demo-partner",
        status=201,
        json={"partner_id": own, "title": "饺子一份", "cost": 12},
    )
    listed = await api.ok("GET", f"/api/v1/timebank/offers?partner_id={own}", "demo-resident")
    assert offer["id"] in [o["id"] for o in listed["items"]]

    # demo-resident has no service yet: nothing to spend
    r = await api.post(f"/api/v1/timebank/offers/{offer['id']}/redemptions", "demo-resident")
    assert r.status_code == 409 and r.json()["error"] == "insufficient_credits"
    me = await api.ok("GET", "/api/v1/me", "demo-resident")
    bank, mine = await timebank.account(session, "issuance", 0), await timebank.account(session, "user", me["id"])
    await timebank.transfer(session, bank, mine, 30, kind="service", ref=("registration", 0), note="测试")
    await session.commit()

    first = await api.ok("POST", f"/api/v1/timebank/offers/{offer['id']}/redemptions", "demo-resident", status=201)
    assert first["status"] == "requested" and first["balance"] == 18
    second = await api.ok("POST", f"/api/v1/timebank/offers/{offer['id']}/redemptions", "demo-resident", status=201)
    assert second["balance"] == 6
    r = await api.post(f"/api/v1/redemptions/{first['id']}/decide", "demo-resident", json={"decision": "confirmed"})
    assert r.status_code == 403
    done = await api.ok(
        "POST", f"/api/v1/redemptions/{first['id']}/decide", "demo-partner", json={"decision": "confirmed"}
    )
    assert done["status"] == "confirmed" and done["status_label"] == "已兑换"
    r = await api.post(f"/api/v1/redemptions/{second['id']}/decide", "demo-partner", json={"decision": "declined"})
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    await api.ok(
        "POST",
        f"/api/v1/redemptions/{second['id']}/decide",
        "demo-partner",
        json={"decision": "declined", "reason": "今日已售完"},
    )
    statement = await api.ok("GET", "/api/v1/timebank/me", "demo-resident")
    assert statement["balance"] == 18
    assert [i["kind"] for i in statement["items"]] == ["refund", "redemption", "redemption", "service"]
    assert [i["amount"] for i in statement["items"]] == [12, -12, -12, 30]
    r = await api.post(f"/api/v1/redemptions/{first['id']}/cancel", "demo-resident")
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"
    third = await api.ok("POST", f"/api/v1/timebank/offers/{offer['id']}/redemptions", "demo-resident", status=201)
    assert third["balance"] == 6
    r = await api.post(f"/api/v1/redemptions/{third['id']}/cancel", "demo-partner")
    assert r.status_code == 403 and r.json()["error"] == "not_yours"
    back = await api.ok("POST", f"/api/v1/redemptions/{third['id']}/cancel", "demo-resident")
    assert back["status"] == "cancelled" and back["balance"] == 18
    assert await timebank.invariant_breaches(session) == []
