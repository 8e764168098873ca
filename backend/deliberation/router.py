"""Deliberation-day routes: the agenda (征集议题, vetting), meetings, their items, attendance and
minutes. (An outcome moves a proposal too: its route is in backend/proposals/router.py.)"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from backend.auth.deps import CurrentUser, Staff
from backend.deliberation import meetings, policy, schemas, service, views
from backend.deliberation.models import Meeting
from backend.deliberation.policy import AgendaItemForStaff, MeetingForRunner, MeetingLocked, MeetingPath
from backend.deliberation.state import AgendaStatus
from backend.directory import service as directory_service
from backend.directory.models import User
from backend.kernel.clock import to_shanghai, utcnow
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdQuery
from backend.org import service as org_service

router = APIRouter(prefix="/api/v1", tags=["deliberation"])
STATUSES = tuple(AgendaStatus)
MAX_DAYS_AHEAD = 366


async def _community(session, principal, community_id: int | None) -> int:
    if community_id is None:
        if principal.user.compound_id is None:
            raise InvalidInput("请指定社区", code="community_required")
        community_id = (await org_service.get_compound(session, principal.user.compound_id)).community_id
    await policy.require_seen(session, principal, community_id)
    return community_id


@router.get(
    "/agenda", response_model=Page[schemas.AgendaItemOut], summary="A community's agenda (its residents and staff)"
)
async def agenda(
    session: SessionDep,
    principal: CurrentUser,
    community_id: IdQuery = None,
    meeting_date: date | None = None,
    status: Annotated[str | None, Query(description="one status or several separated by commas")] = None,
    cursor: CursorQ = None,
    limit: LimitQ = 50,
) -> Page[schemas.AgendaItemOut]:
    cid = await _community(session, principal, community_id)
    statuses = [s for s in (status or "").split(",") if s]
    if any(s not in STATUSES for s in statuses):
        raise InvalidInput(f"未知的状态；可用：{', '.join(STATUSES)}", code="invalid_status")
    rows = await service.list_agenda(
        session, {cid}, meeting_date=meeting_date, statuses=statuses, cursor=parse_cursor(cursor), limit=limit
    )
    rows, next_cursor = page_of(rows, limit)
    return Page(items=[views.item_out(i) for i in rows], next_cursor=next_cursor)


@router.post(
    "/agenda",
    status_code=201,
    response_model=schemas.AgendaItemOut,
    summary="征集议题: raise a topic (residents, staff)",
)
async def raise_topic(
    body: schemas.AgendaTopicIn, session: SessionDep, principal: CurrentUser
) -> schemas.AgendaItemOut:
    cid = await _community(session, principal, body.community_id)
    staff = cid in await policy.communities_run(session, principal)
    compound_id = principal.user.compound_id
    if compound_id is not None and (await org_service.get_compound(session, compound_id)).community_id != cid:
        compound_id = None
    draft = service.AgendaDraft(
        community_id=cid,
        compound_id=compound_id,
        grid_id=None,
        text=body.text,
        raised_by=principal.id,
        raised_at=utcnow(),
        source="staff" if staff else "resident",
    )
    [item] = await service.propose(session, [draft])
    return views.item_out(item)


@router.patch(
    "/agenda/{item_id}",
    response_model=schemas.AgendaItemOut,
    summary="Schedule, merge, decline or finish an item (vetting staff)",
)
async def patch_item(
    item: AgendaItemForStaff, body: schemas.AgendaPatchIn, session: SessionDep, principal: Staff
) -> schemas.AgendaItemOut:
    if body.status in (AgendaStatus.scheduled, AgendaStatus.done) and not await policy.may_vet(
        session, principal, item, full=True
    ):
        raise Forbidden("列入议程和办结由社区负责", code="out_of_scope")
    if body.status == AgendaStatus.scheduled:
        if body.meeting_id is None:
            raise InvalidInput("请指定会议", code="meeting_required")
        meeting = await meetings.get_meeting(session, body.meeting_id, for_update=True)
        await meetings.schedule(session, meeting, item, actor_id=principal.id)
    elif body.status == AgendaStatus.merged:
        if body.merged_into_id is None:
            raise InvalidInput("请指定要合并到的议题", code="merge_target_required")
        into = await meetings.get_item(session, body.merged_into_id)
        await service.merge(session, item, into, actor_id=principal.id)
    elif body.status == AgendaStatus.declined:
        await service.decline(session, item, actor_id=principal.id, reason=body.reason)
    else:
        await service.finish(session, item, actor_id=principal.id, note=body.note)
    return views.item_out(item)


@router.post(
    "/meetings",
    status_code=201,
    response_model=schemas.MeetingDetail,
    summary="Plan a meeting (community admin; a compound's: its dispatcher)",
)
async def create_meeting(body: schemas.MeetingCreate, session: SessionDep, principal: Staff) -> schemas.MeetingDetail:
    if (body.community_id is None) == (body.compound_id is None):
        raise InvalidInput("请指定社区或小区（二选一）", code="scope_required")
    if body.compound_id is not None:
        community_id = (await org_service.get_compound(session, body.compound_id)).community_id
    else:
        community_id = body.community_id
    probe = Meeting(
        kind=body.kind, community_id=community_id, compound_id=body.compound_id, scope_key="", date=body.date
    )
    if not await policy.may_run(session, principal, probe):
        raise Forbidden("您不负责这个社区（小区）的会议", code="out_of_scope")
    if body.convener_id is not None and await session.get(User, body.convener_id) is None:
        raise InvalidInput("召集人不存在", code="convener_not_found")
    today = to_shanghai(utcnow()).date()
    if body.date < today:
        raise InvalidInput("会议日期不能早于今天", code="date_in_past")
    if body.date > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInput(f"会议最多提前{MAX_DAYS_AHEAD}天安排", code="date_too_far")
    period = meetings.evaluation_period(body.kind, body.compound_id, body.period, body.date)
    d = meetings.MeetingDraft(
        body.kind, community_id, body.compound_id, body.date, body.place, body.convener_id or principal.id, period
    )
    meeting = await meetings.create(session, d)
    return await views.detail(session, principal, meeting)


@router.get("/meetings", response_model=Page[schemas.MeetingOut], summary="A community's meetings, newest first")
async def list_meetings(
    session: SessionDep,
    principal: CurrentUser,
    community_id: IdQuery = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.MeetingOut]:
    cid = await _community(session, principal, community_id)
    rows = await meetings.list_meetings(session, cid, cursor=parse_cursor(cursor), limit=limit)
    rows, next_cursor = page_of(rows, limit)
    counts = await meetings.attendance_of(session, [m.id for m in rows])
    names = await directory_service.names_of(session, [m.convener_id for m in rows])
    return Page(
        items=[views.meeting_out(m, names.get(m.convener_id), counts.get(m.id, 0)) for m in rows],
        next_cursor=next_cursor,
    )


@router.get(
    "/meetings/{meeting_id}", response_model=schemas.MeetingDetail, summary="A meeting with its items and nine steps"
)
async def get_meeting(meeting: MeetingPath, session: SessionDep, principal: CurrentUser) -> schemas.MeetingDetail:
    return await views.detail(session, principal, meeting)


@router.post(
    "/meetings/{meeting_id}/items",
    response_model=schemas.MeetingDetail,
    summary="Put agenda items (or staff topics) on the meeting",
)
async def add_items(
    meeting: MeetingForRunner, body: schemas.MeetingItemsIn, session: SessionDep, principal: Staff
) -> schemas.MeetingDetail:
    if not body.agenda_item_ids and not body.topics:
        raise InvalidInput("请选择议题", code="items_required")
    for item_id in body.agenda_item_ids:
        item = await meetings.get_item(session, item_id, for_update=True)
        await meetings.schedule(session, meeting, item, actor_id=principal.id)
    if body.topics:
        drafts = [
            service.AgendaDraft(meeting.community_id, meeting.compound_id, None, text, principal.id, utcnow(), "staff")
            for text in body.topics
        ]
        for item in await service.propose(session, drafts):
            await meetings.schedule(session, meeting, item, actor_id=principal.id)
    return await views.detail(session, principal, meeting)


async def _check_people(session, entries: list[schemas.AttendeeIn]) -> None:
    users = {e.user_id for e in entries if e.user_id is not None}
    households = {e.household_id for e in entries if e.household_id is not None}
    if users and len(await directory_service.users_by_id(session, users)) != len(users):
        raise InvalidInput("签到名单中有不存在的居民", code="user_not_found")
    if households and len(await org_service.household_labels(session, households)) != len(households):
        raise InvalidInput("签到名单中有不存在的住户", code="household_not_found")


@router.post(
    "/meetings/{meeting_id}/attendance",
    response_model=schemas.AttendanceOut,
    summary="Check in, or an offline sign-in batch (staff)",
)
async def attendance(
    meeting: MeetingLocked, body: schemas.AttendanceIn, session: SessionDep, principal: CurrentUser
) -> schemas.AttendanceOut:
    if body.entries is None:
        people = [
            meetings.Attendee(
                user_id=principal.id, name=principal.user.name or "居民", household_id=principal.user.household_id
            )
        ]
    else:
        if not await policy.may_run(session, principal, meeting):
            raise Forbidden("只有会议负责人可以录入签到表", code="out_of_scope")
        await _check_people(session, body.entries)
        people = [
            meetings.Attendee(e.user_id, e.name, e.household_id, entered_by=principal.id, client_id=e.client_id)
            for e in body.entries
        ]
    added, already = await meetings.attend(session, meeting, people)
    return schemas.AttendanceOut(added=added, already=already, meeting=await views.detail(session, principal, meeting))


@router.post(
    "/meetings/{meeting_id}/close",
    response_model=schemas.MeetingDetail,
    summary="Close with minutes, once every item has an outcome",
)
async def close(
    meeting: MeetingForRunner, body: schemas.CloseIn, session: SessionDep, principal: Staff
) -> schemas.MeetingDetail:
    await meetings.close(session, meeting, minutes=body.minutes, actor_id=principal.id)
    return await views.detail(session, principal, meeting)
