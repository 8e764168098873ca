"""The three rates of 网格吹哨、街社报到. The unit is the **issue**, never the call: each issue of the
period sits in exactly one bucket of each figure (the definitions are in README.md, "How each figure
is computed").

An issue's history in a scope is its assignments there (one per whistle, re-whistle after a return,
or reopen), in order. Its first one is its **call**; an assignment that follows a reopened one is a
reopen, not a new whistle. An issue belongs to the period in which its call was whistled
(Asia/Shanghai).

- 呼叫应答率 = issues whose call was answered (responded, resolved or returned with a reason) by its
  response deadline ÷ issues called in the period. Buckets on_time, late, unanswered (deadline
  passed, no answer), pending (deadline not yet passed).
- 事件处置率 = issues resolved by the disposal deadline of the assignment that resolved them, and
  never reopened ÷ issues called. A reopen counts against disposal (the first disposal did not
  hold): bucket reopened (重新打开), whatever came after. Else by the last assignment: returned,
  on_time, late, unresolved (deadline passed), pending.
- 居民满意率 = issues rated satisfied ÷ issues rated (the last rating, after any reopen). Left out,
  listed apart: auto_confirmed (nobody rated in time: never a rating) and awaiting_rating.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.issues.models import GridIssue, IssueAssignment
from backend.kernel.clock import utcnow
from backend.kernel.periods import Period
from backend.org.models import Department
from backend.stats.figures import figure

RESPONSE_DEFINITION = (
    "按事件计：期内首次吹哨的事件中，在响应时限内响应、办结或说明理由退回的事件数 ÷ 期内首次吹哨的事件数；"
    "重新打开不算新的吹哨"
)
DISPOSAL_DEFINITION = (
    "按事件计：在处置时限内办结且未被重新打开的事件数 ÷ 期内首次吹哨的事件数；"
    "被重新打开的事件计入「重新打开」，不算按时处置"
)
SATISFACTION_DEFINITION = (
    "按事件计：网格评价满意的事件数 ÷ 已评价的事件数（以最后一次评价为准）；超时未评价、系统自动确认的不计入"
)


def _histories(rows: list[IssueAssignment]) -> dict[int, list[IssueAssignment]]:
    out: dict[int, list[IssueAssignment]] = defaultdict(list)
    for a in sorted(rows, key=lambda a: a.id):
        out[a.issue_id].append(a)
    return out


def _response(call: IssueAssignment, now: datetime) -> str:
    if call.responded_at is not None:
        return "on_time" if call.responded_at <= call.response_due_at else "late"
    return "unanswered" if now > call.response_due_at else "pending"


def _disposal(history: list[IssueAssignment], now: datetime) -> str:
    if any(a.reopened for a in history):
        return "reopened"
    last = history[-1]
    if last.outcome == "returned":
        return "returned"
    if last.resolved_at is not None:
        return "on_time" if last.resolved_at <= last.disposal_due_at else "late"
    return "unresolved" if now > last.disposal_due_at else "pending"


def _satisfaction(history: list[IssueAssignment]) -> str | None:
    last = history[-1]
    if last.satisfied is not None:
        return "satisfied" if last.satisfied else "unsatisfied"
    if last.auto_confirmed:
        return "auto_confirmed"
    if last.resolved_at is not None and not last.reopened:
        return "awaiting_rating"
    return None


def rates(rows: list[IssueAssignment], now: datetime, period: Period | None = None) -> dict:
    """The three figures over the issues whose call (first assignment among `rows`) falls in the
    period (all of them when `period` is None)."""
    response = {"on_time": [], "late": [], "unanswered": [], "pending": []}
    disposal = {"on_time": [], "late": [], "reopened": [], "returned": [], "unresolved": [], "pending": []}
    satisfaction = {"satisfied": [], "unsatisfied": []}
    apart = {"auto_confirmed": [], "awaiting_rating": []}
    for issue_id, history in _histories(rows).items():
        if period is not None and not period.contains(history[0].whistled_at):
            continue  # called in an earlier period
        response[_response(history[0], now)].append(issue_id)
        disposal[_disposal(history, now)].append(issue_id)
        rated = _satisfaction(history)
        if rated in satisfaction:
            satisfaction[rated].append(issue_id)
        elif rated is not None:
            apart[rated].append(issue_id)
    called = sum(len(v) for v in response.values())
    return {
        "whistled": called,
        "response_rate": figure("呼叫应答率", "issue", response, ["on_time"], RESPONSE_DEFINITION),
        "disposal_rate": figure("事件处置率", "issue", disposal, ["on_time"], DISPOSAL_DEFINITION),
        "satisfaction_rate": figure(
            "居民满意率", "issue", satisfaction, ["satisfied"], SATISFACTION_DEFINITION, excluded=apart
        ),
        "auto_confirmed": {"count": len(apart["auto_confirmed"]), "issues": sorted(apart["auto_confirmed"])},
        "awaiting_rating": {"count": len(apart["awaiting_rating"]), "issues": sorted(apart["awaiting_rating"])},
    }


def with_issue_lists(three: dict) -> dict:
    """Older clients read each figure's buckets as `issues`: the same lists, kept beside `buckets`."""
    for key in ("response_rate", "disposal_rate", "satisfaction_rate"):
        three[key]["issues"] = three[key]["buckets"]
    return three


