"""A live server (uvicorn on a loopback port, real committing sessions) on a database of its own,
for tests that drive the API from outside: schemathesis and the lifecycle state machine."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import make_url, text

from backend.app import create_app
from backend.kernel.db import create_engine
from tests.conftest import ENGINES, PG_URL, _prepare, make_settings

ROLES = [
    "demo-resident",
    "demo-resident2",
    "demo-member",
    "demo-member2",
    "demo-dispatcher",
    "demo-admin",
    "demo-gridworker",
    "demo-department",
    "demo-street",
]


def serve_in_thread(app) -> tuple[str, callable]:
    # with the protocol given, asyncio sets TCP_NODELAY: no 40 ms Nagle stall per keep-alive request
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, loop="asyncio"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("live server did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

    return base, stop


def _database(kind: str, tmp: Path) -> tuple[str, callable]:
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp / 'live.db'}"
        return url, lambda: None
    base = make_url(PG_URL)
    name = f"{base.database}_live_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(sql))
        await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    return base.set(database=name).render_as_string(hide_password=False), lambda: asyncio.run(
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    )


class Live:
    def __init__(self, base: str, tokens: dict[str, str], database_url: str):
        self.base = base
        self.tokens = tokens
        self.database_url = database_url  # for invariants checked in the database itself
        self.http = httpx.Client(base_url=base, timeout=30, trust_env=False)

    def headers(self, who: str | None) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}


@pytest.fixture(scope="module", params=ENGINES)
def live(request, fake_wechat, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    url, drop = _database(request.param, tmp)

    async def prepare() -> None:
        engine = await _prepare(url)
        await engine.dispose()

    asyncio.run(prepare())
    settings = make_settings(
        url, fake_wechat, tmp, rate_login_per_minute=0, rate_wish_per_user_hour=0, rate_wish_per_ip_hour=0
    )
    base, stop = serve_in_thread(create_app(settings))
    tokens = {}
    for code in ROLES:
        r = httpx.post(f"{base}/api/v1/auth/wechat", json={"code": code}, trust_env=False)
        tokens[code] = r.json()["access_token"]
    live = Live(base, tokens, url)
    try:
        yield live
    finally:
        live.http.close()
        stop()
        drop()
