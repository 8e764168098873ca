"""Agenda items for a community's deliberation day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class AgendaItem(SQLModel, table=True):
    __table_args__ = (Index("ix_agendaitem_community_id_meeting_date_id", "community_id", "meeting_date", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    text: str = Field(max_length=500)
    meeting_date: date  # the deliberation day (the 10th, Asia/Shanghai) it is proposed for
    status: str = Field(default="proposed", max_length=20)
    source: str = Field(default="visit", max_length=20)
    raised_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
