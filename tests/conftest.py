"""Test fixtures on real engines.

- The fake WeChat runs as a real HTTP server on a loopback port; the app talks to it through wechatpy.
- Databases are built with the alembic migrations and loaded with the demo data once per session:
  SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
- Each test runs inside a transaction on one connection that is rolled back at the end; every
  request's own commit becomes a savepoint release, so requests behave as in production.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from backend import demo
from backend.app import create_app
from backend.kernel.clock import clock
from backend.kernel.db import create_engine, make_session_factory
from backend.kernel.settings import Settings
from backend.migrate import upgrade_head
from backend.notify import templates
from backend.wechat.fake import run_fake_wechat_in_thread

os.environ.setdefault("APP_ENV", "test")  # the settings default to prod; code calling get_settings() runs as test
PG_URL = os.environ.get("TEST_DATABASE_URL")
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


def pytest_collection_modifyitems(config, items):
    if PG_URL:
        return
    skip = pytest.mark.skip(reason="TEST_DATABASE_URL not set")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql: needs TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def fake_wechat() -> str:
    base, stop = run_fake_wechat_in_thread(templates=templates.wechat_declarations())
    yield base
    stop()


async def _prepare(url: str) -> AsyncEngine:
    engine = create_engine(url)
    await asyncio.to_thread(upgrade_head, url)
    async with make_session_factory(engine)() as session:
        await demo.load(session)
        await session.commit()
    return engine


@pytest.fixture(scope="session")
async def sqlite_engine(tmp_path_factory) -> AsyncIterator[tuple[str, AsyncEngine]]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = await _prepare(url)
    yield url, engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def pg_engine() -> AsyncIterator[tuple[str, AsyncEngine]]:
    """A database of its own for this test session (created next to TEST_DATABASE_URL's and
    dropped afterwards), so that parallel runs on one server never see each other's rows."""
    base = make_url(PG_URL)
    name = f"{base.database}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = await _prepare(url)
    try:
        yield url, engine
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(params=ENGINES)
def db(request) -> tuple[str, AsyncEngine]:
    """(url, engine) of a migrated database holding the demo data."""
    name = "pg_engine" if request.param == "postgresql" else "sqlite_engine"
    return request.getfixturevalue(name)


def make_settings(url: str, fake_wechat: str, tmp_path: Path, **overrides) -> Settings:
    return Settings(
        app_env="test",
        database_url=url,
        wechat_api_base=fake_wechat,
        demo_data=False,
        run_worker=False,
        upload_dir=tmp_path / "uploads",
        **overrides,
    )


@pytest.fixture(autouse=True)
def _reset_clock():
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
async def app(db, fake_wechat, tmp_path):
    url, engine = db
    application = create_app(make_settings(url, fake_wechat, tmp_path))
    async with engine.connect() as conn:
        outer = await conn.begin()
        application.state.session_factory = lambda: AsyncSession(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        application.state.test_connection = conn
        yield application
        await outer.rollback()
    await application.state.engine.dispose()
    application.state.wechat.close()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


@pytest.fixture
async def session(app) -> AsyncIterator[AsyncSession]:
    """A session inside the test's transaction, for calling services and checking rows."""
    s = app.state.session_factory()
    yield s
    await s.close()


class Api:
    """Logs in demo users through the real WeChat login and calls the API as them."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client
        self.tokens: dict[str, str] = {}

    async def login(self, code: str) -> dict:
        r = await self.client.post("/api/v1/auth/wechat", json={"code": code})
        assert r.status_code == 200, r.text
        self.tokens[code] = r.json()["access_token"]
        return r.json()

    async def headers(self, who: str | None) -> dict:
        if who is None:
            return {}
        if who not in self.tokens:
            await self.login(who)
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def call(self, method: str, path: str, who: str | None = None, **kwargs) -> httpx.Response:
        headers = {**(await self.headers(who)), **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def get(self, path, who=None, **kw):
        return await self.call("GET", path, who, **kw)

    async def post(self, path, who=None, **kw):
        return await self.call("POST", path, who, **kw)

    async def patch(self, path, who=None, **kw):
        return await self.call("PATCH", path, who, **kw)

    async def ok(self, method: str, path: str, who: str | None = None, status: int = 200, **kwargs) -> dict:
        r = await self.call(method, path, who, **kwargs)
        assert r.status_code == status, f"{method} {path} as {who}: {r.status_code} {r.text}"
        return r.json()


@pytest.fixture
async def api(client) -> Api:
    return Api(client)
