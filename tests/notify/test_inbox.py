"""The in-app inbox and the subscription credit API."""

from __future__ import annotations

from backend.kernel.clock import utcnow
from backend.notify import service
from tests.support.notify import tap

WHO = "demo-member2"


async def me(api, who: str = WHO) -> int:
    return (await api.ok("GET", "/api/v1/me", who))["id"]


async def fill(session, user_id: int, n: int) -> list[int]:
    ids = []
    for i in range(n):
        [note] = await service.emit(
            session,
            "wish_reviewed",
            [user_id],
            {"wish_id": 1000 + i, "wish_title": f"心愿{i}", "approved": True, "at": utcnow()},
            ref=("wish", 1000 + i),
        )
        ids.append(note.id)
    await session.commit()
    return ids


async def test_inbox_pages_counts_and_reads(api, session):
    uid = await me(api)
    start = await api.ok("GET", "/api/v1/inbox?limit=100", WHO)
    base_unread = start["unread"]
    ids = await fill(session, uid, 5)

    page1 = await api.ok("GET", "/api/v1/inbox?limit=2", WHO)
    assert [i["id"] for i in page1["items"]] == ids[::-1][:2]
    assert page1["unread"] == base_unread + 5 and page1["next_cursor"] == str(ids[3])
    page2 = await api.ok("GET", f"/api/v1/inbox?limit=2&cursor={page1['next_cursor']}", WHO)
    assert [i["id"] for i in page2["items"]] == [ids[2], ids[1]]
    item = page1["items"][0]
    assert item["title"] == "心愿已通过审核" and "心愿4" in item["body"]
    assert item["page"] == "pages/wish/detail/detail?id=1004" and item["read"] is False

    read = await api.ok("POST", f"/api/v1/inbox/{ids[4]}/read", WHO)
    assert read["read"] is True and read["read_at"]
    again = await api.ok("POST", f"/api/v1/inbox/{ids[4]}/read", WHO)
    assert again["read_at"] == read["read_at"]
    assert (await api.ok("GET", "/api/v1/inbox?limit=1", WHO))["unread"] == base_unread + 4

    # someone else's message is not found, not forbidden (its existence is not revealed)
    r = await api.post(f"/api/v1/inbox/{ids[3]}/read", "demo-member")
    assert r.status_code == 404 and r.json()["error"] == "notification_not_found"
    r = await api.post("/api/v1/inbox/99999999/read", WHO)
    assert r.status_code == 404

    done = await api.ok("POST", "/api/v1/inbox/read-all", WHO)
    assert done == {"updated": base_unread + 4, "unread": 0}
    assert (await api.ok("GET", "/api/v1/inbox", WHO))["unread"] == 0
    r = await api.get("/api/v1/inbox")
    assert r.status_code == 401


async def test_templates_per_action(api):
    for action, count in [("create_wish", 3), ("accept_order", 3), ("dispatch", 3), ("register_member", 2)]:
        body = await api.ok("GET", f"/api/v1/notifications/templates?action={action}", "demo-resident")
        assert len(body["template_ids"]) == count and all(body["template_ids"])
    r = await api.get("/api/v1/notifications/templates?action=fly", "demo-resident")
    assert r.status_code == 422 and r.json()["error"] == "invalid_action"


async def test_subscription_results_keep_a_ledger(api, fake, session):
    ids = (await api.ok("GET", "/api/v1/notifications/templates?action=create_wish", WHO))["template_ids"]
    review, result, confirm = ids
    out = await api.ok(
        "POST",
        "/api/v1/notifications/subscriptions",
        WHO,
        json={"results": {review: "accept", result: "reject", "some-other-app-template": "accept"}},
    )
    assert out["ignored"] == ["some-other-app-template"]
    assert {c["template_id"]: c["count"] for c in out["credits"]} == {review: 1, result: 0}
    await tap(api, fake, WHO, "create_wish")  # accept all three
    mine = {c["template_id"]: c for c in (await api.ok("GET", "/api/v1/notifications/subscriptions", WHO))["credits"]}
    assert (mine[review]["count"], mine[result]["count"], mine[confirm]["count"]) == (2, 1, 1)
    assert mine[review]["title"] == "心愿审核结果通知"

    # ban zeroes and blocks: the next message of that template goes to the inbox only
    out = await api.ok("POST", "/api/v1/notifications/subscriptions", WHO, json={"results": {review: "ban"}})
    assert out["credits"] == [
        {"template_id": review, "template": "wish_review", "title": "心愿审核结果通知", "count": 0, "banned": True}
    ]
    [note] = await service.emit(
        session, "wish_reviewed", [await me(api)], {"wish_id": 1, "wish_title": "x", "approved": True, "at": utcnow()}
    )
    await session.commit()
    from sqlalchemy import select

    from backend.notify.models import OutboxMessage

    row = (await session.execute(select(OutboxMessage).where(OutboxMessage.notification_id == note.id))).scalar_one()
    assert row.status == "no_credit"
    # a later "allow" (the user re-enabled it) lifts the ban
    out = await api.ok("POST", "/api/v1/notifications/subscriptions", WHO, json={"results": {review: "accept"}})
    assert out["credits"][0]["count"] == 1 and out["credits"][0]["banned"] is False

    r = await api.post(
        "/api/v1/notifications/subscriptions",
        WHO,
        json={"results": {"a": "accept", "b": "accept", "c": "accept", "d": "accept"}},
    )
    assert r.status_code == 422
    r = await api.post("/api/v1/notifications/subscriptions", WHO, json={"results": {review: "maybe"}})
    assert r.status_code == 422
    r = await api.post("/api/v1/notifications/subscriptions", json={"results": {review: "accept"}})
    assert r.status_code == 401
