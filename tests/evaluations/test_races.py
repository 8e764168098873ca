"""Eight accounts of one household cast a ballot at the same moment, on the real engines with real
commits: exactly one ballot is kept, the seven others get 409 already_voted (never a 500)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from backend.app import create_app
from backend.directory.models import User
from backend.evaluations.models import EvaluationBallot
from backend.kernel.clock import utcnow
from backend.kernel.db import make_session_factory
from backend.org.models import Compound, Household
from tests.support.db import make_settings

ACCOUNTS = 8


async def _household_of_eight(factory, tag: str) -> tuple[int, int]:
    async with factory() as s:
        compound = (await s.execute(select(Compound).where(Compound.name == "康乐小区"))).scalar_one()
        taken = select(User.household_id).where(User.household_id.is_not(None))
        household = (
            await s.execute(
                select(Household)
                .where(Household.compound_id == compound.id, Household.id.not_in(taken))
                .order_by(Household.id.desc())
                .limit(1)
            )
        ).scalar_one()
        s.add_all(
            User(
                openid=f"fake-openid-home-{tag}-{i}",
                name=f"住户{i}",
                compound_id=compound.id,
                household_id=household.id,
            )
            for i in range(ACCOUNTS)
        )
        await s.commit()
        return compound.id, household.id


async def test_eight_ballots_of_one_household_at_once_keep_one(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:8]
    compound_id, household_id = await _household_of_eight(factory, tag)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:

        async def token(code: str) -> dict:
            r = await c.post("/api/v1/auth/wechat", json={"code": code})
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        street = await token("demo-street")
        now = utcnow()
        body = {
            "level": "residents_rate_compound",
            "title": f"并发测评{tag}",
            "period": "2026-Q4",
            "questions": [{"code": "service", "text": "服务", "kind": "score_1_5"}],
            "opens_at": (now - timedelta(minutes=5)).isoformat(),
            "closes_at": (now + timedelta(days=1)).isoformat(),
        }
        r = await c.post("/api/v1/evaluations/campaigns", headers=street, json=body)
        assert r.status_code == 201, r.text
        campaign_id = r.json()["id"]
        r = await c.post(
            f"/api/v1/evaluations/campaigns/{campaign_id}/transitions", headers=street, json={"event": "opened"}
        )
        assert r.status_code == 200, r.text
        heads = [await token(f"home-{tag}-{i}") for i in range(ACCOUNTS)]
        ballot = {"target_id": compound_id, "answers": {"service": 5}}
        results = await asyncio.gather(
            *(c.post(f"/api/v1/evaluations/campaigns/{campaign_id}/ballots", headers=h, json=ballot) for h in heads)
        )
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * (ACCOUNTS - 1), [r.text for r in results]
    assert {r.json()["error"] for r in results if r.status_code == 409} == {"already_voted"}
    async with factory() as s:
        kept = (
            await s.execute(
                select(func.count()).select_from(EvaluationBallot).where(EvaluationBallot.campaign_id == campaign_id)
            )
        ).scalar_one()
        keys = (
            (await s.execute(select(EvaluationBallot.rater_key).where(EvaluationBallot.campaign_id == campaign_id)))
            .scalars()
            .all()
        )
    assert kept == 1 and keys == [f"household:{household_id}"]
    await app.state.engine.dispose()
    app.state.wechat.close()
