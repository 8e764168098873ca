"""Deadline arithmetic in working time, over the calendar table.

`Calendar` is a pure object (working periods of a day, working weekdays, and the exceptions of
the table for a range of dates); `load_calendar` reads the exceptions a deadline can reach in one
query. `add_working(start, minutes)` walks forward through working periods in Asia/Shanghai and
returns an aware UTC datetime. A start outside working time counts from the next working period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.errors import InvalidInput
from backend.workcal.models import WorkCalendarDay

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
LOOKAHEAD_DAYS = 120  # a deadline of a few working days never reaches further than this


def parse_periods(specs: Iterable[str]) -> tuple[tuple[time, time], ...]:
    periods = []
    for spec in specs:
        start, _, end = spec.partition("-")
        a, b = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
        if b <= a:
            raise ValueError(f"working period {spec!r} ends before it starts")
        periods.append((a, b))
    periods.sort()
    return tuple(periods)


@dataclass
class Calendar:
    periods: tuple[tuple[time, time], ...]
    weekdays: frozenset[int]
    exceptions: dict[date, bool] = field(default_factory=dict)

    @property
    def day_minutes(self) -> int:
        return sum((b.hour * 60 + b.minute) - (a.hour * 60 + a.minute) for a, b in self.periods)

    def is_workday(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() in self.weekdays

    def add_working(self, start: datetime, minutes: float) -> datetime:
        """The moment `minutes` working minutes after `start` (aware), as UTC."""
        if start.tzinfo is None:
            raise ValueError("naive datetime")
        local = start.astimezone(SHANGHAI)
        remaining = timedelta(minutes=minutes)
        day = local.date()
        for _ in range(3660):  # ten years of days: a safety stop, never reached in practice
            if self.is_workday(day):
                for a, b in self.periods:
                    p_start = datetime.combine(day, a, SHANGHAI)
                    p_end = datetime.combine(day, b, SHANGHAI)
                    begin = max(p_start, local)
                    if begin >= p_end:
                        continue
                    available = p_end - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(UTC)
                    remaining -= available
            day += timedelta(days=1)
            local = datetime.combine(day, time(0), SHANGHAI)
        raise ValueError("no working time found")  # pragma: no cover

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes from start to end (0 when end <= start)."""
        if end <= start:
            return 0.0
        total = timedelta(0)
        local, stop = start.astimezone(SHANGHAI), end.astimezone(SHANGHAI)
        day = local.date()
        while day <= stop.date():
            if self.is_workday(day):
                for a, b in self.periods:
                    begin = max(datetime.combine(day, a, SHANGHAI), local)
                    finish = min(datetime.combine(day, b, SHANGHAI), stop)
                    if finish > begin:
                        total += finish - begin
            day += timedelta(days=1)
        return total.total_seconds() / 60


async def load_calendar(session: AsyncSession, settings, start: datetime, days: int = LOOKAHEAD_DAYS) -> Calendar:
    first = start.astimezone(SHANGHAI).date() - timedelta(days=1)
    rows = await session.execute(
        select(WorkCalendarDay.day, WorkCalendarDay.workday).where(
            WorkCalendarDay.day >= first, WorkCalendarDay.day <= first + timedelta(days=days)
        )
    )
    return Calendar(
        periods=parse_periods(settings.work_hours),
        weekdays=frozenset(settings.work_weekdays),
        exceptions=dict(rows.all()),
    )


@dataclass(frozen=True)
class DayRow:
    day: date
    workday: bool
    name: str = ""


async def import_year(session: AsyncSession, year: int, rows: Iterable[DayRow], *, source: str = "import") -> int:
    """Replace one year's exceptions with `rows` (holidays and make-up days). Returns the count."""
    rows = list(rows)
    for r in rows:
        if r.day.year != year:
            raise InvalidInput(f"{r.day.isoformat()} 不属于 {year} 年", code="calendar_wrong_year")
    await session.execute(
        delete(WorkCalendarDay).where(
            WorkCalendarDay.day >= date(year, 1, 1), WorkCalendarDay.day <= date(year, 12, 31)
        )
    )
    now = utcnow()
    session.add_all(
        WorkCalendarDay(day=r.day, workday=r.workday, name=r.name[:40], source=source, updated_at=now) for r in rows
    )
    await session.flush()
    return len(rows)


def chinesecalendar_rows(year: int) -> list[DayRow]:
    """The State Council's holidays and make-up days of `year`, from the chinesecalendar package."""
    out = []
    for day, name in chinese_calendar.holidays.items():
        if day.year == year:
            out.append(DayRow(day, False, HOLIDAY_NAMES.get(name, name or "")))
    for day, name in chinese_calendar.workdays.items():
        if day.year == year:
            out.append(DayRow(day, True, f"{HOLIDAY_NAMES.get(name, name or '')}调休上班"))
    return sorted(out, key=lambda r: r.day)


async def seed_from_chinesecalendar(session: AsyncSession, years: Iterable[int] = range(2004, 2027)) -> int:
    total = 0
    for year in years:
        total += await import_year(session, year, chinesecalendar_rows(year), source="chinesecalendar")
    return total


async def year_loaded(session: AsyncSession, year: int) -> bool:
    row = await session.execute(
        select(WorkCalendarDay.day)
        .where(WorkCalendarDay.day >= date(year, 1, 1), WorkCalendarDay.day <= date(year, 12, 31))
        .limit(1)
    )
    return row.first() is not None
