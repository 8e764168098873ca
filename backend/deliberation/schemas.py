from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from backend.kernel.validation import Id, Text

Count = Annotated[int, Field(ge=0, le=100_000)]


class AgendaTopicIn(BaseModel):
    """征集议题: a resident's topic for the community's next deliberation day (staff: a staff topic)."""

    text: Text(1, 500)
    community_id: Id | None = Field(None, description="default: the caller's community")


class AgendaPatchIn(BaseModel):
    status: Literal["scheduled", "merged", "declined", "done"]
    meeting_id: Id | None = Field(None, description="scheduled: the meeting")
    merged_into_id: Id | None = Field(None, description="merged: the item it joins")
    reason: Text(0, 200) | None = Field(None, description="declined: why (the raiser sees it)")
    note: Text(0, 200) | None = None


class FollowUpIn(BaseModel):
    """What an outcome leads to: a plain record of who does what by when, and the money. Of kind
    wish, issue or proposal, an adopted outcome creates that (a wish to review, a grid issue, a
    draft proposal) and links it back as ref_id."""

    kind: Literal["wish", "issue", "proposal", "plan"] = "plan"
    owner: Text(0, 60) | None = None
    due: date | None = None
    funding: Text(0, 100) | None = Field(None, description="筹措项目资金: where the money comes from")
    ref_id: Id | None = Field(
        None, description="the wish, issue or proposal it became: set by the server when it creates that"
    )
    note: Text(0, 300) | None = None
    compound_id: Id | None = Field(None, description="wish / issue / proposal: the compound (default: the item's)")
    category: Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_]+$")] | None = Field(
        None, description="wish / issue / proposal: its category code (default: other / the first encouraged one)"
    )


class OutcomeIn(BaseModel):
    decision: Literal["adopted", "deferred", "rejected", "referred"]
    votes_for: Count | None = None
    votes_against: Count | None = None
    abstained: Count | None = None
    note: Text(0, 500) | None = None
    follow_up: FollowUpIn | None = None


class MeetingCreate(BaseModel):
    kind: Literal["deliberation_day", "heart_to_heart", "regular", "evaluation"]
    community_id: Id | None = None
    compound_id: Id | None = None
    date: date
    period: Annotated[str, Field(max_length=10)] | None = Field(
        None, description="evaluation (小区评议会): the complete quarter it rates, `2026-Q3`; a compound's meeting only"
    )
    place: Text(0, 100) = ""
    convener_id: Id | None = None


class MeetingItemsIn(BaseModel):
    agenda_item_ids: Annotated[list[Id], Field(max_length=50)] = Field(default_factory=list)
    topics: Annotated[list[Text(1, 500)], Field(max_length=20)] = Field(
        default_factory=list, description="staff topics put straight onto this meeting"
    )


class AttendeeIn(BaseModel):
    client_id: Text(1, 64)
    user_id: Id | None = None
    name: Text(1, 30)
    household_id: Id | None = None


class AttendanceIn(BaseModel):
    """No entries: the caller checks in. Entries: an offline sign-in sheet (staff), by client id."""

    entries: Annotated[list[AttendeeIn], Field(max_length=500)] | None = None


class CloseIn(BaseModel):
    minutes: Text(1, 5000)


# ---- out ----------------------------------------------------------------------------------------


class AgendaItemOut(BaseModel):
    id: int
    community_id: int
    compound_id: int | None
    text: str
    meeting_date: date = Field(description="the month's deliberation day it is for (the 10th)")
    status: str
    status_label: str
    source: str
    source_label: str
    meeting_id: int | None
    merged_into_id: int | None
    decline_reason: str | None
    outcome: str | None
    outcome_label: str | None
    votes_for: int | None
    votes_against: int | None
    abstained: int | None
    outcome_note: str | None
    follow_up: dict | None
    defer_count: int
    flagged: bool = Field(description="deferred twice: flagged to the community admin")
    decided_at: datetime | None
    done_at: datetime | None
    created_at: datetime


class NineStep(BaseModel):
    key: str
    name: str
    done: bool
    at: datetime | None = None
    detail: str


class MeetingOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    community_id: int
    compound_id: int | None
    date: date
    period: str | None = Field(description="evaluation: the quarter it rates")
    place: str
    convener_name: str | None
    status: str
    status_label: str
    attendance_count: int
    reminded_at: datetime | None
    closed_at: datetime | None


class MeetingDetail(MeetingOut):
    minutes: str | None
    items: list[AgendaItemOut]
    steps: list[NineStep]
    actions: list[str]


class AttendanceOut(BaseModel):
    added: int
    already: int
    meeting: MeetingDetail
