"""Test fixtures on real engines.

- The fake WeChat runs as a real HTTP server on a loopback port; the app talks to it through wechatpy.
- Databases are built with the alembic migrations and loaded with the demo data once per session:
  SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
- Each test runs inside a transaction on one connection that is rolled back at the end; every
  request's own commit becomes a savepoint release, so requests behave as in production.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from backend.app import create_app
from backend.kernel.clock import clock
from backend.kernel.db import create_engine
from backend.notify import templates
from backend.wechat.fake import run_fake_wechat_in_thread
from tests.support import demo
from tests.support.api import Api
from tests.support.db import ENGINES, PG_URL, make_settings, prepare
from tests.support.world import World, build_world

os.environ.setdefault("APP_ENV", "test")  # the settings default to prod; code calling get_settings() runs as test


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


@pytest.fixture(scope="session")
async def sqlite_engine(tmp_path_factory) -> AsyncIterator[tuple[str, AsyncEngine]]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = await prepare(url)
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
    engine = await prepare(url)
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


@pytest.fixture
async def api(client) -> Api:
    return Api(client)


@pytest.fixture
async def demo_ids(session) -> dict[str, int]:
    """Ids of demo rows by name (tests/support/demo.py)."""
    return await demo.demo_ids(session)


@pytest.fixture
async def world(session) -> World:
    """A small world of its own, in the test's transaction (tests/support/world.py)."""
    return await build_world(session)
