"""The quarterly 小区评议会: the rating sheet, ratings, the results' submission and review, and the
published results."""

from __future__ import annotations

from fastapi import APIRouter

from backend.appraisal import policy, schemas, service, views
from backend.appraisal import sheet as sheets
from backend.appraisal.policy import AppraisalPath, MeetingForConvener, MeetingForReviewer
from backend.appraisal.state import AppraisalStatus
from backend.auth.deps import CommunityAdmin, CurrentUser, Dispatcher
from backend.deliberation import policy as deliberation_policy
from backend.deliberation.models import Meeting
from backend.deliberation.policy import MeetingLocked, MeetingPath
from backend.kernel.db import SessionDep
from backend.kernel.errors import InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.periods import PeriodQ, parse_period
from backend.kernel.validation import IdQuery
from backend.org import service as org_service

router = APIRouter(prefix="/api/v1", tags=["appraisal"])
OPEN = (None, AppraisalStatus.returned)  # the latest results' status while ratings are taken


async def _sheet(session, meeting: Meeting, user_id: int) -> schemas.SheetOut:
    service.require_evaluation(meeting)
    sheet = await sheets.build(session, meeting)
    checked_in = await service.checked_in(session, meeting.id, user_id)
    current = await service.latest(session, meeting.id)
    can_rate = checked_in and (current.status if current else None) in OPEN
    mine = await service.rated_keys(session, meeting.id, user_id)
    return views.sheet_out(sheet, checked_in=checked_in, can_rate=can_rate, mine=mine)


@router.get(
    "/meetings/{meeting_id}/sheet",
    response_model=schemas.SheetOut,
    summary="An evaluation meeting's rating sheet, built from its quarter (whoever sees the meeting)",
)
async def get_sheet(meeting: MeetingPath, session: SessionDep, principal: CurrentUser) -> schemas.SheetOut:
    return await _sheet(session, meeting, principal.id)


@router.post(
    "/meetings/{meeting_id}/ratings",
    status_code=201,
    response_model=schemas.RatedOut,
    summary="Rate lines of the sheet, each once (attendees checked in at the meeting)",
)
async def rate(
    meeting: MeetingLocked, body: schemas.RatingsIn, session: SessionDep, principal: CurrentUser
) -> schemas.RatedOut:
    ratings = [service.RatingIn(r.line_id, r.score, r.comment) for r in body.ratings]
    rated = await service.rate(session, meeting, principal.id, ratings)
    return schemas.RatedOut(rated=rated, sheet=await _sheet(session, meeting, principal.id))


@router.post(
    "/meetings/{meeting_id}/appraisal/submit",
    response_model=schemas.AppraisalDetail,
    summary="Send the closed meeting's results to the community for review (the compound's branch)",
)
async def submit(
    meeting: MeetingForConvener, body: schemas.SubmitIn, session: SessionDep, principal: Dispatcher
) -> schemas.AppraisalDetail:
    row = await service.submit(session, meeting, actor_id=principal.id, reason=body.reason)
    return views.appraisal_detail(row)


@router.post(
    "/meetings/{meeting_id}/appraisal/review",
    response_model=schemas.AppraisalDetail,
    summary="Approve (publish) or return the submitted results (the community admin)",
)
async def review(
    meeting: MeetingForReviewer, body: schemas.ReviewIn, session: SessionDep, principal: CommunityAdmin
) -> schemas.AppraisalDetail:
    row = await service.review(
        session, meeting, approve=body.decision == "approve", reason=body.reason, actor_id=principal.id
    )
    return views.appraisal_detail(row)


@router.get(
    "/appraisals",
    response_model=Page[schemas.AppraisalOut],
    summary="A compound's evaluation results, newest first (published to all who see the community)",
)
async def list_appraisals(
    session: SessionDep,
    principal: CurrentUser,
    compound_id: IdQuery = None,
    period: PeriodQ = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.AppraisalOut]:
    if compound_id is None:
        raise InvalidInput("请指定小区", code="compound_required")
    compound = await org_service.get_compound(session, compound_id)
    await deliberation_policy.require_seen(session, principal, compound.community_id)
    label = parse_period(period, kinds=("quarter",)).label if period else None
    staff = await policy.sees_unpublished(session, principal, compound.community_id, compound.id)
    rows = await service.list_for(
        session, compound.id, label, all_statuses=staff, cursor=parse_cursor(cursor), limit=limit
    )
    rows, next_cursor = page_of(rows, limit)
    return Page(items=[views.appraisal_out(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/appraisals/{appraisal_id}",
    response_model=schemas.AppraisalDetail,
    summary="One edition of an evaluation meeting's results, frozen at submission",
)
async def get_appraisal(appraisal: AppraisalPath) -> schemas.AppraisalDetail:
    return views.appraisal_detail(appraisal)
