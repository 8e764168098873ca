"""Volunteer teams, activities (and their series), registrations with check-in and hours, the
offline roster's receipts, and the time bank (以服务换服务): accounts, movements and entries of a
double-entry ledger, partners' offers and redemptions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class Team(SQLModel, table=True):
    __table_args__ = (Index("ix_team_community_id_id", "community_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)
    community_id: int = Field(foreign_key="community.id")
    station: str = Field(default="", max_length=60)  # the social-work station (社工站) it belongs to
    leader_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TeamMembership(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        Index("ix_teammembership_team_status_id", "team_id", "status", "id"),
        Index("ix_teammembership_user_id", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    user_id: int = Field(foreign_key="user.id")
    role: str = Field(default="member", max_length=20)  # leader | deputy | member
    status: str = Field(default="pending", max_length=20)
    note: str | None = Field(default=None, max_length=200)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ActivitySeries(SQLModel, table=True):
    """Recurring activities: a weekly market, a 50-session class."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=40)
    community_id: int = Field(foreign_key="community.id", index=True)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Activity(SQLModel, table=True):
    __table_args__ = (
        Index("ix_activity_community_start_id", "community_id", "start_at", "id"),
        Index("ix_activity_team_id", "team_id", "start_at"),
        Index("ix_activity_partner_id", "partner_id", "start_at"),
        Index("ix_activity_series_id", "series_id", "start_at"),
        CheckConstraint("registered_count <= capacity", name="seats"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=40)
    community_id: int = Field(foreign_key="community.id")
    organiser_kind: str = Field(max_length=20)  # team | partner | community
    team_id: int | None = Field(default=None, foreign_key="team.id")
    partner_id: int | None = Field(default=None, foreign_key="partner.id")
    series_id: int | None = Field(default=None, foreign_key="activityseries.id")
    place: str = Field(default="", max_length=100)
    start_at: datetime = Field(sa_type=UTCDateTime)
    end_at: datetime = Field(sa_type=UTCDateTime)
    signup_closes_at: datetime = Field(sa_type=UTCDateTime)
    capacity: int
    registered_count: int = 0  # seats taken (registered and checked-in sign-ups), moved by compare-and-set
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Registration(SQLModel, table=True):
    __table_args__ = (
        Index(
            "uq_registration_live",
            "activity_id",
            "user_id",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
        Index("ix_registration_activity_status_id", "activity_id", "status", "id"),
        Index("ix_registration_user_id_id", "user_id", "id"),
        Index("ix_registration_checked_in_at", "checked_in_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id")
    user_id: int = Field(foreign_key="user.id")
    status: str = Field(max_length=20)
    walk_in: bool = False
    checked_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checked_out_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    minutes: int = 0  # service time credited, set at check-out or by a correction
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RegistrationEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_registrationevent_registration_id_id", "registration_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id")
    type: str = Field(max_length=30)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=500)


class RosterReceipt(SQLModel, table=True):
    """One entry of an organiser's offline roster, by its client id: a replay is answered from here."""

    __table_args__ = (UniqueConstraint("client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(max_length=40)
    activity_id: int = Field(foreign_key="activity.id", index=True)
    registration_id: int | None = Field(default=None, foreign_key="registration.id")
    result: str = Field(max_length=20)  # checked_in | already | refused
    detail: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# ---- the time bank ---------------------------------------------------------------------------


class CreditAccount(SQLModel, table=True):
    """A balance of credits: a volunteer's, a partner's, or the bank's issuance account (the only
    one allowed below zero). `balance` moves in the same statement as each entry is written."""

    __table_args__ = (
        UniqueConstraint("owner_kind", "owner_id"),
        CheckConstraint("balance >= 0 OR owner_kind = 'issuance'", name="not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: str = Field(max_length=20)  # user | partner | issuance
    owner_id: int
    balance: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CreditMovement(SQLModel, table=True):
    __table_args__ = (Index("ix_creditmovement_ref", "ref_type", "ref_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # service | correction | redemption | refund
    ref_type: str = Field(max_length=20)
    ref_id: int
    note: str = Field(default="", max_length=200)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CreditEntry(SQLModel, table=True):
    """One side of a movement: every movement has two entries, summing to zero."""

    __table_args__ = (
        Index("ix_creditentry_account_id_id", "account_id", "id"),
        Index("ix_creditentry_movement_id", "movement_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    movement_id: int = Field(foreign_key="creditmovement.id")
    account_id: int = Field(foreign_key="creditaccount.id")
    amount: int  # + credit, - debit
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Offer(SQLModel, table=True):
    __table_args__ = (Index("ix_offer_partner_id_id", "partner_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id")
    title: str = Field(max_length=40)
    description: str = Field(default="", max_length=500)
    cost: int  # credits
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Redemption(SQLModel, table=True):
    __table_args__ = (
        Index("ix_redemption_partner_status_id", "partner_id", "status", "id"),
        Index("ix_redemption_user_id_id", "user_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id")
    partner_id: int = Field(foreign_key="partner.id")
    user_id: int = Field(foreign_key="user.id")
    cost: int
    status: str = Field(default="requested", max_length=20)
    reason: str | None = Field(default=None, max_length=200)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
