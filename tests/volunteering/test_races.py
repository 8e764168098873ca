"""Races on the real engines with real commits: more sign-ups than seats at the same moment, and
concurrent redemptions against one balance (the ledger invariant)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from backend.app import create_app
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.db import make_session_factory
from backend.partners.models import Partner
from backend.volunteering import timebank
from backend.volunteering.models import Activity, CreditAccount, Offer, Redemption, Registration, Team
from tests.support.db import make_settings

SEATS = 5
SIGNUPS = 16


async def _people(factory, tag: str, n: int) -> list[int]:
    async with factory() as s:
        users = [User(openid=f"fake-openid-vol-{tag}-{i}", name=f"志愿者{i}") for i in range(n)]
        s.add_all(users)
        await s.commit()
        return [u.id for u in users]


async def test_more_signups_than_seats_at_once_exactly_capacity_registered(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:8]
    await _people(factory, tag, SIGNUPS)
    async with factory() as s:
        team = (await s.execute(select(Team).where(Team.name == "和谐社区红色先锋志愿服务队"))).scalar_one()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:

        async def token(code: str) -> dict:
            r = await c.post("/api/v1/auth/wechat", json={"code": code})
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        start = utcnow() + timedelta(days=3)
        body = {
            "title": "抢名额测试",
            "organiser": {"kind": "team", "id": team.id},
            "community_id": team.community_id,
            "start_at": start.isoformat(),
            "end_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": SEATS,
        }
        r = await c.post("/api/v1/activities", headers=await token("demo-leader"), json=body)
        assert r.status_code == 201, r.text
        activity_id = r.json()["id"]
        heads = [await token(f"vol-{tag}-{i}") for i in range(SIGNUPS)]
        results = await asyncio.gather(
            *(c.post(f"/api/v1/activities/{activity_id}/registrations", headers=h) for h in heads)
        )
    assert all(r.status_code == 201 for r in results), [r.text for r in results if r.status_code != 201]
    statuses = sorted(r.json()["status"] for r in results)
    assert statuses == ["registered"] * SEATS + ["waitlisted"] * (SIGNUPS - SEATS)
    async with factory() as s:
        counted = (await s.execute(select(Activity.registered_count).where(Activity.id == activity_id))).scalar_one()
        rows = (
            await s.execute(
                select(Registration.status, func.count())
                .where(Registration.activity_id == activity_id)
                .group_by(Registration.status)
            )
        ).all()
    assert counted == SEATS and dict(rows) == {"registered": SEATS, "waitlisted": SIGNUPS - SEATS}
    await app.state.engine.dispose()
    app.state.wechat.close()


async def test_concurrent_redemptions_never_overdraw_and_ledger_balances(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:8]
    [user_id] = await _people(factory, tag, 1)
    async with factory() as s:
        partner = (await s.execute(select(Partner).where(Partner.name == "鲁味坊餐馆"))).scalar_one()
        offer = Offer(partner_id=partner.id, title="竞争兑换", cost=12)
        s.add(offer)
        await s.flush()
        bank, mine = await timebank.account(s, "issuance", 0), await timebank.account(s, "user", user_id)
        await timebank.transfer(s, bank, mine, 50, kind="service", ref=("registration", 0), note="测试发放")
        await s.commit()
        offer_id = offer.id
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        r = await c.post("/api/v1/auth/wechat", json={"code": f"vol-{tag}-0"})
        head = {"Authorization": f"Bearer {r.json()['access_token']}"}
        results = await asyncio.gather(
            *(c.post(f"/api/v1/timebank/offers/{offer_id}/redemptions", headers=head) for _ in range(8))
        )
    codes = sorted(r.status_code for r in results)
    assert codes == [201] * 4 + [409] * 4, [r.text for r in results]  # 50 credits buy four of 12
    assert {r.json()["error"] for r in results if r.status_code == 409} == {"insufficient_credits"}
    async with factory() as s:
        balance = (
            await s.execute(
                select(CreditAccount.balance).where(
                    CreditAccount.owner_kind == "user", CreditAccount.owner_id == user_id
                )
            )
        ).scalar_one()
        made = (await s.execute(select(func.count()).where(Redemption.user_id == user_id))).scalar_one()
        assert balance == 2 and made == 4
        assert await timebank.invariant_breaches(s) == []
    await app.state.engine.dispose()
    app.state.wechat.close()


async def test_two_cancellations_at_once_promote_the_first_two_in_line(db, fake_wechat, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, fake_wechat, tmp_path))
    factory = make_session_factory(engine)
    tag = uuid.uuid4().hex[:8]
    await _people(factory, tag, 5)
    async with factory() as s:
        team = (await s.execute(select(Team).where(Team.name == "和谐社区红色先锋志愿服务队"))).scalar_one()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:

        async def token(code: str) -> dict:
            r = await c.post("/api/v1/auth/wechat", json={"code": code})
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        start = utcnow() + timedelta(days=3)
        body = {
            "title": "候补转正测试",
            "organiser": {"kind": "team", "id": team.id},
            "community_id": team.community_id,
            "start_at": start.isoformat(),
            "end_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": 2,
        }
        activity_id = (await c.post("/api/v1/activities", headers=await token("demo-leader"), json=body)).json()["id"]
        heads = [await token(f"vol-{tag}-{i}") for i in range(5)]
        regs = []
        for h in heads:  # in order: two seats, then three in line
            r = await c.post(f"/api/v1/activities/{activity_id}/registrations", headers=h)
            regs.append(r.json())
        assert [r["status"] for r in regs] == ["registered"] * 2 + ["waitlisted"] * 3
        results = await asyncio.gather(
            *(c.post(f"/api/v1/registrations/{regs[i]['id']}/cancel", headers=heads[i]) for i in (0, 1))
        )
    assert [r.status_code for r in results] == [200, 200], [r.text for r in results]
    async with factory() as s:
        rows = dict(
            (
                await s.execute(
                    select(Registration.id, Registration.status).where(Registration.activity_id == activity_id)
                )
            ).all()
        )
        counted = (await s.execute(select(Activity.registered_count).where(Activity.id == activity_id))).scalar_one()
    assert [rows[r["id"]] for r in regs] == ["cancelled", "cancelled", "registered", "registered", "waitlisted"]
    assert counted == 2
    await app.state.engine.dispose()
    app.state.wechat.close()
