"""The core loop's notifications, end to end: API calls write outbox rows in their transaction, the
worker delivers them through wechatpy to the fake WeChat over a socket, which enforces credits."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select

from backend.kernel.clock import clock
from backend.notify.models import Notification, OutboxMessage
from backend.wechat.fake import validate_data_value
from backend.wishes.models import Wish
from backend.worker import sweep_once
from tests.support.notify import sent, tap

LONG_TITLE = "帮忙修理厨房漏水的水龙头并检查卫生间下水管道是否堵塞顺便看看热水器"  # 34 characters
NOTE = "您住得最近，麻烦您跑一趟，谢谢！记得带上工具箱和生料带"
DECLINE_REASON = "这周在外地出差，实在抽不开身，非常抱歉，请派给其他同志"
REJECT_REASON = "您登记的住址不在本小区，请到居住地所在小区报到"


def openid(code: str) -> str:
    return f"fake-openid-{code}"


async def user_id(api, code: str) -> int:
    return (await api.ok("GET", "/api/v1/me", code))["id"]


def within_limits(message: dict) -> None:
    for key, item in message["data"].items():
        assert validate_data_value(key, item["value"]) is None, (key, item["value"])
        if key.startswith("thing"):
            assert len(item["value"]) <= 20


def summary(messages: list[dict]) -> list[tuple[str, str]]:
    return [(m["touser"], m["template_id"]) for m in messages]


async def test_full_loop_sends_exactly_the_expected_messages(api, fake, worker):
    await fake.post("/_control", json={"enforce_credits": True})  # like WeChat: no credit, no message
    await tap(api, fake, "demo-resident", "create_wish")
    await tap(api, fake, "demo-member", "accept_order")
    await tap(api, fake, "demo-dispatcher", "dispatch")

    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": LONG_TITLE, "category": "repair"}
    )
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    member = await user_id(api, "demo-member")
    d = await api.ok(
        "POST", f"/api/v1/wishes/{wish['id']}/dispatch", "demo-dispatcher", json={"member_id": member, "note": NOTE}
    )
    await api.ok("POST", f"/api/v1/orders/{d['order']['id']}/accept", "demo-member")
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/complete", "demo-member", json={"note": "换了阀芯"})
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/confirm", "demo-resident", json={"rating": 5})

    assert await sent(fake) == []  # nothing leaves before the worker runs
    tally = await worker.run_until_idle()
    assert (tally.claimed, tally.sent, tally.retry, tally.dead) == (4, 4, 0, 0)

    messages = await sent(fake)
    assert summary(messages) == [
        (openid("demo-resident"), "dev-wish_review"),
        (openid("demo-member"), "dev-new_order"),
        (openid("demo-resident"), "dev-order_result"),
        (openid("demo-resident"), "dev-confirm_request"),
    ]
    for m in messages:
        within_limits(m)
    reviewed, dispatched, accepted, completed = (m["data"] for m in messages)
    assert reviewed["thing1"]["value"] == LONG_TITLE[:19] + "…"
    assert reviewed["phrase2"]["value"] == "通过"
    assert dispatched["thing2"]["value"] == NOTE[:19] + "…"
    assert accepted["phrase2"]["value"] == "已接单" and accepted["name3"]["value"] == "张伟"
    assert completed["thing4"]["value"] == "请确认服务结果并评价"
    assert [m["page"] for m in messages] == [
        f"pages/wish/detail/detail?id={wish['id']}",
        f"pages/wish/detail/detail?id={wish['id']}",
        f"pages/wish/detail/detail?id={wish['id']}",
        f"pages/wish/detail/detail?id={wish['id']}",
    ]
    # every credit the taps gave was used on one side exactly as on the other
    remaining = {(c["openid"], c["template_id"]): c["count"] for c in (await fake.get("/_credits")).json()}
    mine = await api.ok("GET", "/api/v1/notifications/subscriptions", "demo-resident")
    ours = {c["template_id"]: c["count"] for c in mine["credits"]}
    for tid in ("dev-wish_review", "dev-order_result", "dev-confirm_request"):
        assert remaining[(openid("demo-resident"), tid)] == 0 and ours[tid] == 0
    # a second run sends nothing more
    assert (await worker.run_until_idle()).claimed == 0
    assert len(await sent(fake)) == 4

    # the same four are in the inboxes, unread
    inbox = await api.ok("GET", "/api/v1/inbox", "demo-resident")
    mine = [i for i in inbox["items"] if i["ref_id"] == wish["id"]]
    assert [i["event"] for i in mine] == ["wish_completed", "order_accepted", "wish_reviewed"]
    assert mine[0]["title"] == "心愿已完成，请确认" and LONG_TITLE in mine[0]["body"]
    assert mine[0]["page"] == f"pages/wish/detail/detail?id={wish['id']}"
    assert inbox["unread"] >= 3


async def test_decline_expiry_claim_cancel(api, fake, worker, app):
    await fake.post("/_control", json={"enforce_credits": True})
    for who, action in [
        ("demo-resident", "create_wish"),
        ("demo-dispatcher", "dispatch"),
        ("demo-member", "accept_order"),
        ("demo-member2", "accept_order"),
        ("demo-member3", "accept_order"),
    ]:
        await tap(api, fake, who, action)
    m1, m2 = await user_id(api, "demo-member"), await user_id(api, "demo-member2")

    wish = await api.ok(
        "POST",
        "/api/v1/wishes",
        "demo-resident",
        status=201,
        json={"title": "陪老人去医院复查", "category": "medical_escort"},
    )
    wid = wish["id"]
    await api.ok("POST", f"/api/v1/wishes/{wid}/review", "demo-dispatcher", json={"decision": "approve"})
    first = await api.ok("POST", f"/api/v1/wishes/{wid}/dispatch", "demo-dispatcher", json={"member_id": m1})
    await api.ok(
        "POST", f"/api/v1/orders/{first['order']['id']}/decline", "demo-member", json={"reason": DECLINE_REASON}
    )
    await api.ok("POST", f"/api/v1/wishes/{wid}/dispatch", "demo-dispatcher", json={"member_id": m2})

    settings = app.state.settings
    clock.advance(timedelta(hours=12))  # half the offer's time: no reminder yet (it expires in 12 h)
    assert (await sweep_once(app.state.session_factory, settings))["offers_reminded"] == 0
    clock.advance(timedelta(hours=10, minutes=30))  # 1.5 h left
    assert (await sweep_once(app.state.session_factory, settings))["offers_reminded"] == 1
    assert (await sweep_once(app.state.session_factory, settings))["offers_reminded"] == 0  # once only
    clock.advance(timedelta(hours=2))
    assert (await sweep_once(app.state.session_factory, settings))["offers_expired"] >= 1

    await api.ok("POST", f"/api/v1/wishes/{wid}/claim", "demo-member3")
    await api.ok("POST", f"/api/v1/wishes/{wid}/cancel", "demo-resident", json={"reason": "家里人已经陪我去过了"})

    await worker.run_until_idle()
    messages = await sent(fake)
    assert summary(messages) == [
        (openid("demo-resident"), "dev-wish_review"),
        (openid("demo-member"), "dev-new_order"),
        (openid("demo-resident"), "dev-order_result"),  # declined
        (openid("demo-dispatcher"), "dev-decline_alert"),
        (openid("demo-member2"), "dev-new_order"),
        (openid("demo-member2"), "dev-offer_reminder"),
        (openid("demo-dispatcher"), "dev-expiry_alert"),
        (openid("demo-member3"), "dev-order_cancelled"),
    ]
    for m in messages:
        within_limits(m)
    declined, alert = messages[2]["data"], messages[3]["data"]
    assert declined["phrase2"]["value"] == "已婉拒" and declined["name3"]["value"] == "张伟"
    assert alert["thing3"]["value"] == DECLINE_REASON[:19] + "…"
    assert messages[7]["data"]["thing2"]["value"] == "家里人已经陪我去过了"

    # the claim's message to the resident found no credit left (the decline used it): inbox only
    rows = (
        await worker.session_factory().execute(
            select(Notification.event, OutboxMessage.status)
            .join(OutboxMessage, OutboxMessage.notification_id == Notification.id)
            .where(Notification.ref_type == "wish", Notification.ref_id == wid)
            .order_by(Notification.id)
        )
    ).all()
    assert ("order_accepted", "no_credit") in rows
    inbox = await api.ok("GET", "/api/v1/inbox", "demo-resident")
    claimed = [i for i in inbox["items"] if i["ref_id"] == wid and i["event"] == "order_accepted"]
    assert claimed and claimed[0]["title"] == "党员已认领"


async def test_registration_decisions(api, fake, worker, session):
    await fake.post("/_control", json={"enforce_credits": True})
    compounds = (await api.ok("GET", "/api/v1/org/compounds", "demo-resident2"))["items"]
    c1 = next(c["id"] for c in compounds if c["name"] == "锦华苑")
    for who in ("demo-resident2", "demo-gridworker"):
        await tap(api, fake, who, "register_member")
    approved = await api.ok(
        "POST",
        "/api/v1/members/register",
        "demo-resident2",
        status=201,
        json={"compound_id": c1, "work_unit": "区财政局"},
    )
    rejected = await api.ok(
        "POST",
        "/api/v1/members/register",
        "demo-gridworker",
        status=201,
        json={"compound_id": c1, "work_unit": "街道办"},
    )
    await api.ok("POST", f"/api/v1/members/registrations/{approved['id']}/approve", "demo-dispatcher")
    await api.ok(
        "POST",
        f"/api/v1/members/registrations/{rejected['id']}/reject",
        "demo-dispatcher",
        json={"reason": REJECT_REASON},
    )
    await worker.run_until_idle()
    messages = await sent(fake)
    assert summary(messages) == [
        (openid("demo-resident2"), "dev-registration_result"),
        (openid("demo-gridworker"), "dev-registration_result"),
    ]
    for m in messages:
        within_limits(m)
    assert [m["data"]["phrase2"]["value"] for m in messages] == ["通过", "未通过"]
    assert messages[0]["data"]["thing1"]["value"] == "锦华苑"
    assert messages[1]["data"]["thing3"]["value"] == REJECT_REASON[:19] + "…"
    assert messages[0]["page"] == "pages/member/register/register"


async def test_a_request_that_fails_after_its_state_change_sends_nothing(app, api, fake, worker, monkeypatch, session):
    """The review is written and its outbox row flushed, then the request crashes: the rollback takes
    the notification with it."""
    from backend.wishes import views as wishes_views

    await tap(api, fake, "demo-resident", "create_wish")
    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": "楼道灯不亮", "category": "repair"}
    )
    before = (await session.execute(select(func.count()).select_from(OutboxMessage))).scalar_one()

    async def crash(*args, **kwargs):
        raise RuntimeError("the response could not be built")

    monkeypatch.setattr(wishes_views, "detail", crash)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        r = await client.post(
            f"/api/v1/wishes/{wish['id']}/review",
            json={"decision": "approve"},
            headers=await api.headers("demo-dispatcher"),
        )
    assert r.status_code == 500 and r.json()["error"] == "internal_error"
    monkeypatch.undo()

    assert (await session.get(Wish, wish["id"])).status == "pending_review"
    after = (await session.execute(select(func.count()).select_from(OutboxMessage))).scalar_one()
    assert after == before
    notes = await session.execute(
        select(Notification.id).where(Notification.ref_id == wish["id"], Notification.event == "wish_reviewed")
    )
    assert notes.first() is None
    assert (await worker.run_until_idle()).claimed == 0
    assert await sent(fake) == []
    # the credit the aborted message had taken is still there
    credits = await api.ok("GET", "/api/v1/notifications/subscriptions", "demo-resident")
    assert next(c for c in credits["credits"] if c["template"] == "wish_review")["count"] == 1

    # and the same review, when it succeeds, sends exactly one
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    await worker.run_until_idle()
    assert summary(await sent(fake)) == [(openid("demo-resident"), "dev-wish_review")]
