"""A published airing snapshot. `content` is a copy made at publication: later edits of the
wishes under it never change it, and the row itself is never updated. A correction is a new
version of the same scope and period (`supersedes_id` the one it replaces, with its reason);
every version stays readable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class AiringSnapshot(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("scope_key", "period", "version"),
        Index("ix_airingsnapshot_community_id_id", "community_id", "id"),
        Index("ix_airingsnapshot_supersedes_id", "supersedes_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    scope_key: str = Field(max_length=30)  # community:<id> | compound:<id>
    period: str = Field(max_length=10)  # 2026-Q3
    title: str = Field(max_length=80)
    content: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    published_by: int = Field(foreign_key="user.id")
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    supersedes_id: int | None = Field(default=None, foreign_key="airingsnapshot.id")
    correction_reason: str | None = Field(default=None, max_length=200)
