from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from backend.kernel.validation import Id, Photos, PhotoUrl, Text

Level = Literal["compound", "community", "street"]
Kind = Literal["individual", "joint", "organisation"]
Code = Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_]+$")]


# ---- lists ----------------------------------------------------------------------------------------


class ProposalCategory(BaseModel):
    code: Code
    name: Text(1, 20)
    description: Text(0, 200) = ""


class ProposalNegativeItem(BaseModel):
    code: Code
    text: Text(1, 100)


class ProposalListsIn(BaseModel):
    encouraged: Annotated[list[ProposalCategory], Field(min_length=1, max_length=30)]
    negative: Annotated[list[ProposalNegativeItem], Field(min_length=1, max_length=50)]


class ProposalListsOut(BaseModel):
    street_id: int
    version: int = Field(description="0: the built-in examples, not yet edited by the street")
    encouraged: list[ProposalCategory]
    negative: list[ProposalNegativeItem]


# ---- proposals ------------------------------------------------------------------------------------


class ProposalCreate(BaseModel):
    level: Level = "compound"
    kind: Kind = "individual"
    title: Text(1, 60)
    problem: Text(1, 1000)
    solution: Text(1, 1000) = Field(description="required: 带着解决方案提问题")
    category: Code = Field(description="an encouraged category's code")
    will_undertake: bool = False
    undertaking: Text(0, 500) | None = None
    estimated_cost: Annotated[int, Field(ge=0, le=100_000_000)] | None = Field(None, description="yuan")
    organisation_name: Text(0, 60) | None = None
    partner_id: Id | None = Field(
        None, description="organisation: the partner (合伙人) its contact proposes for; the proposal names it"
    )
    photos: Photos = Field(default_factory=list)


class ProposalEdit(BaseModel):
    title: Text(1, 60) | None = None
    problem: Text(1, 1000) | None = None
    solution: Text(1, 1000) | None = None
    category: Code | None = None
    will_undertake: bool | None = None
    undertaking: Text(0, 500) | None = None
    estimated_cost: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    organisation_name: Text(0, 60) | None = None
    photos: Photos | None = None


class ProposalSubmitIn(BaseModel):
    none_applies: bool = Field(description="the proposer confirms that no item of the negative list applies")


class ProposalWithdrawIn(BaseModel):
    reason: Text(0, 200) | None = None


class ProposalCosignIn(BaseModel):
    """Empty: the caller signs for their household. With household_id: a grid worker enters a
    paper signature (signer_name, photo of the sheet, client_id for offline retries)."""

    household_id: Id | None = None
    signer_name: Text(1, 30) | None = None
    photo: PhotoUrl | None = None
    client_id: Text(1, 64) | None = None


class ProposalReviewIn(BaseModel):
    decision: Literal["accept", "return", "reject", "refer"]
    reason: Text(0, 500) | None = None
    negative_codes: Annotated[list[Code], Field(max_length=13)] = Field(default_factory=list)
    to_level: Level | None = None


class ProposalExecutionIn(BaseModel):
    executor: Text(1, 60) = Field(description="who does it (the proposer when they offered to undertake)")
    task: Text(1, 500)
    due: date


class ProposalExecutionDoneIn(BaseModel):
    report: Text(1, 1000)


class ProposalRateIn(BaseModel):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Text(0, 300) | None = None


# ---- out ----------------------------------------------------------------------------------------


class ProposalStepOut(BaseModel):
    key: str
    name: str
    done: bool
    at: datetime | None = None
    by: str | None = None


class ProposalEventOut(BaseModel):
    type: str
    label: str
    from_status: str | None
    to_status: str
    actor_name: str | None
    at: datetime
    note: str | None


class ProposalAgendaRef(BaseModel):
    """What the proposal became on the deliberation day."""

    item_id: int
    meeting_date: date
    status: str
    status_label: str
    meeting_id: int | None
    outcome: str | None
    outcome_label: str | None
    defer_count: int


class ProposalExecution(BaseModel):
    executor: str | None
    task: str | None
    due: date | None
    report: str | None


class ProposalSummary(BaseModel):
    id: int
    level: str
    level_label: str
    kind: str
    kind_label: str
    title: str
    category: str
    category_name: str
    status: str
    status_label: str
    compound_id: int
    community_id: int
    proposer_name: str
    cosign_count: int
    steps_done: int
    created_at: datetime
    updated_at: datetime


class ProposalDetail(ProposalSummary):
    problem: str
    solution: str
    will_undertake: bool
    undertaking: str | None
    estimated_cost: int | None
    organisation_name: str | None
    partner_id: int | None = Field(None, description="organisation: the partner it was filed for by its contact")
    photos: list[str]
    list_version: int | None
    cosign_threshold: int | None
    cosigners: list[str] = Field(description="masked names of the co-signing households")
    viewer_cosigned: bool
    viewer_is_proposer: bool
    review_reason: str | None
    negative_items: list[ProposalNegativeItem]
    agenda: ProposalAgendaRef | None
    execution: ProposalExecution | None
    project_id: int | None = Field(description="the project it became (联动执行, /api/v1/projects/{id})")
    rating_count: int
    rating_average: float | None
    notice_until: datetime | None
    steps: list[ProposalStepOut]
    events: list[ProposalEventOut]
    actions: list[str]


class ProposalCosignOut(BaseModel):
    created: bool
    proposal: ProposalDetail
