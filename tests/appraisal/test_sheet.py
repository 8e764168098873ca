"""The rating sheet of an evaluation meeting, built on a world of its own and recounted from the
items: which projects are active in the quarter, each Party member's completed orders, ratings and
attendance (the ids behind each figure), and the owners' committee and property company lines."""

from __future__ import annotations

from datetime import date, datetime

from backend.appraisal import sheet as sheets
from backend.deliberation import meetings
from backend.deliberation.models import MeetingAttendance
from backend.directory.models import User
from backend.dispatch.models import Order
from backend.kernel.clock import SHANGHAI
from backend.org.models import RoleGrant
from backend.partners.models import Partner
from backend.people.models import MemberProfile
from backend.projects.models import Project
from backend.wishes.models import Wish
from tests.support.world import build_world


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=SHANGHAI)


async def _member(session, w, name: str, compound: int) -> int:
    u = User(name=name)
    session.add(u)
    await session.flush()
    session.add_all(
        [
            RoleGrant(user_id=u.id, role="party_member", scope_type="compound", scope_id=compound),
            MemberProfile(user_id=u.id, work_unit="试验单位"),
        ]
    )
    await session.flush()
    return u.id


async def _order(session, w, member: int, compound: int, status: str, done: datetime | None, rating=None) -> int:
    wish = Wish(requester_id=w.users["admin"], compound_id=compound, title="试验心愿", category="other", rating=rating)
    session.add(wish)
    await session.flush()
    order = Order(wish_id=wish.id, member_id=member, compound_id=compound, kind="dispatch", status=status)
    order.completed_at = done
    session.add(order)
    await session.flush()
    return order.id


async def _project(session, w, title: str, status: str, created: datetime, completed=None) -> int:
    p = Project(
        scope_kind="compound",
        scope_id=w.compounds["X"],
        compound_id=w.compounds["X"],
        community_id=w.community,
        street_id=1,
        title=title,
        year=2026,
        source="plan",
        status=status,
        created_by=w.users["admin"],
        created_at=created,
        completed_at=completed,
    )
    session.add(p)
    await session.flush()
    return p.id


async def _meeting(session, w, kind: str, compound: str | None, day: date, period=None):
    cid = w.compounds[compound] if compound else None
    d = meetings.MeetingDraft(kind, w.community, cid, day, "", None, period)
    return await meetings.create(session, d)


async def test_the_sheet_is_recounted_from_the_quarters_items(session):
    w = await build_world(session)
    x, y = w.compounds["X"], w.compounds["Y"]
    m1, m2 = await _member(session, w, "党员甲", x), await _member(session, w, "党员乙", x)
    await _member(session, w, "党员丙", y)  # reported in to the other compound
    active = await _project(session, w, "加装电梯", "in_progress", at(2026, 3, 1))
    done_in = await _project(session, w, "停车棚", "completed", at(2026, 5, 1), at(2026, 8, 20))
    await _project(session, w, "旧项目", "completed", at(2026, 1, 1), at(2026, 6, 30))  # done before Q3
    await _project(session, w, "撤销项目", "cancelled", at(2026, 7, 5))
    await _project(session, w, "新项目", "approved", at(2026, 10, 2))  # after Q3
    await _project(session, w, "未立项", "planned", at(2026, 7, 2))

    rated5 = await _order(session, w, m1, x, "completed", at(2026, 7, 3), 5)
    rated3 = await _order(session, w, m1, x, "completed", at(2026, 9, 30), 3)
    unrated = await _order(session, w, m1, x, "completed", at(2026, 8, 1))
    await _order(session, w, m1, x, "completed", at(2026, 6, 30), 1)  # Q2
    await _order(session, w, m1, y, "completed", at(2026, 8, 1), 1)  # another compound
    await _order(session, w, m1, x, "accepted", None)  # not completed
    await _order(session, w, m1, x, "completed", at(2026, 10, 1), 2)  # Q4 (Asia/Shanghai)

    aug = await _meeting(session, w, "deliberation_day", None, date(2026, 8, 10))
    sep = await _meeting(session, w, "regular", "X", date(2026, 9, 5))
    other = await _meeting(session, w, "regular", "Y", date(2026, 9, 6))  # the other compound's
    octo = await _meeting(session, w, "deliberation_day", None, date(2026, 10, 10))  # Q4
    for meeting, user in ((aug, m1), (other, m1), (octo, m1), (sep, m2)):
        session.add(MeetingAttendance(meeting_id=meeting.id, user_id=user, name="x"))
    evaluation = await _meeting(session, w, "evaluation", "X", date(2026, 10, 8), "2026-Q3")
    await session.flush()

    sheet = await sheets.build(session, evaluation)
    keys = [line.key for line in sheet.lines]
    assert keys == [f"project:{active}", f"project:{done_in}", f"member:{m1}", f"member:{m2}", "committee", "property"]
    assert sheet.line("committee").name == "试验小区X业主委员会"
    assert sheet.line("property").name == "试验小区X物业服务企业"

    one = sheet.line(f"member:{m1}").figures
    assert one["orders_completed"]["buckets"] == {"completed": sorted([rated5, rated3, unrated])}
    assert one["orders_rated"]["buckets"] == {"rated": sorted([rated5, rated3]), "unrated": [unrated]}
    assert one["orders_rated"]["rating_sum"] == 8 and sheet.line(f"member:{m1}").mean_rating == 4.0
    assert one["attendance"]["buckets"] == {"attended": [aug.id], "absent": [sep.id]}
    assert (one["attendance"]["numerator"], one["attendance"]["denominator"]) == (1, 2)
    two = sheet.line(f"member:{m2}")
    assert two.figures["orders_completed"]["denominator"] == 0 and two.mean_rating is None
    assert two.figures["attendance"]["buckets"] == {"attended": [sep.id], "absent": [aug.id]}
    for line in sheet.lines:
        for fig in line.figures.values():
            assert fig["definition"] and fig["denominator"] == sum(len(v) for v in fig["buckets"].values())

    # a property company of the community, once active, is the property line
    partner = Partner(kind="property", name="安居物业", name_key="安居物业", community_id=w.community, street_id=1)
    partner.status = "active"
    session.add(partner)
    await session.flush()
    sheet = await sheets.build(session, evaluation)
    assert sheet.lines[-1].key == f"property:{partner.id}" and sheet.lines[-1].name == "安居物业"
