"""Races on the real engines with real commits: many members claim one wish at the same moment."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from sqlalchemy import func, select

from backend.app import create_app
from backend.directory.models import User
from backend.dispatch.models import Order
from backend.kernel.db import make_session_factory
from backend.org import service as org_service
from backend.people.models import MemberProfile
from tests.support.db import make_settings


async def test_twenty_members_claim_one_wish_exactly_one_wins(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))  # real sessions: every request commits
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:8]
    async with factory() as s:
        for i in range(20):
            u = User(openid=f"fake-openid-race-{tag}-{i}", name=f"党员{i}", compound_id=1)
            s.add(u)
            await s.flush()
            s.add(MemberProfile(user_id=u.id, work_unit="区税务局", skills=["水电维修"]))
            await org_service.grant(s, u.id, "party_member", "compound", 1)
        await s.commit()

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:

        async def token(code: str) -> dict:
            r = await c.post("/api/v1/auth/wechat", json={"code": code})
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        resident, dispatcher = await token("demo-resident"), await token("demo-dispatcher")
        wish = (
            await c.post("/api/v1/wishes", headers=resident, json={"title": "抢单测试", "category": "repair"})
        ).json()
        r = await c.post(f"/api/v1/wishes/{wish['id']}/review", headers=dispatcher, json={"decision": "approve"})
        assert r.status_code == 200
        members = [await token(f"race-{tag}-{i}") for i in range(20)]

        results = await asyncio.gather(*(c.post(f"/api/v1/wishes/{wish['id']}/claim", headers=h) for h in members))

    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [409] * 19, [r.text for r in results if r.status_code not in (200, 409)]
    assert {r.json()["error"] for r in results if r.status_code == 409} == {"already_taken"}
    async with factory() as s:
        live = (
            await s.execute(
                select(func.count()).where(Order.wish_id == wish["id"], Order.status.in_(("offered", "accepted")))
            )
        ).scalar_one()
        total = (await s.execute(select(func.count()).where(Order.wish_id == wish["id"]))).scalar_one()
    assert live == 1 and total == 1
    await app.state.engine.dispose()
    app.state.wechat.close()
