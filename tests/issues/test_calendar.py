"""Working-time deadlines across a weekend, a holiday and a make-up working day (调休), on the
calendar table as seeded from chinesecalendar (2025: 国庆节+中秋节 10月1日–8日 off; Sunday 9月28日 and
Saturday 10月11日 are make-up working days). Working hours: 08:30–12:00, 13:30–17:30 (7.5 h)."""

from __future__ import annotations

from datetime import date, datetime

from backend.kernel.clock import SHANGHAI
from backend.workcal import service as workcal


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


async def cal(session, app, start):
    return await workcal.load_calendar(session, app.state.settings, start)


async def test_the_table_holds_holidays_and_make_up_days(session):
    assert await workcal.year_loaded(session, 2004) and await workcal.year_loaded(session, 2026)
    rows = workcal.chinesecalendar_rows(2025)
    by_day = {r.day: r for r in rows}
    assert by_day[date(2025, 10, 1)].workday is False and by_day[date(2025, 10, 1)].name == "国庆节"
    assert by_day[date(2025, 9, 28)].workday is True and "调休" in by_day[date(2025, 9, 28)].name


async def test_weekend_is_skipped(session, app):
    c = await cal(session, app, sh(2025, 9, 19, 16, 0))
    # Friday 16:00, normal (120 working minutes): 90 on Friday, 30 on Monday morning
    assert c.add_working(sh(2025, 9, 19, 16, 0), 120) == sh(2025, 9, 22, 9, 0)
    # raised on Saturday: the clock starts Monday 08:30
    assert c.add_working(sh(2025, 9, 20, 10, 0), 30) == sh(2025, 9, 22, 9, 0)


async def test_make_up_sunday_counts_as_a_working_day(session, app):
    c = await cal(session, app, sh(2025, 9, 27, 10, 0))
    assert c.is_workday(date(2025, 9, 28)) and not c.is_workday(date(2025, 9, 27))
    # Saturday 9月27日 10:00: the clock starts on the make-up Sunday 08:30
    assert c.add_working(sh(2025, 9, 27, 10, 0), 120) == sh(2025, 9, 28, 10, 30)
    # 3 working days from Sunday 08:30: 28, 29, 30 September
    assert c.add_working(sh(2025, 9, 28, 8, 30), 3 * c.day_minutes) == sh(2025, 9, 30, 17, 30)


async def test_holiday_is_skipped_and_make_up_saturday_counts(session, app):
    c = await cal(session, app, sh(2025, 9, 30, 17, 0))
    # urgent at 17:00 on the eve of the holiday: 30 minutes left today, none over 1–8 October
    assert c.add_working(sh(2025, 9, 30, 17, 15), 30) == sh(2025, 10, 9, 8, 45)
    # lunch break is not working time
    assert c.add_working(sh(2025, 10, 9, 11, 50), 30) == sh(2025, 10, 9, 13, 50)
    # 3 working days (1350 min) from Thursday 10月9日 09:00: 420 on the 9th, 450 on the 10th, 450 on
    # the make-up Saturday 11th, Sunday 12th off, the last 30 on Monday 13th
    assert c.add_working(sh(2025, 10, 9, 9, 0), 3 * c.day_minutes) == sh(2025, 10, 13, 9, 0)
    assert c.working_minutes_between(sh(2025, 9, 30, 17, 0), sh(2025, 10, 9, 9, 0)) == 60


async def test_import_replaces_one_year(session, app):
    n = await workcal.import_year(
        session, 2031, [workcal.DayRow(date(2031, 1, 1), False, "元旦"), workcal.DayRow(date(2031, 1, 4), True, "调休")]
    )
    assert n == 2
    c = await cal(session, app, sh(2030, 12, 31, 17, 0))
    # 2031-01-01 Wednesday off; Saturday 4th is a working day
    assert c.add_working(sh(2030, 12, 31, 17, 0), 60) == sh(2031, 1, 2, 9, 0)
    assert c.is_workday(date(2031, 1, 4))
    await workcal.import_year(session, 2031, [])
    c = await cal(session, app, sh(2030, 12, 31, 17, 0))
    assert c.is_workday(date(2031, 1, 1)) and not c.is_workday(date(2031, 1, 4))
