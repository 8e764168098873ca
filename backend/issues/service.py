"""Grid issues and their escalation (网格吹哨、街社报到): raising, whistling, the department's
answer, the grid's confirmation or reopening, and reading. Every status change, and every note
the sweep records, goes through `move()`: the issue lifecycle (`state.ISSUE`) applies it with a
compare-and-set and writes the event row; `notifications.announce` writes the messages, all in
the caller's transaction. The clocks are in deadlines.py, the sweep in sweep.py, who may see and
do what in policy.py.

Visits open issues with `open_issues(session, drafts)`; they start `open`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.files import service as files_service
from backend.issues import deadlines, notifications, state
from backend.issues.models import GridIssue, IssueEvent, IssuePolicy
from backend.issues.state import ISSUE, IssueStatus
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.org.models import Building, Community, Compound, Department, Grid, Household

CATEGORIES = state.CATEGORIES
DEPARTMENT_ROLES = ("department_staff", "department_head")


@dataclass
class IssueDraft:
    grid_id: int
    compound_id: int
    household_id: int | None
    category: str
    description: str
    raised_by: int
    photos: list[str] = field(default_factory=list)
    source: str = "visit"
    location: str = ""
    urgency: str = "normal"


async def open_issues(session: AsyncSession, drafts: list[IssueDraft]) -> list[GridIssue]:
    """Open one issue per draft, in one flush; returns them in the drafts' order."""
    if not drafts:
        return []
    for d in drafts:
        if d.category not in CATEGORIES:
            raise ValueError(f"unknown issue category {d.category!r}")
        if d.urgency not in state.URGENCIES:
            raise ValueError(f"unknown urgency {d.urgency!r}")
    await files_service.attach(session, [p for d in drafts for p in d.photos])
    community_of = dict(
        (
            await session.execute(select(Grid.id, Grid.community_id).where(Grid.id.in_({d.grid_id for d in drafts})))
        ).all()
    )
    now = utcnow()
    issues = [
        GridIssue(
            grid_id=d.grid_id,
            compound_id=d.compound_id,
            community_id=community_of.get(d.grid_id),
            household_id=d.household_id,
            category=d.category,
            description=d.description,
            photos=d.photos,
            source=d.source,
            location=d.location,
            urgency=d.urgency,
            raised_by=d.raised_by,
            status=IssueStatus.open,
            created_at=now,
            updated_at=now,
        )
        for d in drafts
    ]
    session.add_all(issues)
    await session.flush()
    session.add_all(
        IssueEvent(
            issue_id=i.id, type="created", from_status=None, to_status=IssueStatus.open, actor_id=i.raised_by, at=now
        )
        for i in issues
    )
    await session.flush()
    return issues


async def statuses(session: AsyncSession, issue_ids: Iterable[int]) -> dict[int, str]:
    ids = set(issue_ids)
    if not ids:
        return {}
    rows = await session.execute(select(GridIssue.id, GridIssue.status).where(GridIssue.id.in_(ids)))
    return dict(rows.all())


# ---- the one way to change an issue -------------------------------------------------------------


async def move(
    session: AsyncSession,
    issue: GridIssue,
    event: str,
    *,
    actor_id: int | None = None,
    note: str | None = None,
    values: dict | None = None,
) -> IssueEvent:
    """Apply one event of the issue lifecycle (a transition, or a note event that sets `values`
    and keeps the status), then send the messages it calls for."""
    row = await ISSUE.apply(session, issue, event, actor_id=actor_id, note=note, values=values)
    await notifications.announce(session, issue, event, note, row.at)
    return row


# ---- the actions ----------------------------------------------------------------------------


async def get_issue(session: AsyncSession, issue_id: int) -> GridIssue:
    issue = await session.get(GridIssue, issue_id)
    if issue is None:
        raise NotFound(f"事件 {issue_id} 不存在", code="issue_not_found")
    return issue


async def raise_issue(
    session: AsyncSession,
    *,
    actor_id: int,
    grid_ids: set[int],
    grid_id: int | None,
    compound_id: int | None,
    household_id: int | None,
    category: str,
    description: str,
    location: str,
    photos: list[str],
    urgency: str,
) -> GridIssue:
    if household_id is not None:
        household = await session.get(Household, household_id)
        if household is None:
            raise NotFound(f"住户 {household_id} 不存在", code="household_not_found")
        grid_id, compound_id = household.grid_id, household.compound_id
    if grid_id is None or compound_id is None:
        raise InvalidInput("请填写 household_id，或同时填写 grid_id 和 compound_id", code="place_required")
    if grid_id not in grid_ids:
        raise Forbidden("只能上报您所在网格的事件", code="out_of_scope")
    if household_id is None:
        found = await session.execute(
            select(Building.id).where(Building.grid_id == grid_id, Building.compound_id == compound_id).limit(1)
        )
        if found.first() is None:
            raise InvalidInput("该小区不在所选网格内", code="compound_not_in_grid")
    (issue,) = await open_issues(
        session,
        [
            IssueDraft(
                grid_id=grid_id,
                compound_id=compound_id,
                household_id=household_id,
                category=category,
                description=description,
                raised_by=actor_id,
                photos=photos,
                source="direct",
                location=location,
                urgency=urgency,
            )
        ],
    )
    return issue


