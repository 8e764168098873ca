"""The district seeder at SCALE=0.01 on PostgreSQL: deterministic, consistent, usable by the API."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import make_url, text

from backend.app import create_app
from backend.auth.tokens import create_access_token
from backend.kernel.db import create_engine
from backend.migrate import upgrade_head
from backend.scale.seed import seed
from tests.support.db import PG_URL, make_settings

pytestmark = pytest.mark.postgresql
NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


async def _admin(sql: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(sql))
    await engine.dispose()


@pytest.fixture
async def seeded_pair():
    names = [f"{make_url(PG_URL).database}_seed_{uuid.uuid4().hex[:6]}" for _ in range(2)]
    urls = []
    for name in names:
        await _admin(f'CREATE DATABASE "{name}"')
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        await asyncio.to_thread(upgrade_head, url)
        urls.append(url)
    counts = [await seed(url, scale=0.01, seed_value=7, now=NOW) for url in urls]
    yield urls, counts
    for name in names:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _scalar(engine, sql: str):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql))).scalar_one()


async def test_seed_is_deterministic_consistent_and_served(seeded_pair, fake_wechat, tmp_path):
    (url_a, url_b), (counts_a, counts_b) = seeded_pair
    assert counts_a == counts_b
    assert counts_a["wish"] == 10_000 and counts_a["visit"] == 20_000 and counts_a["household"] >= 1_500
    assert counts_a["memberprofile"] >= 40

    fingerprint = (
        "SELECT md5(string_agg(status || ':' || requester_id || ':' || compound_id || ':' || title, ','"
        " ORDER BY id)) FROM wish"
    )
    a, b = create_engine(url_a), create_engine(url_b)
    try:
        assert await _scalar(a, fingerprint) == await _scalar(b, fingerprint)
        # every wish's status is its last event's to_status
        mismatched = await _scalar(
            a,
            """
            SELECT count(*) FROM wish w JOIN LATERAL (
              SELECT to_status FROM wishevent e WHERE e.wish_id = w.id ORDER BY e.id DESC LIMIT 1) last ON true
            WHERE last.to_status <> w.status""",
        )
        assert mismatched == 0
        # live orders exactly for dispatched and accepted wishes
        wrong = await _scalar(
            a,
            """
            SELECT count(*) FROM wish w LEFT JOIN wish_order o
              ON o.wish_id = w.id AND o.status IN ('offered', 'accepted')
            WHERE (w.status IN ('dispatched', 'accepted')) <> (o.id IS NOT NULL)""",
        )
        assert wrong == 0
        async with a.connect() as conn:
            statuses = set((await conn.execute(text("SELECT DISTINCT status FROM wish"))).scalars())
        assert statuses >= {"closed", "open", "pending_review", "dispatched", "accepted", "completed", "cancelled"}
        member = await _scalar(a, "SELECT user_id FROM rolegrant WHERE role = 'party_member' ORDER BY id LIMIT 1")
        resident = await _scalar(a, "SELECT requester_id FROM wish ORDER BY id LIMIT 1")
    finally:
        await a.dispose()
        await b.dispose()

    app = create_app(make_settings(url_a, fake_wechat, tmp_path))
    settings = app.state.settings
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        m = {"Authorization": f"Bearer {create_access_token(settings, member)[0]}"}
        r = {"Authorization": f"Bearer {create_access_token(settings, resident)[0]}"}
        wall = await c.get("/api/v1/wishes/wall", headers=m)
        assert wall.status_code == 200 and wall.json()["items"]
        mine = await c.get("/api/v1/wishes?mine=true", headers=r)
        assert mine.status_code == 200 and mine.json()["items"]
        # sequences were advanced past the copied ids: new rows insert cleanly
        new = await c.post("/api/v1/wishes", headers=r, json={"title": "压测后新心愿", "category": "other"})
        assert new.status_code == 201, new.text
        # seeded users log in through the fake WeChat with code seed-<id>
        login = await c.post("/api/v1/auth/wechat", json={"code": f"seed-{member}"})
        assert login.json()["user"]["id"] == member and "party_member" in login.json()["user"]["roles"]
    await app.state.engine.dispose()
