"""The three lists: batches by the community or the compound branch, items, grid workers' offline
canvass (a replay makes nothing twice), mutual claiming (双认领) matched → fulfilled → closed with a
rating from the other side, and ranked matches with reasons."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from backend.kernel.clock import clock
from backend.lists.models import ListItem
from backend.org.models import Community, Compound
from backend.partners.models import Partner


async def ids(session) -> dict[str, int]:
    out = {}
    out["community"] = (await session.execute(select(Community.id).where(Community.name == "和谐社区"))).scalar_one()
    out["mingde"] = (await session.execute(select(Community.id).where(Community.name == "明德社区"))).scalar_one()
    out["c1"] = (await session.execute(select(Compound.id).where(Compound.name == "锦华苑"))).scalar_one()
    out["c3"] = (await session.execute(select(Compound.id).where(Compound.name == "阳光小区"))).scalar_one()
    out["own"] = (await session.execute(select(Partner.id).where(Partner.name == "鲁味坊餐馆"))).scalar_one()
    return out


def window() -> dict:
    now = clock.now()
    return {"opens_at": (now - timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=30)).isoformat()}


async def batch(api, who, scope) -> dict:
    return await api.ok(
        "POST", "/api/v1/list-batches", who, status=201, json={"scope": scope, "title": "十二月三清单", **window()}
    )


async def test_batches_by_community_or_compound_branch(api, session):
    i = await ids(session)
    assert (await batch(api, "demo-admin", f"community:{i['community']}"))["community_id"] == i["community"]
    assert (await batch(api, "demo-dispatcher", f"compound:{i['c1']}"))["scope"] == f"compound:{i['c1']}"
    for who, scope in (
        ("demo-dispatcher", f"compound:{i['c3']}"),
        ("demo-admin", f"community:{i['mingde']}"),
        ("demo-dispatcher", f"community:{i['community']}"),
    ):
        r = await api.post("/api/v1/list-batches", who, json={"scope": scope, "title": "越权", **window()})
        assert r.status_code == 403 and r.json()["error"] == "out_of_scope", (who, scope)
    r = await api.post(
        "/api/v1/list-batches", "demo-resident", json={"scope": f"compound:{i['c1']}", "title": "x", **window()}
    )
    assert r.status_code == 403 and r.json()["error"] == "role_required"


async def test_mutual_claiming_full_loop(api, session):
    i = await ids(session)
    b = await batch(api, "demo-admin", f"community:{i['community']}")
    item = {
        "batch_id": b["id"],
        "kind": "resource",
        "category": "助老",
        "title": "每周三份爱心午餐",
        "quantity": 3,
        "unit": "份",
    }
    r = await api.post(
        "/api/v1/list-items", "demo-resident", json={**item, "owner_kind": "partner", "owner_id": i["own"]}
    )
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"  # not its contact
    res = await api.ok(
        "POST",
        "/api/v1/list-items",
        "demo-partner",
        status=201,
        json={**item, "owner_kind": "partner", "owner_id": i["own"]},
    )
    assert res["owner_name"] == "鲁味坊餐馆" and res["status"] == "open"

    # 双认领: a partner may not claim a partner's resource; the compound branch may
    r = await api.post(
        f"/api/v1/list-items/{res['id']}/claims",
        "demo-partner",
        json={"claimant_kind": "partner", "claimant_id": i["own"]},
    )
    assert r.status_code == 422 and r.json()["error"] == "same_side"
    r = await api.post(
        f"/api/v1/list-items/{res['id']}/claims",
        "demo-dispatcher",
        json={"claimant_kind": "compound", "claimant_id": i["c3"]},
    )
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    claim = await api.ok(
        "POST",
        f"/api/v1/list-items/{res['id']}/claims",
        "demo-dispatcher",
        status=201,
        json={"claimant_kind": "compound", "claimant_id": i["c1"], "note": "锦华苑有8位高龄独居老人"},
    )
    assert claim["status"] == "proposed" and claim["claimant_name"] == "锦华苑"

    # the owner's side decides; the claimant cannot accept its own claim
    r = await api.post(f"/api/v1/list-claims/{claim['id']}/decide", "demo-dispatcher", json={"decision": "accept"})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    claim = await api.ok(
        "POST", f"/api/v1/list-claims/{claim['id']}/decide", "demo-partner", json={"decision": "accept"}
    )
    assert claim["status"] == "matched"
    detail = await api.ok("GET", f"/api/v1/list-items/{res['id']}", "demo-resident")
    assert detail["status"] == "matched" and [c["status"] for c in detail["claims"]] == ["matched"]
    r = await api.post(
        f"/api/v1/list-items/{res['id']}/claims",
        "demo-admin",
        json={"claimant_kind": "community", "claimant_id": i["community"]},
    )
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"

    # for a resource the owner provides and the claimant rates
    r = await api.post(f"/api/v1/list-claims/{claim['id']}/close", "demo-dispatcher", json={"rating": 5})
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"
    r = await api.post(f"/api/v1/list-claims/{claim['id']}/fulfil", "demo-dispatcher", json={"evidence": "送到了"})
    assert r.status_code == 403
    claim = await api.ok(
        "POST",
        f"/api/v1/list-claims/{claim['id']}/fulfil",
        "demo-partner",
        json={"evidence": "11月每周三送餐3份，共12份"},
    )
    assert claim["status"] == "fulfilled" and claim["evidence"].startswith("11月")
    r = await api.post(f"/api/v1/list-claims/{claim['id']}/close", "demo-partner", json={"rating": 5})
    assert r.status_code == 403  # one does not rate oneself
    claim = await api.ok(
        "POST", f"/api/v1/list-claims/{claim['id']}/close", "demo-dispatcher", json={"rating": 4, "comment": "饭菜可口"}
    )
    assert claim["status"] == "closed" and claim["rating"] == 4
    assert (await api.ok("GET", f"/api/v1/list-items/{res['id']}", "demo-resident"))["status"] == "closed"


async def test_decline_needs_reason_and_resident_owner_masked(api, session):
    i = await ids(session)
    b = await batch(api, "demo-admin", f"community:{i['community']}")
    me = await api.ok("GET", "/api/v1/me", "demo-resident")
    need = await api.ok(
        "POST",
        "/api/v1/list-items",
        "demo-resident",
        status=201,
        json={
            "batch_id": b["id"],
            "kind": "need",
            "category": "助老",
            "title": "周末陪老人理发",
            "owner_kind": "resident",
            "owner_id": me["id"],
        },
    )
    assert need["owner_name"] == "王**" and need["owner_id"] is None
    r = await api.post(
        f"/api/v1/list-items/{need['id']}/claims",
        "demo-admin",
        json={"claimant_kind": "community", "claimant_id": i["community"]},
    )
    assert r.status_code == 422 and r.json()["error"] == "same_side"
    claim = await api.ok(
        "POST",
        f"/api/v1/list-items/{need['id']}/claims",
        "demo-partner",
        status=201,
        json={"claimant_kind": "partner", "claimant_id": i["own"]},
    )
    r = await api.post(
        f"/api/v1/list-items/{need['id']}/claims",
        "demo-partner",
        json={"claimant_kind": "partner", "claimant_id": i["own"]},
    )
    assert r.status_code == 409 and r.json()["error"] == "already_claimed"
    r = await api.post(f"/api/v1/list-claims/{claim['id']}/decide", "demo-resident", json={"decision": "decline"})
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    out = await api.ok(
        "POST",
        f"/api/v1/list-claims/{claim['id']}/decide",
        "demo-resident",
        json={"decision": "decline", "reason": "已有邻居帮忙"},
    )
    assert out["status"] == "declined" and out["decline_reason"] == "已有邻居帮忙"
    # the admin of another community does not act for 明德's partner; its street admin does, but
    # a suspended partner cannot claim
    suspended = (await session.execute(select(Partner.id).where(Partner.name == "爱心理发屋"))).scalar_one()
    body = {"claimant_kind": "partner", "claimant_id": suspended}
    r = await api.post(f"/api/v1/list-items/{need['id']}/claims", "demo-admin", json=body)
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.post(f"/api/v1/list-items/{need['id']}/claims", "demo-street", json=body)
    assert r.status_code == 409 and r.json()["error"] == "partner_not_recognised"


async def test_offline_canvass_replay_makes_nothing_twice(api, session):
    i = await ids(session)
    b = await batch(api, "demo-admin", f"community:{i['community']}")
    entries = [
        {
            "client_id": str(uuid.uuid4()),
            "kind": "need",
            "category": "维修",
            "title": f"{n}号楼单元门禁坏了",
            "owner_kind": "compound",
            "owner_id": i["c1"],
        }
        for n in (1, 2, 3)
    ]
    first = await api.ok(
        "POST", "/api/v1/list-items/canvass", "demo-gridworker", json={"batch_id": b["id"], "items": entries}
    )
    again = await api.ok(
        "POST", "/api/v1/list-items/canvass", "demo-gridworker", json={"batch_id": b["id"], "items": entries}
    )
    assert [x["replayed"] for x in first["items"]] == [False] * 3 and [x["replayed"] for x in again["items"]] == [
        True
    ] * 3
    assert [x["item_id"] for x in first["items"]] == [x["item_id"] for x in again["items"]]
    count = (await session.execute(select(func.count()).where(ListItem.batch_id == b["id"]))).scalar_one()
    assert count == 3
    elsewhere = [{**entries[0], "client_id": str(uuid.uuid4()), "owner_id": i["c3"]}]  # 阳光小区 is 明德's
    r = await api.post("/api/v1/list-items/canvass", "demo-gridworker", json={"batch_id": b["id"], "items": elsewhere})
    assert r.status_code == 422 and r.json()["error"] == "owner_elsewhere"
    ghost = {
        "batch_id": b["id"],
        "kind": "need",
        "category": "助老",
        "title": "x",
        "owner_kind": "resident",
        "owner_id": 99999,
    }
    r = await api.post("/api/v1/list-items", "demo-admin", json=ghost)
    assert r.status_code == 422 and r.json()["error"] == "owner_not_found"
    other = await batch(api, "demo-street", f"community:{i['mingde']}")
    r = await api.post(
        "/api/v1/list-items/canvass", "demo-gridworker", json={"batch_id": other["id"], "items": entries[:1]}
    )
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"


async def test_matches_ranked_with_reasons(api, session):
    need = (await session.execute(select(ListItem.id).where(ListItem.title == "高龄老人助餐"))).scalar_one()
    # demo: 高龄老人助餐 is matched already; an open need of the same category ranks the partners
    i = await ids(session)
    b = await batch(api, "demo-admin", f"community:{i['community']}")
    item = await api.ok(
        "POST",
        "/api/v1/list-items",
        "demo-dispatcher",
        status=201,
        json={
            "batch_id": b["id"],
            "kind": "need",
            "category": "医疗",
            "title": "老人测血压",
            "owner_kind": "compound",
            "owner_id": i["c1"],
        },
    )
    out = await api.ok("GET", f"/api/v1/list-items/{item['id']}/matches", "demo-dispatcher")
    top = out["items"][0]
    assert top["kind"] == "list_item" and top["title"] == "免费测血压血糖"
    assert "类别相同：医疗" in top["reasons"] and any(r.startswith("内容相近") for r in top["reasons"])
    assert all(c["reasons"] for c in out["items"])
    scores = [c["score"] for c in out["items"]]
    assert scores == sorted(scores, reverse=True)
    assert any(
        c["kind"] == "partner" and c["title"] == "惠民大药房" for c in out["items"]
    )  # 免费测血压 among its services
    r = await api.get(f"/api/v1/list-items/{need}/matches", "demo-resident")
    assert r.status_code == 403 and r.json()["error"] == "role_required"
