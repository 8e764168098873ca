"""A request that only reads sends no BEGIN and no COMMIT (backend/kernel/db.py, _defer_begin): its
session runs pure SELECTs in autocommit until the first statement that is not one, which begins the
transaction as before. Checked on a real PostgreSQL engine (the other tests run every request inside
the test's own transaction, where nothing is deferred)."""

from __future__ import annotations

import asyncpg.transaction
import httpx
import pytest
from sqlalchemy import select, update

from backend.app import create_app
from backend.auth.tokens import create_access_token
from backend.directory.models import User
from backend.kernel.db import LAZY_BEGIN, is_pure_read
from tests.support.db import make_settings

pytestmark = pytest.mark.postgresql


@pytest.fixture
async def real_app(pg_engine, fake_wechat, tmp_path, monkeypatch):
    url, _ = pg_engine
    app = create_app(make_settings(url, fake_wechat, tmp_path))
    begins = []
    start = asyncpg.transaction.Transaction.start

    async def counted(self):
        begins.append(1)
        return await start(self)

    monkeypatch.setattr(asyncpg.transaction.Transaction, "start", counted)
    app.state.begins = begins
    yield app
    await app.state.engine.dispose()
    app.state.wechat.close()


async def _token(app, code: str) -> tuple[int, str]:
    async with app.state.session_factory() as s:
        row = (await s.execute(select(User.id, User.token_version).where(User.openid == f"fake-openid-{code}"))).one()
    return row.id, create_access_token(app.state.settings, row.id, row.token_version)[0]


async def test_a_read_only_request_begins_no_transaction(real_app):
    _, token = await _token(real_app, "demo-member")
    real_app.state.begins.clear()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=real_app), base_url="http://test") as c:
        for _ in range(2):  # a cache miss, then a hit
            r = await c.get("/api/v1/wishes/wall", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, r.text
            assert r.json()["items"]
    assert real_app.state.begins == []


async def test_a_writing_request_still_runs_in_one_transaction(real_app):
    await _token(real_app, "demo-member")  # the engine's first connection initialises the dialect (a BEGIN)
    real_app.state.begins.clear()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=real_app), base_url="http://test") as c:
        r = await c.post("/api/v1/auth/wechat", json={"code": "demo-member"})  # reads the user, then writes
    assert r.status_code == 200, r.text
    assert len(real_app.state.begins) == 1


async def test_reads_then_a_write_roll_back_together_and_the_pool_gets_a_normal_connection(real_app):
    user_id, _ = await _token(real_app, "demo-member")
    async with real_app.state.session_factory() as s:
        s.info[LAZY_BEGIN] = True  # as get_session does
        name = (await s.execute(select(User.name).where(User.id == user_id))).scalar_one()
        await s.execute(update(User).where(User.id == user_id).values(name="临时名字"))
        assert (await s.execute(select(User.name).where(User.id == user_id))).scalar_one() == "临时名字"
        await s.rollback()  # the write was in a transaction: it is gone
        assert (await s.execute(select(User.name).where(User.id == user_id))).scalar_one() == name
    async with real_app.state.session_factory() as s:  # no deferral here: a plain session
        await s.execute(update(User).where(User.id == user_id).values(name="临时名字"))
        await s.rollback()
        assert (await s.execute(select(User.name).where(User.id == user_id))).scalar_one() == name


async def test_a_locking_read_begins_the_transaction(real_app):
    user_id, _ = await _token(real_app, "demo-member")
    real_app.state.begins.clear()
    async with real_app.state.session_factory() as s:
        s.info[LAZY_BEGIN] = True
        await s.execute(select(User.id).where(User.id == user_id))
        assert real_app.state.begins == []
        await s.execute(select(User.id).where(User.id == user_id).with_for_update())
        assert len(real_app.state.begins) == 1
        await s.rollback()


def test_what_counts_as_a_pure_read():
    assert is_pure_read("SELECT a FROM t WHERE id = $1")
    assert is_pure_read("  select 1")
    for statement in (
        "SELECT a FROM t FOR UPDATE",
        "SELECT a FROM t\nFOR NO KEY UPDATE SKIP LOCKED",
        "SELECT nextval('s')",
        "SELECT pg_advisory_xact_lock(1)",
        "WITH x AS (DELETE FROM t RETURNING a) SELECT a FROM x",
        "UPDATE t SET a = 1",
        "SAVEPOINT sa_1",
    ):
        assert not is_pure_read(statement), statement
