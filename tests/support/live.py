"""Servers in threads or processes on loopback ports, on databases of their own."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import make_url, text

from backend.kernel.db import create_engine
from backend.kernel.settings import ROOT
from tests.support.db import PG_URL

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


def live_database(kind: str, tmp: Path) -> tuple[str, callable]:
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_backend(env: dict) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not start")


def stop_backend(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
