"""Micro-wishes (微心愿) and their event log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class Wish(SQLModel, table=True):
    __table_args__ = (
        Index("ix_wish_compound_status_id", "compound_id", "status", "id"),
        Index("ix_wish_requester_id", "requester_id", "id"),
        Index("ix_wish_compound_id_id", "compound_id", "id"),  # a compound's list, newest first, any status
        Index("ix_wish_status_completed_at", "status", "completed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requester_id: int = Field(foreign_key="user.id")
    compound_id: int = Field(foreign_key="compound.id")
    filed_by: int | None = Field(default=None, foreign_key="user.id")
    title: str = Field(max_length=40)
    description: str = Field(default="", max_length=500)
    category: str = Field(max_length=20)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    voice: str | None = Field(default=None, max_length=64)  # the requester's voice note: /uploads/<name>
    voice_seconds: int | None = None
    status: str = Field(default="pending_review", max_length=20)
    reject_reason: str | None = Field(default=None, max_length=200)
    cancel_reason: str | None = Field(default=None, max_length=200)
    rating: int | None = None
    comment: str | None = Field(default=None, max_length=500)
    auto_closed: bool = False
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WishEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_wishevent_wish_id_id", "wish_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    wish_id: int = Field(foreign_key="wish.id")
    type: str = Field(max_length=30)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=500)
