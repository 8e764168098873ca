"""The user table: one account per WeChat openid. `household_id` is the household the account is
verified for (住户认证, backend/people: a claim stays pending until verified). Written by auth (first
login, logout) and people (profile, household binding); read through backend.directory.service everywhere else."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    openid: str | None = Field(default=None, max_length=128, unique=True)
    unionid: str | None = Field(default=None, max_length=128)
    name: str = Field(default="", max_length=20)
    phone: str | None = Field(default=None, max_length=11)
    compound_id: int | None = Field(default=None, foreign_key="compound.id", index=True)
    household_id: int | None = Field(default=None, foreign_key="household.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # carried in every access token (claim "ver"); bumped by logout, by the removal of a role grant and
    # when the household binding ends, so that older tokens are refused (401 token_revoked)
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # bumped in the same transaction by every change to this user's role grants (backend/org/grant_versions.py);
    # with token_version the key of the caller's cached grants (backend/auth/deps.py)
    grants_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class ContactView(SQLModel, table=True):
    """One view of a resident's contact details (name, phone, room) by someone else: who, when,
    which household or resident, why (a wish they hold or dispatch, the register they visit).
    The community admin reads them (GET /api/v1/contact-views)."""

    __table_args__ = (Index("ix_contactview_community_id_id", "community_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    viewer_id: int = Field(foreign_key="user.id", index=True)
    subject_id: int | None = Field(default=None, foreign_key="user.id")  # the requester, for a wish
    household_id: int | None = Field(default=None, foreign_key="household.id")
    community_id: int = Field(foreign_key="community.id")
    reason: str = Field(max_length=20)  # wish_member | wish_dispatcher | register
    wish_id: int | None = None
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
