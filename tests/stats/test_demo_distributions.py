"""The demo reads like a real street's (issue 13): times in waking hours and fewer at weekends,
ratings of every kind with comments on the low ones, durations from an hour to days, members reported
in weeks before their first order, several registrations, issues in all three communities (whistled
in more than one, some late, reopened, in the grid's backlog), and no airing for an empty period."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from backend.airing.models import AiringSnapshot
from backend.dispatch.models import Order
from backend.issues.models import GridIssue, IssueAssignment, IssueEvent
from backend.kernel.clock import SHANGHAI
from backend.org.models import Community, RoleGrant
from backend.people.models import MemberRegistration
from backend.people.state import RegistrationStatus
from backend.wishes.models import Wish, WishEvent
from tests.support.db import DEMO_LAST_EVENT_IDS


def local(at):
    return at.astimezone(SHANGHAI)


async def test_demo_times_ratings_and_durations(db, session):
    # the demo's events only: the races commit theirs at whatever hour the suite runs
    last = DEMO_LAST_EVENT_IDS[db[0]]
    times = list((await session.execute(select(WishEvent.at).where(WishEvent.id <= last["wish"]))).scalars())
    times += list((await session.execute(select(IssueEvent.at).where(IssueEvent.id <= last["issue"]))).scalars())
    assert len(times) > 200
    waking = sum(1 for t in times if 8 <= local(t).hour < 20)
    assert waking / len(times) >= 0.8, f"{waking} of {len(times)} in waking hours"
    weekend = sum(1 for t in times if local(t).weekday() >= 5)
    assert weekend / len(times) < 2 / 7, "fewer at weekends than on weekdays"

    rated = (await session.execute(select(Wish.rating, Wish.comment).where(Wish.rating.is_not(None)))).all()
    assert len({r for r, _ in rated}) >= 4
    assert all(c for r, c in rated if r <= 3), "every low rating says why"
    durations = [
        c - a
        for a, c in (
            await session.execute(select(Wish.accepted_at, Wish.completed_at).where(Wish.completed_at.is_not(None)))
        ).all()
    ]
    assert min(durations) <= timedelta(hours=2) and max(durations) >= timedelta(days=2)
    accepted_after = {
        w.accepted_at - w.created_at
        for w in (await session.execute(select(Wish).where(Wish.accepted_at.is_not(None)))).scalars()
    }
    assert len({round(d.total_seconds() / 3600) for d in accepted_after}) >= 5, "not all accepted after the same hours"


async def test_demo_members_registrations_and_issues(session):
    firsts = dict(
        (await session.execute(select(Order.member_id, func.min(Order.created_at)).group_by(Order.member_id))).all()
    )
    grants = (
        await session.execute(select(RoleGrant.user_id, RoleGrant.created_at).where(RoleGrant.role == "party_member"))
    ).all()
    # the demo's members (each reported in through a registration); other tests' committed rows,
    # such as the claim race's twenty members made on the spot, are not the demo's
    registered = set(
        (
            await session.execute(
                select(MemberRegistration.user_id).where(MemberRegistration.status == RegistrationStatus.approved)
            )
        ).scalars()
    )
    for uid, granted in grants:
        if uid in firsts and uid in registered:
            assert granted <= firsts[uid] - timedelta(days=7), "reported in weeks before the first order"
    approved = (
        await session.execute(
            select(MemberRegistration.decided_at).where(MemberRegistration.status == RegistrationStatus.approved)
        )
    ).scalars()
    assert len({local(d).date() for d in approved}) >= 5, "several registrations, on different days"

    communities = set((await session.execute(select(Community.id).where(Community.street_id == 1))).scalars())
    with_issues = set((await session.execute(select(GridIssue.community_id))).scalars())
    assert communities <= with_issues
    whistled_in = set((await session.execute(select(IssueAssignment.community_id))).scalars())
    assert len(whistled_in) >= 2
    late = (
        await session.execute(
            select(func.count()).where(
                IssueAssignment.responded_at.is_not(None),
                IssueAssignment.responded_at > IssueAssignment.response_due_at,
            )
        )
    ).scalar_one()
    reopened = (await session.execute(select(func.count()).where(IssueAssignment.reopened))).scalar_one()
    backlog = (
        await session.execute(select(func.count()).where(GridIssue.status.in_(("open", "returned"))))
    ).scalar_one()
    assert late >= 1 and reopened >= 1 and backlog >= 3

    snaps = (await session.execute(select(AiringSnapshot).where(AiringSnapshot.compound_id.is_(None)))).scalars().all()
    assert snaps and all(s.content["fulfilled"] > 0 for s in snaps), "no airing for an empty period"
