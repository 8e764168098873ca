"""Requests and responses of partners and opportunities."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from backend.kernel.validation import Id, Reason, Text

Kind = Literal["company", "shop", "social_org", "property", "work_unit", "skilled_resident"]
Service = Text(1, 30)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartnerCreate(Strict):
    kind: Kind
    name: Text(1, 60)
    contact: Text(0, 60) = ""
    services: Annotated[list[Service], Field(max_length=20)] = []
    community_id: Id


class TransitionIn(Strict):
    event: Literal["filed", "activated", "suspended", "reinstated"]
    reason: Reason | None = None


class ContactIn(Strict):
    user_id: Id


class BrandIn(Strict):
    street_id: Id
    brand_name: Literal["幸福合伙人", "红色合伙人", "社区合伙人"]


class BrandOut(BaseModel):
    street_id: int | None
    brand_name: str


class EventOut(BaseModel):
    type: str
    label: str
    from_status: str | None
    to_status: str
    actor_name: str | None
    at: datetime
    note: str | None


class PartnerSummary(BaseModel):
    id: int
    kind: str
    kind_label: str
    name: str
    services: list[str]
    community_id: int
    status: str
    status_label: str


class PartnerDetail(PartnerSummary):
    brand: str
    contact: str
    contact_ids: list[int]
    viewer_is_contact: bool
    filed_at: datetime | None
    suspend_reason: str | None
    events: list[EventOut]
    actions: list[str]


class WorkUnitMerge(BaseModel):
    partner_id: int
    name: str
    merged: list[str]
    members: int


class WorkUnitMergeOut(BaseModel):
    items: list[WorkUnitMerge]


# ---- opportunities (机会清单 / 招募令) ---------------------------------------------------------

Mode = Literal["purchase", "co_build", "charity", "low_fee"]


class OpportunityCreate(Strict):
    title: Text(1, 40)
    mode: Mode
    needs: Text(0, 500) = ""
    deadline: AwareDatetime
    community_id: Id


class ShareCard(BaseModel):
    """What a WeChat group sees when the opportunity is shared (onShareAppMessage)."""

    title: str
    path: str
    summary: str


class OpportunityOut(BaseModel):
    id: int
    title: str
    mode: str
    mode_label: str
    needs: str
    deadline: datetime
    community_id: int
    open: bool
    applications: int
    share: ShareCard


class NewPartnerIn(Strict):
    kind: Kind
    name: Text(1, 60)
    contact: Text(0, 60) = ""
    services: Annotated[list[Service], Field(max_length=20)] = []


class ApplicationCreate(Strict):
    """Either a partner the caller is a contact of, or a would-be partner (applied with it)."""

    partner_id: Id | None = None
    partner: NewPartnerIn | None = None
    pitch: Text(0, 500) = ""


class ApplicationDecision(Strict):
    decision: Literal["shortlisted", "accepted", "declined"]
    reason: Reason | None = None


class ApplicationOut(BaseModel):
    id: int
    opportunity_id: int
    partner_id: int
    partner_name: str
    partner_status: str
    pitch: str
    status: str
    status_label: str
    decline_reason: str | None
