"""Requests and responses of teams, activities, registrations and the time bank."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from backend.kernel.validation import Id, Reason, Text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TeamCreate(Strict):
    name: Text(1, 40)
    leader_id: Id
    community_id: Id
    station: Text(0, 60) = ""


class MemberOut(BaseModel):
    membership_id: int
    user_id: int
    name: str
    role: str
    status: str
    status_label: str


class TeamOut(BaseModel):
    id: int
    name: str
    community_id: int
    station: str
    leader_id: int
    members: list[MemberOut] | None = None  # the leader and the community's admins see them


class JoinIn(Strict):
    note: Text(0, 200) | None = None


class MembershipDecision(Strict):
    decision: Literal["approve", "reject"]
    role: Literal["member", "deputy"] = "member"


class SeriesCreate(Strict):
    title: Text(1, 40)
    community_id: Id


class SeriesOut(BaseModel):
    id: int
    title: str
    community_id: int


class OrganiserIn(Strict):
    kind: Literal["team", "partner", "community"]
    id: Id | None = None  # the team or partner; none for the community


class ActivityCreate(Strict):
    title: Text(1, 40)
    organiser: OrganiserIn
    community_id: Id
    place: Text(0, 100) = ""
    start_at: AwareDatetime
    end_at: AwareDatetime
    capacity: Annotated[int, Field(ge=1, le=10000)]
    signup_closes_at: AwareDatetime | None = None
    series_id: Id | None = None


class ActivityOut(BaseModel):
    id: int
    title: str
    community_id: int
    organiser_kind: str
    team_id: int | None
    partner_id: int | None
    series_id: int | None
    place: str
    start_at: datetime
    end_at: datetime
    signup_closes_at: datetime
    capacity: int
    registered: int
    seats_left: int
    closed: bool
    my_registration: RegistrationOut | None = None
    actions: list[str] = []


class RegistrationOut(BaseModel):
    id: int
    activity_id: int
    activity_title: str | None = None  # in the caller's own list (GET /registrations/mine)
    activity_start_at: datetime | None = None
    user_id: int
    name: str | None = None  # the organiser sees who; masked otherwise
    status: str
    status_label: str
    walk_in: bool
    waitlist_position: int | None = None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    minutes: int


class CheckinCodeOut(BaseModel):
    code: str
    expires_at: datetime
    refresh_seconds: int


class CheckInIn(Strict):
    code: Text(1, 80)


class RosterEntry(Strict):
    client_id: Text(8, 40)
    user_id: Id
    checked_in_at: AwareDatetime | None = None


class RosterIn(Strict):
    entries: Annotated[list[RosterEntry], Field(min_length=1, max_length=500)]


class RosterResult(BaseModel):
    client_id: str
    result: str
    registration_id: int | None
    detail: str | None
    replayed: bool


class RosterOut(BaseModel):
    items: list[RosterResult]


class CheckOutIn(Strict):
    at: AwareDatetime | None = None


class HoursIn(Strict):
    service_minutes: Annotated[int, Field(ge=0, le=1440, description="the corrected hours of service, in minutes")]
    reason: Reason


class CloseOut(BaseModel):
    completed: int
    no_show: int
    released: int


# ---- the time bank ---------------------------------------------------------------------------


class OfferCreate(Strict):
    partner_id: Id
    title: Text(1, 40)
    description: Text(0, 500) = ""
    cost: Annotated[int, Field(ge=1, le=100000)]


class OfferOut(BaseModel):
    id: int
    partner_id: int
    partner_name: str
    title: str
    description: str
    cost: int


class RedemptionOut(BaseModel):
    id: int
    offer_id: int
    partner_id: int
    user_id: int
    cost: int
    status: str
    status_label: str
    reason: str | None
    balance: int | None = None  # the caller's balance after it, when the caller is the volunteer


class RedemptionDecision(Strict):
    decision: Literal["confirmed", "declined"]
    reason: Reason | None = None


class EntryOut(BaseModel):
    id: int
    amount: int
    kind: str
    kind_label: str
    note: str
    at: datetime


class StatementOut(BaseModel):
    balance: int
    minutes: int
    items: list[EntryOut]
    next_cursor: str | None = None


ActivityOut.model_rebuild()
