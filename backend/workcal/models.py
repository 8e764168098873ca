"""One row per day that differs from the weekday rule: a holiday on a weekday, or a make-up
working day (调休) on a weekend. Whole holiday periods are stored, weekends inside them too."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class WorkCalendarDay(SQLModel, table=True):
    day: date = Field(primary_key=True)
    workday: bool  # False: a holiday; True: a make-up working day (调休上班)
    name: str = Field(default="", max_length=40)  # e.g. 国庆节
    source: str = Field(default="import", max_length=20)  # chinesecalendar | import
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
