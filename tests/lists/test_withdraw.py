"""A claim withdrawn by its claimant until it is fulfilled: a proposed one simply ends; a matched
one opens the item again (so another side may claim it). Only the
claimant's side may withdraw, and a fulfilled claim cannot be withdrawn."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend.kernel.clock import clock
from backend.org.models import Community, Compound
from backend.partners.models import Partner


async def ids(session) -> dict[str, int]:
    one = lambda stmt: session.execute(stmt)  # noqa: E731
    return {
        "community": (await one(select(Community.id).where(Community.name == "和谐社区"))).scalar_one(),
        "c1": (await one(select(Compound.id).where(Compound.name == "锦华苑"))).scalar_one(),
        "own": (await one(select(Partner.id).where(Partner.name == "鲁味坊餐馆"))).scalar_one(),
    }


async def batch(api, who, scope) -> dict:
    now = clock.now()
    window = {"opens_at": (now - timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=30)).isoformat()}
    return await api.ok(
        "POST", "/api/v1/list-batches", who, status=201, json={"scope": scope, "title": "撤回测试", **window}
    )


async def _resource(api, session) -> tuple[dict, dict]:
    i = await ids(session)
    b = await batch(api, "demo-admin", f"community:{i['community']}")
    body = {"batch_id": b["id"], "kind": "resource", "category": "助老", "title": "周末上门理发", "quantity": 4}
    item = await api.ok(
        "POST",
        "/api/v1/list-items",
        "demo-partner",
        status=201,
        json={**body, "owner_kind": "partner", "owner_id": i["own"]},
    )
    return i, item


async def _claim(api, item_id: int, who: str, kind: str, side: int) -> dict:
    return await api.ok(
        "POST",
        f"/api/v1/list-items/{item_id}/claims",
        who,
        status=201,
        json={"claimant_kind": kind, "claimant_id": side},
    )


async def test_withdraw_proposed_and_matched_reopens_the_item(api, session):
    i, item = await _resource(api, session)
    claim = await _claim(api, item["id"], "demo-dispatcher", "compound", i["c1"])

    # only the claimant's side: not the owner, not a resident
    for who in ("demo-partner", "demo-resident"):
        r = await api.post(f"/api/v1/list-claims/{claim['id']}/withdraw", who)
        assert r.status_code == 403 and r.json()["error"] == "out_of_scope", who
    out = await api.ok("POST", f"/api/v1/list-claims/{claim['id']}/withdraw", "demo-dispatcher")
    assert out["status"] == "withdrawn" and out["status_label"] == "已撤回"
    r = await api.post(f"/api/v1/list-claims/{claim['id']}/withdraw", "demo-dispatcher")
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"
    assert (await api.ok("GET", f"/api/v1/list-items/{item['id']}", "demo-resident"))["status"] == "open"

    # a matched claim withdrawn: the item is open again and another side claims it
    again = await _claim(api, item["id"], "demo-dispatcher", "compound", i["c1"])
    await api.ok("POST", f"/api/v1/list-claims/{again['id']}/decide", "demo-partner", json={"decision": "accept"})
    assert (await api.ok("GET", f"/api/v1/list-items/{item['id']}", "demo-resident"))["status"] == "matched"
    out = await api.ok("POST", f"/api/v1/list-claims/{again['id']}/withdraw", "demo-admin")  # the admins above it
    assert out["status"] == "withdrawn"
    detail = await api.ok("GET", f"/api/v1/list-items/{item['id']}", "demo-resident")
    assert detail["status"] == "open" and [c["status"] for c in detail["claims"]] == ["withdrawn", "withdrawn"]
    third = await _claim(api, item["id"], "demo-admin", "community", i["community"])
    assert third["status"] == "proposed"


async def test_fulfilled_claim_cannot_be_withdrawn(api, session):
    i, item = await _resource(api, session)
    claim = await _claim(api, item["id"], "demo-dispatcher", "compound", i["c1"])
    await api.ok("POST", f"/api/v1/list-claims/{claim['id']}/decide", "demo-partner", json={"decision": "accept"})
    await api.ok("POST", f"/api/v1/list-claims/{claim['id']}/fulfil", "demo-partner", json={"evidence": "理发4人次"})
    r = await api.post(f"/api/v1/list-claims/{claim['id']}/withdraw", "demo-dispatcher")
    assert r.status_code == 409 and r.json()["error"] == "invalid_state" and "已撤回" not in r.json()["detail"]
    assert (await api.ok("GET", f"/api/v1/list-items/{item['id']}", "demo-resident"))["status"] == "matched"
