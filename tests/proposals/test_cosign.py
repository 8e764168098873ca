"""Joint proposals: one signature per household, paper signatures by the grid worker, and the
threshold reached exactly once, also by many signatures at the same moment."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from sqlalchemy import func, select

from backend.app import create_app
from backend.directory.models import User
from backend.kernel.db import make_session_factory
from backend.org.models import Grid, Household
from backend.proposals.models import Proposal, ProposalCosign, ProposalEvent
from tests.proposals.support import NEW, compound_id, events, residents, steps, submitted
from tests.support.db import make_settings


async def test_joint_proposal_gathers_households_then_goes_to_review(api, session):
    p = await submitted(api, kind="joint", title="翻新锦华苑儿童游乐区")
    assert p["status"] == "cosigning" and p["cosign_threshold"] == 5 and p["cosign_count"] == 0
    assert not steps(p)["收集"]
    url = f"/api/v1/proposals/{p['id']}/cosign"
    r = await api.post(url, "demo-resident", json={})
    assert r.status_code == 409 and r.json()["error"] == "own_proposal"

    codes = await residents(session, 4)
    for code in codes[:3]:
        out = await api.ok("POST", url, code, json={})
        assert out["created"]
    # a second signature from one household is refused
    first = (await session.execute(select(User).where(User.openid == f"fake-openid-{codes[0]}"))).scalar_one()
    session.add(
        User(
            openid="fake-openid-prop-same-house",
            name="同户家属",
            compound_id=first.compound_id,
            household_id=first.household_id,
        )
    )
    await session.commit()
    r = await api.post(url, "prop-same-house", json={})
    assert r.status_code == 409 and r.json()["error"] == "already_cosigned"

    # the grid worker enters a paper signature; sent twice (offline retry), it counts once
    cid = await compound_id(session)
    taken = select(User.household_id).where(User.household_id.is_not(None))
    house = (
        (
            await session.execute(
                select(Household)
                .join(Grid, Grid.id == Household.grid_id)
                .where(Household.compound_id == cid, Household.id.not_in(taken), Grid.name == "和谐社区第一网格")
                .order_by(Household.id.desc())
            )
        )
        .scalars()
        .first()
    )
    paper = {
        "household_id": house.id,
        "signer_name": "马大爷",
        "photo": "/uploads/sheet.jpg",
        "client_id": str(uuid.uuid4()),
    }
    r = await api.post(url, "demo-resident2", json=paper)
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    r = await api.post(url, "demo-gridworker", json={**paper, "photo": None})
    assert r.status_code == 422 and r.json()["error"] == "paper_details_required"
    out = await api.ok("POST", url, "demo-gridworker", json=paper)
    assert out["created"] and out["proposal"]["cosign_count"] == 4
    again = await api.ok("POST", url, "demo-gridworker", json=paper)
    assert not again["created"] and again["proposal"]["cosign_count"] == 4

    out = await api.ok("POST", url, codes[3], json={})
    p = out["proposal"]
    assert p["status"] == "submitted" and p["cosign_count"] == 5 and steps(p)["收集"]
    assert events(p).count("threshold_reached") == 1
    # names are masked, for everyone
    assert "马**" in p["cosigners"] and all("*" in n for n in p["cosigners"])
    seen = await api.ok("GET", f"/api/v1/proposals/{p['id']}", "demo-dispatcher")
    assert all("*" in n for n in seen["cosigners"]) and "review" in seen["actions"]

    # the proposer and the co-signers were told it went to review
    from backend.notify.models import Notification

    told = (
        await session.execute(
            select(func.count()).where(Notification.ref_type == "proposal", Notification.ref_id == p["id"])
        )
    ).scalar_one()
    assert told >= 5  # opened (proposer) + threshold (proposer and four app co-signers)


async def test_only_households_of_the_area_may_cosign(api, session):
    p = await submitted(api, kind="joint")
    url = f"/api/v1/proposals/{p['id']}/cosign"
    [outsider] = await residents(session, 1, compound="阳光小区")
    r = await api.post(url, outsider, json={})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    individual = await submitted(api)
    [inside] = await residents(session, 1)
    r = await api.post(f"/api/v1/proposals/{individual['id']}/cosign", inside, json={})
    assert r.status_code == 409 and r.json()["error"] == "not_joint"


async def test_many_households_cosign_at_once_the_threshold_is_crossed_once(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))  # real sessions: every request commits
    factory = make_session_factory(engine)
    async with factory() as s:
        codes = await residents(s, 12)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:

        async def token(code: str) -> dict:
            r = await c.post("/api/v1/auth/wechat", json={"code": code})
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        proposer = await token("demo-resident")
        r = await c.post("/api/v1/proposals", headers=proposer, json={**NEW, "kind": "joint", "title": "并发联名"})
        pid = r.json()["id"]
        r = await c.post(f"/api/v1/proposals/{pid}/submit", headers=proposer, json={"none_applies": True})
        assert r.json()["status"] == "cosigning"
        heads = [await token(code) for code in codes]
        results = await asyncio.gather(*(c.post(f"/api/v1/proposals/{pid}/cosign", headers=h, json={}) for h in heads))
    assert sorted(r.status_code for r in results) == [200] * 12, [r.text for r in results if r.status_code != 200]
    async with factory() as s:
        proposal = await s.get(Proposal, pid)
        signatures = (await s.execute(select(func.count()).where(ProposalCosign.proposal_id == pid))).scalar_one()
        crossings = (
            await s.execute(
                select(func.count()).where(ProposalEvent.proposal_id == pid, ProposalEvent.type == "threshold_reached")
            )
        ).scalar_one()
    assert proposal.status == "submitted" and proposal.cosign_count == 12 == signatures
    assert crossings == 1
    await app.state.engine.dispose()
    app.state.wechat.close()
