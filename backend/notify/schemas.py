from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from backend.kernel.pagination import Page

TemplateId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
SubscribeResult = Literal["accept", "reject", "ban", "filter"]


class SubscriptionsIn(BaseModel):
    """What wx.requestSubscribeMessage answered, per template id (at most 3 per tap)."""

    results: Annotated[dict[TemplateId, SubscribeResult], Field(min_length=1, max_length=3)]


class CreditOut(BaseModel):
    template_id: str
    template: str
    title: str
    count: int
    banned: bool


class CreditsOut(BaseModel):
    credits: list[CreditOut]
    ignored: list[str] = Field(default_factory=list, description="template ids this server does not use")


class TemplateIdsOut(BaseModel):
    template_ids: list[str]


class InboxItem(BaseModel):
    id: int
    event: str
    title: str
    body: str
    page: str | None
    ref_type: str | None
    ref_id: int | None
    created_at: datetime
    read: bool
    read_at: datetime | None


class InboxPage(Page[InboxItem]):
    unread: int


class ReadAllOut(BaseModel):
    updated: int
    unread: int


class AttemptOut(BaseModel):
    number: int
    worker: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None
    errcode: int | None
    error: str | None
    duration_ms: int | None


class OutboxOut(BaseModel):
    id: int
    notification_id: int
    user_id: int
    user_name: str
    event: str
    title: str
    template: str
    template_id: str | None
    status: str
    attempts: int
    tries: int
    last_errcode: int | None
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    msgid: int | None


class OutboxDetail(OutboxOut):
    body: str
    page: str | None
    data: dict[str, Any] | None
    history: list[AttemptOut]
