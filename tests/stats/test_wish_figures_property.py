"""Property: for random wish histories, the overview's 完成率 and 满意率 equal a recount from the wish
event log, bucket by bucket.

Each example has demo-resident place 1–4 wishes at moments around 2025-12-01 00:00 Asia/Shanghai
and puts them through the real services: review (approve or reject), a claim by demo-member,
completion, confirmation with a rating of 1 to 5, cancellation, or auto-closing by the sweep after the
confirm window. The recount reads the events only (the period by the `created` event, the status by
the last event, auto-closing by its event) and the rating from the wish. Compared with
/stats/overview for the resident's compound in both months, restricted to the example's wishes.
One example runs inside a savepoint that is rolled back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.directory.models import User
from backend.flows import wish_orders
from backend.kernel.clock import SHANGHAI
from backend.kernel.periods import parse_period
from backend.wishes import service as wishes
from backend.wishes.models import Wish, WishEvent
from backend.wishes.state import WISH
from tests.stats.shape import check_all
from tests.support.clock import set_now

BOUNDARY = datetime(2025, 12, 1, tzinfo=SHANGHAI)
PERIODS = ("2025-11", "2025-12")
IN_SERVICE = ("open", "dispatched", "accepted", "completed", "closed")
PATHS = (  # how far a wish goes, every branch of the lifecycle
    (),
    ("reject",),
    ("cancel",),
    ("approve",),
    ("approve", "cancel"),
    ("approve", "claim"),
    ("approve", "claim", "cancel"),
    ("approve", "claim", "complete"),
    ("approve", "claim", "complete", "confirm"),
    ("approve", "claim", "complete", "confirm"),
    ("approve", "claim", "complete", "auto_close"),
)
DELAYS = (10, 60, 300, 60 * 20, 60 * 24 * 3)


@st.composite
def plan(draw):
    path = draw(st.sampled_from(PATHS))
    return {
        "start": draw(st.integers(-48 * 60, 48 * 60)),
        "steps": [(a, draw(st.sampled_from(DELAYS)), draw(st.integers(1, 5))) for a in path],
    }


def move_to(moment: datetime) -> None:
    local = moment.astimezone(SHANGHAI)
    set_now(local.year, local.month, local.day, local.hour, local.minute)


async def play(session, resident: User, member_id: int, reviewer: int, p) -> int:
    at = BOUNDARY + timedelta(minutes=p["start"])
    move_to(at)
    wish = await wishes.create_wish(
        session, resident, title="生成的心愿", description="帮忙", category="other", photos=[]
    )
    for action, delay, stars in p["steps"]:
        at += timedelta(minutes=delay)
        move_to(at)
        s = wish.status
        if action in ("approve", "reject") and WISH.can(s, "approved"):
            await wishes.review(session, wish, actor_id=reviewer, approve=action == "approve", reason="生成")
        elif action == "claim" and WISH.can(s, "claimed"):
            await wish_orders.claim(session, wish, member_id=member_id, max_open=1000)
        elif action == "complete" and WISH.can(s, "completed"):
            await wish_orders.complete(session, wish, member_id=member_id, note="已完成", photos=[])
        elif action == "confirm" and WISH.can(s, "confirmed"):
            await wish_orders.confirm(session, wish, actor_id=resident.id, rating=stars, comment=None)
        elif action == "cancel" and WISH.can(s, "cancelled"):
            await wish_orders.cancel(session, wish, actor_id=resident.id, reason="不需要了")
        elif action == "auto_close" and WISH.can(s, "auto_closed"):
            move_to(at + timedelta(days=8))
            await wishes.auto_close_due(session, timedelta(days=7))
    return wish.id


def recount(log: dict[int, list[WishEvent]], ratings: dict[int, int | None], period) -> dict:
    completion: dict[str, list[int]] = defaultdict(list)
    rated: dict[str, list[int]] = defaultdict(list)
    for wish_id, events in log.items():
        if not period.contains(events[0].at):  # the `created` event
            continue
        status = events[-1].to_status
        if status in IN_SERVICE:
            completion[status].append(wish_id)
        if status == "completed":
            rated["awaiting_rating"].append(wish_id)
        elif any(e.type == "auto_closed" for e in events):
            rated["auto_closed"].append(wish_id)
        elif status == "closed":
            rated["satisfied" if ratings[wish_id] >= 4 else "unsatisfied"].append(wish_id)
    return {"completion": completion, "satisfaction": rated}


def mine_only(buckets: dict, mine: set[int]) -> dict:
    return {k: sorted(i for i in v if i in mine) for k, v in buckets.items() if any(i in mine for i in v)}


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(plans=st.lists(plan(), min_size=1, max_size=4))
async def test_wish_figures_equal_a_recount_of_the_event_log(api, session, plans):
    users = {
        u.openid: u
        for u in (
            await session.execute(
                select(User).where(User.openid.in_(["fake-openid-demo-resident", "fake-openid-demo-member"]))
            )
        ).scalars()
    }
    resident, member = users["fake-openid-demo-resident"], users["fake-openid-demo-member"]
    reviewer = (await session.execute(select(User.id).where(User.openid == "fake-openid-demo-admin"))).scalar_one()
    await api.headers("demo-street")
    savepoint = await session.begin_nested()
    try:
        mine = {await play(session, resident, member.id, reviewer, p) for p in plans}
        await session.flush()
        events = (await session.execute(select(WishEvent).where(WishEvent.wish_id.in_(mine)))).scalars().all()
        log: dict[int, list[WishEvent]] = defaultdict(list)
        for e in sorted(events, key=lambda e: e.id):
            log[e.wish_id].append(e)
        ratings = dict((await session.execute(select(Wish.id, Wish.rating).where(Wish.id.in_(mine)))).all())
        for label in PERIODS:
            o = await api.ok(
                "GET", f"/api/v1/stats/overview?scope=compound:{resident.compound_id}&period={label}", "demo-street"
            )
            assert check_all(o) >= 4
            expected = recount(log, ratings, parse_period(label))
            w = o["wishes"]
            assert mine_only(w["completion"]["buckets"], mine) == mine_only(expected["completion"], mine)
            sat = w["satisfaction"]
            assert mine_only({**sat["buckets"], **sat["excluded"]}, mine) == mine_only(expected["satisfaction"], mine)
    finally:
        await savepoint.rollback()
