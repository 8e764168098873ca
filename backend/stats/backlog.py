"""The grid's own backlog (网格待办积压), as of now: issues the grid holds — raised and neither
resolved nor whistled (待处理), or handed back to it by a department (已退回) — which the three
rates never see. Counted and aged from when the issue was raised (≤ 7 days, 8–30, > 30), and
marked overdue by the grid's disposal clock (settings: 5 working days, urgent 1). Oldest first,
with category and urgency. Two statements.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.issues import deadlines
from backend.issues.models import GridIssue
from backend.issues.state import CATEGORIES, STATUS_LABELS, URGENCIES, WITH_GRID
from backend.kernel.clock import SHANGHAI, utcnow
from backend.stats.figures import figure
from backend.workcal import service as workcal

AGE_BANDS = (("le_7", 7), ("d8_30", 30), ("gt_30", None))
AGE_LABELS = {"le_7": "7天以内", "d8_30": "8至30天", "gt_30": "30天以上"}
SHOWN = 50  # items listed oldest first; the buckets hold every id
AGE_DEFINITION = (
    "按事件计：网格手中尚未办结也未吹哨的事件（待处理、被部门退回），按上报至今的天数分段：7天以内、8至30天、30天以上"
)
OVERDUE_DEFINITION = (
    "按事件计：网格手中的事件中，自上报起超过网格处置时限（一般 {normal} 个工作日，紧急 {urgent} 个工作日）的事件数"
    " ÷ 网格手中的事件数"
)


def age_days(created_at: datetime, now: datetime) -> int:
    """Whole days from the day it was raised to today, in Asia/Shanghai."""
    return (now.astimezone(SHANGHAI).date() - created_at.astimezone(SHANGHAI).date()).days


def band(days: int) -> str:
    for name, upto in AGE_BANDS:
        if upto is None or days <= upto:
            return name
    raise AssertionError("unreachable")  # pragma: no cover


async def held_by_grid(session: AsyncSession, compound_ids) -> list[GridIssue]:
    stmt = (
        select(GridIssue)
        .where(GridIssue.compound_id.in_(compound_ids), GridIssue.status.in_(WITH_GRID))
        .order_by(GridIssue.created_at, GridIssue.id)
    )
    return list((await session.execute(stmt)).scalars())


async def calendar_for(session: AsyncSession, settings, issues: list[GridIssue], now: datetime) -> workcal.Calendar:
    """One calendar reaching from the oldest issue past today (one statement)."""
    start = min((i.created_at for i in issues), default=now)
    return await workcal.load_calendar(session, settings, start, days=(now - start).days + workcal.LOOKAHEAD_DAYS)


def _item(issue: GridIssue, days: int, due: datetime, now: datetime) -> dict:
    return {
        "id": issue.id,
        "category": issue.category,
        "category_label": CATEGORIES.get(issue.category, issue.category),
        "urgency": issue.urgency,
        "urgency_label": URGENCIES.get(issue.urgency, issue.urgency),
        "status": issue.status,
        "status_label": STATUS_LABELS.get(issue.status, issue.status),
        "description": issue.description[:40],
        "created_at": issue.created_at,
        "age_days": days,
        "grid_due_at": due,
        "overdue": now > due,
    }


async def backlog(session: AsyncSession, settings, scope: ReportScope) -> dict:
    now = utcnow()
    issues = await held_by_grid(session, scope.compound_ids)
    cal = await calendar_for(session, settings, issues, now)
    ages = {name: [] for name, _ in AGE_BANDS}
    overdue = {"overdue": [], "within_clock": []}
    items = []
    for issue in issues:
        days = age_days(issue.created_at, now)
        due = deadlines.grid_due_at(cal, settings, issue)
        ages[band(days)].append(issue.id)
        overdue["overdue" if now > due else "within_clock"].append(issue.id)
        if len(items) < SHOWN:
            items.append(_item(issue, days, due, now))
    definition = OVERDUE_DEFINITION.format(
        normal=f"{settings.issue_grid_disposal_working_days:g}",
        urgent=f"{settings.issue_grid_disposal_working_days_urgent:g}",
    )
    return {
        "label": "网格待办积压",
        "as_of": now,
        "count": len(issues),
        "aged": {
            **figure("积压时长", "issue", ages, ["d8_30", "gt_30"], AGE_DEFINITION),
            "bucket_labels": AGE_LABELS,
        },
        "overdue": figure("超出网格处置时限", "issue", overdue, ["overdue"], definition),
        "oldest": items,
    }
