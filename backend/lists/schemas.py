"""Requests and responses of the three lists."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from backend.kernel.validation import Id, Photos, Reason, Text

ItemKind = Literal["resource", "need", "project"]
OwnerKind = Literal["partner", "work_unit", "compound", "resident"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BatchCreate(Strict):
    scope: Annotated[str, StringConstraints(pattern=r"^(community|compound):\d{1,9}$", max_length=30)]
    title: Text(1, 60)
    opens_at: AwareDatetime
    closes_at: AwareDatetime


class BatchOut(BaseModel):
    id: int
    scope: str
    community_id: int
    title: str
    opens_at: datetime
    closes_at: datetime


class ItemFields(Strict):
    kind: ItemKind
    category: Text(1, 20)
    title: Text(1, 60)
    description: Text(0, 500) = ""
    quantity: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    unit: Text(0, 10) = ""
    owner_kind: OwnerKind
    owner_id: Id


class ItemCreate(ItemFields):
    batch_id: Id


class CanvassEntry(ItemFields):
    client_id: Text(8, 40)


class CanvassIn(Strict):
    batch_id: Id
    items: Annotated[list[CanvassEntry], Field(min_length=1, max_length=200)]


class CanvassResult(BaseModel):
    client_id: str
    item_id: int
    replayed: bool


class CanvassOut(BaseModel):
    items: list[CanvassResult]


class ClaimOut(BaseModel):
    id: int
    item_id: int
    claimant_kind: str
    claimant_id: int
    claimant_name: str
    note: str
    status: str
    status_label: str
    decline_reason: str | None
    evidence: str | None
    photos: list[str]
    rating: int | None
    comment: str | None


class ItemOut(BaseModel):
    id: int
    batch_id: int
    community_id: int
    kind: str
    category: str
    title: str
    description: str
    quantity: int | None
    unit: str
    owner_kind: str
    owner_id: int | None  # a resident owner is not shown
    owner_name: str
    status: str
    status_label: str
    claims: list[ClaimOut] | None = None


class ClaimCreate(Strict):
    claimant_kind: Literal["partner", "compound", "community"]
    claimant_id: Id
    note: Text(0, 500) = ""


class ClaimDecision(Strict):
    decision: Literal["accept", "decline"]
    reason: Reason | None = None


class FulfilIn(Strict):
    evidence: Text(1, 500)
    photos: Photos = []


class CloseIn(Strict):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Text(0, 500) | None = None


class MatchOut(BaseModel):
    kind: str
    id: int
    title: str
    score: float
    reasons: list[str]


class MatchesOut(BaseModel):
    items: list[MatchOut]
