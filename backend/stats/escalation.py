"""The three rates of 网格吹哨、街社报到, computed over assignments (one whistle to one department):

- 呼叫应答率 = assignments answered (responded, or returned with a reason) by the response deadline
  ÷ assignments whistled in the period;
- 事件处置率 = assignments resolved by the disposal deadline and not reopened ÷ assignments whistled;
- 居民满意率 = satisfied ratings ÷ ratings. Auto-confirmed issues (nobody rated in time) are counted
  apart and are never a rating, let alone a satisfied one.

Every figure carries the issue ids behind it (the drill-down).
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


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _figure(buckets: dict[str, list[int]], good: str, denominator: int) -> dict:
    return {
        "numerator": len(buckets[good]),
        "denominator": denominator,
        "rate": _rate(len(buckets[good]), denominator),
        "issues": {k: sorted(set(v)) for k, v in buckets.items()},
    }


def rates(rows: list[IssueAssignment], now: datetime) -> dict:
    response = {"on_time": [], "late": [], "unanswered": [], "pending": []}
    disposal = {"on_time": [], "late": [], "reopened": [], "returned": [], "unresolved": [], "pending": []}
    satisfaction = {"satisfied": [], "unsatisfied": []}
    auto, unrated = [], []
    for a in rows:
        i = a.issue_id
        if a.responded_at is not None:
            response["on_time" if a.responded_at <= a.response_due_at else "late"].append(i)
        else:
            response["unanswered" if now > a.response_due_at else "pending"].append(i)
        if a.outcome == "returned":
            disposal["returned"].append(i)
        elif a.resolved_at is not None:
            if a.reopened:
                disposal["reopened"].append(i)
            else:
                disposal["on_time" if a.resolved_at <= a.disposal_due_at else "late"].append(i)
        else:
            disposal["unresolved" if now > a.disposal_due_at else "pending"].append(i)
        if a.satisfied is not None:
            satisfaction["satisfied" if a.satisfied else "unsatisfied"].append(i)
        elif a.auto_confirmed:
            auto.append(i)
        elif a.resolved_at is not None and not a.reopened:
            unrated.append(i)
    n = len(rows)
    ratings = len(satisfaction["satisfied"]) + len(satisfaction["unsatisfied"])
    return {
        "whistled": n,
        "response_rate": _figure(response, "on_time", n),
        "disposal_rate": _figure(disposal, "on_time", n),
        "satisfaction_rate": _figure(satisfaction, "satisfied", ratings),
        "auto_confirmed": {"count": len(auto), "issues": sorted(auto)},
        "awaiting_rating": {"count": len(unrated), "issues": sorted(unrated)},
    }


async def assignments(session: AsyncSession, scope: ReportScope, period: Period) -> list[IssueAssignment]:
    stmt = select(IssueAssignment).where(
        IssueAssignment.whistled_at >= period.start, IssueAssignment.whistled_at < period.end
    )
    if scope.kind == "department":
        stmt = stmt.where(IssueAssignment.department_id == scope.id)
    elif scope.kind == "compound":
        stmt = stmt.join(GridIssue, GridIssue.id == IssueAssignment.issue_id).where(
            GridIssue.compound_id.in_(scope.compound_ids)
        )
    else:
        stmt = stmt.where(IssueAssignment.community_id.in_(scope.community_ids))
    return list((await session.execute(stmt.order_by(IssueAssignment.id))).scalars())


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
    return {
        "scope": {"kind": scope.kind, "id": scope.id, "name": scope.name},
        "period": {"label": period.label, "start": period.start, "end": period.end},
        **rates(rows, now),
        "by_department": [
            {"department_id": d, "department_name": names.get(d, ""), **rates(rs, now)}
            for d, rs in sorted(by_dept.items())
        ]
        if scope.kind != "department"
        else [],
    }
