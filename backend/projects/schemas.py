"""Requests and responses of projects, tasks, milestones, funding, plans and reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from backend.files.signing import SignedUrl, SignedUrls
from backend.kernel.validation import Id, Photos, PhotoUrl, Reason, Text

Scope = Annotated[str, StringConstraints(pattern=r"^(community|compound):\d{1,9}$", max_length=30)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Percent = Annotated[int, Field(ge=0, le=100)]
Fen = Annotated[int, Field(ge=1, le=10_000_000_000)]
AssigneeKind = Literal["department", "partner", "property", "owners_committee", "member"]
FundingSource = Literal["party_service", "public_income", "cobuilding", "venture", "purchase", "residents"]
ProjectEventName = Literal[
    "approved", "started", "completed", "evaluated", "published", "suspended", "resumed", "cancelled"
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UndertakerRef(Strict):
    kind: Literal["partner", "user"]
    id: Id


class ProjectCreate(Strict):
    scope: Scope = Field(description="compound:<id> or community:<id>")
    title: Text(1, 60)
    year: Year
    key: bool = Field(False, description="a key project (重点项目)")
    source: Literal["proposal", "plan", "list"]
    source_id: Id | None = None
    undertaker: Text(1, 60) | UndertakerRef = Field(description="who undertakes it: a name, or a partner or user")
    supervisor_id: Id | None = None
    due_date: date | None = None


class PlannedProject(Strict):
    title: Text(1, 60)
    key: bool = False
    undertaker: Text(1, 60)
    due_date: date | None = None


class AnnualPlanPut(Strict):
    project_ids: Annotated[list[Id], Field(max_length=100)] = []
    new_projects: Annotated[list[PlannedProject], Field(max_length=50)] = []


class AnnualPlanDecision(Strict):
    decision: Literal["approve", "return"]
    reason: Reason | None = None


class ProjectMove(Strict):
    event: ProjectEventName
    reason: Reason | None = None


class ProjectTaskCreate(Strict):
    assignee_kind: AssigneeKind
    assignee_id: Id = Field(description="department, partner, compound (owners' committee) or Party member id")
    contact_id: Id | None = Field(None, description="the owners' committee's contact person")
    title: Text(1, 60)
    due_working_days: Annotated[int, Field(ge=1, le=60)]


class ProjectTaskReport(Strict):
    note: Text(1, 500)
    photos: Photos = []


class ProjectTaskCancel(Strict):
    reason: Reason


class MilestoneIn(Strict):
    title: Text(1, 60)
    weight: Percent | None = None
    progress: Percent = 0
    due_date: date | None = None


class MilestonesPut(Strict):
    items: Annotated[list[MilestoneIn], Field(max_length=20)]


class MilestoneProgress(Strict):
    progress: Percent


class FundingChangeIn(Strict):
    source: FundingSource
    kind: Literal["pledged", "received", "spent"]
    amount: Fen = Field(description="fen (分)")
    evidence: PhotoUrl | None = Field(None, description="an upload (receipt, invoice, transfer slip)")
    note: Text(0, 200) | None = None


class ProjectReviewCreate(Strict):
    kind: Literal["midyear", "yearend"]
    score: Percent
    note: Text(0, 500) = ""


# ---- responses --------------------------------------------------------------------------------


class ProjectEventOut(BaseModel):
    type: str
    label: str
    from_status: str | None
    to_status: str
    actor_name: str | None
    at: datetime
    note: str | None
    photos: SignedUrls = []


class ProjectTaskOut(BaseModel):
    id: int
    project_id: int
    assignee_kind: str
    assignee_kind_label: str
    assignee_id: int | None
    assignee_name: str
    title: str
    due_working_days: int
    due_at: datetime
    status: str
    status_label: str
    late: bool
    reminded: bool
    escalated: bool
    report: str | None
    photos: SignedUrls
    events: list[ProjectEventOut] | None = None
    actions: list[str] = []


class MilestoneOut(BaseModel):
    id: int
    position: int
    title: str
    weight: int | None
    progress: int
    due_date: date | None


class FundingLineOut(BaseModel):
    source: str
    source_label: str
    pledged: int = Field(description="fen")
    received: int
    spent: int


class FundingChangeOut(BaseModel):
    source: str
    kind: str
    amount: int
    evidence: SignedUrl | None
    note: str | None
    at: datetime


class ProjectReviewOut(BaseModel):
    kind: str
    kind_label: str
    score: int
    note: str
    at: datetime


class ProjectOut(BaseModel):
    id: int
    scope: str
    compound_id: int | None
    community_id: int
    title: str
    year: int
    key: bool
    source: str
    source_id: int | None
    undertaker: str
    status: str
    status_label: str
    reason: str | None
    due_date: date | None
    plan_id: int | None
    progress: int = Field(description="weighted sum of the milestones' progress, percent")


class ProjectDetail(ProjectOut):
    view: Literal["full", "public"]
    supervisor_name: str | None
    tasks: list[ProjectTaskOut]
    milestones: list[MilestoneOut]
    funding: list[FundingLineOut]
    funding_changes: list[FundingChangeOut]
    reviews: list[ProjectReviewOut]
    events: list[ProjectEventOut]
    actions: list[str]


PlanAction = Literal["edited", "submitted", "approved", "returned"]


class AnnualPlanOut(BaseModel):
    id: int
    compound_id: int
    year: int
    status: str
    status_label: str
    reason: str | None
    key_count: int
    key_required: int
    projects: list[ProjectOut]
    actions: list[PlanAction] = Field(
        [],
        description="what the caller may do now: edited and submitted (the compound's branch, while a draft or "
        "returned), approved and returned (the community admin, once submitted)",
    )


class PlanSummaryOut(BaseModel):
    """A compound the caller reaches and its plan of the year; plan_id and status are null while no
    plan was started."""

    compound_id: int
    compound_name: str
    community_id: int
    community_name: str
    year: int
    plan_id: int | None
    status: str | None
    status_label: str
    reason: str | None
    key_count: int
    key_required: int
    actions: list[PlanAction]


class ReviewRowOut(BaseModel):
    """A project of the year that can be reviewed, with the reviews it has (年中, 年底)."""

    project: ProjectOut
    place_name: str = Field(description="its compound's name, or its community's")
    reviews: list[ProjectReviewOut]
