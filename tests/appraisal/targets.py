"""Demo rows the role matrix calls on for the 小区评议会 (tests/test_role_matrix.py), and the bodies
those routes are called with: 锦华苑's evaluation meetings of the last two complete quarters, the
earlier one's results published, the later one's awaiting the community's review."""

from __future__ import annotations

from sqlalchemy import select

from backend.appraisal.models import Appraisal
from backend.deliberation.models import Meeting
from backend.org.models import Compound


async def appraisal_objects(session) -> dict[str, int]:
    c1 = select(Compound.id).where(Compound.name == "锦华苑").scalar_subquery()
    rows = (
        await session.execute(
            select(Meeting.id, Appraisal.id, Appraisal.status)
            .join(Appraisal, Appraisal.meeting_id == Meeting.id)
            .where(Meeting.kind == "evaluation", Meeting.compound_id == c1)
            .order_by(Meeting.date)
        )
    ).all()
    by_status = {status: (meeting_id, appraisal_id) for meeting_id, appraisal_id, status in rows}
    assert set(by_status) == {"published", "submitted"}, f"demo data lacks the evaluation meetings: {rows}"
    return {
        "eval_published": by_status["published"][0],
        "eval_pending": by_status["submitted"][0],
        "appraisal_published": by_status["published"][1],
        "appraisal_pending": by_status["submitted"][1],
    }


def appraisal_bodies(ids: dict[str, int]) -> dict:
    return {
        ("POST", "/meetings/{meeting_id}/ratings"): lambda: {
            "json": {"ratings": [{"line_id": "committee", "score": 4}]}
        },
        ("POST", "/meetings/{meeting_id}/appraisal/submit"): lambda: {"json": {}},
        ("POST", "/meetings/{meeting_id}/appraisal/review"): lambda: {"json": {"decision": "approve"}},
    }
