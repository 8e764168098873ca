"""Ratings given at a compound's evaluation meeting (小区评议会) and the results built from them.

A rating is one checked-in attendee's score of one line of the meeting's sheet; (meeting, line,
rater) is unique, so a second rating of a line by the same person fails on the constraint even
when two requests race. An Appraisal is the results of one meeting, frozen in `content` when the
convener submits them: later changes to the orders, projects or ratings under it never change it.
A correction is a new edition of the same meeting (`supersedes_id` the one it replaces); once
approved, the old edition is marked superseded and stays readable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class AppraisalRating(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("meeting_id", "line_key", "rater_id"),
        Index("ix_appraisalrating_meeting_id_id", "meeting_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    line_key: str = Field(max_length=30)  # project:<id> | member:<user id> | committee | property[:<partner id>]
    rater_id: int = Field(foreign_key="user.id")
    score: int
    comment: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Appraisal(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("meeting_id", "edition"),
        Index("ix_appraisal_compound_id_period_id", "compound_id", "period", "id"),
        Index("ix_appraisal_community_id_status_id", "community_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    community_id: int = Field(foreign_key="community.id")
    compound_id: int = Field(foreign_key="compound.id")
    period: str = Field(max_length=10)  # 2026-Q3
    edition: int = 1  # 1, then each correction
    status: str = Field(default="submitted", max_length=20)
    content: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    supersedes_id: int | None = Field(default=None, foreign_key="appraisal.id")
    correction_reason: str | None = Field(default=None, max_length=200)
    submitted_by: int = Field(foreign_key="user.id")
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    reviewed_by: int | None = Field(default=None, foreign_key="user.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_reason: str | None = Field(default=None, max_length=200)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AppraisalEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_appraisalevent_appraisal_id_id", "appraisal_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    appraisal_id: int = Field(foreign_key="appraisal.id")
    type: str = Field(max_length=30)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=500)
