"""The rating sheet of an evaluation meeting, built from its quarter (read live; frozen only in the
results). Its lines, each with a stable key that ratings refer to:

- project:<id>   the compound's projects active in the quarter: approved (not planned, not cancelled),
                 created before the quarter's end, and not completed before its start;
- member:<id>    the Party members reported in to the compound (双报到), each with three figures:
                 orders completed in the compound in the quarter, their residents' ratings, and the
                 meetings of the community and the compound held in the quarter they checked in at;
- committee      the compound's owners' committee (业委会), named by the compound;
- property[:id]  the property company: the community's active partner of kind property (the lowest id)
                 if there is one, else a line named by the compound.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation.models import Meeting, MeetingAttendance
from backend.dispatch.models import Order
from backend.dispatch.state import OrderStatus
from backend.kernel.figures import figure
from backend.kernel.periods import Period, parse_period
from backend.org.models import Compound
from backend.partners.models import Partner
from backend.partners.state import PartnerKind, PartnerStatus
from backend.people import service as people_service
from backend.projects.models import Project
from backend.projects.state import PROJECT, ProjectStatus
from backend.wishes.models import Wish

P = ProjectStatus
ACTIVE = (P.approved, P.in_progress, P.suspended, P.completed, P.evaluated, P.published)


@dataclass
class Line:
    key: str
    kind: str
    name: str
    detail: str = ""
    figures: dict = field(default_factory=dict)
    mean_rating: float | None = None  # members: the mean of their orders' ratings


@dataclass
class Sheet:
    meeting: Meeting
    compound: Compound
    period: Period
    lines: list[Line]

    def line(self, key: str) -> Line | None:
        return next((line for line in self.lines if line.key == key), None)


async def _projects(session: AsyncSession, compound_id: int, q: Period) -> list[Line]:
    rows = await session.execute(
        select(Project)
        .where(
            Project.compound_id == compound_id,
            Project.status.in_(ACTIVE),
            Project.created_at < q.end,
            or_(Project.completed_at.is_(None), Project.completed_at >= q.start),
        )
        .order_by(Project.id)
    )
    return [
        Line(f"project:{p.id}", "project", p.title, f"{PROJECT.label(p.status)}；承办：{p.undertaker or '—'}")
        for p in rows.scalars()
    ]


async def _orders(session: AsyncSession, compound_id: int, member_ids: list[int], q: Period):
    if not member_ids:
        return []
    rows = await session.execute(
        select(Order.member_id, Order.id, Wish.rating)
        .join(Wish, Wish.id == Order.wish_id)
        .where(
            Order.member_id.in_(member_ids),
            Order.compound_id == compound_id,
            Order.status == OrderStatus.completed,
            Order.completed_at >= q.start,
            Order.completed_at < q.end,
        )
    )
    return rows.all()


async def _meetings(session: AsyncSession, meeting: Meeting, q: Period) -> list[int]:
    """The meetings held in the quarter that a member of the compound could attend: the community's
    own and the compound's."""
    rows = await session.execute(
        select(Meeting.id).where(
            Meeting.community_id == meeting.community_id,
            or_(Meeting.compound_id.is_(None), Meeting.compound_id == meeting.compound_id),
            Meeting.date >= q.first_day,
            Meeting.date < q.end_day,
        )
    )
    return sorted(rows.scalars())


async def _attended(session: AsyncSession, meeting_ids: list[int], member_ids: list[int]) -> set[tuple[int, int]]:
    if not meeting_ids or not member_ids:
        return set()
    rows = await session.execute(
        select(MeetingAttendance.user_id, MeetingAttendance.meeting_id).where(
            MeetingAttendance.meeting_id.in_(meeting_ids), MeetingAttendance.user_id.in_(member_ids)
        )
    )
    return {(user_id, meeting_id) for user_id, meeting_id in rows.all()}


def _member_line(member, orders: list, meeting_ids: list[int], attended: set[tuple[int, int]]) -> Line:
    done = [order_id for member_id, order_id, _ in orders if member_id == member.id]
    rated = {order_id: r for member_id, order_id, r in orders if member_id == member.id and r is not None}
    went = [m for m in meeting_ids if (member.id, m) in attended]
    figures = {
        "orders_completed": figure(
            "完成订单", "单", {"completed": done}, ("completed",), "本季度在本小区完成的订单（按完成时间）"
        ),
        "orders_rated": figure(
            "订单评价",
            "单",
            {"rated": sorted(rated), "unrated": sorted(set(done) - set(rated))},
            ("rated",),
            "本季度完成的订单中居民已评分的",
        ),
        "attendance": figure(
            "参会",
            "次",
            {"attended": went, "absent": [m for m in meeting_ids if m not in went]},
            ("attended",),
            "本季度社区和本小区召开的会议中签到参加的场次",
        ),
    }
    figures["orders_rated"]["rating_sum"] = sum(rated.values())
    mean = round(sum(rated.values()) / len(rated), 2) if rated else None
    return Line(f"member:{member.id}", "member", member.name, member.work_unit, figures, mean)


async def _members(session: AsyncSession, meeting: Meeting, q: Period) -> list[Line]:
    members = await people_service.members_of_compound(session, meeting.compound_id)
    ids = [m.id for m in members]
    orders = await _orders(session, meeting.compound_id, ids, q)
    meeting_ids = await _meetings(session, meeting, q)
    attended = await _attended(session, meeting_ids, ids)
    return [_member_line(m, orders, meeting_ids, attended) for m in members]


async def _property(session: AsyncSession, compound: Compound) -> Line:
    partner = (
        await session.execute(
            select(Partner)
            .where(
                Partner.community_id == compound.community_id,
                Partner.kind == PartnerKind.property,
                Partner.status == PartnerStatus.active,
            )
            .order_by(Partner.id)
            .limit(1)
        )
    ).scalar_one_or_none()
    if partner is None:
        return Line("property", "property", f"{compound.name}物业服务企业")
    return Line(f"property:{partner.id}", "property", partner.name, "物业公司（共建单位）")


async def build(session: AsyncSession, meeting: Meeting) -> Sheet:
    compound = await session.get(Compound, meeting.compound_id)
    q = parse_period(meeting.period, kinds=("quarter",))
    lines = await _projects(session, compound.id, q)
    lines += await _members(session, meeting, q)
    lines.append(Line("committee", "committee", f"{compound.name}业主委员会"))
    lines.append(await _property(session, compound))
    return Sheet(meeting, compound, q, lines)
