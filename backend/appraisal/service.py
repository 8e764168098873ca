"""The rules of the evaluation meeting: rating its sheet, submitting the results, the community's
review, publication as a frozen snapshot and corrections as new editions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.appraisal import notifications
from backend.appraisal import sheet as sheets
from backend.appraisal.models import Appraisal, AppraisalRating
from backend.appraisal.state import APPRAISAL, LINE_KIND_LABELS, PUBLIC, AppraisalStatus
from backend.deliberation.models import Meeting, MeetingAttendance
from backend.deliberation.state import MeetingStatus
from backend.directory.service import mask_name, names_of
from backend.kernel.clock import to_shanghai, utcnow
from backend.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.kernel.figures import figure

S = AppraisalStatus
LOW_SCORES = (1, 2)  # a score that needs a comment
SCORES = ("1", "2", "3", "4", "5")


def require_evaluation(meeting: Meeting) -> None:
    if meeting.kind != "evaluation" or meeting.period is None:
        raise Conflict("这不是小区评议会，没有评议表", code="not_evaluation_meeting")


async def checked_in(session: AsyncSession, meeting_id: int, user_id: int) -> bool:
    row = await session.execute(
        select(MeetingAttendance.id).where(
            MeetingAttendance.meeting_id == meeting_id, MeetingAttendance.user_id == user_id
        )
    )
    return row.first() is not None


async def rated_keys(session: AsyncSession, meeting_id: int, user_id: int) -> set[str]:
    rows = await session.execute(
        select(AppraisalRating.line_key).where(
            AppraisalRating.meeting_id == meeting_id, AppraisalRating.rater_id == user_id
        )
    )
    return set(rows.scalars())


async def latest(session: AsyncSession, meeting_id: int, *, for_update: bool = False) -> Appraisal | None:
    stmt = select(Appraisal).where(Appraisal.meeting_id == meeting_id).order_by(Appraisal.edition.desc()).limit(1)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


@dataclass
class RatingIn:
    line_key: str
    score: int
    comment: str | None


def _check_ratings(sheet: sheets.Sheet, ratings: list[RatingIn], done: set[str]) -> None:
    seen: set[str] = set()
    for r in ratings:
        line = sheet.line(r.line_key)
        if line is None:
            raise InvalidInput(f"评议表上没有「{r.line_key}」这一项", code="unknown_line")
        if r.line_key in seen:
            raise InvalidInput(f"「{line.name}」在本次提交中出现了两次", code="duplicate_line")
        seen.add(r.line_key)
        if r.score in LOW_SCORES and not (r.comment or "").strip():
            raise InvalidInput(f"给「{line.name}」评{r.score}分时请写明理由", code="comment_required")
        if r.line_key in done:
            raise Conflict(f"您已经评过「{line.name}」了，每项只能评一次", code="already_rated")


async def rate(session: AsyncSession, meeting: Meeting, user_id: int, ratings: list[RatingIn]) -> int:
    """One checked-in attendee's ratings, all or none. The route holds the meeting's row lock, so
    ratings queue behind a submission (none slips in after the results are frozen); the unique
    (meeting, line, rater) constraint refuses a second rating of a line whatever the path."""
    require_evaluation(meeting)
    if not await checked_in(session, meeting.id, user_id):
        raise Forbidden("您没有在本次评议会签到，不能评议", code="not_checked_in")
    current = await latest(session, meeting.id)
    if current is not None and current.status in (S.submitted, S.published, S.superseded):
        raise Conflict("评议结果已经提交，不能再评议", code="ratings_closed")
    sheet = await sheets.build(session, meeting)
    _check_ratings(sheet, ratings, await rated_keys(session, meeting.id, user_id))
    try:
        async with session.begin_nested():
            for r in ratings:
                comment = (r.comment or "").strip() or None
                session.add(
                    AppraisalRating(
                        meeting_id=meeting.id, line_key=r.line_key, rater_id=user_id, score=r.score, comment=comment
                    )
                )
            await session.flush()
    except IntegrityError:
        raise Conflict("您已经评过其中的项目了，每项只能评一次", code="already_rated") from None
    return len(ratings)


# ---- the results --------------------------------------------------------------------------------


def _line_result(line: sheets.Line, rows: list[AppraisalRating], names: dict[int, str]) -> dict:
    buckets = {s: [r.id for r in rows if str(r.score) == s] for s in SCORES}
    count = len(rows)
    return {
        "line_id": line.key,
        "kind": line.kind,
        "kind_label": LINE_KIND_LABELS[line.kind],
        "name": line.name,
        "detail": line.detail,
        "figures": line.figures,
        "mean_rating": line.mean_rating,
        "count": count,
        "mean": round(sum(r.score for r in rows) / count, 2) if count else None,
        "distribution": {s: len(ids) for s, ids in buckets.items()},
        "good": figure("满意", "条", buckets, ("4", "5"), "评4–5分的评价占本项评价总数"),
        "comments": [
            {"rater": mask_name(names.get(r.rater_id)), "score": r.score, "comment": r.comment}
            for r in rows
            if r.comment
        ],
    }


async def results(session: AsyncSession, meeting: Meeting) -> dict:
    """The meeting's results as they stand now: the sheet's lines and their ratings (raters masked)."""
    sheet = await sheets.build(session, meeting)
    rows = (
        (
            await session.execute(
                select(AppraisalRating).where(AppraisalRating.meeting_id == meeting.id).order_by(AppraisalRating.id)
            )
        )
        .scalars()
        .all()
    )
    by_line: dict[str, list[AppraisalRating]] = defaultdict(list)
    for r in rows:
        by_line[r.line_key].append(r)
    names = await names_of(session, {r.rater_id for r in rows})
    attendees = (
        await session.execute(
            select(func.count()).where(
                MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.user_id.is_not(None)
            )
        )
    ).scalar_one()
    return {
        "compound_name": sheet.compound.name,
        "period": sheet.period.label,
        "meeting_id": meeting.id,
        "meeting_date": meeting.date.isoformat(),
        "attendees": attendees,
        "raters": len({r.rater_id for r in rows}),
        "lines": [_line_result(line, by_line.get(line.key, []), names) for line in sheet.lines],
        "frozen_at": to_shanghai(utcnow()).strftime("%Y-%m-%d %H:%M"),
    }


async def submit(session: AsyncSession, meeting: Meeting, *, actor_id: int, reason: str | None) -> Appraisal:
    """The convener sends the results to the community: a first edition, a returned one again, or a
    correction of a published one (a new edition, with its reason)."""
    require_evaluation(meeting)
    if meeting.status != MeetingStatus.closed:
        raise Conflict("评议会结束后才能提交评议结果", code="meeting_not_closed")
    current = await latest(session, meeting.id, for_update=True)
    if current is not None and current.status == S.submitted:
        raise Conflict("评议结果已提交，正在等待社区审核", code="appraisal_pending")
    content = await results(session, meeting)
    if current is not None and current.status == S.returned:
        await APPRAISAL.apply(
            session, current, "resubmitted", actor_id=actor_id, note=reason,
            values={"content": content, "submitted_by": actor_id, "submitted_at": utcnow()},
        )  # fmt: skip
        await notifications.submitted(session, current, resubmitted=True)
        return current
    if current is not None and not (reason or "").strip():
        raise InvalidInput("更正已公示的评议结果时请写明更正理由", code="reason_required")
    row = Appraisal(
        meeting_id=meeting.id,
        community_id=meeting.community_id,
        compound_id=meeting.compound_id,
        period=meeting.period,
        edition=(current.edition + 1) if current else 1,
        status=S.submitted,
        content=content,
        supersedes_id=current.id if current else None,
        correction_reason=reason.strip() if current else None,
        submitted_by=actor_id,
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        raise Conflict("评议结果已被他人提交，请刷新后重试", code="state_changed") from None
    await APPRAISAL.record(session, row, "submitted", actor_id=actor_id, note=row.correction_reason, from_status=None)
    await notifications.submitted(session, row, resubmitted=False)
    return row


async def review(session: AsyncSession, meeting: Meeting, *, approve: bool, reason: str | None, actor_id: int):
    current = await latest(session, meeting.id, for_update=True)
    if current is None or current.status != S.submitted:
        raise Conflict("这次评议会没有待审核的评议结果", code="no_pending_appraisal")
    now = utcnow()
    values = {"reviewed_by": actor_id, "reviewed_at": now, "review_reason": reason}
    if not approve:
        if not (reason or "").strip():
            raise InvalidInput("退回时请写明理由", code="reason_required")
        await APPRAISAL.apply(session, current, "returned", actor_id=actor_id, note=reason, values=values)
        await notifications.reviewed(session, current, approved=False, reason=reason)
        return current
    if current.supersedes_id is not None:
        old = await get(session, current.supersedes_id, for_update=True)
        if old.status == S.published:
            await APPRAISAL.apply(session, old, "superseded", actor_id=actor_id, values={"superseded_at": now})
    await APPRAISAL.apply(
        session, current, "approved", actor_id=actor_id, note=reason, values=values | {"published_at": now}
    )
    await notifications.reviewed(session, current, approved=True, reason=reason)
    return current


async def get(session: AsyncSession, appraisal_id: int, *, for_update: bool = False) -> Appraisal:
    stmt = select(Appraisal).where(Appraisal.id == appraisal_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"评议结果 {appraisal_id} 不存在", code="appraisal_not_found")
    return row


async def list_for(
    session: AsyncSession, compound_id: int, period: str | None, *, all_statuses: bool, cursor: int | None, limit: int
) -> list[Appraisal]:
    stmt = select(Appraisal).where(Appraisal.compound_id == compound_id).order_by(Appraisal.id.desc())
    if period is not None:
        stmt = stmt.where(Appraisal.period == period)
    if not all_statuses:
        stmt = stmt.where(Appraisal.status.in_(PUBLIC))
    if cursor is not None:
        stmt = stmt.where(Appraisal.id < cursor)
    return list((await session.execute(stmt.limit(limit + 1))).scalars())
