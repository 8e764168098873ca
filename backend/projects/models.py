"""Projects, their timeline, tasks (and their timeline), milestones, funding lines and their
changes, the compounds' annual plans and the community's reviews."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class AnnualPlan(SQLModel, table=True):
    """A compound's plan of projects for a year (年度项目计划); its projects carry `plan_id`."""

    __table_args__ = (
        UniqueConstraint("compound_id", "year"),
        Index("ix_annualplan_community_year", "community_id", "year"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="compound.id")
    community_id: int = Field(foreign_key="community.id")
    year: int
    status: str = Field(default="draft", max_length=20)
    reason: str | None = Field(default=None, max_length=200)
    created_by: int = Field(foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Project(SQLModel, table=True):
    __table_args__ = (
        Index("ix_project_compound_year_status_id", "compound_id", "year", "status", "id"),
        Index("ix_project_community_year_status_id", "community_id", "year", "status", "id"),
        Index("ix_project_street_year_id", "street_id", "year", "id"),
        Index("ix_project_plan_id", "plan_id"),
        Index("ix_project_source", "source", "source_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scope_kind: str = Field(max_length=20)  # compound | community
    scope_id: int
    compound_id: int | None = Field(default=None, foreign_key="compound.id")
    community_id: int = Field(foreign_key="community.id")
    street_id: int = Field(foreign_key="street.id")
    title: str = Field(max_length=60)
    year: int
    key: bool = False  # 重点项目
    source: str = Field(max_length=20)  # proposal | plan | list
    source_id: int | None = None
    undertaker: str = Field(default="", max_length=60)  # the text shown
    undertaker_kind: str = Field(default="text", max_length=20)  # text | partner | user
    undertaker_id: int | None = None
    supervisor_id: int | None = Field(default=None, foreign_key="user.id")
    plan_id: int | None = Field(default=None, foreign_key="annualplan.id")
    due_date: date | None = None  # to be completed by (the on-time rate)
    status: str = Field(default="planned", max_length=20)
    reason: str | None = Field(default=None, max_length=200)  # a suspension's or a cancellation's
    created_by: int = Field(foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProjectEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_projectevent_project_id_id", "project_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    type: str = Field(max_length=30)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=500)


class ProjectTask(SQLModel, table=True):
    """A co-executor's task: a department, a partner (a work unit, the property company), the
    owners' committee (its compound, acted for by `contact_id`) or a Party member."""

    __table_args__ = (
        Index("ix_projecttask_project_id_id", "project_id", "id"),
        Index("ix_projecttask_assignee", "assignee_kind", "assignee_id", "status"),
        Index("ix_projecttask_status_remind_at", "status", "remind_at"),
        Index("ix_projecttask_status_due_at", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    assignee_kind: str = Field(max_length=20)  # department | partner | property | owners_committee | member
    assignee_id: int
    contact_id: int | None = Field(default=None, foreign_key="user.id")
    title: str = Field(max_length=60)
    due_working_days: int
    due_at: datetime = Field(sa_type=UTCDateTime)
    remind_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="assigned", max_length=20)
    reminded: bool = False
    escalated: bool = False
    report: str | None = Field(default=None, max_length=500)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by: int = Field(foreign_key="user.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TaskEvent(SQLModel, table=True):
    __table_args__ = (Index("ix_taskevent_task_id_id", "task_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="projecttask.id")
    type: str = Field(max_length=30)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=500)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Milestone(SQLModel, table=True):
    __table_args__ = (Index("ix_milestone_project_id_position", "project_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    position: int
    title: str = Field(max_length=60)
    weight: int | None = None  # percent; all set and summing to 100, or none set (equal shares)
    progress: int = 0  # percent
    due_date: date | None = None


class FundingLine(SQLModel, table=True):
    """One source's money for a project, in fen: pledged ≥ received ≥ spent, kept by conditional
    UPDATEs (backend/projects/funding.py)."""

    __table_args__ = (UniqueConstraint("project_id", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    source: str = Field(max_length=30)
    pledged: int = 0
    received: int = 0
    spent: int = 0


class FundingChange(SQLModel, table=True):
    __table_args__ = (Index("ix_fundingchange_line_id_id", "line_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(foreign_key="fundingline.id")
    project_id: int = Field(foreign_key="project.id")
    kind: str = Field(max_length=20)  # pledged | received | spent
    amount: int  # fen
    evidence: str | None = Field(default=None, max_length=300)  # an upload
    note: str | None = Field(default=None, max_length=200)
    actor_id: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProjectReview(SQLModel, table=True):
    """年中、年底集中观摩评估: the community's score, once per kind per project."""

    __table_args__ = (UniqueConstraint("project_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    kind: str = Field(max_length=20)  # midyear | yearend
    score: int
    note: str = Field(default="", max_length=500)
    reviewer_id: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
