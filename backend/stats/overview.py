"""The admin overview (概览): the figures a community secretary reports upward, for one scope over one
period (backend/kernel/periods.py). Every figure carries its items (backend/stats/figures.py); the
definitions are in README.md, "How each figure is computed". Over wishes *submitted* in the period
unless said:

- wishes by status: a count per status, with its Chinese label;
- median hours to accept (submitted → accepted) and to complete (submitted → member finished);
- 完成率 = wishes finished (待确认 or 已完成) ÷ wishes taken into service (passed review and not
  cancelled: 待认领, 已派单, 已接单, 待确认, 已完成), bucketed by status;
- 满意率 = ratings ≥ 4 ÷ ratings given by residents; wishes closed automatically because nobody rated
  (auto_closed) and wishes awaiting a rating are listed apart and are never a rating;
- 走访覆盖率 = households visited in the period ÷ households of the scope (unit: household);
- the three escalation rates over issues (backend.stats.escalation; drill down at /stats/escalation);
- the grid's backlog (backend.stats.backlog), as of now;
- a weekly series (Monday-based Asia/Shanghai weeks overlapping the period, counted inside the
  period only): wishes submitted, wishes finished (by completed_at), issues first whistled.

A fixed number of queries whatever the size of the scope.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.periods import Period
from backend.org.models import Household
from backend.stats import escalation
from backend.stats.figures import figure
from backend.visits.models import Visit
from backend.wishes.models import Wish
from backend.wishes.state import STATUS_LABELS, STATUSES, WishStatus

IN_SERVICE = ("open", "dispatched", "accepted", "completed", "closed")
FINISHED = ("completed", "closed")
SATISFIED_FROM = 4
COMPLETION_DEFINITION = (
    "按心愿计：期内提交的心愿中，党员已完成（待确认或已完成）的心愿数 ÷ 进入服务的心愿数"
    "（审核通过且未取消：待认领、已派单、已接单、待确认、已完成）"
)
WISH_SATISFACTION_DEFINITION = (
    "按心愿计：期内提交并已完成的心愿中，居民评分 4 星及以上的心愿数 ÷ 居民评了分的心愿数；"
    "超时未评、系统自动关闭的心愿和尚待评价的心愿不计入"
)
COVERAGE_DEFINITION = "按户计：期内走访到的户数（同一户走访多次计一户）÷ 范围内的户数"


def _hours(values: list[timedelta]) -> float | None:
    return round(median(v.total_seconds() for v in values) / 3600, 2) if values else None


def _week(moment: datetime) -> date:
    day = moment.astimezone(SHANGHAI).date()
    return day - timedelta(days=day.weekday())


def weeks(period: Period) -> list[date]:
    first = period.first_day - timedelta(days=period.first_day.weekday())
    out = []
    while first < period.end_day:
        out.append(first)
        first += timedelta(days=7)
    return out


def _completion(submitted) -> dict:
    buckets = {s: [w.id for w in submitted if w.status == s] for s in IN_SERVICE}
    return {"label": "完成率", **figure("完成率", "wish", buckets, FINISHED, COMPLETION_DEFINITION)}


def _wish_satisfaction(submitted) -> dict:
    closed = [w for w in submitted if w.status == WishStatus.closed]
    rated = [w for w in closed if not w.auto_closed and w.rating is not None]
    buckets = {
        "satisfied": [w.id for w in rated if w.rating >= SATISFIED_FROM],
        "unsatisfied": [w.id for w in rated if w.rating < SATISFIED_FROM],
    }
    apart = {
        "auto_closed": [w.id for w in closed if w.auto_closed],
        "unrated": [w.id for w in closed if not w.auto_closed and w.rating is None],
        "awaiting_rating": [w.id for w in submitted if w.status == WishStatus.completed],
    }
    f = figure("满意率", "wish", buckets, ["satisfied"], WISH_SATISFACTION_DEFINITION, excluded=apart)
    return {**f, "auto_closed": len(apart["auto_closed"])}


def _wishes(submitted) -> dict:
    by_status = Counter(w.status for w in submitted)
    to_accept = [w.accepted_at - w.created_at for w in submitted if w.accepted_at is not None]
    to_complete = [w.completed_at - w.created_at for w in submitted if w.completed_at is not None]
    return {
        "total": len(submitted),
        "by_status": [{"status": s, "label": STATUS_LABELS[s], "count": by_status[s]} for s in STATUSES],
        "median_hours_to_accept": _hours(to_accept),
        "median_hours_to_complete": _hours(to_complete),
        "completion": _completion(submitted),
        "satisfaction": _wish_satisfaction(submitted),
    }


def _coverage(households: list[int], visited: set[int]) -> dict:
    buckets = {
        "visited": [h for h in households if h in visited],
        "not_visited": [h for h in households if h not in visited],
    }
    f = figure("走访覆盖率", "household", buckets, ["visited"], COVERAGE_DEFINITION)
    return {**f, "households": f["denominator"], "visited": f["numerator"]}


async def _visits(session: AsyncSession, compounds, period: Period) -> dict:
    households = list(
        (await session.execute(select(Household.id).where(Household.compound_id.in_(compounds)))).scalars()
    )
    visited = set(
        (
            await session.execute(
                select(Visit.household_id)
                .where(
                    Visit.compound_id.in_(compounds), Visit.visited_at >= period.start, Visit.visited_at < period.end
                )
                .distinct()
            )
        ).scalars()
    )
    return _coverage(households, visited)


def _escalation(three: dict) -> dict:
    def slim(key: str) -> dict:
        return {k: v for k, v in three[key].items() if k != "issues"}

    return {
        "whistled": three["whistled"],
        "response_rate": slim("response_rate"),
        "disposal_rate": slim("disposal_rate"),
        "satisfaction_rate": slim("satisfaction_rate"),
        "auto_confirmed": three["auto_confirmed"]["count"],
    }


def _weekly(period: Period, submitted, finished_at, assignments, now) -> list[dict]:
    series = {w: {"created": 0, "completed": 0, "whistled": 0} for w in weeks(period)}
    for w in submitted:
        series[_week(w.created_at)]["created"] += 1
    for at in finished_at:
        series[_week(at)]["completed"] += 1
    first_call: dict[int, datetime] = {}
    for a in assignments:  # in id order: the first seen is the issue's call
        first_call.setdefault(a.issue_id, a.whistled_at)
    for at in first_call.values():
        if period.contains(at):
            series[_week(at)]["whistled"] += 1
    return [
        {"week_start": w, "label": f"{w:%m-%d}至{w + timedelta(days=6):%m-%d}", **counts}
        for w, counts in series.items()
    ]


SUBMITTED_COLUMNS = (
    Wish.id,
    Wish.status,
    Wish.created_at,
    Wish.accepted_at,
    Wish.completed_at,
    Wish.rating,
    Wish.auto_closed,
)


async def overview(session: AsyncSession, scope: ReportScope, period: Period, backlog: dict | None = None) -> dict:
    compounds = scope.compound_ids
    submitted = (
        await session.execute(
            select(*SUBMITTED_COLUMNS)
            .where(Wish.compound_id.in_(compounds), Wish.created_at >= period.start, Wish.created_at < period.end)
            .order_by(Wish.id)
        )
    ).all()
    finished_at = list(
        (
            await session.execute(
                select(Wish.completed_at).where(
                    Wish.compound_id.in_(compounds), Wish.completed_at >= period.start, Wish.completed_at < period.end
                )
            )
        ).scalars()
    )
    now = utcnow()
    assignments = await escalation.assignments(session, scope, period)
    out = {
        "scope": {"kind": scope.kind, "id": scope.id, "name": scope.name},
        "period": {"label": period.label, "start": period.start, "end": period.end},
        "wishes": _wishes(submitted),
        "visits": await _visits(session, compounds, period),
        "escalation": _escalation(escalation.rates(assignments, now, period)),
        "weekly": _weekly(period, submitted, finished_at, assignments, now),
    }
    if backlog is not None:
        out["backlog"] = backlog
    return out


async def by_community(session: AsyncSession, scopes: list[ReportScope], period: Period) -> dict[int, dict]:
    """The parts of `overview` that 夺旗摘星 reads (wishes' completion and satisfaction, visit coverage,
    the three escalation rates), for many community scopes at once in five statements whatever their
    number: each community's figures equal `overview` of that community."""
    community_of = {c: s.id for s in scopes for c in s.compound_ids}
    compounds = list(community_of)
    submitted: dict[int, list] = {s.id: [] for s in scopes}
    households: dict[int, list[int]] = {s.id: [] for s in scopes}
    visited: dict[int, set[int]] = {s.id: set() for s in scopes}
    if compounds:
        rows = await session.execute(
            select(*SUBMITTED_COLUMNS, Wish.compound_id)
            .where(Wish.compound_id.in_(compounds), Wish.created_at >= period.start, Wish.created_at < period.end)
            .order_by(Wish.id)
        )
        for row in rows.all():
            submitted[community_of[row.compound_id]].append(row)
        rows = await session.execute(
            select(Household.id, Household.compound_id)
            .where(Household.compound_id.in_(compounds))
            .order_by(Household.id)
        )
        for hid, cid in rows.all():
            households[community_of[cid]].append(hid)
        rows = await session.execute(
            select(Visit.household_id, Visit.compound_id)
            .where(Visit.compound_id.in_(compounds), Visit.visited_at >= period.start, Visit.visited_at < period.end)
            .distinct()
        )
        for hid, cid in rows.all():
            visited[community_of[cid]].add(hid)
    assignments = await escalation.assignments_by_community(session, [s.id for s in scopes], period)
    now = utcnow()
    return {
        s.id: {
            "wishes": {"completion": _completion(submitted[s.id]), "satisfaction": _wish_satisfaction(submitted[s.id])},
            "visits": _coverage(households[s.id], visited[s.id]),
            "escalation": _escalation(escalation.rates(assignments[s.id], now, period)),
        }
        for s in scopes
    }
