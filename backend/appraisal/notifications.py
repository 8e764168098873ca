"""Evaluation-meeting messages: results submitted (or resubmitted, or a correction) to the community
admins who review them; results returned or published to the compound's branch that submitted them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.appraisal.models import Appraisal
from backend.directory import service as directory_service
from backend.kernel.clock import utcnow
from backend.notify import service as notify_service


def _params(row: Appraisal, reason: str | None) -> dict:
    """`reason`: the community's (a return's, or a note on approval)."""
    return {
        "meeting_id": row.meeting_id,
        "appraisal_id": row.id,
        "compound_name": (row.content or {}).get("compound_name") or "小区",
        "period": row.period,
        "edition": row.edition,
        "reason": (reason or "").strip() or None,
        "correction": row.correction_reason,
        "at": utcnow(),
    }


async def _emit(session: AsyncSession, event: str, row: Appraisal, recipients: list[int], params: dict) -> None:
    await notify_service.emit(
        session, event, recipients, params, ref=("meeting", row.meeting_id), compound_id=row.compound_id
    )


async def submitted(session: AsyncSession, row: Appraisal, *, resubmitted: bool) -> None:
    """To the community admins of the meeting's community: results (a first edition, a returned one
    sent again, or a correction of published ones) await their review."""
    admins = await directory_service.holders_of(session, ["community_admin"], "community", row.community_id)
    await _emit(session, "appraisal_submitted", row, admins, _params(row, None) | {"resubmitted": resubmitted})


async def reviewed(session: AsyncSession, row: Appraisal, *, approved: bool, reason: str | None) -> None:
    """To the compound's branch (its dispatchers): the results were returned or published."""
    branch = await directory_service.holders_of(session, ["dispatcher"], "compound", row.compound_id)
    event = "appraisal_published" if approved else "appraisal_returned"
    await _emit(session, event, row, branch, _params(row, reason))
