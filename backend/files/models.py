"""Uploads: every stored photo and voice note, whose it is, and whether anything refers to it yet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class Upload(SQLModel, table=True):
    __table_args__ = (
        Index("ix_upload_user_id_created_at", "user_id", "created_at"),  # the daily quota
        Index("ix_upload_attached_at_created_at", "attached_at", "created_at"),  # the orphan sweep
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)  # <32 hex>.<ext>, the file under UPLOAD_DIR
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=10)  # photo | voice
    content_type: str = Field(max_length=40)
    size: int
    duration_ms: int | None = None  # voice notes
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    attached_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # first used in a photo or voice field
