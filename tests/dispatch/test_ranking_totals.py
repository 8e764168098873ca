"""Candidate ranking reads running totals kept on the member's profile, and the live and recent
counts each change to an order recounts there (ranking.refresh_counts). They must always equal
what the order history says, whatever path a wish took (dispatch, decline, claim, cancel, rating)."""

import asyncio

import pytest
from sqlalchemy import delete, func, select, text

from backend.directory.models import User
from backend.dispatch import ranking
from backend.dispatch.models import Order
from backend.kernel.db import create_engine, make_session_factory
from backend.org.models import Compound
from backend.people.models import MEMBER_TOTALS_SQL, MemberProfile
from backend.wishes.models import Wish
from tests.support.clock import freeze_at

RECENT = (
    "recent_since",
    "recent_window",
    "recent_oldest",
    "live_orders",
    "recent_taken",
    "recent_offers",
    "recent_accepted",
)

COLUMNS = ("offers_total", "offers_taken_total", "rating_sum", "rating_count")


async def totals(session) -> dict[int, tuple[int, ...]]:
    rows = await session.execute(select(MemberProfile).execution_options(populate_existing=True))
    return {p.user_id: tuple(getattr(p, c) for c in COLUMNS) for p in rows.scalars()}


async def assert_totals_match_history(session):
    kept = await totals(session)
    await session.execute(text(MEMBER_TOTALS_SQL))
    assert kept == await totals(session)


async def assert_recent_counts_match_history(session) -> int:
    """Every member's kept counts equal a recount of their orders at the moment they were kept (the
    clock is moved there for the recount). Returns how many members have counts."""
    rows = await session.execute(select(MemberProfile).execution_options(populate_existing=True))
    kept = {p.user_id: (p.recent_as_of, *(getattr(p, c) for c in RECENT)) for p in rows.scalars()}
    for uid, (as_of, *_) in kept.items():
        if as_of is not None:
            freeze_at(as_of)
            await ranking.refresh_counts(session, {uid})
    rows = await session.execute(select(MemberProfile).execution_options(populate_existing=True))
    assert kept == {p.user_id: (p.recent_as_of, *(getattr(p, c) for c in RECENT)) for p in rows.scalars()}
    return sum(1 for as_of, *_ in kept.values() if as_of is not None)


async def new_open_wish(api, title="帮忙修理漏水的水龙头") -> int:
    wish = await api.ok(
        "POST",
        "/api/v1/wishes",
        "demo-resident",
        status=201,
        json={"title": title, "category": "repair", "description": "厨房水龙头一直滴水"},
    )
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    return wish["id"]


async def member_id(api, who) -> int:
    return (await api.ok("GET", "/api/v1/me", who))["id"]


async def dispatch(api, wish_id, member) -> int:
    wish = await api.ok("POST", f"/api/v1/wishes/{wish_id}/dispatch", "demo-dispatcher", json={"member_id": member})
    return wish["order"]["id"]


def candidate(cands, member) -> dict:
    return next(c for c in cands["items"] if c["member_id"] == member)


async def test_totals_follow_every_path_and_drive_the_ranking(api, session):
    await assert_totals_match_history(session)  # the demo history, made through the services

    m2 = await member_id(api, "demo-member2")
    before = (await totals(session))[m2]

    # dispatched and declined: one more offer, none taken
    w1 = await new_open_wish(api)
    o1 = await dispatch(api, w1, m2)
    await api.ok("POST", f"/api/v1/orders/{o1}/decline", "demo-member2", json={"reason": "这周出差"})
    # dispatched, accepted, then cancelled by the resident: the acceptance no longer stands
    o2 = await dispatch(api, w1, m2)
    await api.ok("POST", f"/api/v1/orders/{o2}/accept", "demo-member2")
    await api.ok("POST", f"/api/v1/wishes/{w1}/cancel", "demo-resident", json={"reason": "已自行解决"})
    # dispatched, accepted, completed and rated 2
    w2 = await new_open_wish(api, "帮忙换灯泡")
    o3 = await dispatch(api, w2, m2)
    await api.ok("POST", f"/api/v1/orders/{o3}/accept", "demo-member2")
    await api.ok("POST", f"/api/v1/wishes/{w2}/complete", "demo-member2", json={"note": "已更换", "photos": []})
    await api.ok("POST", f"/api/v1/wishes/{w2}/confirm", "demo-resident", json={"rating": 2, "comment": "来晚了"})
    # claimed from the wall, completed and rated 5: a rating, but no offer
    w3 = await new_open_wish(api, "陪老人去医院复查")
    await api.ok("POST", f"/api/v1/wishes/{w3}/claim", "demo-member2")
    await api.ok("POST", f"/api/v1/wishes/{w3}/complete", "demo-member2", json={"note": "已陪同", "photos": []})
    await api.ok("POST", f"/api/v1/wishes/{w3}/confirm", "demo-resident", json={"rating": 5})

    after = (await totals(session))[m2]
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (3, 1, 7, 2)
    await assert_totals_match_history(session)
    assert await assert_recent_counts_match_history(session) >= 2  # the demo members, and demo-member2
    m2_profile = await session.get(MemberProfile, m2, populate_existing=True)
    assert m2_profile.recent_as_of is not None and m2_profile.live_orders == 0  # every order of theirs is done
    assert m2_profile.recent_offers >= 3 and m2_profile.recent_taken >= 2  # o1–o3 offered, w2 and w3 taken

    offers, taken, rating_sum, rating_count = after
    cands = await api.ok(
        "GET", f"/api/v1/wishes/{await new_open_wish(api, '帮忙搬书柜')}/candidates", "demo-dispatcher"
    )
    reasons = candidate(cands, m2)["reasons"]
    # 接单率 is over the last 90 days (backend/dispatch/ranking.py); every demo offer is that recent
    assert f"接单率{round(taken / offers * 100)}%" in reasons
    assert f"平均评分{rating_sum / rating_count:.1f}" in reasons


