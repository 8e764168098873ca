"""Grid issues (事件) and their escalation (网格吹哨、街社报到).

- GridIssue: the issue. The columns after `updated_at` belong to the escalation lifecycle; the
  deadline columns mirror the current assignment so that the sweep finds due work by index.
- IssueAssignment: one whistle to one department (a return and a re-whistle, or a reopen, make a
  new one). The three rates are computed over assignments, so a department that hands an issue
  back is still measured on it.
- IssueEvent: the timeline (who, when, from, to, note).
- IssuePolicy: per category, the default department and the deadlines (rows override settings).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class GridIssue(SQLModel, table=True):
    __table_args__ = (
        Index("ix_gridissue_grid_id_status_id", "grid_id", "status", "id"),
        Index("ix_gridissue_department_id_status_id", "department_id", "status", "id"),
        Index("ix_gridissue_status_response_due_at", "status", "response_due_at"),
        Index("ix_gridissue_status_disposal_due_at", "status", "disposal_due_at"),
        Index("ix_gridissue_status_grid_overdue_created_at", "status", "grid_overdue", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="grid.id")
    compound_id: int = Field(foreign_key="compound.id", index=True)
    household_id: int | None = Field(default=None, foreign_key="household.id", index=True)
    category: str = Field(max_length=20)  # see backend.issues.state.CATEGORIES
    description: str = Field(max_length=500)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="open", max_length=20)
    source: str = Field(default="visit", max_length=20)  # where it was raised: visit | direct
    raised_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # escalation
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    location: str = Field(default="", max_length=200)
    urgency: str = Field(default="normal", max_length=10)  # urgent | normal
    department_id: int | None = Field(default=None, foreign_key="department.id")
    assignment_id: int | None = Field(default=None)  # the current IssueAssignment
    whistled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    response_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disposal_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    response_remind_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disposal_remind_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    response_reminded: bool = False
    disposal_reminded: bool = False
    response_overdue: bool = False
    disposal_overdue: bool = False
    escalation_level: int = 0  # 0 none, 1 department head, 2 street leadership
    escalate_next_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolution_note: str | None = Field(default=None, max_length=500)
    resolution_photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    return_reason: str | None = Field(default=None, max_length=200)
    satisfied: bool | None = None
    auto_confirmed: bool = False
    comment: str | None = Field(default=None, max_length=500)
    reopen_count: int = 0
    # the grid's own disposal clock (backend/stats/backlog): past it while the grid holds the issue
    grid_overdue: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    grid_reminder_level: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # 1 worker, 2 admin
    version: int = 1


class IssueAssignment(SQLModel, table=True):
    __table_args__ = (
        Index("ix_issueassignment_department_id_whistled_at", "department_id", "whistled_at"),
        Index("ix_issueassignment_community_id_whistled_at", "community_id", "whistled_at"),
        Index("ix_issueassignment_issue_id", "issue_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="gridissue.id")
    department_id: int = Field(foreign_key="department.id")
    community_id: int = Field(foreign_key="community.id")
    whistled_by: int | None = Field(default=None, foreign_key="user.id")
    whistled_at: datetime = Field(sa_type=UTCDateTime)
    response_due_at: datetime = Field(sa_type=UTCDateTime)
    disposal_due_at: datetime = Field(sa_type=UTCDateTime)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str = Field(default="open", max_length=20)  # open | returned | resolved
    reopened: bool = False  # its resolution was not accepted by the grid
    satisfied: bool | None = None  # a rating: True satisfied, False not; None unrated
    auto_confirmed: bool = False  # nobody rated in time: counted apart, never satisfied


class IssueEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_issueevent_issue_id_id", "issue_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="gridissue.id")
    type: str = Field(max_length=30)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    department_id: int | None = Field(default=None, foreign_key="department.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=500)


class IssuePolicy(SQLModel, table=True):
    """Per category: where a whistle without a department goes, and its deadlines (None: settings)."""

    category: str = Field(primary_key=True, max_length=20)
    default_department_id: int | None = Field(default=None, foreign_key="department.id")
    response_minutes_urgent: int | None = None
    response_minutes_normal: int | None = None
    disposal_working_days: float | None = None
