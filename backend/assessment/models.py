"""Tables of the assessment: the street's weights, the year's competition indicators and the values
communities enter for them (with evidence, approved by the street)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class AssessmentWeights(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("street_id", name="uq_assessmentweights_street_id"),)

    id: int | None = Field(default=None, primary_key=True)
    street_id: int = Field(foreign_key="street.id")
    weights: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # part code → weight
    updated_by: int = Field(foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CompetitionIndicators(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("street_id", "year", name="uq_competitionindicators_street_year"),)

    id: int | None = Field(default=None, primary_key=True)
    street_id: int = Field(foreign_key="street.id")
    year: int
    indicators: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    flag_stars: int = 1  # stars a community needs for the flag (夺旗)
    updated_by: int = Field(foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class IndicatorEntry(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("street_id", "year", "code", "community_id", name="uq_indicatorentry_year_code_community"),
        Index("ix_indicatorentry_street_year_status", "street_id", "year", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    street_id: int = Field(foreign_key="street.id")
    year: int
    code: str = Field(max_length=20)
    community_id: int = Field(foreign_key="community.id")
    value: float
    evidence: str = Field(max_length=500)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=20)
    version: int = 1
    entered_by: int = Field(foreign_key="user.id")
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
