"""Visits, what they found, and each grid's visit cycle. The vocabularies of `outcome` and
`kind` (and their labels) are declared in kinds.py."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class Visit(SQLModel, table=True):
    """One visit to one household. `client_id` is made on the phone when the visit is recorded
    (offline); the unique constraint on it is what makes a replayed upload create nothing twice.
    grid_id and compound_id copy the household's at the time of the visit."""

    __table_args__ = (
        # outcome rides along so "last visit that reached the household" is read from the index alone
        Index("ix_visit_household_id_visited_at_outcome", "household_id", "visited_at", "outcome"),
        Index("ix_visit_grid_id_visited_at", "grid_id", "visited_at"),
        Index("ix_visit_worker_id_visited_at", "worker_id", "visited_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: uuid.UUID = Field(unique=True)
    household_id: int = Field(foreign_key="household.id")
    grid_id: int = Field(foreign_key="grid.id")
    compound_id: int = Field(foreign_key="compound.id")
    worker_id: int = Field(foreign_key="user.id")
    visited_at: datetime = Field(sa_type=UTCDateTime)
    outcome: str = Field(max_length=10)  # a kinds.VisitOutcome
    people_met: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", max_length=500)
    location: dict | None = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class VisitFinding(SQLModel, table=True):
    """Something a visit found, and the work it became (exactly one of the three links is set)."""

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    kind: str = Field(max_length=12)  # a kinds.FindingKind
    text: str = Field(max_length=500)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    wish_id: int | None = Field(default=None, foreign_key="wish.id")
    issue_id: int | None = Field(default=None, foreign_key="gridissue.id")
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id")


class GridVisitCycle(SQLModel, table=True):
    """A grid's own visit cycle; grids without a row use the VISIT_CYCLE_DAYS setting."""

    grid_id: int = Field(foreign_key="grid.id", primary_key=True)
    cycle_days: int
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class VisitMonthFact(SQLModel, table=True):
    """What a closed month's visits say about one household, kept so that a coverage report of
    that month need not read the visits again (month_facts.py): the last visit that reached it up
    to the month's end, and the distinct (worker, outcome) pairs of its visits in the month.
    Only months past the back-fill window (VISIT_MAX_AGE_DAYS) are stored; a row missing means
    "not stored", never "no visits"."""

    month: str = Field(max_length=7, primary_key=True)  # "2026-09", a month in Asia/Shanghai
    household_id: int = Field(foreign_key="household.id", primary_key=True)
    last_reached_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcomes: list[list] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # [[worker, outcome]]


class VisitMonthClosed(SQLModel, table=True):
    """A month whose facts the sweep has stored for every household there was (month_facts.py)."""

    month: str = Field(max_length=7, primary_key=True)
    households: int
    filled_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
