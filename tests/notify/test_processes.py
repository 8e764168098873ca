"""Worker processes (`python -m backend.notify.worker`) on a database of their own, against the fake
WeChat over a socket: killed with SIGKILL mid-batch and restarted; two at once over 1,000 messages."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select

from backend.kernel.db import make_session_factory
from backend.kernel.settings import DEV_WECHAT_SECRET
from backend.notify.models import DeliveryAttempt, OutboxMessage
from backend.wechat.client import WeChatGateway
from tests.support.notify import fake_stats, outbox_counts, seed_outbox, sent, wait_until

REDIS_URL = "redis://127.0.0.1:6379/15"


async def accepted(fake) -> int:
    return (await fake_stats(fake))["sends_accepted"]


async def attempt_outcomes(engine) -> dict[str | None, int]:
    async with make_session_factory(engine)() as session:
        rows = await session.execute(select(DeliveryAttempt.outcome, func.count()).group_by(DeliveryAttempt.outcome))
        return {outcome: n for outcome, n in rows.all()}


async def test_worker_killed_mid_batch_and_restarted(scratch_db, fake, spawn):
    url, engine = scratch_db
    n = 300
    keys = await seed_outbox(engine, n)
    # delivery exactly once is tested here; the users' WeChat credits are not (test_loop.py does)
    (await fake.post("/_control", json={"enforce_credits": False})).raise_for_status()
    env = {
        "WECHAT_APPID": f"wx-kill-{uuid.uuid4().hex[:8]}",
        "NOTIFY_BATCH_SIZE": "20",
        "NOTIFY_CONCURRENCY": "10",
        "NOTIFY_LEASE_SECONDS": "3",
    }
    await fake.post("/_apps", json={"appid": env["WECHAT_APPID"], "secret": DEV_WECHAT_SECRET})
    await fake.post("/_control", json={"latency_ms": 10})
    first = spawn(url, **env)

    async def some_delivered():
        return await accepted(fake) >= 60

    await wait_until(some_delivered, 60, "the first worker to deliver 60 messages")
    # WeChat slows down: the batch now in flight hangs there when the worker is killed
    await fake.post("/_control", json={"latency_ms": 1500})
    await asyncio.sleep(0.6)
    first.kill()
    at_kill = await outbox_counts(engine)
    assert at_kill.get("sending", 0) > 0, at_kill  # killed mid-batch: claimed rows without an outcome
    assert at_kill.get("pending", 0) > 0, at_kill
    await fake.post("/_control", json={"latency_ms": 0})

    second = spawn(url, **env)

    async def all_sent():
        return await outbox_counts(engine) == {"sent": n}

    await wait_until(all_sent, 120, "every message to be sent")
    second.stop()

    messages = await sent(fake)
    delivered = [m["idempotency_key"] for m in messages]
    assert len(delivered) == n, "each message delivered once"
    assert sorted(delivered) == sorted(keys)
    stats = await fake_stats(fake)
    assert stats["sends_accepted"] == n
    # the killed worker's in-flight sends reached WeChat but were never recorded; the restarted
    # worker sent them again with the same idempotency key, and said so in its log
    outcomes = await attempt_outcomes(engine)
    assert outcomes.get("lost", 0) == at_kill["sending"]
    assert stats["duplicates_suppressed"] >= 1
    assert "may receive it twice" in second.log
    assert outcomes.get(None, 0) == 0 and outcomes["sent"] == n


async def test_two_workers_deliver_each_message_exactly_once(scratch_db, fake, spawn):
    """On PostgreSQL the claim is SELECT … FOR UPDATE SKIP LOCKED; on SQLite, BEGIN IMMEDIATE."""
    url, engine = scratch_db
    n = 1000
    keys = await seed_outbox(engine, n)
    # delivery exactly once is tested here; the users' WeChat credits are not (test_loop.py does)
    (await fake.post("/_control", json={"enforce_credits": False})).raise_for_status()
    appid = f"wx-two-{uuid.uuid4().hex[:8]}"
    (await fake.post("/_apps", json={"appid": appid, "secret": "test-secret"})).raise_for_status()
    # one access token, fetched here into Redis, is shared by both processes
    warm = WeChatGateway(appid, "test-secret", str(fake.base_url).rstrip("/"), redis_url=REDIS_URL)
    try:
        await warm.send_subscribe_message("fake-openid-warm-up", "dev-wish_review", {"thing1": "预热"})
    finally:
        warm.close()
    (await fake.delete("/_sent")).raise_for_status()
    assert (await fake_stats(fake))["tokens_issued"] == 1

    env = {"WECHAT_APPID": appid, "REDIS_URL": REDIS_URL, "NOTIFY_BATCH_SIZE": "25", "NOTIFY_CONCURRENCY": "8"}
    workers = [spawn(url, **env), spawn(url, **env)]

    async def all_sent():
        return await outbox_counts(engine) == {"sent": n}

    try:
        await wait_until(all_sent, 180, "1,000 messages to be sent")
    finally:
        for w in workers:
            w.stop()

    messages = await sent(fake)
    delivered = [m["idempotency_key"] for m in messages]
    assert len(delivered) == n and sorted(delivered) == sorted(keys)
    stats = await fake_stats(fake)
    assert stats["duplicates_suppressed"] == 0, "no message was ever sent twice"
    assert stats["tokens_issued"] == 1, "the access token came from Redis"
    async with make_session_factory(engine)() as session:
        per_row = (await session.execute(select(func.max(OutboxMessage.attempts)))).scalar_one()
        by_worker = dict(
            (await session.execute(select(DeliveryAttempt.worker, func.count()).group_by(DeliveryAttempt.worker))).all()
        )
    assert per_row == 1, "every row was claimed exactly once"
    assert len(by_worker) == 2 and sum(by_worker.values()) == n, by_worker
    assert min(by_worker.values()) > 0
