"""Partners (幸福合伙人): companies, shops, social organisations, property companies, work units and
skilled residents, filed by the community (filing is recognition); the street's brand name; the
Party members linked to a work-unit partner; opportunity lists (机会清单) and applications to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class Partner(SQLModel, table=True):
    __table_args__ = (
        Index("ix_partner_community_status_id", "community_id", "status", "id"),
        Index("ix_partner_street_id_id", "street_id", "id"),
        Index("ix_partner_kind_name_key", "kind", "name_key"),
        Index("ix_partner_applicant_id", "applicant_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    name: str = Field(max_length=60)
    name_key: str = Field(max_length=60)  # the name normalised, to find duplicates
    contact: str = Field(default="", max_length=60)
    services: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    community_id: int = Field(foreign_key="community.id")
    street_id: int = Field(foreign_key="street.id")
    applicant_id: int | None = Field(default=None, foreign_key="user.id")
    status: str = Field(default="applied", max_length=20)
    suspend_reason: str | None = Field(default=None, max_length=200)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    filed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PartnerEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_partnerevent_partner_id_id", "partner_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id")
    type: str = Field(max_length=30)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=500)


class PartnerBrand(SQLModel, table=True):
    """The name a street gives its partners in the UI (幸福合伙人 / 红色合伙人 / 社区合伙人)."""

    street_id: int = Field(foreign_key="street.id", primary_key=True)
    brand_name: str = Field(max_length=20)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WorkUnitMember(SQLModel, table=True):
    """A Party member's work unit as a partner of kind work_unit (from the free-text work unit)."""

    __table_args__ = (Index("ix_workunitmember_partner_id", "partner_id", "user_id"),)

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    partner_id: int = Field(foreign_key="partner.id")
    source_name: str = Field(max_length=60)  # the free text it was read from


class Opportunity(SQLModel, table=True):
    """机会清单 / 招募令: what the community seeks from partners, and on which terms."""

    __table_args__ = (Index("ix_opportunity_community_id_id", "community_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=40)
    mode: str = Field(max_length=20)
    needs: str = Field(default="", max_length=500)
    deadline: datetime = Field(sa_type=UTCDateTime)
    community_id: int = Field(foreign_key="community.id")
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OpportunityApplication(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("opportunity_id", "partner_id"),
        Index("ix_opportunityapplication_opportunity_id_id", "opportunity_id", "id"),
        Index("ix_opportunityapplication_partner_id", "partner_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id")
    partner_id: int = Field(foreign_key="partner.id")
    applicant_id: int = Field(foreign_key="user.id")
    pitch: str = Field(default="", max_length=500)
    status: str = Field(default="submitted", max_length=20)
    decline_reason: str | None = Field(default=None, max_length=200)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
