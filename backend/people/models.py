"""Party members: their profiles (skills, work unit, running totals) and their reporting-in (双报到)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class MemberProfile(SQLModel, table=True):
    """An in-post Party member's working details (one per user)."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    work_unit: str = Field(max_length=60)
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    available: bool = True
    # whether the residents whose wishes the member holds may call them (联系党员); else a call-back request
    share_phone: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Running totals for candidate ranking, kept in the same transaction as the change that moves
    # them (dispatch, accept, cancel after accept, confirm), so ranking never re-reads a member's
    # whole order history.
    offers_total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    offers_taken_total: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    rating_sum: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    rating_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The ranking's live and recent counts as they stood at `recent_as_of` (backend/dispatch/ranking.py,
    # `refresh_counts`), recounted in the transaction of every change to one of the member's orders.
    # The ranking reads them and subtracts only what slid out of the window since; NULL: never counted
    # (the ranking then counts the member's orders itself).
    recent_as_of: datetime | None = Field(default=None, sa_type=UTCDateTime)
    recent_since: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the rate window's start then
    recent_window: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the oldest order counted then
    # when the oldest of the orders counted then was created (NULL: none): until the window passes
    # it, nothing has slid out and the ranking reads the counts as they are
    recent_oldest: datetime | None = Field(default=None, sa_type=UTCDateTime)
    live_orders: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    recent_taken: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    recent_offers: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    recent_accepted: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


# Recomputes the running totals above from the order history: the migration that added them and
# the district seeder (which bulk-loads history with COPY) both run it.
MEMBER_TOTALS_SQL = """
UPDATE memberprofile SET
  offers_total = (SELECT count(*) FROM wish_order o
                  WHERE o.member_id = memberprofile.user_id AND o.kind = 'dispatch'),
  offers_taken_total = (SELECT count(*) FROM wish_order o
                        WHERE o.member_id = memberprofile.user_id AND o.kind = 'dispatch'
                          AND o.status IN ('accepted', 'completed')),
  rating_sum = (SELECT coalesce(sum(w.rating), 0) FROM wish_order o JOIN wish w ON w.id = o.wish_id
                WHERE o.member_id = memberprofile.user_id AND o.status = 'completed'
                  AND w.rating IS NOT NULL),
  rating_count = (SELECT count(w.rating) FROM wish_order o JOIN wish w ON w.id = o.wish_id
                  WHERE o.member_id = memberprofile.user_id AND o.status = 'completed')
"""


class MemberRegistration(SQLModel, table=True):
    """双报到: a member reporting in to the compound where they live; approved by its dispatcher."""

    __table_args__ = (
        Index(
            "uq_memberregistration_pending",
            "user_id",
            "compound_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_memberregistration_compound_status", "compound_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    compound_id: int = Field(foreign_key="compound.id")
    work_unit: str = Field(max_length=60)
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=20)
    reason: str | None = Field(default=None, max_length=200)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ResidentVerification(SQLModel, table=True):
    """住户认证: an account's claim to live in a household. `User.household_id` is set only once a
    claim is verified (the WeChat phone matches a resident phone of the register, or the household's
    building chief / grid worker approved it); until then the account sees nothing of the household.
    compound_id, grid_id and building_id copy the household's, so the staff queue needs no joins."""

    __table_args__ = (
        Index(
            "uq_residentverification_pending",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_residentverification_user_id_id", "user_id", "id"),
        Index("ix_residentverification_grid_status", "grid_id", "status", "id"),
        Index("ix_residentverification_building_status", "building_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    household_id: int = Field(foreign_key="household.id")
    compound_id: int = Field(foreign_key="compound.id")
    grid_id: int = Field(foreign_key="grid.id")
    building_id: int = Field(foreign_key="building.id")
    status: str = Field(default="pending", max_length=20)
    method: str | None = Field(default=None, max_length=10)  # phone | staff | register
    reason: str | None = Field(default=None, max_length=200)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
