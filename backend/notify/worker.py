"""Delivers the WeChat outbox: `python -m backend.notify.worker` (the app starts one in-process in dev).

Each round:

1. **claim** (one short transaction): due rows — `pending` and due, or `sending` whose claiming
   worker's lease ran out — are picked with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL
   (SQLite: every write transaction is `BEGIN IMMEDIATE`, so claims are serialised), marked
   `sending` with a lease, and get an attempt row.
2. **send** through `WeChatGateway` (wechatpy in a thread), several at once, outside any transaction.
3. **record** each outcome in its own short transaction, fenced by the attempt number, so a
   worker that lost its lease cannot overwrite the one that took over.

A worker killed between 2 and 3 leaves its rows `sending`; after the lease another worker sends
them again with the same idempotency key (the fake WeChat answers a repeat with the first msgid;
real WeChat has no idempotency, so that re-send is logged as a possible duplicate).

Outcomes follow WECHAT.md: 43101 → `no_credit`, credit zeroed, never retried; -1, 45009, HTTP 5xx,
timeouts (and a token error that survived the gateway's one refresh) → retried with exponential
backoff and jitter up to `notify_max_attempts`, then `dead`; 40003, 40037, 47003, 41030 and any
other error → `dead` at once with the reason. A message that dies gives its credit back.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import signal
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text, update

from backend.kernel.clock import utcnow
from backend.kernel.db import SessionFactory, engine_from_settings, make_session_factory
from backend.kernel.settings import Settings, get_settings
from backend.notify import service, templates
from backend.notify.models import DeliveryAttempt, Notification, OutboxMessage
from backend.notify.state import LIVE, OutboxStatus
from backend.wechat.client import TOKEN_ERRCODES, WeChatError, WeChatGateway

log = logging.getLogger("backend.notify.worker")

NO_SUBSCRIPTION = 43101
STOP_GRACE_SECONDS = 10.0
PERMANENT = {
    40003: "openid 无效",
    40037: "模板 ID 无效，请检查 NOTIFY_TEMPLATE_IDS 配置",
    47003: "模板参数不合法",
    41030: "页面路径无效，请检查 NOTIFY_PAGES 配置",
}
LOST = "租约到期仍未记录结果（进程崩溃或卡住），消息可能已发出"
NOT_CONFIGURED = "未配置该模板的微信模板 ID（NOTIFY_TEMPLATE_IDS），仅站内信"
REFUSED = "用户未订阅或已拒收该模板（43101），不再重试"
# Spelled as in the partial index ix_notify_outbox_due, so that PostgreSQL uses it whatever the plan.
LIVE_PREDICATE = text("notify_outbox.status IN ('pending', 'sending')")
assert LIVE == ("pending", "sending")
OUTBOX = OutboxMessage.__table__
ATTEMPT = DeliveryAttempt.__table__


@dataclass(frozen=True)
class Claim:
    id: int
    attempt: int
    tries: int
    user_id: int
    openid: str
    template: str
    event: str
    params: dict[str, Any]
    idempotency_key: str
    credit_held: bool
    lease_until: datetime
    in_doubt: bool


@dataclass(frozen=True)
class Outcome:
    status: str  # the row's new status: sent | pending | dead | no_credit | skipped
    attempt: str  # the attempt's outcome: sent | retry | dead | no_credit | skipped
    errcode: int | None = None
    error: str | None = None
    msgid: int | None = None
    next_attempt_at: datetime | None = None
    rendered: templates.Rendered | None = None


@dataclass
class Tally:
    claimed: int = 0
    sent: int = 0
    retry: int = 0
    dead: int = 0
    no_credit: int = 0
    skipped: int = 0
    lost: int = 0  # lease lost before sending or recording
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("claimed", "sent", "retry", "dead", "no_credit", "skipped", "lost"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def backoff(tries: int, base: float, cap: float, rng: random.Random) -> timedelta:
    """Exponential backoff with "equal jitter": half fixed, half random."""
    delay = min(cap, base * (2 ** max(tries - 1, 0)))
    return timedelta(seconds=delay / 2 + rng.random() * delay / 2)


class NotifyWorker:
    def __init__(
        self,
        session_factory: SessionFactory,
        gateway: WeChatGateway,
        settings: Settings,
        *,
        worker_id: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.gateway = gateway
        self.settings = settings
        self.worker_id = worker_id or default_worker_id()
        self.rng = rng or random.Random()
        self._sem = asyncio.Semaphore(settings.notify_concurrency)

    # ---- 1. claim ------------------------------------------------------------------------------

    async def claim(self) -> list[Claim]:
        """Take a batch of due rows (FOR UPDATE SKIP LOCKED), lease them, open an attempt for each."""
        async with self.session_factory() as session:
            now = utcnow()
            rows = await self._due_rows(session, now)
            if not rows:
                return []
            notes = await self._notifications(session, rows)
            lease_until = now + timedelta(seconds=self.settings.notify_lease_seconds)
            claims: list[Claim] = []
            for row in rows:
                in_doubt = row.status == OutboxStatus.sending
                if in_doubt and not await self._take_over(session, row, now):
                    continue
                self._lease(session, row, now, lease_until)
                claims.append(self._claim_of(row, notes[row.notification_id], lease_until, in_doubt))
            await session.commit()
        return claims

    async def _due_rows(self, session, now: datetime) -> list[OutboxMessage]:
        stmt = (
            select(OutboxMessage)
            .where(LIVE_PREDICATE, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at)
            .limit(self.settings.notify_batch_size)
            .with_for_update(skip_locked=True)
        )
        return list((await session.execute(stmt)).scalars())

    async def _notifications(self, session, rows: list[OutboxMessage]) -> dict[int, Notification]:
        stmt = select(Notification).where(Notification.id.in_([r.notification_id for r in rows]))
        return {n.id: n for n in (await session.execute(stmt)).scalars()}

    async def _take_over(self, session, row: OutboxMessage, now: datetime) -> bool:
        """A `sending` row whose lease ran out: its last attempt is lost. Past the last try it is a
        dead letter (False); else it is sent again with the same idempotency key (True)."""
        await session.execute(
            update(DeliveryAttempt)
            .where(
                DeliveryAttempt.outbox_id == row.id,
                DeliveryAttempt.number == row.attempts,
                DeliveryAttempt.outcome.is_(None),
            )
            .values(outcome="lost", finished_at=now, error=LOST)
            .execution_options(synchronize_session=False)
        )
        if row.tries >= self.settings.notify_max_attempts:
            log.error("outbox %s: %s attempts left no outcome; dead letter", row.id, row.tries)
            row.status, row.claimed_by, row.updated_at = OutboxStatus.dead, None, now
            row.last_error = f"已尝试{row.tries}次，最后一次结果未知：{LOST}"
            if row.credit_held:
                row.credit_held = False
                await service.give_back_credit(session, row.user_id, row.template)
            return False
        log.warning(
            "outbox %s: attempt %s by %s left no outcome (lease expired); sending again with "
            "idempotency key %s — real WeChat has no idempotency, the user may receive it twice",
            row.id,
            row.attempts,
            row.claimed_by,
            row.idempotency_key,
        )
        return True

    def _lease(self, session, row: OutboxMessage, now: datetime, lease_until: datetime) -> None:
        row.status = OutboxStatus.sending
        row.attempts += 1
        row.tries += 1
        row.claimed_by = self.worker_id
        row.next_attempt_at = lease_until
        row.updated_at = now
        session.add(DeliveryAttempt(outbox_id=row.id, number=row.attempts, worker=self.worker_id, started_at=now))

    def _claim_of(self, row: OutboxMessage, note: Notification, lease_until: datetime, in_doubt: bool) -> Claim:
        return Claim(
            id=row.id,
            attempt=row.attempts,
            tries=row.tries,
            user_id=row.user_id,
            openid=row.openid or "",
            template=row.template,
            event=note.event,
            params=dict(note.params),
            idempotency_key=row.idempotency_key,
            credit_held=row.credit_held,
            lease_until=lease_until,
            in_doubt=in_doubt,
        )

    # ---- 2. send -------------------------------------------------------------------------------

    async def send(self, claim: Claim) -> Outcome:
        try:
            rendered = templates.render(self.settings, claim.event, claim.params)
        except Exception as exc:  # the params do not fit the event: a bug, not worth retrying
            log.exception("outbox %s: cannot render %s", claim.id, claim.event)
            return Outcome(OutboxStatus.dead, "dead", error=f"消息渲染失败：{exc!r}")
        if rendered.template_id is None:
            return Outcome(OutboxStatus.skipped, "skipped", error=NOT_CONFIGURED, rendered=rendered)
        try:
            result = await self.gateway.send_subscribe_message(
                claim.openid,
                rendered.template_id,
                rendered.data,
                rendered.page,
                miniprogram_state=self.settings.notify_miniprogram_state,
                idempotency_key=claim.idempotency_key,
            )
        except WeChatError as err:
            return self.classify(claim, err, rendered)
        except Exception as exc:  # an unexpected failure of the gateway itself: retry like a network error
            log.exception("outbox %s: gateway failed", claim.id)
            return self.classify(claim, WeChatError(None, repr(exc)), rendered)
        msgid = result.get("msgid")
        return Outcome(OutboxStatus.sent, "sent", msgid=int(msgid) if msgid is not None else None, rendered=rendered)

    def classify(self, claim: Claim, err: WeChatError, rendered: templates.Rendered) -> Outcome:
        code = err.errcode
        if code == NO_SUBSCRIPTION:
            return Outcome(OutboxStatus.no_credit, "no_credit", code, REFUSED, rendered=rendered)
        if code in PERMANENT:
            return Outcome(
                OutboxStatus.dead, "dead", code, f"{PERMANENT[code]}（{code}）：{err.errmsg}", rendered=rendered
            )
        if err.transient or code in TOKEN_ERRCODES:
            s = self.settings
            if claim.tries >= s.notify_max_attempts:
                return Outcome(OutboxStatus.dead, "dead", code, f"重试{claim.tries}次仍失败：{err}", rendered=rendered)
            delay = backoff(claim.tries, s.notify_backoff_base_seconds, s.notify_backoff_max_seconds, self.rng)
            return Outcome(
                OutboxStatus.pending, "retry", code, str(err), next_attempt_at=utcnow() + delay, rendered=rendered
            )
        return Outcome(OutboxStatus.dead, "dead", code, f"微信返回错误（{code}）：{err.errmsg}", rendered=rendered)

    # ---- 3. record -----------------------------------------------------------------------------

    async def record(self, claim: Claim, outcome: Outcome, duration_ms: int) -> bool:
        """Record one outcome; False if this worker's claim was taken over (lease lost)."""
        return (await self.record_many([(claim, outcome, duration_ms)]))[0]

    async def record_many(self, results: list[tuple[Claim, Outcome, int]]) -> list[bool]:
        """Record outcomes in one transaction (group commit), each fenced by its attempt number."""
        recorded: list[bool] = []
        async with self.session_factory() as session:
            for claim, outcome, duration_ms in results:
                recorded.append(await self._record_one(session, claim, outcome, duration_ms))
            await session.commit()
        for (claim, outcome, _), ok in zip(results, recorded, strict=True):
            if not ok:
                log.warning("outbox %s: lease lost before recording attempt %s (%s)", claim.id, claim.attempt, outcome)
            elif outcome.status == OutboxStatus.dead:
                log.error("outbox %s dead after %s tries: %s", claim.id, claim.tries, outcome.error)
        return recorded

    async def _record_one(self, session: Any, claim: Claim, outcome: Outcome, duration_ms: int) -> bool:
        now = utcnow()
        values: dict[str, Any] = {
            "status": outcome.status,
            "updated_at": now,
            "claimed_by": None,
            "last_errcode": outcome.errcode,
            "last_error": templates.clip(outcome.error, 300) if outcome.error else None,
        }
        if outcome.rendered is not None:
            r = outcome.rendered
            values.update(template_id=r.template_id, page=templates.clip(r.page, 200), data=r.data)
        if outcome.status == OutboxStatus.sent:
            values.update(sent_at=now, msgid=outcome.msgid, credit_held=False)
        elif outcome.status == OutboxStatus.pending:
            values.update(next_attempt_at=outcome.next_attempt_at)
        else:
            values.update(credit_held=False)
        # Core statements on the tables: the ORM's bulk-update machinery costs more than the SQL here.
        result = await session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id == claim.id, OUTBOX.c.status == OutboxStatus.sending, OUTBOX.c.attempts == claim.attempt)
            .values(**values)
        )
        if result.rowcount != 1:
            return False
        await session.execute(
            update(ATTEMPT)
            .where(ATTEMPT.c.outbox_id == claim.id, ATTEMPT.c.number == claim.attempt)
            .values(
                finished_at=now,
                outcome=outcome.attempt,
                errcode=outcome.errcode,
                error=values["last_error"],
                duration_ms=duration_ms,
            )
        )
        if outcome.status == OutboxStatus.no_credit:
            await service.zero_credit(session, claim.user_id, claim.template)
        elif outcome.status in (OutboxStatus.dead, OutboxStatus.skipped) and claim.credit_held:
            await service.give_back_credit(session, claim.user_id, claim.template)
        return True

    # ---- rounds --------------------------------------------------------------------------------

    async def _send_one(self, claim: Claim, done: asyncio.Queue, tally: Tally) -> None:
        async with self._sem:
            if utcnow() >= claim.lease_until:  # waited too long: another worker may have it now
                tally.lost += 1
                return
            started = time.monotonic()
            outcome = await self.send(claim)
            await done.put((claim, outcome, int((time.monotonic() - started) * 1000)))

    async def _recorder(self, done: asyncio.Queue, tally: Tally) -> None:
        """One writer per worker: records whatever outcomes are ready, in one transaction each time
        (SQLite has one writer anyway; on PostgreSQL it saves a commit per message)."""
        finished = False
        while not finished:
            items = [await done.get()]
            while not done.empty():
                items.append(done.get_nowait())
            finished = None in items
            results = [item for item in items if item is not None]
            if not results:
                continue
            try:
                recorded = await self.record_many(results)
            except Exception as exc:  # rows stay "sending": re-sent (same idempotency key) after the lease
                log.exception("recording %s outcomes failed", len(results))
                tally.errors.append(repr(exc))
                tally.lost += len(results)
                continue
            for (_, outcome, _), ok in zip(results, recorded, strict=True):
                if ok:
                    setattr(tally, outcome.attempt, getattr(tally, outcome.attempt) + 1)
                else:
                    tally.lost += 1

    async def run_batch(self) -> Tally:
        """Claim one batch and deliver it: sends run concurrently, outcomes are recorded as they come."""
        claims = await self.claim()
        tally = Tally(claimed=len(claims))
        if not claims:
            return tally
        done: asyncio.Queue = asyncio.Queue()
        recorder = asyncio.create_task(self._recorder(done, tally))
        results = await asyncio.gather(*(self._send_one(c, done, tally) for c in claims), return_exceptions=True)
        await done.put(None)
        await recorder
        for claim, result in zip(claims, results, strict=True):
            if isinstance(result, BaseException):
                log.error("outbox %s: delivery failed", claim.id, exc_info=result)
                tally.errors.append(repr(result))
        return tally

    async def run_until_idle(self, max_batches: int = 10_000) -> Tally:
        """Deliver until nothing is due (tests, `--once`)."""
        total = Tally()
        for _ in range(max_batches):
            tally = await self.run_batch()
            total.add(tally)
            if tally.claimed == 0:
                break
        return total

    async def run_forever(self, stop: asyncio.Event) -> None:
        log.info("notify worker %s started", self.worker_id)
        while not stop.is_set():
            full = False
            try:
                tally = await self.run_batch()
                full = tally.claimed >= self.settings.notify_batch_size
                if tally.claimed:
                    log.info("notify worker %s: %s", self.worker_id, tally)
            except Exception:  # the database or Redis is away: keep trying
                log.exception("notify round failed")
            if not full:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.settings.notify_poll_seconds)
        log.info("notify worker %s stopped", self.worker_id)


