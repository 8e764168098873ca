"""DATABASE_READ_URL: the reporting routes (figures, ledgers, airing reads, visit coverage) read
through their own engine, whose PostgreSQL transactions are read-only; they answer, so they never
write."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from backend.app import create_app
from backend.auth.tokens import create_access_token
from backend.directory.models import User
from tests.support.db import make_settings

pytestmark = pytest.mark.postgresql

REPORTING = [
    "/api/v1/visits/coverage",
    "/api/v1/stats/escalation",
    "/api/v1/stats/overview",
    "/api/v1/stats/co-governance",
    "/api/v1/stats/volunteering",
    *(f"/api/v1/exports/ledger?kind={k}" for k in ("wishes", "visits", "issues", "registrations", "proposals")),
    "/api/v1/exports/ledger?kind=meetings",
    "/api/v1/exports/work-units?half=2026H1",
    "/api/v1/exports/work-units/details?period=2026-H1",
    "/api/v1/airing",
]


@pytest.fixture
async def read_app(pg_engine, fake_wechat, tmp_path):
    url, engine = pg_engine
    app = create_app(make_settings(url, fake_wechat, tmp_path, database_read_url=url))
    checkouts = []
    event.listen(app.state.read_engine.sync_engine, "checkout", lambda *_: checkouts.append(1))
    app.state.read_checkouts = checkouts
    async with engine.connect() as conn:
        row = (
            await conn.execute(select(User.id, User.token_version).where(User.openid == "fake-openid-demo-street"))
        ).one()
    token, _ = create_access_token(app.state.settings, row.id, row.token_version)  # no login: nothing written
    app.state.street_token = token
    yield app
    await app.state.engine.dispose()
    await app.state.read_engine.dispose()
    app.state.wechat.close()


async def test_the_read_engine_refuses_writes(read_app):
    async with read_app.state.read_session_factory() as session:
        with pytest.raises(DBAPIError, match="read-only transaction"):
            await session.execute(text('UPDATE "user" SET name = name WHERE id = -1'))


async def test_reporting_routes_answer_on_a_read_only_connection(read_app):
    headers = {"Authorization": f"Bearer {read_app.state.street_token}"}
    transport = httpx.ASGITransport(app=read_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        airings = (await client.get("/api/v1/airing", headers=headers)).json()["items"]
        assert airings, "the demo publishes an airing"
        for path in [*REPORTING, f"/api/v1/airing/{airings[0]['id']}"]:
            before = len(read_app.state.read_checkouts)
            r = await client.get(path, headers=headers)
            assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:300]}"
            assert len(read_app.state.read_checkouts) > before, f"{path} did not read through DATABASE_READ_URL"
