"""A small community of its own (测试社区 / 测试苑, 4 households) with wishes, visits, one whistled
issue and two Party members, laid out in early 2024 so that no demo row falls in it."""

from __future__ import annotations

import uuid
from datetime import datetime

from backend.directory.models import User
from backend.dispatch.models import Order
from backend.issues.models import GridIssue, IssueAssignment
from backend.kernel.clock import SHANGHAI
from backend.org import service as org_service
from backend.org.models import Building, Community, Compound, Grid, Household, RoleGrant, Unit
from backend.people.models import MemberProfile, MemberRegistration
from backend.visits.models import Visit
from backend.wishes.models import Wish


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=SHANGHAI)


async def build(session) -> dict:
    community = Community(street_id=1, name="测试社区")
    session.add(community)
    await session.flush()
    compound = Compound(community_id=community.id, name="测试苑")
    grid = Grid(community_id=community.id, name="测试网格")
    session.add_all([compound, grid])
    await session.flush()
    building = Building(compound_id=compound.id, grid_id=grid.id, name="1号楼")
    session.add(building)
    await session.flush()
    unit = Unit(building_id=building.id, name="1单元")
    session.add(unit)
    await session.flush()
    houses = [
        Household(unit_id=unit.id, building_id=building.id, compound_id=compound.id, grid_id=grid.id, room=f"10{i}")
        for i in range(1, 5)
    ]
    admin = User(openid="fake-openid-ov-admin", name="测试书记")
    resident = User(name="测试居民")
    member_a = User(name="李强")
    member_b = User(name="陈静")
    session.add_all([*houses, admin, resident, member_a, member_b])
    await session.flush()
    await org_service.grant(session, admin.id, "community_admin", "community", community.id)
    session.add_all(
        [
            RoleGrant(
                user_id=member_a.id,
                role="party_member",
                scope_type="compound",
                scope_id=compound.id,
                created_at=at(2, 10),
            ),
            RoleGrant(
                user_id=member_b.id,
                role="party_member",
                scope_type="compound",
                scope_id=compound.id,
                created_at=at(1, 5),
            ),
            MemberProfile(user_id=member_a.id, work_unit="区财政局"),
            MemberProfile(user_id=member_b.id, work_unit="区卫健委"),
            MemberRegistration(
                user_id=member_a.id,
                compound_id=compound.id,
                work_unit="区财政局",
                status="approved",
                created_at=at(2, 1),
                decided_at=at(2, 10, 10),
            ),
        ]
    )

    def wish(title, status, created, accepted=None, completed=None, rating=None, auto=False):
        return Wish(
            requester_id=resident.id,
            compound_id=compound.id,
            title=title,
            category="other",
            status=status,
            created_at=created,
            accepted_at=accepted,
            completed_at=completed,
            rating=rating,
            auto_closed=auto,
        )

    w = {
        "W1": wish("W1", "closed", at(3, 4), at(3, 4, 11), at(3, 5), rating=5),
        "W2": wish("W2", "closed", at(3, 5), at(3, 5, 13), at(3, 6, 21), rating=3),
        "W3": wish("W3", "closed", at(3, 11), at(3, 11, 10), at(3, 12), auto=True),
        "W4": wish("W4", "accepted", at(3, 12), at(3, 12, 15)),
        "W5": wish("W5", "open", at(3, 19)),
        "W6": wish("W6", "cancelled", at(3, 20)),
        "W7": wish("W7", "pending_review", at(3, 26)),
        "W8": wish("W8", "closed", at(2, 28), at(2, 28, 10), at(3, 1), rating=4),  # submitted in February
    }
    session.add_all(w.values())
    await session.flush()

    def order(key, member, status, responded=None, completed=None):
        return Order(
            wish_id=w[key].id,
            member_id=member.id,
            compound_id=compound.id,
            kind="claim",
            status=status,
            created_at=w[key].created_at,
            responded_at=responded,
            completed_at=completed,
        )

    session.add_all(
        [
            order("W1", member_a, "completed", w["W1"].accepted_at, w["W1"].completed_at),
            order("W2", member_a, "completed", w["W2"].accepted_at, w["W2"].completed_at),
            order("W3", member_a, "completed", w["W3"].accepted_at, w["W3"].completed_at),
            order("W4", member_a, "accepted", w["W4"].accepted_at),
            order("W5", member_b, "declined", at(3, 19, 10)),
        ]
    )

    def visit(house, when):
        return Visit(
            client_id=uuid.uuid4(),
            household_id=house.id,
            grid_id=grid.id,
            compound_id=compound.id,
            worker_id=admin.id,
            visited_at=when,
            outcome="met",
        )

    session.add_all(
        [
            visit(houses[0], at(3, 4)),
            visit(houses[0], at(3, 20)),
            visit(houses[1], at(3, 7)),
            visit(houses[2], at(2, 7)),
        ]
    )
    issue = GridIssue(
        grid_id=grid.id,
        compound_id=compound.id,
        community_id=community.id,
        category="environment",
        description="楼道堆物",
        status="responded",
        raised_by=admin.id,
        created_at=at(3, 13),
    )
    session.add(issue)
    await session.flush()
    session.add(
        IssueAssignment(
            issue_id=issue.id,
            department_id=1,
            community_id=community.id,
            whistled_at=at(3, 13),
            response_due_at=at(3, 13, 11),
            disposal_due_at=at(3, 18),
            responded_at=at(3, 13, 10),
        )
    )
    await session.flush()
    return {
        "community": community.id,
        "compound": compound.id,
        "grid": grid.id,
        "issue": issue.id,
        "wishes": {k: v.id for k, v in w.items()},
    }
