"""The admin overview (概览): the figures a community secretary reports upward, for one scope over one
period (backend/kernel/periods.py). Definitions, all over wishes *submitted* in the period unless said:

- wishes by status: a count per status, with its Chinese label;
- median hours to accept (submitted → accepted) and to complete (submitted → member finished);
- 完成率 = wishes finished (待确认 or 已完成) ÷ wishes taken into service (passed review and not
  cancelled: 待认领, 已派单, 已接单, 待确认, 已完成);
- 满意率 = ratings ≥ 4 ÷ ratings given by residents; wishes closed automatically because nobody rated
  (auto_closed) are counted apart and are never a rating, let alone a satisfied one;
- 走访覆盖率 = households visited in the period ÷ households of the scope;
- the three escalation rates (backend.stats.escalation.rates; drill down at /stats/escalation);
- a weekly series (Monday-based Asia/Shanghai weeks overlapping the period, counted inside the
  period only): wishes submitted, wishes finished (by completed_at), issues whistled.

A fixed number of queries whatever the size of the scope.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.periods import Period
from backend.org.models import Household
from backend.stats import escalation
from backend.visits.models import Visit
from backend.wishes.models import Wish
from backend.wishes.state import STATUS_LABELS, STATUSES

IN_SERVICE = ("open", "dispatched", "accepted", "completed", "closed")
FINISHED = ("completed", "closed")
SATISFIED_FROM = 4


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


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


async def overview(session: AsyncSession, scope: ReportScope, period: Period) -> dict:
    compounds = scope.compound_ids
    in_period = (Wish.created_at >= period.start, Wish.created_at < period.end)
    submitted = (
        await session.execute(
            select(Wish.status, Wish.created_at, Wish.accepted_at, Wish.completed_at, Wish.rating, Wish.auto_closed)
            .where(Wish.compound_id.in_(compounds), *in_period)
            .order_by(Wish.id)
        )
    ).all()
    finished_at = list(
        (
            await session.execute(
                select(Wish.completed_at).where(
                    Wish.compound_id.in_(compounds),
                    Wish.completed_at >= period.start,
                    Wish.completed_at < period.end,
                )
            )
        ).scalars()
    )

    by_status = Counter(w.status for w in submitted)
    to_accept = [w.accepted_at - w.created_at for w in submitted if w.accepted_at is not None]
    to_complete = [w.completed_at - w.created_at for w in submitted if w.completed_at is not None]
    in_service = sum(by_status[s] for s in IN_SERVICE)
    finished = sum(by_status[s] for s in FINISHED)
    closed = [w for w in submitted if w.status == "closed"]
    auto = [w for w in closed if w.auto_closed]
    rated = [w for w in closed if not w.auto_closed and w.rating is not None]
    satisfied = [w for w in rated if w.rating >= SATISFIED_FROM]

    households = (
        await session.execute(select(func.count()).select_from(Household).where(Household.compound_id.in_(compounds)))
    ).scalar_one()
    visited = (
        await session.execute(
            select(func.count(func.distinct(Visit.household_id))).where(
                Visit.compound_id.in_(compounds), Visit.visited_at >= period.start, Visit.visited_at < period.end
            )
        )
    ).scalar_one()

    assignments = await escalation.assignments(session, scope, period)
    three = escalation.rates(assignments, utcnow())

    series = {w: {"created": 0, "completed": 0, "whistled": 0} for w in weeks(period)}
    for w in submitted:
        series[_week(w.created_at)]["created"] += 1
    for at in finished_at:
        series[_week(at)]["completed"] += 1
    for a in assignments:
        series[_week(a.whistled_at)]["whistled"] += 1

    def figure(key: str, label: str) -> dict:
        f = three[key]
        return {"label": label, "numerator": f["numerator"], "denominator": f["denominator"], "rate": f["rate"]}

    return {
        "scope": {"kind": scope.kind, "id": scope.id, "name": scope.name},
        "period": {"label": period.label, "start": period.start, "end": period.end},
        "wishes": {
            "total": len(submitted),
            "by_status": [{"status": s, "label": STATUS_LABELS[s], "count": by_status[s]} for s in STATUSES],
            "median_hours_to_accept": _hours(to_accept),
            "median_hours_to_complete": _hours(to_complete),
            "completion": {
                "label": "完成率",
                "numerator": finished,
                "denominator": in_service,
                "rate": _rate(finished, in_service),
            },
            "satisfaction": {
                "label": "满意率",
                "numerator": len(satisfied),
                "denominator": len(rated),
                "rate": _rate(len(satisfied), len(rated)),
                "auto_closed": len(auto),
            },
        },
        "visits": {
            "label": "走访覆盖率",
            "households": households,
            "visited": visited,
            "rate": _rate(visited, households),
        },
        "escalation": {
            "whistled": three["whistled"],
            "response_rate": figure("response_rate", "呼叫应答率"),
            "disposal_rate": figure("disposal_rate", "事件处置率"),
            "satisfaction_rate": figure("satisfaction_rate", "居民满意率"),
            "auto_confirmed": three["auto_confirmed"]["count"],
        },
        "weekly": [
            {
                "week_start": w,
                "label": f"{w:%m-%d}至{w + timedelta(days=6):%m-%d}",
                **counts,
            }
            for w, counts in series.items()
        ],
    }
