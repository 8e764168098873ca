"""Demo deliberation days (党群议事日): past ones with attendance, outcomes and minutes (the
adopted demo proposals were decided there), and the coming one of each community with its
agenda. Called from backend.demo.load() after the proposals."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import meetings, service
from backend.deliberation.models import AgendaItem, Meeting
from backend.deliberation.state import AgendaStatus, MeetingStatus
from backend.directory.models import User
from backend.kernel.clock import SHANGHAI, clock, to_shanghai, utcnow
from backend.kernel.settings import get_settings
from backend.org.models import Compound, RoleGrant
from backend.workcal.service import load_calendar

PLACE = "社区党群服务中心二楼议事厅"
PAST_TOPICS = [
    ("小区南门增设非机动车停放区", "adopted", {"owner": "物业服务中心", "funding": "小区公共收益", "kind": "plan"}),
    ("广场舞音响音量过大扰民", "adopted", {"owner": "社区居委会", "funding": "无需资金", "kind": "plan"}),
    ("引进社区养老驿站", "deferred", None),
    ("每户加收公共照明费", "rejected", None),
]
MINUTES = "逐项协商议题，形成决议并明确责任人。"
COMING_TOPICS = ["老旧小区加装电梯意愿摸底", "楼道文化墙设计征集"]


async def meeting_for(session: AsyncSession, item: AgendaItem, convener_id: int | None) -> Meeting:
    """The deliberation day of the item's month (made when it does not exist yet)."""
    found = await meetings.deliberation_day_for(session, item.community_id, item.meeting_date)
    if found is not None:
        return found
    calendar = await load_calendar(
        session, get_settings(), datetime.combine(item.meeting_date, time(9), SHANGHAI), days=40
    )
    day = meetings.held_on(calendar, item.meeting_date)
    d = meetings.MeetingDraft("deliberation_day", item.community_id, None, day, PLACE, convener_id)
    return await meetings.create(session, d)


async def _attend(session, meeting: Meeting, people: list[User], rng, entered_by: int) -> None:
    chosen = rng.sample(people, min(len(people), rng.randint(9, 16)))
    batch = [
        meetings.Attendee(u.id, u.name, u.household_id, entered_by=entered_by, client_id=f"demo-{meeting.id}-{u.id}")
        for u in chosen
    ]
    await meetings.attend(session, meeting, batch)


async def _people(session, community_id: int) -> list[User]:
    rows = await session.execute(
        select(User)
        .join(Compound, Compound.id == User.compound_id)
        .where(Compound.community_id == community_id, User.household_id.is_not(None))
        .order_by(User.id)
    )
    return list(rows.scalars())


async def _admin(session, community_id: int) -> int:
    found = (
        await session.execute(
            select(RoleGrant.user_id).where(
                RoleGrant.role == "community_admin",
                RoleGrant.scope_type == "community",
                RoleGrant.scope_id == community_id,
            )
        )
    ).scalar()
    if found is None:
        found = (await session.execute(select(RoleGrant.user_id).where(RoleGrant.role == "street_admin"))).scalar()
    return found


async def _past_topics(session, meeting: Meeting, admin: int, rng) -> None:
    at = datetime.combine(meeting.date, time(9), SHANGHAI) - timedelta(days=rng.randint(8, 20))
    drafts = [
        service.AgendaDraft(meeting.community_id, None, None, text, admin, at, "resident" if i % 2 else "staff")
        for i, (text, _, _) in enumerate(PAST_TOPICS)
    ]
    for item, (_, decision, follow_up) in zip(await service.propose(session, drafts), PAST_TOPICS, strict=True):
        item.meeting_date = meetings.nominal_day(meeting.date.year, meeting.date.month)
        await meetings.schedule(session, meeting, item, actor_id=admin)
        votes_for = rng.randint(12, 25)
        outcome = meetings.Outcome(
            decision, votes_for, rng.randint(0, 3), rng.randint(0, 4), note="经充分讨论形成决议", follow_up=follow_up
        )
        await meetings.decide(session, meeting, item, outcome, actor_id=admin)


async def load(session: AsyncSession) -> None:
    rng = random.Random(10)
    saved = clock.offset
    try:
        today = to_shanghai(utcnow()).date()
        past = list(
            (
                await session.execute(
                    select(Meeting)
                    .where(Meeting.status == MeetingStatus.planned, Meeting.date < today)
                    .order_by(Meeting.date)
                )
            ).scalars()
        )
        latest: dict[int, Meeting] = {}
        for m in past:
            latest[m.community_id] = m
        for m in past:
            admin = await _admin(session, m.community_id)
            clock.offset = datetime.combine(m.date, time(9, 30), SHANGHAI) - utcnow() + clock.offset
            await _attend(session, m, await _people(session, m.community_id), rng, admin)
            if latest[m.community_id] is m:
                await _past_topics(session, m, admin, rng)
            clock.offset += timedelta(hours=3)
            minutes = f"{m.date.month}月党群议事日：到会居民代表、党员、物业和共建单位代表，" + MINUTES
            await meetings.close(session, m, minutes=minutes, actor_id=admin)
        clock.offset = saved
        await meetings.plan_deliberation_days(session, get_settings(), place=PLACE)
        await _coming(session, rng)
    finally:
        clock.offset = saved


async def _coming(session: AsyncSession, rng) -> None:
    """The coming deliberation day of each community gets its agenda: the items gathered for it."""
    today = to_shanghai(utcnow()).date()
    rows = await session.execute(
        select(Meeting).where(Meeting.status == MeetingStatus.planned, Meeting.date >= today).order_by(Meeting.id)
    )
    for m in rows.scalars():
        admin = await _admin(session, m.community_id)
        nominal = meetings.nominal_day(m.date.year, m.date.month)
        gathered = await session.execute(
            select(AgendaItem)
            .where(
                AgendaItem.community_id == m.community_id,
                AgendaItem.status == AgendaStatus.proposed,
                AgendaItem.meeting_date <= nominal,
            )
            .order_by(AgendaItem.id)
        )
        items = sorted(gathered.scalars(), key=lambda i: (i.source != "proposal", i.id))  # proposals first
        for item in items[: rng.randint(2, 4)]:
            await meetings.schedule(session, m, item, actor_id=admin)
        drafts = [
            service.AgendaDraft(m.community_id, None, None, t, admin, utcnow(), "resident") for t in COMING_TOPICS
        ]
        await service.propose(session, drafts[: rng.randint(1, 2)])
