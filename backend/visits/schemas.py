from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from backend.files.signing import SignedUrls
from backend.kernel.validation import Id, Photos, Text
from backend.org.schemas import BuildingRef
from backend.visits.kinds import FINDING_VALUES, OUTCOME_VALUES, CoverageRole, FollowUp, ItemStatus
from backend.wishes.categories import CATEGORY_CODES

Outcome = Literal[OUTCOME_VALUES]  # type: ignore[valid-type]
Kind = Literal[FINDING_VALUES]  # type: ignore[valid-type]
FollowUpType = Literal[tuple(t.value for t in FollowUp)]  # type: ignore[valid-type]
ItemStatusValue = Literal[tuple(s.value for s in ItemStatus)]  # type: ignore[valid-type]
WishCategory = Literal[CATEGORY_CODES]  # type: ignore[valid-type]


class LocationIn(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    accuracy: float | None = Field(None, ge=0, le=100_000, description="metres")


class FindingIn(BaseModel):
    kind: Kind
    text: Text(1, 500)
    photos: Photos = Field(default_factory=list)
    category: WishCategory | None = Field(None, description="need only: the wish category (default other)")
    resident_id: Id | None = Field(None, description="need only: whom the wish is for (default the household's)")


class VisitIn(BaseModel):
    client_id: uuid.UUID = Field(description="made on the phone when the visit is recorded; the idempotency key")
    household_id: Id
    visited_at: AwareDatetime
    outcome: Outcome
    people_met: Annotated[list[Text(1, 20)], Field(max_length=10)] = Field(default_factory=list)
    note: Text(0, 500) = ""
    findings: Annotated[list[FindingIn], Field(max_length=10)] = Field(default_factory=list)
    location: LocationIn | None = None


# An item that is not a valid VisitIn is still accepted into the batch, and answered with a
# per-item error, so that one malformed visit never blocks the sync of the others.
VisitItem = Annotated[VisitIn | dict[str, Any], Field(union_mode="left_to_right")]


class VisitBatchIn(BaseModel):
    visits: Annotated[list[VisitItem], Field(min_length=1, max_length=200)]


class FollowUpOut(BaseModel):
    kind: Kind
    type: FollowUpType
    id: int


class VisitResult(BaseModel):
    client_id: str | None
    status: ItemStatusValue
    id: int | None = Field(None, description="the visit's id, the same on every replay")
    error: str | None = Field(None, description="error code, for status error")
    detail: str | None = None
    retryable: bool | None = Field(
        None,
        description="for status error: whether sending the same visit again may succeed (e.g. once the register "
        "lists the resident); false for refusals that cannot change",
    )
    follow_ups: list[FollowUpOut] = Field(default_factory=list)


class VisitBatchOut(BaseModel):
    created: int
    duplicate: int
    error: int
    results: list[VisitResult]


class FindingOut(BaseModel):
    kind: Kind
    kind_label: str
    text: str
    photos: SignedUrls  # signed URLs (valid UPLOAD_URL_TTL_SECONDS)
    follow_up: FollowUpOut | None
    follow_up_status: str | None = Field(None, description="the grid issue's or agenda item's status")


class VisitOut(BaseModel):
    id: int
    client_id: uuid.UUID
    household_id: int
    worker_id: int
    worker_name: str
    visited_at: datetime
    outcome: Outcome
    outcome_label: str
    people_met: list[str]
    note: str
    location: dict | None
    findings: list[FindingOut]
    created_at: datetime


class TodoResident(BaseModel):
    name: str
    relation: str
    phone: str | None


class TodoItem(BaseModel):
    household_id: int
    label: str
    building: BuildingRef | None = Field(None, description="the building, with its coordinates for 导航 when set")
    grid_id: int
    compound_id: int
    care_tags: list[str]
    cycle_days: int
    last_visit_at: datetime | None = Field(description="last visit that reached the household (not 家中无人)")
    last_attempt_at: datetime | None = Field(description="last visit of any outcome")
    due_at: datetime | None = Field(description="null: never visited")
    overdue: bool
    days_overdue: int
    residents: list[TodoResident]


class Counts(BaseModel):
    households: int = 0
    visited: int = 0
    met: int = 0
    not_home: int = 0
    refused: int = 0
    moved: int = 0
    overdue: int = 0


class WorkerCoverage(Counts):
    worker_id: int
    name: str
    role: Literal[tuple(r.value for r in CoverageRole)]  # type: ignore[valid-type]


class GridCoverage(Counts):
    grid_id: int
    name: str
    community_id: int
    cycle_days: int
    workers: list[WorkerCoverage]


class CompoundCoverage(Counts):
    compound_id: int
    name: str
    community_id: int


class CommunityCoverage(Counts):
    community_id: int
    name: str


class CoverageOut(BaseModel):
    period: str
    period_start: datetime
    period_end: datetime
    as_of: datetime = Field(description="overdue is judged at this moment: the period's end, or now")
    total: Counts
    grids: list[GridCoverage]
    compounds: list[CompoundCoverage]
    communities: list[CommunityCoverage]
    figures: dict[str, dict] = Field(
        default_factory=dict,
        description="本月走访覆盖率 and 周期内走访率 over households, each {numerator, denominator, buckets: "
        "{name: [household ids]}, definition} (README: how each figure is computed)",
    )


class CycleIn(BaseModel):
    cycle_days: Annotated[int, Field(ge=1, le=366)]


class CycleOut(BaseModel):
    grid_id: int
    cycle_days: int
