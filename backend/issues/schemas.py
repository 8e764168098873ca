"""Request and response models of grid issues and escalation."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from backend.files.signing import SignedUrls
from backend.issues.state import CATEGORIES
from backend.kernel.validation import Id, Photos, Reason, Text

Category = Literal[tuple(CATEGORIES)]  # type: ignore[valid-type]


class IssueIn(BaseModel):
    category: Category  # type: ignore[valid-type]
    description: Text(1, 500)  # type: ignore[valid-type]
    urgency: Literal["urgent", "normal"] = "normal"
    location: Text(0, 200) = ""  # type: ignore[valid-type]
    photos: Photos = Field(default_factory=list)
    household_id: Id | None = None
    grid_id: Id | None = None
    compound_id: Id | None = None


class WhistleIn(BaseModel):
    department_id: Id | None = None  # omitted: the category's default department


class NoteIn(BaseModel):
    note: Text(1, 500)  # type: ignore[valid-type]


class ResolveIn(BaseModel):
    note: Text(1, 500)  # type: ignore[valid-type]
    photos: Photos = Field(default_factory=list)


class ReasonIn(BaseModel):
    reason: Reason


class ConfirmIn(BaseModel):
    satisfied: bool
    comment: Text(0, 500) | None = None  # type: ignore[valid-type]


class IssueEventOut(BaseModel):
    type: str
    label: str
    from_status: str | None
    to_status: str
    actor_name: str | None
    at: datetime
    note: str | None


class PlaceCompound(BaseModel):
    compound_id: int
    name: str


class IssuePlace(BaseModel):
    """A grid the caller works in, with the compounds that have buildings in it."""

    grid_id: int
    name: str
    compounds: list[PlaceCompound]


class IssueOut(BaseModel):
    id: int
    status: str
    status_label: str
    category: str
    category_label: str
    urgency: str
    description: str
    location: str
    photos: SignedUrls  # signed URLs (valid UPLOAD_URL_TTL_SECONDS)
    source: str
    grid_id: int
    compound_id: int
    community_id: int | None
    household_id: int | None
    raised_by: int
    department_id: int | None
    department_name: str | None
    created_at: datetime
    whistled_at: datetime | None
    response_due_at: datetime | None
    disposal_due_at: datetime | None
    responded_at: datetime | None
    resolved_at: datetime | None
    confirmed_at: datetime | None
    response_overdue: bool
    disposal_overdue: bool
    escalation_level: int
    resolution_note: str | None
    resolution_photos: SignedUrls  # signed URLs (valid UPLOAD_URL_TTL_SECONDS)
    return_reason: str | None
    satisfied: bool | None
    auto_confirmed: bool
    comment: str | None
    reopen_count: int
    actions: list[str] = []
    events: list[IssueEventOut] | None = None
