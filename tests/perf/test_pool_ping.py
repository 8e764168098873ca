"""A pooled PostgreSQL connection that died while idle is replaced at checkout (one `SELECT 1` round
trip, only after PING_AFTER_IDLE_SECONDS idle: backend/kernel/db.py)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend.kernel import db as kernel_db
from backend.kernel.db import create_engine
from tests.support.db import PG_URL

pytestmark = pytest.mark.postgresql


async def _kill_pooled_connection(engine) -> int:
    async with engine.connect() as conn:
        pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await admin.dispose()
    await asyncio.sleep(0.3)
    return pid


async def test_a_connection_killed_while_idle_is_replaced(monkeypatch):
    engine = create_engine(PG_URL, pool_size=1, max_overflow=0)
    try:
        pid = await _kill_pooled_connection(engine)
        monkeypatch.setattr(kernel_db, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if idle for long
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await engine.dispose()


async def test_a_connection_used_a_moment_ago_is_not_pinged(monkeypatch):
    """The other side of the same rule (and proof that the test above needs the ping)."""
    engine = create_engine(PG_URL, pool_size=1, max_overflow=0)
    try:
        await _kill_pooled_connection(engine)
        monkeypatch.setattr(kernel_db, "PING_AFTER_IDLE_SECONDS", 3600.0)
        with pytest.raises(DBAPIError):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
