"""Register data attached to org households: address text, care tags and residents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class HouseholdProfile(SQLModel, table=True):
    """One row per household that has register data (missing row = nothing recorded yet)."""

    household_id: int = Field(foreign_key="household.id", primary_key=True)
    address: str = Field(default="", max_length=200)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class HouseholdTag(SQLModel, table=True):
    """A care tag (独居老人, 高龄, …; the list is the CARE_TAGS setting) on a household."""

    __table_args__ = (Index("ix_householdtag_tag_household_id", "tag", "household_id"),)

    household_id: int = Field(foreign_key="household.id", primary_key=True)
    tag: str = Field(max_length=20, primary_key=True)


class Resident(SQLModel, table=True):
    """A person living in a household as the register knows them. `user_id` links the person to an
    account when they have one (or when a grid worker files a wish on their behalf)."""

    __table_args__ = (UniqueConstraint("household_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id")
    name: str = Field(max_length=20)
    relation: str = Field(default="", max_length=10)
    phone: str | None = Field(default=None, max_length=24)  # a mobile, or a landline 0546-8123456-801
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
