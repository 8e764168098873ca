"""Demo 小区评议会: 锦华苑's evaluation meetings of the last two complete quarters, held early in
the quarter after, with the demo accounts and a few residents checked in and rating every line;
the earlier quarter's results are published, the later one's await the community's review.
Called from backend.demo.load() after the projects."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.appraisal import service as appraisal_service
from backend.appraisal import sheet as sheets
from backend.deliberation import meetings
from backend.directory.models import User
from backend.kernel.clock import SHANGHAI, clock, to_shanghai, utcnow
from backend.org.models import Compound

COMPOUND = "锦华苑"
PLACE = "锦华苑党群服务驿站"
ACCOUNTS = ("demo-resident", "demo-member", "demo-member2")
LOW = "本季度回应居民诉求不够及时，希望改进"


def _quarters(today: date) -> list[tuple[str, date]]:
    """The last two complete quarters, each with the day its meeting is held (the 8th of the
    quarter after)."""
    q = (today.month - 1) // 3  # the current quarter, 0-based
    out = []
    for back in (2, 1):
        index = q - back
        year = today.year + (index // 4)
        index %= 4
        held_year, held_month = (year + 1, 1) if index == 3 else (year, index * 3 + 4)
        out.append((f"{year}-Q{index + 1}", date(held_year, held_month, 8)))
    return out


async def _ids(session, codes) -> list[User]:
    rows = await session.execute(select(User).where(User.openid.in_([f"fake-openid-{c}" for c in codes])))
    return list(rows.scalars())


async def _rate_all(session, meeting, people: list[User], rng) -> None:
    sheet = await sheets.build(session, meeting)
    for n, person in enumerate(people):
        ratings = []
        for k, line in enumerate(sheet.lines):
            score = rng.choice((3, 4, 4, 5, 5))
            low = n == 1 and k == len(sheet.lines) - 1  # one low score with its reason
            ratings.append(
                appraisal_service.RatingIn(
                    line.key, 2 if low else score, LOW if low else ("很好" if score == 5 else None)
                )
            )
        await appraisal_service.rate(session, meeting, person.id, ratings)


async def load(session: AsyncSession) -> None:
    rng = random.Random(18)
    compound = (await session.execute(select(Compound).where(Compound.name == COMPOUND))).scalar_one()
    (dispatcher,) = await _ids(session, ["demo-dispatcher"])
    (admin,) = await _ids(session, ["demo-admin"])
    people = await _ids(session, ACCOUNTS)
    others = (
        await session.execute(
            select(User)
            .where(User.compound_id == compound.id, User.household_id.is_not(None), User.openid.is_(None))
            .order_by(User.id)
            .limit(3)
        )
    ).scalars()
    people += list(others)
    saved = clock.offset
    try:
        for n, (period, day) in enumerate(_quarters(to_shanghai(utcnow()).date())):
            clock.offset = datetime.combine(day, time(9, 0), SHANGHAI) - utcnow() + clock.offset
            d = meetings.MeetingDraft(
                "evaluation", compound.community_id, compound.id, day, PLACE, dispatcher.id, period
            )
            meeting = await meetings.create(session, d)
            await meetings.attend(
                session,
                meeting,
                [meetings.Attendee(u.id, u.name, u.household_id, entered_by=dispatcher.id) for u in people],
            )
            await _rate_all(session, meeting, people, rng)
            clock.offset += timedelta(hours=2)
            await meetings.close(
                session,
                meeting,
                minutes=f"{period}小区评议会：对项目、党员、业委会和物业逐项评议。",
                actor_id=dispatcher.id,
            )
            await appraisal_service.submit(session, meeting, actor_id=dispatcher.id, reason=None)
            if n == 0:
                clock.offset += timedelta(days=2)
                await appraisal_service.review(session, meeting, approve=True, reason="同意公示", actor_id=admin.id)
    finally:
        clock.offset = saved
