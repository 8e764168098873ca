"""Agenda items, meetings and attendance of the deliberation day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class AgendaItem(SQLModel, table=True):
    __table_args__ = (
        Index("ix_agendaitem_community_id_meeting_date_id", "community_id", "meeting_date", "id"),
        Index("ix_agendaitem_meeting_id_id", "meeting_id", "id"),
        Index("ix_agendaitem_community_id_status_id", "community_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    text: str = Field(max_length=500)
    meeting_date: date  # the deliberation day (Asia/Shanghai) it is proposed for
    status: str = Field(default="proposed", max_length=20)
    source: str = Field(default="visit", max_length=20)  # visit | proposal | resident | staff
    raised_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    merged_into_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    decline_reason: str | None = Field(default=None, max_length=200)
    outcome: str | None = Field(default=None, max_length=20)  # adopted | rejected | referred (deferred rolls on)
    votes_for: int | None = None
    votes_against: int | None = None
    abstained: int | None = None
    outcome_note: str | None = Field(default=None, max_length=500)
    follow_up: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    defer_count: int = 0
    flagged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # deferred twice: to the community admin
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # 办结: its follow-up finished
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Meeting(SQLModel, table=True):
    """A deliberation day (one per community per month), a 恳谈会 or a 例会 of a community or a
    compound. scope_key is "community:<id>" or "compound:<id>": one meeting of a kind per scope and day."""

    __table_args__ = (
        UniqueConstraint("kind", "scope_key", "date"),
        Index("ix_meeting_community_id_date", "community_id", "date"),
        Index("ix_meeting_community_id_id", "community_id", "id"),
        Index("ix_meeting_status_date", "status", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # deliberation_day | heart_to_heart | regular | evaluation
    community_id: int = Field(foreign_key="community.id")
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    scope_key: str = Field(max_length=30)
    date: date
    period: str | None = Field(default=None, max_length=10)  # evaluation: the quarter it rates (2026-Q3)
    place: str = Field(default="", max_length=100)
    convener_id: int | None = Field(default=None, foreign_key="user.id")
    status: str = Field(default="planned", max_length=20)
    minutes: str | None = Field(default=None, max_length=5000)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MeetingAttendance(SQLModel, table=True):
    """Who attended: a resident checking in themselves, or a batch entered by staff (offline, by
    client id). A row without user_id is a person known by name only (a paper sign-in sheet)."""

    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        UniqueConstraint("entered_by", "client_id"),
        Index("ix_meetingattendance_meeting_id_id", "meeting_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    name: str = Field(default="", max_length=30)
    household_id: int | None = Field(default=None, foreign_key="household.id")
    entered_by: int | None = Field(default=None, foreign_key="user.id")
    client_id: str | None = Field(default=None, max_length=64)
    checked_in_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
