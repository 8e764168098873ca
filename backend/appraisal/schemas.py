from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from backend.kernel.validation import Text

LineId = Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[a-z]+(:[0-9]{1,12})?$")]


class RatingIn(BaseModel):
    line_id: LineId = Field(description="a line of the sheet: project:<id>, member:<id>, committee, property[:<id>]")
    score: Annotated[int, Field(ge=1, le=5)]
    comment: Text(0, 200) | None = Field(None, description="required for a score of 1 or 2")


class RatingsIn(BaseModel):
    ratings: Annotated[list[RatingIn], Field(min_length=1, max_length=200)]


class SubmitIn(BaseModel):
    reason: Text(0, 200) | None = Field(None, description="a correction of published results: why")


class ReviewIn(BaseModel):
    decision: Literal["approve", "return"]
    reason: Text(0, 200) | None = Field(None, description="return: required")


class SheetLine(BaseModel):
    line_id: str
    kind: str
    kind_label: str
    name: str
    detail: str
    figures: dict = Field(description="members: orders completed, orders rated (rating_sum), attendance")
    mean_rating: float | None = Field(description="members: the mean rating of their orders in the quarter")
    rated_by_me: bool


class SheetOut(BaseModel):
    meeting_id: int
    compound_id: int
    compound_name: str
    period: str
    checked_in: bool
    can_rate: bool
    lines: list[SheetLine]


class RatedOut(BaseModel):
    rated: int
    sheet: SheetOut


class AppraisalOut(BaseModel):
    id: int
    meeting_id: int
    community_id: int
    compound_id: int
    period: str
    edition: int
    status: str
    status_label: str
    supersedes_id: int | None
    correction_reason: str | None
    review_reason: str | None
    submitted_at: datetime
    reviewed_at: datetime | None
    published_at: datetime | None
    superseded_at: datetime | None


class AppraisalDetail(AppraisalOut):
    content: dict = Field(description="frozen at submission: per line mean, count, distribution, comments (masked)")
