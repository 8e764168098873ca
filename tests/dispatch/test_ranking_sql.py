"""The ranking the route runs (one SQL statement, backend/dispatch/ranking.candidates) equals the
Python reference (tests/dispatch/ranking_reference.py) row for row: the same members in the same
order, the same scores, the same reasons, the same total, for every `limit`; on SQLite and on
PostgreSQL (TEST_DATABASE_URL).

Each generated compound has members in three buildings or none, with skills (some the wish wants,
in any order, repeated), availability, ratings (every average from 1.0 to 5.0, halves included),
and orders of every kind and status created and answered around the moments the rules cut at: the
start of the month in Asia/Shanghai, the week before it, and the 90-day rate window. The requester
is one of the members (left out), a resident of one of the buildings, or a resident with no
household. A member of another compound, and a member without a profile, never appear.

One example runs inside a savepoint that is rolled back, so examples never see each other."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.directory.models import User
from backend.dispatch import ranking
from backend.dispatch.models import Order
from backend.dispatch.state import STATUSES, OrderKind
from backend.org.models import Building, Community, Compound, Grid, Household, RoleGrant, Unit
from backend.people.models import MemberProfile
from backend.wishes.categories import ALL_SKILLS, CATEGORY_SKILLS
from backend.wishes.models import Wish
from tests.dispatch import ranking_reference
from tests.support.clock import freeze_at, sh

NOWS = (sh(2026, 3, 1, 0, 30), sh(2026, 2, 28, 23, 50), sh(2026, 7, 15, 12, 0), sh(2027, 1, 1, 8, 0))
SKILLS = (*ALL_SKILLS, "围棋", "摄影")  # two no category wants
WANTED = (*(frozenset(s) for s in CATEGORY_SKILLS.values()), frozenset({"木工", "驾驶"}))
ANCHORS = ("now", "month", "month_minus_week", "rate_window", "long_ago")
DELTAS = (-60 * 24 * 3, -90, -1, 0, 1, 90, 60 * 24 * 3)  # minutes either side of an anchor
REPLIES = (None, 0, 1, 60 * 5, 60 * 24 * 2, 60 * 24 * 10)  # minutes from creation to the answer

order_plan = st.tuples(
    st.sampled_from(tuple(OrderKind)),
    st.sampled_from(STATUSES),
    st.sampled_from(ANCHORS),
    st.sampled_from(DELTAS),
    st.sampled_from(REPLIES),
)
rating = st.integers(0, 8).flatmap(lambda n: st.tuples(st.integers(n, 5 * n), st.just(n)))
member_plan = st.fixed_dictionaries(
    {
        "skills": st.lists(st.sampled_from(SKILLS), max_size=5),
        "building": st.sampled_from((0, 1, 2, None)),
        "available": st.booleans(),
        "rating": rating,
        "orders": st.lists(order_plan, max_size=9),
        "elsewhere": st.booleans(),  # also a member of the other compound
    }
)
compound_plan = st.fixed_dictionaries(
    {
        "members": st.lists(member_plan, max_size=9),
        "requester": st.sampled_from(("member", 0, 1, None)),
        "wanted": st.sampled_from(WANTED),
        "max_open": st.integers(1, 4),
        "now": st.sampled_from(NOWS),
        # when the members' profiles last counted their orders (ranking.refresh_counts), in minutes
        # from now: never, just now, earlier this month or before it, or later (a clock set back)
        "counted": st.sampled_from((None, 0, -1, -90, -60 * 24 * 2, -60 * 24 * 20, -60 * 24 * 40, 60)),
    }
)
OUTSIDER = {"building": 0, "available": True, "rating": (5, 1)}


def moment(now: datetime, anchor: str, delta: int) -> datetime:
    base = {
        "now": now,
        "month": ranking.month_start(now),
        "month_minus_week": ranking.month_start(now) - timedelta(days=7),
        "rate_window": now - ranking.RATE_WINDOW,
        "long_ago": now - timedelta(days=400),
    }[anchor]
    return min(base + timedelta(minutes=delta), now)


async def place(session) -> tuple[int, int, list[int]]:
    """A compound to rank (three buildings, a household in each), another compound beside it."""
    community = Community(street_id=1, name="排序社区")
    session.add(community)
    await session.flush()
    ranked = Compound(community_id=community.id, name="排序小区")
    other = Compound(community_id=community.id, name="邻小区")
    grid = Grid(community_id=community.id, name="排序网格")
    session.add_all([ranked, other, grid])
    await session.flush()
    households = []
    for i in range(3):
        b = Building(compound_id=ranked.id, grid_id=grid.id, name=f"{i + 1}号楼")
        session.add(b)
        await session.flush()
        u = Unit(building_id=b.id, name="1单元")
        session.add(u)
        await session.flush()
        h = Household(unit_id=u.id, building_id=b.id, compound_id=ranked.id, grid_id=grid.id, room="101")
        session.add(h)
        await session.flush()
        households.append(h.id)
    return ranked.id, other.id, households


async def person(session, name: str, household: int | None) -> int:
    u = User(name=name, household_id=household)
    session.add(u)
    await session.flush()
    return u.id


async def member(session, i: int, plan: dict, compound: int, households: list[int]) -> int:
    home = None if plan["building"] is None else households[plan["building"]]
    uid = await person(session, f"党员{i}", home)
    rating_sum, rating_count = plan["rating"]
    session.add(
        MemberProfile(
            user_id=uid,
            work_unit=f"单位{i % 3}",
            skills=plan["skills"],
            available=plan["available"],
            rating_sum=rating_sum,
            rating_count=rating_count,
        )
    )
    session.add(RoleGrant(user_id=uid, role="party_member", scope_type="compound", scope_id=compound))
    return uid


async def orders(session, uid: int, plans, compound: int, requester: int, now: datetime) -> None:
    for kind, status, anchor, delta, reply in plans:
        created = moment(now, anchor, delta)
        wish = Wish(requester_id=requester, compound_id=compound, title="生成的心愿", category="other", status="open")
        session.add(wish)
        await session.flush()
        responded = None if reply is None else min(created + timedelta(minutes=reply), now)
        session.add(
            Order(
                wish_id=wish.id,
                member_id=uid,
                compound_id=compound,
                kind=kind,
                status=status,
                created_at=created,
                responded_at=responded,
            )
        )


async def build(session, plan: dict) -> dict:
    """The compound of the plan; returns the arguments of a ranking."""
    now = freeze_at(plan["now"])
    compound, other, households = await place(session)
    ids = [await member(session, i, p, compound, households) for i, p in enumerate(plan["members"])]
    if plan["requester"] == "member" and ids:
        requester = ids[0]
    else:
        where = plan["requester"] if plan["requester"] != "member" else None
        requester = await person(session, "居民", None if where is None else households[where])
    for uid, p in zip(ids, plan["members"], strict=True):
        if p["elsewhere"]:
            session.add(RoleGrant(user_id=uid, role="party_member", scope_type="compound", scope_id=other))
        await orders(session, uid, p["orders"], compound, requester, now)
    # never ranked here: a member of the other compound only (busy, skilled), a grant without a profile
    outsider = await member(session, 99, {**OUTSIDER, "skills": sorted(plan["wanted"])}, other, households)
    await orders(session, outsider, [("claim", "accepted", "now", -1, 0)], other, requester, now)
    bare = await person(session, "无档案", households[0])
    session.add(RoleGrant(user_id=bare, role="party_member", scope_type="compound", scope_id=compound))
    await session.flush()
    counted = plan.get("counted")
    if counted is not None:  # the counts as a change to the members' orders left them, then or earlier
        freeze_at(now + timedelta(minutes=counted))
        await ranking.refresh_counts(session, {*ids, outsider, bare})
        freeze_at(now)
    return {
        "compound_id": compound,
        "requester_id": requester,
        "wanted_skills": set(plan["wanted"]),
        "max_open": plan["max_open"],
    }


async def assert_same(session, args: dict) -> list[dict]:
    expected = await ranking_reference.candidates(session, **args)
    for limit in sorted({1, 2, 5, len(expected), len(expected) + 3} - {0}):
        items, total = await ranking.candidates(session, **args, limit=limit)
        assert total == len(expected)
        assert items == expected[:limit], f"limit {limit}"
    return expected


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(plan=compound_plan)
async def test_sql_ranking_equals_the_python_reference(session, plan):
    savepoint = await session.begin_nested()
    try:
        args = await build(session, plan)
        ranked = await assert_same(session, args)
        assert len(ranked) == len(plan["members"]) - (plan["requester"] == "member" and bool(plan["members"]))
    finally:
        await savepoint.rollback()


def random_plan(rng: random.Random, members: int) -> dict:
    def order():
        return (
            rng.choice(tuple(OrderKind)),
            rng.choice(STATUSES),
            rng.choice(ANCHORS),
            rng.choice(DELTAS),
            rng.choice(REPLIES),
        )

    def one():
        n = rng.randint(0, 12)
        return {
            "skills": rng.sample(SKILLS, rng.randint(0, 4)),
            "building": rng.choice((0, 1, 2, None)),
            "available": rng.random() > 0.15,
            "rating": (rng.randint(n, 5 * n), n),
            "orders": [order() for _ in range(rng.randint(0, 14))],
            "elsewhere": rng.random() < 0.1,
        }

    return {
        "members": [one() for _ in range(members)],
        "requester": rng.choice(("member", 0, 1, None)),
        "wanted": rng.choice(WANTED),
        "max_open": 3,
        "now": rng.choice(NOWS),
    }


@pytest.mark.parametrize("counted", [None, -60 * 24 * 3])
async def test_a_larger_seeded_compound(session, counted):
    """150 members and about a thousand orders: many equal scores, so the tie order is exercised;
    counted from the orders, and from the counts the profiles kept three days before."""
    args = await build(session, {**random_plan(random.Random(16), 150), "counted": counted})
    ranked = await assert_same(session, args)
    scores = [c["score"] for c in ranked]
    assert len(set(scores)) < len(scores), "ties are exercised"
    assert any(not c["available"] for c in ranked) and any(c["available"] for c in ranked)
    kinds = {r[:2] for c in ranked for r in c["reasons"]}
    assert kinds >= {"擅长", "在办", "当前", "本月", "接单", "平均", "新报", "同小", "与居", "本人"}
