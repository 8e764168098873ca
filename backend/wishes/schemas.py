from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from backend.dispatch.schemas import OrderOut
from backend.files.signing import SignedUrl, SignedUrls
from backend.kernel.validation import Id, Photos, Reason, Text, VoiceRef
from backend.wishes.categories import CATEGORY_CODES

Category = Literal[CATEGORY_CODES]  # type: ignore[valid-type]


class WishCreate(BaseModel):
    title: Text(0, 40) | None = Field(None, description="optional: made from the first words of the description")
    description: Text(0, 500) = ""
    category: Category
    photos: Photos = Field(default_factory=list)
    voice: VoiceRef | None = Field(None, description="a voice note's ref from POST /uploads (mp3, aac, m4a, ≤ 60 s)")
    voice_seconds: Annotated[int, Field(ge=1, le=60)] | None = Field(
        None, description="its length as the recorder measured it (the server's own reading wins)"
    )

    @model_validator(mode="after")
    def _something_to_say(self) -> WishCreate:
        if not self.title and not self.description and not self.voice:
            raise ValueError("请说说需要什么帮助")
        return self


class ReviewIn(BaseModel):
    decision: Literal["approve", "reject"]
    reason: Text(0, 200) | None = None

    @model_validator(mode="after")
    def _reason_for_reject(self) -> ReviewIn:
        if self.decision == "reject" and not self.reason:
            raise ValueError("驳回心愿时请填写原因，居民会看到它")
        return self


class ReasonIn(BaseModel):
    reason: Reason


class ConfirmIn(BaseModel):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Text(0, 500) | None = None


class CompleteIn(BaseModel):
    note: Text(1, 500)
    photos: Photos = Field(default_factory=list)


class DispatchIn(BaseModel):
    member_id: Id
    note: Text(0, 200) | None = None


class Requester(BaseModel):
    name: str
    phone: str | None
    room: str | None
    masked: bool


class WishSummary(BaseModel):
    id: int
    title: str
    category: str
    category_label: str
    status: str
    status_label: str
    compound_id: Id
    requester_name: str
    created_at: datetime
    updated_at: datetime


class EventOut(BaseModel):
    type: str
    label: str
    from_status: str | None
    to_status: str
    actor_name: str | None
    at: datetime
    note: str | None


class Contact(BaseModel):
    """For the requester while a member holds the wish: how to reach them (联系党员)."""

    member_name: str
    phone: str | None = Field(description="only when the member chose to share it")
    can_call: bool
    callback_requested_at: datetime | None = Field(description="the last call-back request sent to the member")


class VoiceOut(BaseModel):
    url: SignedUrl = Field(description="a signed URL (valid UPLOAD_URL_TTL_SECONDS)")
    seconds: int


class WishDetail(WishSummary):
    description: str
    photos: SignedUrls = Field(description="signed URLs (valid UPLOAD_URL_TTL_SECONDS)")
    voice: VoiceOut | None = Field(None, description="the requester's voice note, shown with the description")
    requester: Requester
    reject_reason: str | None
    cancel_reason: str | None
    rating: int | None
    comment: str | None
    auto_closed: bool
    accepted_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None
    events: list[EventOut]
    order: OrderOut | None
    viewer_is_requester: bool
    contact: Contact | None = None
    actions: list[str] = Field(
        description="what the caller may do now: cancel, confirm, contact, review, dispatch, claim, accept, decline, "
        "complete"
    )


class CategoryOut(BaseModel):
    code: str
    label: str
    skills: list[str]


class CategoriesOut(BaseModel):
    items: list[CategoryOut]


class Candidate(BaseModel):
    member_id: Id
    name: str
    work_unit: str
    skills: list[str]
    available: bool
    open_orders: int
    score: float
    reasons: list[str]


class CandidatesOut(BaseModel):
    items: list[Candidate] = Field(description="best first; at most `limit`")
    total: int = Field(description="members ranked in all (the compound's, less the requester)")


class OrderWithWish(OrderOut):
    wish_title: str
    wish_status: str
    wish_category: str
