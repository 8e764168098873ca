"""Opening grid issues. Every issue starts `open`; the escalation feature moves it on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import utcnow
from backend.issues.models import GridIssue

CATEGORIES = {"hazard": "安全隐患", "dispute": "矛盾纠纷"}
STATUS_LABELS = {"open": "待处理"}


@dataclass
class IssueDraft:
    grid_id: int
    compound_id: int
    household_id: int | None
    category: str
    description: str
    raised_by: int
    photos: list[str] = field(default_factory=list)
    source: str = "visit"


async def open_issues(session: AsyncSession, drafts: list[IssueDraft]) -> list[GridIssue]:
    """Open one issue per draft, in one flush; returns them in the drafts' order."""
    if not drafts:
        return []
    for d in drafts:
        if d.category not in CATEGORIES:
            raise ValueError(f"unknown issue category {d.category!r}")
    now = utcnow()
    issues = [
        GridIssue(
            grid_id=d.grid_id,
            compound_id=d.compound_id,
            household_id=d.household_id,
            category=d.category,
            description=d.description,
            photos=d.photos,
            source=d.source,
            raised_by=d.raised_by,
            status="open",
            created_at=now,
            updated_at=now,
        )
        for d in drafts
    ]
    session.add_all(issues)
    await session.flush()
    return issues


async def statuses(session: AsyncSession, issue_ids: Iterable[int]) -> dict[int, str]:
    ids = set(issue_ids)
    if not ids:
        return {}
    rows = await session.execute(select(GridIssue.id, GridIssue.status).where(GridIssue.id.in_(ids)))
    return dict(rows.all())