def _in_scope(stmt, scope: ReportScope):
    if scope.kind == "department":
        return stmt.where(IssueAssignment.department_id == scope.id)
    if scope.kind == "compound":
        return stmt.join(GridIssue, GridIssue.id == IssueAssignment.issue_id).where(
            GridIssue.compound_id.in_(scope.compound_ids)
        )
    return stmt.where(IssueAssignment.community_id.in_(scope.community_ids))


async def assignments(session: AsyncSession, scope: ReportScope, period: Period) -> list[IssueAssignment]:
    """Every assignment in the scope of the issues with an assignment whistled in the period (their
    whole history there, so that a reopen in a later month still counts against the issue). Two
    statements, the second through ix_issueassignment_issue_id."""
    called = _in_scope(
        select(IssueAssignment.issue_id)
        .where(IssueAssignment.whistled_at >= period.start, IssueAssignment.whistled_at < period.end)
        .distinct(),
        scope,
    )
    ids = list((await session.execute(called)).scalars())
    if not ids:
        return []
    stmt = _in_scope(select(IssueAssignment).where(IssueAssignment.issue_id.in_(ids)), scope)
    return list((await session.execute(stmt.order_by(IssueAssignment.id))).scalars())


async def assignments_by_community(
    session: AsyncSession, community_ids: list[int], period: Period
) -> dict[int, list[IssueAssignment]]:
    """`assignments` of many community scopes at once, in two statements: for each community, every
    assignment there of the issues with an assignment there whistled in the period."""
    out: dict[int, list[IssueAssignment]] = {c: [] for c in community_ids}
    if not community_ids:
        return out
    called = (
        select(IssueAssignment.community_id, IssueAssignment.issue_id)
        .where(
            IssueAssignment.community_id.in_(community_ids),
            IssueAssignment.whistled_at >= period.start,
            IssueAssignment.whistled_at < period.end,
        )
        .distinct()
    )
    pairs = {(c, i) for c, i in (await session.execute(called)).all()}
    if not pairs:
        return out
    stmt = select(IssueAssignment).where(
        IssueAssignment.issue_id.in_(sorted({i for _, i in pairs})), IssueAssignment.community_id.in_(community_ids)
    )
    for a in (await session.execute(stmt.order_by(IssueAssignment.id))).scalars():
        if (a.community_id, a.issue_id) in pairs:
            out[a.community_id].append(a)
    return out


async def escalation_stats(session: AsyncSession, scope: ReportScope, period: Period) -> dict:
    rows = await assignments(session, scope, period)
    now = utcnow()
    by_dept: dict[int, list[IssueAssignment]] = defaultdict(list)
    for a in rows:
        by_dept[a.department_id].append(a)
    names = {}
    if by_dept:
        names = dict(
            (await session.execute(select(Department.id, Department.name).where(Department.id.in_(by_dept)))).all()
        )
    departments = []
    if scope.kind != "department":
        for d, rs in sorted(by_dept.items()):
            three = rates(rs, now, period)
            if three["whistled"]:
                departments.append({"department_id": d, "department_name": names.get(d, ""), **with_issue_lists(three)})
    return {
        "scope": {"kind": scope.kind, "id": scope.id, "name": scope.name},
        "period": {"label": period.label, "start": period.start, "end": period.end},
        **with_issue_lists(rates(rows, now, period)),
        "by_department": departments,
    }
