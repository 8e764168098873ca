"""评议台账: one row per line of each edition of the scope's evaluation results (小区评议会) whose
quarter lies in the period, read from the frozen content, so the ledger says what was published
(raters masked there already). Registered in backend/exports/ledger.py LEDGERS (kind=appraisals)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.appraisal.models import Appraisal
from backend.appraisal.state import APPRAISAL
from backend.auth.reach import ReportScope
from backend.kernel.periods import Period
from backend.kernel.sheets import Column

BATCH = 200

APPRAISAL_COLUMNS = tuple(
    Column(h, k)  # type: ignore[arg-type]
    for h, k in (
        ("结果编号", "number"),
        ("小区", "text"),
        ("季度", "text"),
        ("版本", "number"),
        ("状态", "text"),
        ("评议会日期", "text"),
        ("类别", "text"),
        ("评议项", "text"),
        ("说明", "text"),
        ("评价人数", "number"),
        ("平均分", "number"),
        ("5分", "number"),
        ("4分", "number"),
        ("3分", "number"),
        ("2分", "number"),
        ("1分", "number"),
        ("满意率（%）", "number"),
        ("意见（评价人已隐去姓名）", "text"),
        ("提交时间", "datetime"),
        ("公示时间", "datetime"),
        ("更正理由", "text"),
    )
)


def quarters(period: Period) -> list[str]:
    """The quarters that lie wholly in the period (2026 → 2026-Q1 … 2026-Q4)."""
    out = []
    year, q = period.first_day.year, (period.first_day.month - 1) // 3
    while True:
        first_month = q * 3 + 1
        start = type(period.first_day)(year, first_month, 1)
        end = type(period.first_day)(year + (q == 3), 1 if q == 3 else first_month + 3, 1)
        if start >= period.end_day:
            return out
        if start >= period.first_day and end <= period.end_day:
            out.append(f"{year}-Q{q + 1}")
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)


def _row(a: Appraisal, line: dict) -> tuple:
    dist = line["distribution"]
    good = line["good"]["rate"]
    comments = "\n".join(f"{c['rater']}（{c['score']}分）：{c['comment']}" for c in line["comments"])
    return (
        a.id,
        a.content.get("compound_name", ""),
        a.period,
        a.edition,
        APPRAISAL.label(a.status),
        a.content.get("meeting_date", ""),
        line["kind_label"],
        line["name"],
        line["detail"],
        line["count"],
        line["mean"],
        *(dist[s] for s in ("5", "4", "3", "2", "1")),
        round(good * 100, 1) if good is not None else None,
        comments,
        a.submitted_at,
        a.published_at,
        a.correction_reason,
    )


async def appraisal_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    stmt = select(Appraisal).where(
        Appraisal.compound_id.in_(scope.compound_ids), Appraisal.period.in_(quarters(period))
    )
    last = 0
    while True:
        batch = list(
            (await session.execute(stmt.where(Appraisal.id > last).order_by(Appraisal.id).limit(BATCH))).scalars()
        )
        if not batch:
            return
        last = batch[-1].id
        yield [_row(a, line) for a in batch for line in a.content.get("lines", [])]
