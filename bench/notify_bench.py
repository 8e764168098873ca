"""Notification delivery throughput: messages per second delivered by 1 and 2 worker processes
(`python -m backend.notify.worker`) to the fake WeChat at 0 ms and 50 ms latency. Prints figures;
asserts nothing.

    .venv/bin/python bench/notify_bench.py [--database-url URL] [--messages N] [--slow-messages N]

The database is a fresh one of its own: a PostgreSQL database created next to BENCH_DATABASE_URL
(or TEST_DATABASE_URL) when one is set, else a SQLite file in a temporary directory. Each run
queues N messages in one committed transaction while the workers are already polling, and times
from that commit to the fake WeChat having accepted all N.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import make_url, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.directory.models import User  # noqa: E402
from backend.kernel.db import create_engine, make_session_factory  # noqa: E402
from backend.kernel.settings import DEV_WECHAT_SECRET, Settings  # noqa: E402
from backend.migrate import upgrade_head  # noqa: E402
from backend.notify import service, templates  # noqa: E402
from backend.notify.models import SubscriptionCredit  # noqa: E402
from backend.wechat.fake import run_fake_wechat_in_thread  # noqa: E402

USERS = 100


async def create_database(args: argparse.Namespace, tmp: Path) -> tuple[str, object]:
    server = args.database_url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not server:
        return f"sqlite+aiosqlite:///{tmp / 'bench.db'}", None
    base = make_url(server)
    name = f"{base.database}_bench_{uuid.uuid4().hex[:6]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))

    async def drop() -> None:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


async def seed_users(factory) -> list[int]:
    async with factory() as session:
        people = [User(openid=f"fake-openid-bench-{i}", name=f"居民{i}") for i in range(USERS)]
        session.add_all(people)
        await session.flush()
        session.add_all(SubscriptionCredit(user_id=u.id, template="wish_review", count=1_000_000) for u in people)
        await session.commit()
        return [u.id for u in people]


async def queue(factory, users: list[int], n: int) -> None:
    async with factory() as session:
        for i in range(n):
            params = {"wish_id": i, "wish_title": "帮忙修理楼道里坏了很久的声控灯", "approved": True}
            params["at"] = "2026-11-23T07:01:00+00:00"
            await service.emit(session, "wish_reviewed", [users[i % len(users)]], params)
        await session.commit()


def start_workers(count: int, url: str, fake_url: str, logs: Path) -> list[subprocess.Popen]:
    appid = f"wx-bench-{uuid.uuid4().hex[:6]}"
    # the fake knows only declared apps (40013 otherwise); the workers use the dev secret
    declare = {"appid": appid, "secret": DEV_WECHAT_SECRET}
    httpx.post(f"{fake_url}/_apps", json=declare, trust_env=False).raise_for_status()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": url,
        "WECHAT_API_BASE": fake_url,
        "WECHAT_APPID": appid,
        "NOTIFY_POLL_SECONDS": "0.05",
    }
    env.pop("REDIS_URL", None)
    procs = []
    for i in range(count):
        log = (logs / f"worker{i}.log").open("ab")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "backend.notify.worker"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        )
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


async def run_one(factory, users, url: str, fake_url: str, logs: Path, workers: int, latency: int, n: int) -> float:
    async with httpx.AsyncClient(base_url=fake_url, trust_env=False, timeout=10) as fake:
        (await fake.post("/_reset")).raise_for_status()
        # delivery rate, not credits: the users never tapped "allow" in this fake
        (await fake.post("/_control", json={"latency_ms": latency, "enforce_credits": False})).raise_for_status()
        procs = start_workers(workers, url, fake_url, logs)
        try:
            await asyncio.sleep(3)  # imports, engine, first poll
            await queue(factory, users, n)
            start = time.perf_counter()
            while True:
                stats = (await fake.get("/_stats")).json()
                if stats["sends_accepted"] >= n:
                    break
                if any(p.poll() is not None for p in procs):
                    raise RuntimeError(f"a worker exited; see {logs}")
                await asyncio.sleep(0.02)
            elapsed = time.perf_counter() - start
            if stats["duplicates_suppressed"]:
                print(f"  (note: {stats['duplicates_suppressed']} duplicate sends suppressed)")
        finally:
            stop_workers(procs)
    return n / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server URL to create the bench database on")
    parser.add_argument("--messages", type=int, default=2000, help="messages per run at 0 ms latency")
    parser.add_argument("--slow-messages", type=int, default=1000, help="messages per run at 50 ms latency")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="notify-bench-") as tmpdir:
        tmp = Path(tmpdir)
        url, drop = await create_database(args, tmp)
        fake_url, stop_fake = run_fake_wechat_in_thread(templates=templates.wechat_declarations())
        await asyncio.to_thread(upgrade_head, url)
        engine = create_engine(url)
        factory = make_session_factory(engine)
        try:
            users = await seed_users(factory)
            defaults = Settings(app_env="test")
            print(
                f"database: {make_url(url).get_backend_name()}; per worker: batch {defaults.notify_batch_size}, "
                f"{defaults.notify_concurrency} sends at once; fake WeChat in this process (uvicorn, one thread)"
            )
            print(f"{'latency':>8} {'workers':>8} {'messages':>9} {'msg/s':>9}")
            for latency, n in ((0, args.messages), (50, args.slow_messages)):
                for workers in (1, 2):
                    rate = await run_one(factory, users, url, fake_url, tmp, workers, latency, n)
                    print(f"{latency:>6}ms {workers:>8} {n:>9} {rate:>9.0f}", flush=True)
        finally:
            await engine.dispose()
            stop_fake()
            if drop is not None:
                await drop()


if __name__ == "__main__":
    asyncio.run(main())
