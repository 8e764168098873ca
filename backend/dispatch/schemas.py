"""Orders as the API shows them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from backend.files.signing import SignedUrls
from backend.kernel.validation import Id


class OrderOut(BaseModel):
    id: int
    wish_id: int
    member_id: Id
    member_name: str | None = None
    kind: str
    status: str
    status_label: str
    note: str | None
    decline_reason: str | None
    completion_note: str | None
    photos: SignedUrls  # signed URLs (valid UPLOAD_URL_TTL_SECONDS)
    created_at: datetime
    expires_at: datetime | None
    responded_at: datetime | None
    completed_at: datetime | None
    due_at: datetime | None = Field(description="accepted orders: complete by this time")
    overdue_at: datetime | None = Field(description="when the order was found past due_at (the branch was told)")
