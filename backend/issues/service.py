"""Grid issues and their escalation (网格吹哨、街社报到). Every status change, and every note the
sweep records (reminders, overdue, escalation), goes through `transition()`, which writes the
event row and the outbox rows in the caller's transaction.

Visits open issues with `open_issues(session, drafts)` (kept as it was); they start `open`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.issues import state
from backend.issues.models import GridIssue, IssueAssignment, IssueEvent, IssuePolicy
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.notify import service as notify_service
from backend.org.models import Building, Community, Compound, Department, Grid, Household
from backend.workcal import service as workcal

CATEGORIES = state.CATEGORIES
STATUS_LABELS = state.STATUS_LABELS
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
            status="open",
            created_at=now,
            updated_at=now,
        )
        for d in drafts
    ]
    session.add_all(issues)
    await session.flush()
    session.add_all(
        IssueEvent(issue_id=i.id, type="created", from_status=None, to_status="open", actor_id=i.raised_by, at=now)
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


# ---- the one transition function ------------------------------------------------------------


def title_of(issue: GridIssue) -> str:
    text = issue.description.strip().split("\n", 1)[0]
    return text if len(text) <= 30 else text[:29] + "…"


async def transition(
    session: AsyncSession,
    issue: GridIssue,
    to_status: str,
    event: str,
    *,
    actor_id: int | None,
    note: str | None = None,
    values: dict | None = None,
    notify: bool = True,
) -> IssueEvent:
    """Apply one allowed transition (or a note event: to_status == the current status) with a
    compare-and-set UPDATE, then write the event row and the notifications of the event."""
    from_status = issue.status
    if event in state.NOTE_EVENTS:
        if to_status != from_status:
            raise ValueError(f"note event {event} cannot change the status")
    elif not state.allowed(from_status, to_status, event):
        raise Conflict(
            f"事件当前状态为「{state.STATUS_LABELS[from_status]}」，不能{state.ACTION_VERBS.get(event, event)}",
            code="invalid_state",
        )
    now = utcnow()
    changes = {"status": to_status, "updated_at": now, "version": issue.version + 1, **(values or {})}
    result = await session.execute(
        update(GridIssue)
        .where(GridIssue.id == issue.id, GridIssue.status == from_status, GridIssue.version == issue.version)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict("事件已被他人更新，请刷新后重试", code="state_changed")
    for key, value in changes.items():
        set_committed_value(issue, key, value)
    row = IssueEvent(
        issue_id=issue.id,
        type=event,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor_id,
        department_id=issue.department_id,
        at=now,
        note=note,
    )
    session.add(row)
    await session.flush()
    if notify:
        await _notify(session, issue, event, note, now)
    return row


# ---- recipients and notifications -----------------------------------------------------------


async def _grid_people(session: AsyncSession, issue: GridIssue) -> list[int]:
    return sorted(
        {issue.raised_by, *await directory_service.holders_of(session, ["grid_worker"], "grid", issue.grid_id)}
    )


async def _department(session: AsyncSession, department_id: int | None) -> Department | None:
    return await session.get(Department, department_id) if department_id else None


async def escalation_recipients(session: AsyncSession, issue: GridIssue, level: int) -> list[int]:
    """Level 1: the department's head; level 2: the street's leadership (street admins)."""
    dept = await _department(session, issue.department_id)
    if dept is None:
        return []
    if level == 1:
        heads = await directory_service.holders_of(session, ["department_head"], "department", dept.id)
        if heads:
            return heads
    return await directory_service.holders_of(session, ["street_admin"], "street", dept.street_id)


async def _notify(session: AsyncSession, issue: GridIssue, event: str, note: str | None, at: datetime) -> None:
    dept = await _department(session, issue.department_id)
    params = {
        "issue_id": issue.id,
        "title": title_of(issue),
        "department": dept.name if dept else "",
        "at": at,
        "note": note or "",
    }
    ref = ("issue", issue.id)
    to_department = await directory_service.holders_of(session, DEPARTMENT_ROLES, "department", issue.department_id)
    if event == "whistled":
        await notify_service.emit(
            session,
            "issue_whistled",
            to_department,
            {**params, "urgency": state.URGENCIES[issue.urgency], "due": issue.response_due_at},
            ref=ref,
            compound_id=issue.compound_id,
        )
    elif event == "reopened":
        await notify_service.emit(
            session, "issue_reopened", to_department, {**params, "due": issue.response_due_at}, ref=ref
        )
    elif event in ("response_reminder", "disposal_reminder"):
        due = issue.response_due_at if event == "response_reminder" else issue.disposal_due_at
        await notify_service.emit(
            session,
            "issue_deadline_near",
            to_department,
            {**params, "clock": "响应" if event == "response_reminder" else "处置", "due": due},
            ref=ref,
            compound_id=issue.compound_id,
        )
    elif event == "escalated":
        users = await escalation_recipients(session, issue, issue.escalation_level)
        await notify_service.emit(
            session,
            "issue_escalated",
            users,
            {**params, "level": issue.escalation_level},
            ref=ref,
            compound_id=issue.compound_id,
        )
    elif event in ("responded", "resolved", "returned"):
        await notify_service.emit(
            session,
            "issue_progress",
            await _grid_people(session, issue),
            {**params, "status": state.STATUS_LABELS[issue.status]},
            ref=ref,
            compound_id=issue.compound_id,
        )


# ---- deadlines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clocks:
    response_minutes: float
    disposal_minutes: float


async def clocks_for(session: AsyncSession, settings, issue: GridIssue, day_minutes: int) -> Clocks:
    policy = await session.get(IssuePolicy, issue.category)
    if issue.urgency == "urgent":
        response = (policy and policy.response_minutes_urgent) or settings.issue_response_minutes_urgent
    else:
        response = (policy and policy.response_minutes_normal) or settings.issue_response_minutes_normal
    days = (policy and policy.disposal_working_days) or settings.issue_disposal_working_days
    return Clocks(float(response), float(days) * day_minutes)


async def _start_clocks(session: AsyncSession, settings, issue: GridIssue, now: datetime) -> dict:
    """Deadlines count from the minute of the whistle, so that they fall on whole minutes."""
    now = now.replace(second=0, microsecond=0)
    cal = await workcal.load_calendar(session, settings, now)
    clocks = await clocks_for(session, settings, issue, cal.day_minutes)
    fraction = settings.issue_reminder_fraction
    return {
        "response_due_at": cal.add_working(now, clocks.response_minutes),
        "disposal_due_at": cal.add_working(now, clocks.disposal_minutes),
        "response_remind_at": cal.add_working(now, clocks.response_minutes * fraction),
        "disposal_remind_at": cal.add_working(now, clocks.disposal_minutes * fraction),
        "response_reminded": False,
        "disposal_reminded": False,
        "response_overdue": False,
        "disposal_overdue": False,
        "escalation_level": 0,
        "escalate_next_at": None,
        "responded_at": None,
        "resolved_at": None,
    }


async def _new_assignment(
    session: AsyncSession, issue: GridIssue, department_id: int, actor_id: int | None, now: datetime, clocks: dict
) -> IssueAssignment:
    assert issue.community_id is not None
    a = IssueAssignment(
        issue_id=issue.id,
        department_id=department_id,
        community_id=issue.community_id,
        whistled_by=actor_id,
        whistled_at=now,
        response_due_at=clocks["response_due_at"],
        disposal_due_at=clocks["disposal_due_at"],
    )
    session.add(a)
    await session.flush()
    return a


async def _update_assignment(session: AsyncSession, assignment_id: int | None, **values) -> None:
    if assignment_id is None:
        return
    await session.execute(
        update(IssueAssignment)
        .where(IssueAssignment.id == assignment_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


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
    dept = await _department(session, department_id)
    if dept is None:
        raise NotFound(f"部门 {department_id} 不存在", code="department_not_found")
    community = await session.get(Community, issue.community_id)
    if community is None or community.street_id != dept.street_id:
        raise InvalidInput("只能向本街道的部门吹哨", code="department_out_of_street")
    if not state.allowed(issue.status, "whistled", "whistled"):
        raise Conflict(f"事件当前状态为「{state.STATUS_LABELS[issue.status]}」，不能吹哨", code="invalid_state")
    now = utcnow()
    clocks = await _start_clocks(session, settings, issue, now)
    assignment = await _new_assignment(session, issue, dept.id, actor_id, now, clocks)
    await transition(
        session,
        issue,
        "whistled",
        "whistled",
        actor_id=actor_id,
        note=f"吹哨至{dept.name}",
        values={**clocks, "department_id": dept.id, "assignment_id": assignment.id, "whistled_at": now},
    )
    return issue


def require_department(issue: GridIssue, department_ids: set[int]) -> None:
    if issue.department_id is None or issue.department_id not in department_ids:
        raise Forbidden("该事件未派给您所在的部门", code="out_of_scope")


async def respond(session: AsyncSession, issue: GridIssue, *, actor_id: int, note: str) -> GridIssue:
    now = utcnow()
    await transition(
        session,
        issue,
        "responded",
        "responded",
        actor_id=actor_id,
        note=note,
        values={"responded_at": now, "escalate_next_at": None},
    )
    await _update_assignment(session, issue.assignment_id, responded_at=now)
    return issue


async def resolve(session: AsyncSession, issue: GridIssue, *, actor_id: int, note: str, photos: list[str]) -> GridIssue:
    now = utcnow()
    values = {"resolved_at": now, "resolution_note": note, "resolution_photos": photos, "escalate_next_at": None}
    if issue.status == "open":  # the grid handled it itself: no department, no clocks
        await transition(session, issue, "resolved", "grid_resolved", actor_id=actor_id, note=note, values=values)
        return issue
    first_response = issue.responded_at is None
    if first_response:
        values["responded_at"] = now  # resolving at once answers the call too
    await transition(session, issue, "resolved", "resolved", actor_id=actor_id, note=note, values=values)
    extra = {"responded_at": now} if first_response else {}
    await _update_assignment(session, issue.assignment_id, resolved_at=now, outcome="resolved", ended_at=now, **extra)
    return issue


async def hand_back(session: AsyncSession, issue: GridIssue, *, actor_id: int, reason: str) -> GridIssue:
    """The department returns the issue to the grid. Returning answers the call (it counts as a
    response when in time) but is never a disposal."""
    now = utcnow()
    values = {"return_reason": reason, "escalate_next_at": None}
    if issue.responded_at is None:
        values["responded_at"] = now
    await transition(session, issue, "returned", "returned", actor_id=actor_id, note=reason, values=values)
    extra = {"responded_at": now} if "responded_at" in values else {}
    await _update_assignment(session, issue.assignment_id, outcome="returned", ended_at=now, **extra)
    return issue


async def confirm(
    session: AsyncSession, issue: GridIssue, *, actor_id: int, satisfied: bool, comment: str | None
) -> GridIssue:
    now = utcnow()
    await transition(
        session,
        issue,
        "confirmed",
        "confirmed",
        actor_id=actor_id,
        note=comment,
        values={"confirmed_at": now, "satisfied": satisfied, "comment": comment},
    )
    await _update_assignment(session, issue.assignment_id, satisfied=satisfied)
    return issue


async def reopen(session: AsyncSession, settings, issue: GridIssue, *, actor_id: int, reason: str) -> GridIssue:
    """The grid does not accept the resolution: back to the same department with fresh clocks."""
    if issue.department_id is None:
        raise Conflict("网格自行办结的事件不能重新打开，请重新上报", code="invalid_state")
    if not state.allowed(issue.status, "reopened", "reopened"):
        raise Conflict(f"事件当前状态为「{state.STATUS_LABELS[issue.status]}」，不能重新打开", code="invalid_state")
    now = utcnow()
    await _update_assignment(session, issue.assignment_id, reopened=True)
    clocks = await _start_clocks(session, settings, issue, now)
    assignment = await _new_assignment(session, issue, issue.department_id, actor_id, now, clocks)
    await transition(
        session,
        issue,
        "reopened",
        "reopened",
        actor_id=actor_id,
        note=reason,
        values={**clocks, "assignment_id": assignment.id, "reopen_count": issue.reopen_count + 1},
    )
    return issue


# ---- the sweep: reminders, overdue, escalation, auto-confirmation ---------------------------


async def _note(session: AsyncSession, issue: GridIssue, event: str, note: str, values: dict) -> bool:
    try:
        async with session.begin_nested():
            await transition(session, issue, issue.status, event, actor_id=None, note=note, values=values)
    except Conflict:
        return False
    return True


async def _escalate(session: AsyncSession, settings, issue: GridIssue, now: datetime, reason: str) -> None:
    if issue.escalation_level >= 2:
        return
    level = issue.escalation_level + 1
    values: dict = {"escalation_level": level, "escalate_next_at": None}
    if level == 1:  # still unfinished one response-window later: up to street leadership
        cal = await workcal.load_calendar(session, settings, now)
        clocks = await clocks_for(session, settings, issue, cal.day_minutes)
        values["escalate_next_at"] = cal.add_working(now, clocks.response_minutes)
    who = "部门负责人" if level == 1 else "街道领导"
    await _note(session, issue, "escalated", f"{reason}，已上报{who}", values)


async def sweep(session: AsyncSession, settings, limit: int = 500) -> dict[str, int]:
    now = utcnow()
    counts = {"reminded": 0, "overdue": 0, "escalated": 0, "auto_confirmed": 0}

    async def due(*conds) -> list[GridIssue]:
        rows = await session.execute(select(GridIssue).where(*conds).order_by(GridIssue.id).limit(limit))
        return list(rows.scalars())

    for issue in await due(
        GridIssue.status.in_(state.AWAITING_RESPONSE),
        GridIssue.response_reminded == false(),
        GridIssue.response_remind_at <= now,
        GridIssue.response_due_at > now,
    ):
        if await _note(session, issue, "response_reminder", "即将超过响应时限", {"response_reminded": True}):
            counts["reminded"] += 1
    for issue in await due(
        GridIssue.status.in_(state.LIVE),
        GridIssue.disposal_reminded == false(),
        GridIssue.disposal_remind_at <= now,
        GridIssue.disposal_due_at > now,
    ):
        if await _note(session, issue, "disposal_reminder", "即将超过处置时限", {"disposal_reminded": True}):
            counts["reminded"] += 1
    for issue in await due(
        GridIssue.status.in_(state.AWAITING_RESPONSE),
        GridIssue.response_overdue == false(),
        GridIssue.response_due_at <= now,
    ):
        if await _note(session, issue, "response_overdue", "超过响应时限未响应", {"response_overdue": True}):
            counts["overdue"] += 1
            await _escalate(session, settings, issue, now, "响应超时")
            counts["escalated"] += 1
    for issue in await due(
        GridIssue.status.in_(state.LIVE),
        GridIssue.disposal_overdue == false(),
        GridIssue.disposal_due_at <= now,
    ):
        if await _note(session, issue, "disposal_overdue", "超过处置时限未办结", {"disposal_overdue": True}):
            counts["overdue"] += 1
            await _escalate(session, settings, issue, now, "处置超时")
            counts["escalated"] += 1
    for issue in await due(
        GridIssue.status.in_(state.LIVE),
        GridIssue.escalation_level == 1,
        GridIssue.escalate_next_at <= now,
    ):
        await _escalate(session, settings, issue, now, "督办后仍未办理")
        counts["escalated"] += 1
    cutoff = now - timedelta(days=settings.issue_confirm_ttl_days)
    for issue in await due(GridIssue.status == "resolved", GridIssue.resolved_at <= cutoff):
        try:
            async with session.begin_nested():
                await transition(
                    session,
                    issue,
                    "confirmed",
                    "auto_confirmed",
                    actor_id=None,
                    note="超时未评价，系统自动确认（不计入满意）",
                    values={"confirmed_at": now, "auto_confirmed": True, "satisfied": None},
                )
                await _update_assignment(session, issue.assignment_id, auto_confirmed=True)
        except Conflict:
            continue
        counts["auto_confirmed"] += 1
    return counts


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
    user_id: int
    grid_ids: set[int]
    department_ids: set[int]
    community_ids: set[int]  # community admin
    street_ids: set[int]  # street admin


async def can_view(session: AsyncSession, viewer: Viewer, issue: GridIssue) -> bool:
    if issue.raised_by == viewer.user_id or issue.grid_id in viewer.grid_ids:
        return True
    if issue.community_id in viewer.community_ids:
        return True
    if viewer.department_ids:
        if issue.department_id in viewer.department_ids:
            return True
        past = await session.execute(
            select(IssueAssignment.id)
            .where(IssueAssignment.issue_id == issue.id, IssueAssignment.department_id.in_(viewer.department_ids))
            .limit(1)
        )
        if past.first() is not None:
            return True
    if viewer.street_ids and issue.community_id is not None:
        community = await session.get(Community, issue.community_id)
        return community is not None and community.street_id in viewer.street_ids
    return False


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


def is_assigned_to(issue: GridIssue, department_ids: set[int]) -> bool:
    return issue.department_id is not None and issue.department_id in department_ids
