"""Overlapping uploads at the same moment, with real commits: every visit is stored once, every
upload answers with the same id for it, and follow-ups are not made twice."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from backend.app import create_app
from backend.kernel.clock import utcnow
from backend.kernel.db import make_session_factory
from backend.visits.models import Visit, VisitFinding
from tests.support.db import make_settings
from tests.support.demo import households_of_grid
from tests.support.visits import visit


async def test_overlapping_batches_at_once_store_each_visit_once(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))  # real sessions: every request commits
    factory = make_session_factory(engine)
    async with factory() as s:
        households = await households_of_grid(s, "和谐社区第一网格")
    base = utcnow() - timedelta(days=3)
    items = [visit(households[i % len(households)], at=base + timedelta(minutes=i)) for i in range(90)]
    for item in items[::10]:
        item["findings"] = [{"kind": "dispute", "text": "邻里因停车位发生争执"}]
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    batches = [items[:60], items[30:], shuffled, items[:45], items[45:]]

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        r = await c.post("/api/v1/auth/wechat", json={"code": "demo-gridworker"})
        auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
        responses = await asyncio.gather(
            *(c.post("/api/v1/visits/batch", headers=auth, json={"visits": b}) for b in batches)
        )

    assert [r.status_code for r in responses] == [200] * len(batches), [r.text for r in responses]
    bodies = [r.json() for r in responses]
    assert sum(b["created"] for b in bodies) == 90
    assert sum(b["error"] for b in bodies) == 0
    ids: dict[str, set[int]] = {}
    for body in bodies:
        for result in body["results"]:
            ids.setdefault(result["client_id"], set()).add(result["id"])
    assert len(ids) == 90 and all(len(v) == 1 for v in ids.values())

    client_ids = [uuid.UUID(i["client_id"]) for i in items]
    async with factory() as s:
        rows = (await s.execute(select(Visit.id).where(Visit.client_id.in_(client_ids)))).scalars().all()
        findings = (await s.execute(select(func.count()).where(VisitFinding.visit_id.in_(rows)))).scalar_one()
    assert sorted(rows) == sorted(i for v in ids.values() for i in v)
    assert findings == 9
    await app.state.engine.dispose()
    app.state.wechat.close()
