"""Requests and responses of the cascaded evaluation and the department sign-in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from backend.kernel.validation import Id, Text

Level = Literal["residents_rate_compound", "compounds_rate_community", "communities_rate_department"]
PlaceKind = Literal["community", "compound"]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,20}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Question(Strict):
    code: Code
    text: Text(1, 60)
    kind: Literal["score_1_5", "comment"]


class CampaignCreate(Strict):
    level: Level
    title: Text(1, 60)
    period: Annotated[str, StringConstraints(max_length=30)]
    questions: Annotated[list[Question], Field(min_length=1, max_length=20)]
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    street_id: Id | None = None


class CampaignOut(BaseModel):
    id: int
    street_id: int
    level: str
    level_label: str
    title: str
    period: str
    questions: list[dict]
    opens_at: datetime
    closes_at: datetime
    status: str
    status_label: str
    ballots: int | None = None


class CampaignTransition(Strict):
    event: Literal["opened", "closed", "cancelled"]


class BallotIn(Strict):
    target_id: Id
    answers: Annotated[dict[Code, int | Annotated[str, StringConstraints(max_length=500)]], Field(max_length=20)]


class BallotOut(BaseModel):
    id: int
    campaign_id: int
    target_id: int
    rater: str
    answers: dict[str, Any]
    created_at: datetime


class OpenBallot(BaseModel):
    campaign_id: int
    title: str
    level: str
    level_label: str
    target_id: int
    target_name: str
    questions: list[dict]
    closes_at: datetime


class ResultsOut(BaseModel):
    campaign: CampaignOut
    targets: list[dict]


class ContactIn(Strict):
    user_id: Id
    place_kind: PlaceKind
    place_id: Id


class ContactsIn(Strict):
    contacts: Annotated[list[ContactIn], Field(max_length=500)]


class ContactOut(BaseModel):
    user_id: int
    user_name: str
    place_kind: str
    place_id: int
    place_name: str


class ContactsOut(BaseModel):
    department_id: int
    contacts: list[ContactOut]


class CheckinIn(Strict):
    client_id: Text(8, 40)
    at: AwareDatetime
    place_kind: PlaceKind
    place_id: Id
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None


class CheckinBatch(Strict):
    checkins: Annotated[list[CheckinIn], Field(min_length=1, max_length=200)]


class CheckinResult(BaseModel):
    client_id: str
    result: Literal["accepted", "duplicate", "refused"]
    reason: str | None
    checkin_id: int | None


class CheckinBatchOut(BaseModel):
    items: list[CheckinResult]


class CheckinSummaryOut(BaseModel):
    department_id: int
    department_name: str
    period: dict
    working_days: list[date]
    people: list[dict]
    places: list[dict]
