"""Orders: a wish offered to (dispatch) or claimed by (claim) one Party member."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class Order(SQLModel, table=True):
    __tablename__ = "wish_order"
    __table_args__ = (
        # At most one live order per wish, whatever races happen above it (live: state.LIVE).
        Index(
            "uq_wish_order_live",
            "wish_id",
            unique=True,
            sqlite_where=text("status IN ('offered', 'accepted')"),
            postgresql_where=text("status IN ('offered', 'accepted')"),
        ),
        Index("ix_wish_order_member_status_id", "member_id", "status", "id"),
        # a member's live orders (candidate ranking, the open-order cap) without touching history
        Index(
            "ix_wish_order_member_live",
            "member_id",
            sqlite_where=text("status IN ('offered', 'accepted')"),
            postgresql_where=text("status IN ('offered', 'accepted')"),
        ),
        Index("ix_wish_order_status_expires_at", "status", "expires_at"),
        Index("ix_wish_order_wish_id", "wish_id", "id"),
        # a member's recent orders with what ranking counts of them: an index-only scan (ranking.py)
        Index("ix_wish_order_member_recent", "member_id", "created_at", "kind", "status", "responded_at"),
        Index("ix_wish_order_status_due_at", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    wish_id: int = Field(foreign_key="wish.id")
    member_id: int = Field(foreign_key="user.id")
    compound_id: int = Field(foreign_key="compound.id", index=True)
    kind: str = Field(max_length=10)  # dispatch | claim
    status: str = Field(max_length=20)  # offered | accepted | declined | expired | completed | cancelled
    dispatched_by: int | None = Field(default=None, foreign_key="user.id")
    note: str | None = Field(default=None, max_length=200)
    decline_reason: str | None = Field(default=None, max_length=200)
    completion_note: str | None = Field(default=None, max_length=500)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # once accepted, the member has until due_at to complete; past it the sweep sets overdue_at
    # and tells the compound's Party branch (once)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    overdue_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
