"""Periods in Asia/Shanghai, one syntax for every route that takes `?period=`:

    2026          a year
    2026-H2       a half year (H1, H2)
    2026-Q4       a quarter (Q1 … Q4)
    2026-11       a month
    2026-09-01..2026-10-01   a range of days, the end excluded (at most three years)

A period is [start, end) in UTC for queries, with its first and end day in local time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Query

from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.errors import InvalidInput

SYNTAX = "2026、2026-H2、2026-Q4、2026-11 或 2026-09-01..2026-10-01"
KINDS = ("year", "half", "quarter", "month", "range")


@dataclass(frozen=True)
class Period:
    label: str
    kind: str  # year | half | quarter | month | range
    start: datetime  # aware UTC, inclusive
    end: datetime  # aware UTC, exclusive
    first_day: date
    end_day: date  # exclusive

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end


PeriodQ = Annotated[
    str | None,
    Query(
        max_length=30,
        description="Asia/Shanghai: `2026` (year), `2026-H2` (half year), `2026-Q4` (quarter), `2026-11` "
        "(month) or `2026-09-01..2026-10-01` (days, end excluded); omitted: the route's default",
        examples=["2026-Q4"],
    ),
]


def at_midnight(day: date) -> datetime:
    """Local midnight of `day` in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).astimezone(UTC)


def _period(label: str, kind: str, first: date, end: date) -> Period:
    return Period(label, kind, at_midnight(first), at_midnight(end), first, end)


def _month_after(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1)


def today_local() -> date:
    return utcnow().astimezone(SHANGHAI).date()


def current(kind: str) -> str:
    """The label of the current month, quarter, half or year."""
    today = today_local()
    return {
        "month": f"{today.year}-{today.month:02d}",
        "quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}",
        "half": f"{today.year}-H{1 if today.month <= 6 else 2}",
        "year": f"{today.year}",
    }[kind]


def _parse(text: str) -> Period | None:
    if m := re.fullmatch(r"(\d{4})", text):
        y = int(m[1])
        return _period(text, "year", date(y, 1, 1), date(y + 1, 1, 1))
    if m := re.fullmatch(r"(\d{4})-H([12])", text):
        y, h = int(m[1]), int(m[2])
        return _period(text, "half", date(y, 1 + 6 * (h - 1), 1), date(y + 1, 1, 1) if h == 2 else date(y, 7, 1))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        y, q = int(m[1]), int(m[2])
        return _period(text, "quarter", date(y, 3 * q - 2, 1), _month_after(y, 3 * q))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        y, mo = int(m[1]), int(m[2])
        return _period(text, "month", date(y, mo, 1), _month_after(y, mo))
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
        a, b = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        if b <= a or (b - a).days > 1100:
            return None
        return _period(text, "range", a, b)
    return None


def parse_period(
    text: str | None, *, default: str = "quarter", kinds: Iterable[str] = KINDS, not_future: bool = False
) -> Period:
    """The period `text` names (omitted: the current `default` period). `kinds` limits which kinds a
    route takes; `not_future` refuses a period that has not begun."""
    kinds = tuple(kinds)
    text = (text or current(default)).strip().upper()
    try:
        period = _parse(text)
    except ValueError:  # a month 13, a day 2026-02-30
        period = None
    if period is None or period.first_day.year < 2000 or period.kind not in kinds:
        allowed = SYNTAX if kinds == KINDS else "、".join(_EXAMPLES[k] for k in kinds)
        raise InvalidInput(f"period 格式应为 {allowed}", code="invalid_period")
    if not_future and period.first_day > today_local():
        raise InvalidInput("不能统计尚未开始的时期", code="invalid_period")
    return period


_EXAMPLES = {
    "year": "2026",
    "half": "2026-H2",
    "quarter": "2026-Q4",
    "month": "2026-11",
    "range": "2026-09-01..2026-10-01",
}
