"""Tables of the cascaded evaluation and the department sign-in.

- `EvaluationCampaign`: one round of ratings at one level, over a period, with its questions.
- `EvaluationBallot`: one rater unit's answers about one target. The rater unit is what may vote once:
  a household (`household:<id>`, whichever verified resident of it votes first), a compound branch
  (`compound:<id>`), a community (`community:<id>`); the unique constraint makes a second ballot a 409.
- `DepartmentContact`: which staff member of a department contacts which community or compound.
- `DepartmentCheckin`: one sign-in of a staff member at a contact place (offline, by client id).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class EvaluationCampaign(SQLModel, table=True):
    __table_args__ = (Index("ix_evaluationcampaign_street_level_status", "street_id", "level", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    street_id: int = Field(foreign_key="street.id")
    level: str = Field(
        max_length=40
    )  # residents_rate_compound | compounds_rate_community | communities_rate_department
    title: str = Field(max_length=60)
    period: str = Field(max_length=30)  # a kernel/periods.py label
    period_start: datetime = Field(sa_type=UTCDateTime)
    questions: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="draft", max_length=20)
    version: int = 1
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EvaluationBallot(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("campaign_id", "target_id", "rater_key", name="uq_evaluationballot_campaign_target_rater"),
        Index("ix_evaluationballot_campaign_target", "campaign_id", "target_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="evaluationcampaign.id")
    target_id: int  # a compound, community or department, by the campaign's level
    rater_key: str = Field(max_length=40)  # household:<id> | compound:<id> | community:<id>
    rater_id: int = Field(foreign_key="user.id")
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DepartmentContact(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("user_id", "place_kind", "place_id", name="uq_departmentcontact_user_place"),
        Index("ix_departmentcontact_department_id", "department_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = Field(foreign_key="department.id")
    user_id: int = Field(foreign_key="user.id")
    place_kind: str = Field(max_length=20)  # community | compound
    place_id: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DepartmentCheckin(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("user_id", "client_id", name="uq_departmentcheckin_user_client"),
        Index("ix_departmentcheckin_department_day", "department_id", "day", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(max_length=40)
    user_id: int = Field(foreign_key="user.id")
    department_id: int = Field(foreign_key="department.id")
    place_kind: str = Field(max_length=20)
    place_id: int
    at: datetime = Field(sa_type=UTCDateTime)
    day: date  # the local (Asia/Shanghai) day of `at`
    latitude: float | None = None
    longitude: float | None = None
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
