"""Proposals, their timeline, co-signatures, ratings, and the street's proposal lists."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class ProposalList(SQLModel, table=True):
    """One version of a street's encouraged categories and negative list. A street without a row
    uses the built-in examples (version 0, backend/proposals/lists.py)."""

    __table_args__ = (UniqueConstraint("street_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    street_id: int = Field(foreign_key="street.id")
    version: int
    encouraged: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    negative: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Proposal(SQLModel, table=True):
    __table_args__ = (
        Index("ix_proposal_compound_id_status_id", "compound_id", "status", "id"),
        Index("ix_proposal_community_id_status_id", "community_id", "status", "id"),
        Index("ix_proposal_street_id_status_id", "street_id", "status", "id"),
        Index("ix_proposal_proposer_id_id", "proposer_id", "id"),
        Index("ix_proposal_status_notice_until", "status", "notice_until"),
        Index("ix_proposal_agenda_item_id", "agenda_item_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    level: str = Field(max_length=20)  # compound | community | street: whose reviewer decides
    kind: str = Field(max_length=20)  # individual | joint | organisation
    street_id: int = Field(foreign_key="street.id")
    community_id: int = Field(foreign_key="community.id")
    compound_id: int = Field(foreign_key="compound.id")  # where it was raised (the proposer's compound)
    proposer_id: int = Field(foreign_key="user.id")
    title: str = Field(max_length=60)
    problem: str = Field(max_length=1000)
    solution: str = Field(max_length=1000)
    category: str = Field(max_length=30)
    will_undertake: bool = False
    undertaking: str | None = Field(default=None, max_length=500)
    estimated_cost: int | None = None  # yuan
    organisation_name: str | None = Field(default=None, max_length=60)
    # an organisation proposal of a partner's contact: the partner it is for (its name is shown)
    partner_id: int | None = Field(default=None, foreign_key="partner.id")
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="draft", max_length=20)
    list_version: int | None = None  # the negative list it was screened against at submission
    cosign_count: int = 0
    review_reason: str | None = Field(default=None, max_length=500)
    negative_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    executor: str | None = Field(default=None, max_length=60)  # 联动执行: who does it
    execution_task: str | None = Field(default=None, max_length=500)  # what
    execution_due: date | None = None  # by when
    execution_report: str | None = Field(default=None, max_length=1000)
    project_id: int | None = Field(default=None, index=True)  # the project it became (backend/projects)
    rating_count: int = 0
    rating_sum: int = 0
    notice_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProposalEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_proposalevent_proposal_id_id", "proposal_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id")
    type: str = Field(max_length=30)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=500)


class ProposalCosign(SQLModel, table=True):
    """One household's co-signature: signed in the app by a resident, or entered by a grid worker
    from a paper sheet (with its photo; idempotent by the worker's client id)."""

    __table_args__ = (
        UniqueConstraint("proposal_id", "household_id"),
        UniqueConstraint("entered_by", "client_id"),
        Index("ix_proposalcosign_user_id", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id")
    household_id: int = Field(foreign_key="household.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    signer_name: str | None = Field(default=None, max_length=30)  # a paper signature's name
    entered_by: int | None = Field(default=None, foreign_key="user.id")
    client_id: str | None = Field(default=None, max_length=64)
    photo: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProposalRating(SQLModel, table=True):
    """评估: a co-signer's or an attendee's rating of the result, 1–5, one each."""

    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id")
    user_id: int = Field(foreign_key="user.id")
    rating: int
    comment: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