class InProcessWorker:
    """The worker as a task of the app (dev): `start_in_process(app)`, then `await runner.stop()`."""

    def __init__(self, worker: NotifyWorker) -> None:
        self.worker = worker
        self._stop = asyncio.Event()
        self.task = asyncio.create_task(worker.run_forever(self._stop))

    async def stop(self) -> None:
        """Finish the round in progress (bounded), then end."""
        self._stop.set()
        try:
            await asyncio.wait_for(self.task, STOP_GRACE_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            pass


def start_in_process(app: Any) -> InProcessWorker:
    worker = NotifyWorker(app.state.session_factory, app.state.wechat, app.state.settings)
    return InProcessWorker(worker)


async def _main(settings: Settings, once: bool, worker_id: str | None) -> None:
    engine = engine_from_settings(settings)
    gateway = WeChatGateway(
        settings.wechat_appid, settings.wechat_secret, settings.effective_wechat_api_base, redis_url=settings.redis_url
    )
    worker = NotifyWorker(make_session_factory(engine), gateway, settings, worker_id=worker_id)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        if once:
            tally = await worker.run_until_idle()
            log.info("notify worker %s done: %s", worker.worker_id, tally)
        else:
            await worker.run_forever(stop)
    finally:
        gateway.close()
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m backend.notify.worker", description=__doc__.split("\n")[0])
    parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    parser.add_argument("--worker-id", help="name in attempt rows and logs (default host:pid:random)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_main(get_settings(), args.once, args.worker_id))


if __name__ == "__main__":
    main()
