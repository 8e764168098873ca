"""Requests and responses of the department assessment and the competition."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from backend.kernel.validation import Id, Photos, Reason, Text

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,20}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WeightsIn(Strict):
    weights: Annotated[dict[Code, Annotated[int, Field(ge=0, le=100)]], Field(min_length=1, max_length=20)]
    street_id: Id | None = None


class WeightsOut(BaseModel):
    street_id: int
    weights: dict[str, int]
    parts: dict[str, str]


class Indicator(Strict):
    code: Code
    name: Text(1, 30)
    source: Annotated[str, StringConstraints(max_length=30)]  # a computed source, or "entered"
    target: Annotated[float, Field(ge=0, le=1_000_000)]
    star: Annotated[float, Field(ge=0, le=1_000_000)]


class IndicatorsIn(Strict):
    indicators: Annotated[list[Indicator], Field(min_length=1, max_length=20)]
    flag_stars: Annotated[int, Field(ge=1, le=20)]
    street_id: Id | None = None


class IndicatorsOut(BaseModel):
    street_id: int
    year: int
    indicators: list[dict]
    flag_stars: int
    sources: dict[str, str]


class EntryIn(Strict):
    community_id: Id
    value: Annotated[float, Field(ge=0, le=1_000_000)]
    evidence: Text(1, 500)
    photos: Photos = []


class EntryDecision(Strict):
    decision: Literal["approve", "reject"]
    reason: Reason | None = None


class EntryOut(BaseModel):
    id: int
    year: int
    code: str
    community_id: int
    value: float
    evidence: str
    photos: list[str]
    status: str
    status_label: str
    reason: str | None
