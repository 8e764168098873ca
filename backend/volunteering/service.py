"""Volunteer teams (with the leader's approval to join) and activities (with their series).
Sign-up, check-in and hours are in registrations.py; the time bank in timebank.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.org import service as org_service
from backend.org.models import Compound
from backend.partners import service as partners_service
from backend.volunteering import notifications
from backend.volunteering.models import Activity, ActivitySeries, Team, TeamMembership
from backend.volunteering.state import MEMBERSHIP, MembershipStatus

LEADER_ROLE = "team_leader"


async def create_team(session: AsyncSession, *, name: str, leader_id: int, community_id: int, station: str) -> Team:
    await partners_service.community_of(session, community_id)
    if await session.get(User, leader_id) is None:
        raise InvalidInput(f"用户 {leader_id} 不存在", code="user_not_found")
    team = Team(name=name, leader_id=leader_id, community_id=community_id, station=station)
    session.add(team)
    await session.flush()
    session.add(TeamMembership(team_id=team.id, user_id=leader_id, role="leader", status=MembershipStatus.approved))
    await org_service.grant(session, leader_id, LEADER_ROLE, "team", team.id)
    await session.flush()
    return team


async def get_team(session: AsyncSession, team_id: int) -> Team:
    team = await session.get(Team, team_id)
    if team is None:
        raise NotFound(f"志愿服务队 {team_id} 不存在", code="team_not_found")
    return team


async def teams(session: AsyncSession, *, community_id: int | None, cursor: int | None, limit: int) -> list[Team]:
    stmt = select(Team)
    if community_id is not None:
        stmt = stmt.where(Team.community_id == community_id)
    if cursor is not None:
        stmt = stmt.where(Team.id < cursor)
    return list((await session.execute(stmt.order_by(Team.id.desc()).limit(limit + 1))).scalars())


async def memberships(session: AsyncSession, team_id: int) -> list[tuple[TeamMembership, str]]:
    rows = await session.execute(
        select(TeamMembership, User.name)
        .join(User, User.id == TeamMembership.user_id)
        .where(TeamMembership.team_id == team_id)
        .order_by(TeamMembership.id)
    )
    return [(m, n) for m, n in rows.all()]


async def join(session: AsyncSession, team: Team, user_id: int, note: str | None) -> TeamMembership:
    row = TeamMembership(team_id=team.id, user_id=user_id, status=MembershipStatus.pending, note=note)
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise Conflict("您已申请过加入这支队伍", code="already_applied") from None
    return row


async def get_membership(session: AsyncSession, membership_id: int) -> TeamMembership:
    stmt = select(TeamMembership).where(TeamMembership.id == membership_id).with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"入队申请 {membership_id} 不存在", code="membership_not_found")
    return row


async def decide_membership(
    session: AsyncSession, row: TeamMembership, *, approve: bool, role: str, actor_id: int
) -> TeamMembership:
    event = "approved" if approve else "rejected"
    await MEMBERSHIP.apply(session, row, event, actor_id=actor_id, values={"role": role if approve else row.role})
    await notifications.membership_decided(session, row)
    return row


async def create_series(session: AsyncSession, *, title: str, community_id: int, actor_id: int) -> ActivitySeries:
    await partners_service.community_of(session, community_id)
    series = ActivitySeries(title=title, community_id=community_id, created_by=actor_id)
    session.add(series)
    await session.flush()
    return series


def _check_times(start_at: datetime, end_at: datetime, signup_closes_at: datetime | None) -> datetime:
    if end_at <= start_at:
        raise InvalidInput("结束时间须晚于开始时间", code="invalid_times")
    closes = signup_closes_at or start_at
    if closes > start_at:
        raise InvalidInput("报名截止时间不能晚于活动开始", code="invalid_times")
    return closes


async def create_activity(session: AsyncSession, *, actor_id: int, organiser: dict, **fields) -> Activity:
    """`organiser` is {"kind": team|partner|community, "id": ...}; who may organise for it is the
    route's check (policy.require_organises)."""
    closes = _check_times(fields["start_at"], fields["end_at"], fields.pop("signup_closes_at", None))
    series_id = fields.get("series_id")
    if series_id is not None:
        series = await session.get(ActivitySeries, series_id)
        if series is None or series.community_id != fields["community_id"]:
            raise InvalidInput(f"系列活动 {series_id} 不存在或不属于该社区", code="series_not_found")
    activity = Activity(
        organiser_kind=organiser["kind"],
        team_id=organiser["id"] if organiser["kind"] == "team" else None,
        partner_id=organiser["id"] if organiser["kind"] == "partner" else None,
        signup_closes_at=closes,
        created_by=actor_id,
        **fields,
    )
    session.add(activity)
    await session.flush()
    return activity


async def get_activity(session: AsyncSession, activity_id: int, *, for_update: bool = False) -> Activity:
    stmt = select(Activity).where(Activity.id == activity_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"活动 {activity_id} 不存在", code="activity_not_found")
    return row


async def community_of_user(session: AsyncSession, user: User) -> int | None:
    """The community of the caller's compound (None without one)."""
    if user.compound_id is None:
        return None
    compound = await session.get(Compound, user.compound_id)
    return compound.community_id if compound else None


async def activities(
    session: AsyncSession,
    *,
    community_ids: set[int] | None,
    team_id: int | None,
    series_id: int | None,
    cursor,
    limit: int,
    ending_after: datetime | None = None,
) -> list[Activity]:
    """A keyset page, newest first by id; `ending_after`: only those not over by then (upcoming)."""
    stmt = select(Activity)
    if ending_after is not None:
        stmt = stmt.where(Activity.end_at > ending_after)
    if community_ids is not None:
        stmt = stmt.where(Activity.community_id.in_(community_ids))
    if team_id is not None:
        stmt = stmt.where(Activity.team_id == team_id)
    if series_id is not None:
        stmt = stmt.where(Activity.series_id == series_id)
    if cursor is not None:
        stmt = stmt.where(Activity.id < cursor)
    return list((await session.execute(stmt.order_by(Activity.id.desc()).limit(limit + 1))).scalars())