async def whistle(
    session: AsyncSession, settings, issue: GridIssue, *, actor_id: int, department_id: int | None
) -> GridIssue:
    if department_id is None:
        policy = await session.get(IssuePolicy, issue.category)
        department_id = policy.default_department_id if policy else None
        if department_id is None:
            raise InvalidInput(
                f"「{CATEGORIES[issue.category]}」类事件没有默认承办部门，请选择部门", code="department_required"
            )
    dept = await notifications.department_of(session, department_id)
    if dept is None:
        raise NotFound(f"部门 {department_id} 不存在", code="department_not_found")
    community = await session.get(Community, issue.community_id)
    if community is None or community.street_id != dept.street_id:
        raise InvalidInput("只能向本街道的部门吹哨", code="department_out_of_street")
    if not ISSUE.can(issue.status, "whistled"):
        raise ISSUE.refusal(issue.status, "whistled")
    now = utcnow()
    clocks = await deadlines.start_clocks(session, settings, issue, now)
    assignment = await deadlines.new_assignment(session, issue, dept.id, actor_id, now, clocks)
    await move(
        session,
        issue,
        "whistled",
        actor_id=actor_id,
        note=f"吹哨至{dept.name}",
        values={**clocks, "department_id": dept.id, "assignment_id": assignment.id, "whistled_at": now},
    )
    return issue


async def respond(session: AsyncSession, issue: GridIssue, *, actor_id: int, note: str) -> GridIssue:
    now = utcnow()
    await move(
        session,
        issue,
        "responded",
        actor_id=actor_id,
        note=note,
        values={"responded_at": now, "escalate_next_at": None},
    )
    await deadlines.update_assignment(session, issue.assignment_id, responded_at=now)
    return issue


async def resolve(session: AsyncSession, issue: GridIssue, *, actor_id: int, note: str, photos: list[str]) -> GridIssue:
    await files_service.attach(session, photos)
    now = utcnow()
    values = {"resolved_at": now, "resolution_note": note, "resolution_photos": photos, "escalate_next_at": None}
    if ISSUE.can(issue.status, "grid_resolved"):  # the grid handled it itself: no department, no clocks
        await move(session, issue, "grid_resolved", actor_id=actor_id, note=note, values=values)
        return issue
    first_response = issue.responded_at is None
    if first_response:
        values["responded_at"] = now  # resolving at once answers the call too
    await move(session, issue, "resolved", actor_id=actor_id, note=note, values=values)
    extra = {"responded_at": now} if first_response else {}
    await deadlines.update_assignment(
        session, issue.assignment_id, resolved_at=now, outcome="resolved", ended_at=now, **extra
    )
    return issue


async def hand_back(session: AsyncSession, issue: GridIssue, *, actor_id: int, reason: str) -> GridIssue:
    """The department returns the issue to the grid. Returning answers the call (it counts as a
    response when in time) but is never a disposal."""
    now = utcnow()
    values = {"return_reason": reason, "escalate_next_at": None}
    if issue.responded_at is None:
        values["responded_at"] = now
    await move(session, issue, "returned", actor_id=actor_id, note=reason, values=values)
    extra = {"responded_at": now} if "responded_at" in values else {}
    await deadlines.update_assignment(session, issue.assignment_id, outcome="returned", ended_at=now, **extra)
    return issue


async def confirm(
    session: AsyncSession, issue: GridIssue, *, actor_id: int, satisfied: bool, comment: str | None
) -> GridIssue:
    now = utcnow()
    await move(
        session,
        issue,
        "confirmed",
        actor_id=actor_id,
        note=comment,
        values={"confirmed_at": now, "satisfied": satisfied, "comment": comment},
    )
    await deadlines.update_assignment(session, issue.assignment_id, satisfied=satisfied)
    return issue


