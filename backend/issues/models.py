"""The grid issue record. Kept small on purpose: the escalation feature adds its lifecycle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from backend.clock import utcnow
from backend.db import UTCDateTime


class GridIssue(SQLModel, table=True):
    __table_args__ = (Index("ix_gridissue_grid_id_status_id", "grid_id", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="grid.id")
    compound_id: int = Field(foreign_key="compound.id", index=True)
    household_id: int | None = Field(default=None, foreign_key="household.id", index=True)
    category: str = Field(max_length=20)  # hazard | dispute
    description: str = Field(max_length=500)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="open", max_length=20)
    source: str = Field(default="visit", max_length=20)  # where it was raised: visit | …
    raised_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
