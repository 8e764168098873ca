"""住户认证 races on the real engines with real commits: two decisions on one claim, and one account
claiming two households at once. Exactly one wins; nobody gets a 5xx."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from sqlalchemy import func, select

from backend.app import create_app
from backend.directory.models import User
from backend.kernel.db import make_session_factory
from backend.org import service as org_service
from backend.org.models import Grid, Household
from backend.people.models import ResidentVerification
from tests.support.db import make_settings

GRID = "滨河社区第二网格"  # away from the demo grids other tests read


async def test_decisions_and_claims_race_and_exactly_one_wins(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))  # real sessions: every request commits
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:8]
    async with factory() as s:
        grid = (await s.execute(select(Grid).where(Grid.name == GRID))).scalar_one()
        households = list(
            (
                await s.execute(
                    select(Household)
                    .where(
                        Household.grid_id == grid.id,
                        Household.id.not_in(select(User.household_id).where(User.household_id.is_not(None))),
                    )
                    .order_by(Household.id.desc())
                    .limit(12)
                )
            ).scalars()
        )
        worker = User(openid=f"fake-openid-race-worker-{tag}", name="网格员", compound_id=households[0].compound_id)
        s.add(worker)
        await s.flush()
        await org_service.grant(s, worker.id, "grid_worker", "grid", grid.id)
        await s.commit()

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:

        async def token(code: str) -> dict:
            r = await c.post("/api/v1/auth/wechat", json={"code": code})
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        staff = await token(f"race-worker-{tag}")
        results = []
        for i in range(5):
            h = households[i]
            me = await token(f"race-claim-{tag}-{i}")
            body = {"compound_id": h.compound_id, "household_id": h.id}
            claim = (await c.patch("/api/v1/me", headers=me, json=body)).json()["verification"]["id"]
            results += await asyncio.gather(
                c.post(f"/api/v1/verifications/{claim}/approve", headers=staff),
                c.post(f"/api/v1/verifications/{claim}/reject", headers=staff, json={"reason": "核实不符"}),
            )
        two = await token(f"race-double-{tag}")
        doubles = await asyncio.gather(
            *(
                c.patch("/api/v1/me", headers=two, json={"compound_id": h.compound_id, "household_id": h.id})
                for h in households[5:9]
            )
        )
        two_id = (await c.get("/api/v1/me", headers=await token(f"race-double-{tag}"))).json()["id"]

    assert all(r.status_code < 500 for r in results + doubles), [
        r.text for r in results + doubles if r.status_code >= 500
    ]
    for i in range(5):
        pair = sorted(r.status_code for r in results[2 * i : 2 * i + 2])
        assert pair == [200, 409], [r.text for r in results[2 * i : 2 * i + 2]]
    assert {r.json()["error"] for r in results if r.status_code == 409} == {"already_decided"}
    assert {r.status_code for r in doubles} <= {200, 409}
    async with factory() as s:
        pending = (
            await s.execute(
                select(func.count()).where(
                    ResidentVerification.user_id == two_id, ResidentVerification.status == "pending"
                )
            )
        ).scalar_one()
    assert pending == 1
    await app.state.engine.dispose()
    app.state.wechat.close()
