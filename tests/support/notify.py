"""The fake WeChat's records, subscription taps, outbox seeding and worker processes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import func, make_url, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.directory.models import User
from backend.kernel.db import create_engine, make_session_factory
from backend.kernel.settings import ROOT
from backend.notify import service
from backend.notify.models import OutboxMessage, SubscriptionCredit
from tests.support.db import PG_URL

TEST_SETTINGS = {
    "notify_concurrency": 1,
    "notify_backoff_base_seconds": 10.0,
    "notify_backoff_max_seconds": 600.0,
    "notify_max_attempts": 5,
}


async def sent(fake: httpx.AsyncClient) -> list[dict]:
    return (await fake.get("/_sent")).json()


async def fake_stats(fake: httpx.AsyncClient) -> dict:
    return (await fake.get("/_stats")).json()


async def tap(api, fake: httpx.AsyncClient, who: str, action: str, result: str = "accept") -> dict:
    """What the mini-program does before `action`: ask for the action's templates (wx.requestSubscribeMessage,
    here the fake records the user's "allow" as WeChat would) and report the answer to the backend."""
    ids = (await api.ok("GET", f"/api/v1/notifications/templates?action={action}", who))["template_ids"]
    assert 1 <= len(ids) <= 3
    if result == "accept":
        for tid in ids:
            r = await fake.post("/_credits", json={"openid": f"fake-openid-{who}", "template_id": tid, "count": 1})
            r.raise_for_status()
    return await api.ok(
        "POST", "/api/v1/notifications/subscriptions", who, json={"results": dict.fromkeys(ids, result)}
    )


async def new_pg_database() -> tuple[str, Callable[[], object]]:
    base = make_url(PG_URL)
    name = f"{base.database}_notify_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))

    async def drop() -> None:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


async def seed_outbox(engine: AsyncEngine, messages: int, users: int = 50) -> list[str]:
    """`users` WeChat users with enough credits, and `messages` wish_reviewed events queued for them
    through the real `emit`, committed. Returns the idempotency keys."""
    factory = make_session_factory(engine)
    async with factory() as session:
        people = [User(openid=f"fake-openid-bulk-{uuid.uuid4().hex[:10]}", name=f"用户{i}") for i in range(users)]
        session.add_all(people)
        await session.flush()
        per_user = messages // users + 1
        session.add_all(SubscriptionCredit(user_id=u.id, template="wish_review", count=per_user) for u in people)
        await session.flush()
        for i in range(messages):
            params = {
                "wish_id": i + 1,
                "wish_title": f"第{i + 1}个心愿：帮忙修理楼道里坏了很久的声控灯",
                "approved": True,
            }
            params["at"] = "2026-11-23T07:01:00+00:00"
            await service.emit(session, "wish_reviewed", [people[i % users].id], params)
        await session.commit()
        keys = list((await session.execute(select(OutboxMessage.idempotency_key))).scalars())
    assert len(keys) == messages
    return keys


async def outbox_counts(engine: AsyncEngine) -> dict[str, int]:
    async with make_session_factory(engine)() as session:
        rows = await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        return {status: n for status, n in rows.all()}


class WorkerProcess:
    """`python -m backend.notify.worker` as a real process."""

    def __init__(self, url: str, fake_url: str, log: Path, **env: str) -> None:
        self.log_path = log
        environment = {
            **os.environ,
            "APP_ENV": "test",
            "DATABASE_URL": url,
            "WECHAT_API_BASE": fake_url,
            "NOTIFY_POLL_SECONDS": "0.05",
            **env,
        }
        if "REDIS_URL" not in env:
            environment.pop("REDIS_URL", None)  # the access token in memory unless a test shares it
        self._log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "backend.notify.worker"],
            cwd=ROOT,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._log.close()

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


async def wait_until(predicate, seconds: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + seconds
    while True:
        value = await predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(interval)
