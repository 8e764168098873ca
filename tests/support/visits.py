"""Payloads of the grid worker's visit form."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from backend.kernel.clock import utcnow


def visit(household_id: int, *, at: datetime | None = None, outcome: str = "met", **extra) -> dict:
    at = at or utcnow() - timedelta(hours=2)
    return {
        "client_id": str(uuid.uuid4()),
        "household_id": household_id,
        "visited_at": at.isoformat(),
        "outcome": outcome,
        "people_met": ["户主"] if outcome == "met" else [],
        "note": "入户走访",
        **extra,
    }
