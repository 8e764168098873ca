"""Fixtures for the notification tests.

- `fake`: an httpx client on the session's fake WeChat test endpoints, reset for each test.
- `worker`: a NotifyWorker on the test's rolled-back transaction (one send at a time: every
  session of a test shares one connection) and the app's WeChatGateway (wechatpy over a socket).
- `scratch_db`: a migrated database of its own (SQLite file or PostgreSQL database) whose rows
  are really committed, for worker processes started with `python -m backend.notify.worker`.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.kernel.db import create_engine
from backend.migrate import upgrade_head
from backend.notify.worker import NotifyWorker
from tests.support.notify import TEST_SETTINGS, WorkerProcess, new_pg_database


@pytest.fixture
async def fake(fake_wechat) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fake_wechat, trust_env=False, timeout=10) as client:
        (await client.post("/_reset")).raise_for_status()
        yield client
        await client.post("/_reset")


@pytest.fixture
def notify_settings(app):
    return app.state.settings.model_copy(update=TEST_SETTINGS)


@pytest.fixture
def worker(app, notify_settings, fake) -> NotifyWorker:
    return NotifyWorker(
        app.state.session_factory, app.state.wechat, notify_settings, worker_id="test-worker", rng=random.Random(7)
    )


# ---- databases of their own, for worker processes ---------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
async def scratch_db(request, tmp_path) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """(url, engine) of an empty migrated database whose commits are real."""
    if request.param == "sqlite":
        url, drop = f"sqlite+aiosqlite:///{tmp_path / 'notify.db'}", None
    else:
        url, drop = await new_pg_database()
    await asyncio.to_thread(upgrade_head, url)
    engine = create_engine(url)
    try:
        yield url, engine
    finally:
        await engine.dispose()
        if drop is not None:
            await drop()


@pytest.fixture
def spawn(fake_wechat, tmp_path):
    started: list[WorkerProcess] = []

    def start(url: str, **env: str) -> WorkerProcess:
        process = WorkerProcess(url, fake_wechat, tmp_path / f"worker{len(started)}.log", **env)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()
