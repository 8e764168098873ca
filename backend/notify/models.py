"""Notifications: the in-app inbox, the WeChat outbox with its delivery attempts, and the
subscription credit ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class Notification(SQLModel, table=True):
    """One message to one user: always shown in the in-app inbox; delivered to WeChat through its
    `OutboxMessage` when the user holds a subscription credit."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_id_id", "user_id", "id"),
        Index(
            "ix_notification_unread",
            "user_id",
            sqlite_where=text("read_at IS NULL"),
            postgresql_where=text("read_at IS NULL"),
        ),
        # e.g. "offer_expiring:order:42:u7": a sweep that runs twice (or on two hosts) reminds once.
        Index("uq_notification_dedupe_key", "dedupe_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    event: str = Field(max_length=40)
    title: str = Field(max_length=60)
    body: str = Field(max_length=600)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    ref_type: str | None = Field(default=None, max_length=20)
    ref_id: int | None = None
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    dedupe_key: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxMessage(SQLModel, table=True):
    """A WeChat subscribe message waiting for, or done with, delivery.

    Written in the same transaction as the state change that causes it. For a `sending` row
    `next_attempt_at` is the end of the claiming worker's lease: past it, another worker takes
    the row over (the previous attempt's outcome is unknown, so the idempotency key matters).
    """

    __tablename__ = "notify_outbox"
    __table_args__ = (
        Index(
            "ix_notify_outbox_due",
            "next_attempt_at",
            sqlite_where=text("status IN ('pending', 'sending')"),
            postgresql_where=text("status IN ('pending', 'sending')"),
        ),
        Index("ix_notify_outbox_status_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notification.id", unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    openid: str | None = Field(default=None, max_length=128)
    template: str = Field(max_length=40)  # logical template name (backend/notify/templates.py)
    status: str = Field(max_length=20)
    idempotency_key: str = Field(max_length=64, unique=True)
    credit_held: bool = False  # a credit was taken from the ledger for this message and not yet used
    attempts: int = 0  # every claim, ever; also the fencing token of the current claim
    tries: int = 0  # claims since last (re)queued; bounded by notify_max_attempts
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=80)
    # what was last sent (rendered at send time from the notification's params and the settings)
    template_id: str | None = Field(default=None, max_length=64)
    page: str | None = Field(default=None, max_length=200)
    data: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    msgid: int | None = Field(default=None, sa_type=BigInteger)
    last_errcode: int | None = None
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryAttempt(SQLModel, table=True):
    """One try at sending an outbox message; `outcome` is null while in flight and `lost` when the
    worker's lease ran out before it recorded anything (crash: the message may or may not have gone)."""

    __tablename__ = "notify_attempt"
    __table_args__ = (Index("ix_notify_attempt_outbox_id_number", "outbox_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="notify_outbox.id")
    number: int
    worker: str = Field(max_length=80)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str | None = Field(default=None, max_length=20)  # sent | retry | dead | no_credit | skipped | lost
    errcode: int | None = None
    error: str | None = Field(default=None, max_length=300)
    duration_ms: int | None = None


class SubscriptionCredit(SQLModel, table=True):
    """How many one-time subscribe messages of a template a user has allowed and we have not used."""

    __tablename__ = "notify_credit"
    __table_args__ = (UniqueConstraint("user_id", "template"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    template: str = Field(max_length=40)  # logical template name
    count: int = 0
    banned: bool = False
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
