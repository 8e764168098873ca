"""Delivery outcomes per WECHAT.md: retries with backoff, 43101, final errors, dead letters and
re-sending them, credits, and a crash between sending and recording."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.directory.models import User
from backend.kernel.clock import clock, utcnow
from backend.notify.models import DeliveryAttempt, Notification, OutboxMessage
from tests.support.notify import fake_stats, sent, tap

RESIDENT = "demo-resident"


@pytest.fixture
def find(session):
    async def outbox(wish_id: int, event: str = "wish_reviewed") -> OutboxMessage:
        row = (
            await session.execute(
                select(OutboxMessage)
                .join(Notification, Notification.id == OutboxMessage.notification_id)
                .where(Notification.ref_type == "wish", Notification.ref_id == wish_id, Notification.event == event)
            )
        ).scalar_one()
        await session.refresh(row)
        return row

    return outbox


@pytest.fixture
def queue(api, fake, find):
    async def make(taps: int = 1) -> OutboxMessage:
        for _ in range(taps):
            await tap(api, fake, RESIDENT, "create_wish")
        wish = await api.ok(
            "POST", "/api/v1/wishes", RESIDENT, status=201, json={"title": "楼道灯不亮", "category": "repair"}
        )
        await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
        return await find(wish["id"])

    return make


async def attempts(session, outbox_id: int) -> list[DeliveryAttempt]:
    rows = await session.execute(
        select(DeliveryAttempt).where(DeliveryAttempt.outbox_id == outbox_id).order_by(DeliveryAttempt.number)
    )
    found = list(rows.scalars())
    for a in found:
        await session.refresh(a)
    return found


async def credit(api, template: str = "wish_review", who: str = RESIDENT) -> int:
    mine = await api.ok("GET", "/api/v1/notifications/subscriptions", who)
    return next(c["count"] for c in mine["credits"] if c["template"] == template)


@pytest.mark.parametrize(
    "failure",
    [{"errcode": -1}, {"errcode": 45009}, {"http_status": 500}],
    ids=["busy", "rate_limited", "http500"],
)
async def test_three_failures_then_success(api, fake, worker, queue, session, failure):
    row = await queue()
    await fake.post("/_control", json={"fail_next": 3, **failure})

    delays = []
    for _ in range(3):
        before = utcnow()
        tally = await worker.run_until_idle()
        assert (tally.claimed, tally.retry, tally.sent) == (1, 1, 0)
        await session.refresh(row)
        assert row.status == "pending"
        delays.append((row.next_attempt_at - before).total_seconds())
        # not due yet: a run now claims nothing
        assert (await worker.run_until_idle()).claimed == 0
        clock.advance(row.next_attempt_at - utcnow() + timedelta(seconds=1))

    tally = await worker.run_until_idle()
    assert (tally.claimed, tally.sent) == (1, 1)
    messages = await sent(fake)
    assert len(messages) == 1 and messages[0]["touser"] == "fake-openid-demo-resident"
    await session.refresh(row)
    assert row.status == "sent" and row.attempts == 4 and row.msgid == messages[0]["msgid"]
    history = await attempts(session, row.id)
    assert [a.outcome for a in history] == ["retry", "retry", "retry", "sent"]
    assert all(a.finished_at is not None and a.worker == "test-worker" for a in history)
    # exponential backoff with jitter: base 10 s, then 20 s, 40 s, each between half and all of it
    for n, delay in enumerate(delays):
        full = 10 * 2**n
        assert full / 2 - 1 <= delay <= full + 1, delays
    assert await credit(api) == 0


async def test_transient_failures_end_in_a_dead_letter_and_an_admin_resends_it(api, fake, worker, queue, session):
    row = await queue()
    await fake.post("/_control", json={"fail_next": 5, "errcode": -1})
    for _ in range(5):
        await worker.run_until_idle()
        clock.advance(timedelta(hours=1))
    await session.refresh(row)
    assert row.status == "dead" and row.attempts == 5 and row.last_errcode == -1
    assert "重试5次仍失败" in row.last_error
    assert [a.outcome for a in await attempts(session, row.id)] == ["retry"] * 4 + ["dead"]
    assert await credit(api) == 1  # WeChat never used it: given back
    assert await sent(fake) == []

    dead = await api.ok("GET", "/api/v1/admin/notifications?status=dead", "demo-admin")
    item = next(i for i in dead["items"] if i["id"] == row.id)
    assert item["event"] == "wish_reviewed" and item["user_name"] == "王秀兰" and item["last_errcode"] == -1
    assert item["template_id"] == "dev-wish_review"
    also = await api.ok("GET", "/api/v1/admin/notifications?status=dead", "demo-street")
    assert row.id in [i["id"] for i in also["items"]]
    r = await api.get("/api/v1/admin/notifications?status=dead", "demo-dispatcher")
    assert r.status_code == 403
    r = await api.get("/api/v1/admin/notifications?status=lost", "demo-admin")
    assert r.status_code == 422 and r.json()["error"] == "invalid_status"
    detail = await api.ok("GET", f"/api/v1/admin/notifications/{row.id}", "demo-admin")
    assert len(detail["history"]) == 5 and detail["data"]["phrase2"] == {"value": "通过"}

    resent = await api.ok("POST", f"/api/v1/admin/notifications/{row.id}/resend", "demo-admin")
    assert resent["status"] == "pending" and resent["tries"] == 0
    assert await credit(api) == 0
    r = await api.post(f"/api/v1/admin/notifications/{row.id}/resend", "demo-admin")
    assert r.status_code == 409 and r.json()["error"] == "not_dead"
    tally = await worker.run_until_idle()
    assert tally.sent == 1
    await session.refresh(row)
    assert row.status == "sent" and row.attempts == 6
    assert len(await sent(fake)) == 1


async def test_resend_needs_a_credit(api, fake, worker, queue, session):
    row = await queue()
    await fake.post("/_control", json={"fail_next": 1, "errcode": 40003})
    await worker.run_until_idle()
    await session.refresh(row)
    assert row.status == "dead" and await credit(api) == 1
    # the returned credit is used by another message first
    await queue(taps=0)
    r = await api.post(f"/api/v1/admin/notifications/{row.id}/resend", "demo-admin")
    assert r.status_code == 409 and r.json()["error"] == "no_credit"


@pytest.mark.parametrize("errcode", [40003, 40037, 47003, 41030])
async def test_final_errors_dead_letter_at_once(api, fake, worker, queue, session, errcode):
    row = await queue()
    await fake.post("/_control", json={"fail_next": 1, "errcode": errcode})
    tally = await worker.run_until_idle()
    assert (tally.claimed, tally.dead) == (1, 1)
    await session.refresh(row)
    assert row.status == "dead" and row.attempts == 1 and row.last_errcode == errcode
    assert str(errcode) in row.last_error
    clock.advance(timedelta(days=1))
    assert (await worker.run_until_idle()).claimed == 0
    assert await sent(fake) == []


async def test_43101_means_no_retry_and_credit_zero(api, fake, worker, queue, session):
    # the backend believes in two credits (two taps reported) but WeChat knows none
    row = await queue(taps=2)
    (await fake.post("/_reset")).raise_for_status()  # forgets the taps
    await fake.post("/_control", json={"enforce_credits": True})
    assert await credit(api) == 1  # one taken by the queued message
    tally = await worker.run_until_idle()
    assert (tally.claimed, tally.no_credit, tally.retry) == (1, 1, 0)
    await session.refresh(row)
    assert row.status == "no_credit" and row.last_errcode == 43101 and row.attempts == 1
    assert await credit(api) == 0
    clock.advance(timedelta(days=1))
    assert (await worker.run_until_idle()).claimed == 0
    assert await sent(fake) == []
    assert (await fake_stats(fake))["sends_accepted"] == 0


async def test_no_credit_means_inbox_only(api, fake, worker, queue, session):
    row = await queue(taps=0)
    assert row.status == "no_credit" and row.attempts == 0 and not row.credit_held
    assert (await worker.run_until_idle()).claimed == 0
    assert await sent(fake) == []
    inbox = await api.ok("GET", "/api/v1/inbox", RESIDENT)
    assert inbox["items"][0]["id"] == row.notification_id and inbox["items"][0]["event"] == "wish_reviewed"
    assert inbox["items"][0]["read"] is False


async def test_no_openid_means_inbox_only(api, fake, worker, session):
    """A resident the dispatcher filed a wish for (no WeChat account) still gets the inbox item."""
    from backend.notify import service

    user = User(name="无微信的居民")
    session.add(user)
    await session.flush()
    [note] = await service.emit(
        session, "wish_reviewed", [user.id], {"wish_id": 1, "wish_title": "修门", "approved": True, "at": utcnow()}
    )
    await session.commit()
    row = (await session.execute(select(OutboxMessage).where(OutboxMessage.notification_id == note.id))).scalar_one()
    assert row.status == "skipped" and "微信" in row.last_error
    assert (await worker.run_until_idle()).claimed == 0


async def test_unconfigured_template_goes_to_the_inbox_only(api, fake, worker, queue, session):
    row = await queue()
    worker.settings = worker.settings.model_copy(update={"fake_wechat": False})  # as in production, no id set
    tally = await worker.run_until_idle()
    assert tally.skipped == 1
    await session.refresh(row)
    assert row.status == "skipped" and "NOTIFY_TEMPLATE_IDS" in row.last_error
    assert await credit(api) == 1  # given back
    assert await sent(fake) == []


async def test_a_crash_between_sending_and_recording_does_not_send_twice(api, fake, worker, queue, session, caplog):
    row = await queue()
    claims = await worker.claim()  # the worker claims the row and sends it ...
    assert [c.id for c in claims] == [row.id]
    outcome = await worker.send(claims[0])
    assert outcome.status == "sent" and len(await sent(fake)) == 1
    # ... and dies before recording it: the row stays "sending" until the lease runs out
    await session.refresh(row)
    assert row.status == "sending"
    assert (await worker.run_until_idle()).claimed == 0
    clock.advance(timedelta(seconds=worker.settings.notify_lease_seconds + 1))
    with caplog.at_level("WARNING", logger="backend.notify.worker"):
        tally = await worker.run_until_idle()
    assert tally.sent == 1
    assert "may receive it twice" in caplog.text
    messages = await sent(fake)
    assert len(messages) == 1  # the repeat carried the same idempotency key
    assert (await fake_stats(fake))["duplicates_suppressed"] == 1
    await session.refresh(row)
    assert row.status == "sent" and row.msgid == messages[0]["msgid"]
    assert [a.outcome for a in await attempts(session, row.id)] == ["lost", "sent"]


async def test_a_worker_that_lost_its_lease_does_not_overwrite(api, fake, worker, queue, session):
    row = await queue()
    [claim] = await worker.claim()
    clock.advance(timedelta(seconds=worker.settings.notify_lease_seconds + 1))
    [again] = await worker.claim()  # another worker takes it over
    assert again.attempt == claim.attempt + 1
    late = await worker.send(claim)
    assert not await worker.record(claim, late, 5)
    assert await worker.record(again, await worker.send(again), 5)
    await session.refresh(row)
    assert row.status == "sent" and row.attempts == 2
    assert len(await sent(fake)) == 1


async def test_a_message_whose_every_attempt_crashes_ends_dead(api, fake, worker, queue, session):
    """A message that kills its worker every time (outcome never recorded) is not retried forever."""
    row = await queue()
    for _ in range(worker.settings.notify_max_attempts):
        assert len(await worker.claim()) == 1  # claimed, then the worker "dies"
        clock.advance(timedelta(seconds=worker.settings.notify_lease_seconds + 1))
    assert await worker.claim() == []
    await session.refresh(row)
    assert row.status == "dead" and "结果未知" in row.last_error
    assert [a.outcome for a in await attempts(session, row.id)] == ["lost"] * worker.settings.notify_max_attempts
    assert await credit(api) == 1