async def test_candidates_are_limited_best_first_with_the_total(api):
    wish_id = await new_open_wish(api, "帮忙修自行车")
    everyone = await api.ok("GET", f"/api/v1/wishes/{wish_id}/candidates", "demo-dispatcher")
    assert everyone["total"] == len(everyone["items"]) >= 2
    top = await api.ok("GET", f"/api/v1/wishes/{wish_id}/candidates?limit=1", "demo-dispatcher")
    assert top["total"] == everyone["total"] and top["items"] == everyone["items"][:1]
    for bad in ("0", "201", "x"):
        r = await api.get(f"/api/v1/wishes/{wish_id}/candidates?limit={bad}", "demo-dispatcher")
        assert r.status_code == 422 and r.json()["error"] and r.json()["detail"]


@pytest.mark.postgresql
async def test_two_order_changes_of_one_member_at_once_are_both_counted(db):
    """Two transactions each add an order for the same member. The second recount waits for the
    first transaction (the profile is locked before counting), so the kept count includes both
    orders. Without the lock it would count its own order only: the UPDATE's subqueries read the
    snapshot taken before the first transaction committed."""
    url, _ = db
    if not url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's")
    engine = create_engine(url)
    factory = make_session_factory(engine)
    member, wish_ids = None, []
    try:
        async with factory() as setup:
            member = (
                await setup.execute(select(MemberProfile.user_id).order_by(MemberProfile.user_id).limit(1))
            ).scalar_one()
            requester = (await setup.execute(select(User.id).where(User.id != member).limit(1))).scalar_one()
            compound = (await setup.execute(select(Compound.id).limit(1))).scalar_one()
            wishes = [
                Wish(requester_id=requester, compound_id=compound, title="同时派给一位党员", category="other")
                for _ in range(2)
            ]
            setup.add_all(wishes)
            await setup.commit()
            wish_ids = [w.id for w in wishes]
        first, second = factory(), factory()
        try:
            for s, wish_id in ((first, wish_ids[0]), (second, wish_ids[1])):
                s.add(Order(wish_id=wish_id, member_id=member, compound_id=compound, kind="dispatch", status="offered"))
                await s.flush()
            await ranking.refresh_counts(first, {member})
            waiting = asyncio.create_task(ranking.refresh_counts(second, {member}))
            await asyncio.sleep(0.5)
            assert not waiting.done(), "the second recount waits for the first transaction"
            await first.commit()
            await waiting
            await second.commit()
        finally:
            await first.close()
            await second.close()
        async with factory() as check:
            live = await check.scalar(
                select(func.count()).where(Order.member_id == member, Order.status.in_(("offered", "accepted")))
            )
            kept = await check.get(MemberProfile, member)
            assert kept.live_orders == live
    finally:  # the rows this test committed go, and the member's counts with them
        async with factory() as cleanup:
            await cleanup.execute(delete(Order).where(Order.wish_id.in_(wish_ids)))
            await cleanup.execute(delete(Wish).where(Wish.id.in_(wish_ids)))
            await ranking.refresh_counts(cleanup, {member})
            await cleanup.commit()
        await engine.dispose()