async def reopen(session: AsyncSession, settings, issue: GridIssue, *, actor_id: int, reason: str) -> GridIssue:
    """The grid does not accept the resolution: back to the same department with fresh clocks."""
    if issue.department_id is None:
        raise Conflict("网格自行办结的事件不能重新打开，请重新上报", code="invalid_state")
    if not ISSUE.can(issue.status, "reopened"):
        raise ISSUE.refusal(issue.status, "reopened")
    now = utcnow()
    await deadlines.update_assignment(session, issue.assignment_id, reopened=True)
    clocks = await deadlines.start_clocks(session, settings, issue, now)
    assignment = await deadlines.new_assignment(session, issue, issue.department_id, actor_id, now, clocks)
    await move(
        session,
        issue,
        "reopened",
        actor_id=actor_id,
        note=reason,
        values={**clocks, "assignment_id": assignment.id, "reopen_count": issue.reopen_count + 1},
    )
    return issue


# ---- reading --------------------------------------------------------------------------------


async def places(session: AsyncSession, grid_ids: set[int]) -> list[dict]:
    """The grids with the compounds that have buildings in each: where a grid worker may raise an
    issue that belongs to no household (a street lamp, a courtyard). Two statements."""
    if not grid_ids:
        return []
    grids = (await session.execute(select(Grid.id, Grid.name).where(Grid.id.in_(grid_ids)).order_by(Grid.id))).all()
    pairs = await session.execute(
        select(Building.grid_id, Compound.id, Compound.name)
        .join(Compound, Compound.id == Building.compound_id)
        .where(Building.grid_id.in_(grid_ids))
        .distinct()
        .order_by(Building.grid_id, Compound.id)
    )
    compounds: dict[int, list[dict]] = {}
    for gid, cid, name in pairs.all():
        compounds.setdefault(gid, []).append({"compound_id": cid, "name": name})
    return [{"grid_id": gid, "name": name, "compounds": compounds.get(gid, [])} for gid, name in grids]


@dataclass
class Viewer:
    """Who is asking, as the issue rules see them (built from the caller's grants by policy.viewer_of)."""

    user_id: int
    grid_ids: set[int]
    department_ids: set[int]
    community_ids: set[int]  # community admin
    street_ids: set[int]  # street admin


async def list_issues(
    session: AsyncSession, viewer: Viewer, *, mine: bool, statuses: list[str] | None, cursor: int | None, limit: int
) -> list[GridIssue]:
    conds = []
    if viewer.grid_ids:
        conds.append(GridIssue.grid_id.in_(viewer.grid_ids))
    conds.append(GridIssue.raised_by == viewer.user_id)
    if viewer.department_ids:
        conds.append(GridIssue.department_id.in_(viewer.department_ids))
    if not mine or not (viewer.grid_ids or viewer.department_ids):
        if viewer.community_ids:
            conds.append(GridIssue.community_id.in_(viewer.community_ids))
        if viewer.street_ids:
            conds.append(
                GridIssue.community_id.in_(select(Community.id).where(Community.street_id.in_(viewer.street_ids)))
            )
    stmt = select(GridIssue).where(or_(*conds))
    if statuses:
        stmt = stmt.where(GridIssue.status.in_(statuses))
    if cursor is not None:
        stmt = stmt.where(GridIssue.id < cursor)
    stmt = stmt.order_by(GridIssue.id.desc()).limit(limit + 1)
    return list((await session.execute(stmt)).scalars())


async def events_of(session: AsyncSession, issue_id: int) -> list[tuple[IssueEvent, str | None]]:
    stmt = (
        select(IssueEvent, User.name)
        .outerjoin(User, User.id == IssueEvent.actor_id)
        .where(IssueEvent.issue_id == issue_id)
        .order_by(IssueEvent.id)
    )
    return [(e, n) for e, n in (await session.execute(stmt)).all()]


async def department_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict((await session.execute(select(Department.id, Department.name).where(Department.id.in_(ids)))).all())


async def departments(session: AsyncSession, street_ids: set[int] | None = None) -> list[dict]:
    """Street departments with the categories each answers by default."""
    stmt = select(Department).order_by(Department.id)
    if street_ids is not None:
        stmt = stmt.where(Department.street_id.in_(street_ids))
    depts = list((await session.execute(stmt)).scalars())
    policies = (await session.execute(select(IssuePolicy))).scalars().all()
    by_dept: dict[int, list[str]] = {}
    for p in policies:
        if p.default_department_id is not None:
            by_dept.setdefault(p.default_department_id, []).append(p.category)
    return [
        {"id": d.id, "street_id": d.street_id, "name": d.name, "default_categories": sorted(by_dept.get(d.id, []))}
        for d in depts
    ]
