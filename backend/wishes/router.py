"""Micro-wish routes: residents place and follow wishes, dispatchers review them and rank
candidates, members see the wall. (Candidates, dispatch, claim, accept … concern a wish and its
order together: backend/flows/router.py.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from backend.auth.deps import CurrentCaller, CurrentUser, Dispatcher, MemberCaller
from backend.dispatch import service as dispatch_service
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.ratelimit import enforce, per_client
from backend.kernel.responses import FastJSON, ModelJSON
from backend.kernel.validation import IdQuery
from backend.wishes import policy, schemas, service, views
from backend.wishes.categories import CATEGORIES
from backend.wishes.policy import WishForDispatcher, WishPath, WishRead
from backend.wishes.state import STATUSES, WishStatus

router = APIRouter(prefix="/api/v1/wishes", tags=["wishes"])


def _statuses(status: str | None) -> list[str] | None:
    if not status:
        return None
    values = [s.strip() for s in status.split(",") if s.strip()]
    unknown = [s for s in values if s not in STATUSES]
    if unknown:
        raise InvalidInput(f"未知的状态：{', '.join(unknown)}；可用：{', '.join(STATUSES)}", code="invalid_status")
    return values


@router.get("/categories", response_model=schemas.CategoriesOut, summary="Wish categories (any logged-in user)")
async def categories(_: CurrentUser) -> schemas.CategoriesOut:
    return schemas.CategoriesOut(items=[schemas.CategoryOut(**c) for c in CATEGORIES])


@router.post(
    "",
    status_code=201,
    response_model=schemas.WishDetail,
    summary="Place a wish (resident bound to a compound; rate-limited per user and client address)",
    dependencies=[per_client("wish", "rate_wish_per_ip_hour", 3600)],
)
async def create_wish(
    body: schemas.WishCreate, request: Request, session: SessionDep, principal: CurrentUser, settings: SettingsDep
) -> schemas.WishDetail:
    await enforce(request, f"wish:user:{principal.id}", settings.rate_wish_per_user_hour, 3600)
    wish = await service.create_wish(
        session,
        principal.user,
        title=body.title,
        description=body.description,
        category=body.category,
        photos=body.photos,
        voice=body.voice,
        voice_seconds=body.voice_seconds,
    )
    return await views.detail(session, principal, wish)


@router.get(
    "",
    response_model=Page[schemas.WishSummary],
    summary="List wishes: mine, or those of the compounds the caller dispatches or administers",
)
async def list_wishes(
    session: SessionDep,
    principal: CurrentCaller,
    status: Annotated[str | None, Query(description="one status or several separated by commas")] = None,
    compound_id: IdQuery = None,
    mine: bool = False,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> FastJSON:  # Page[WishSummary], encoded once
    staff = await principal.compound_ids(session, *policy.STAFF_ROLES)
    requester_id = None
    compound_ids: set[int] | None = None
    if mine or not staff:
        requester_id = principal.id
        if compound_id is not None:
            compound_ids = {compound_id}
    elif compound_id is not None:
        if compound_id not in staff:
            raise Forbidden("您没有该小区的相应权限", code="out_of_scope")
        compound_ids = {compound_id}
    else:
        compound_ids = staff
    rows = await service.list_wishes(
        session,
        compound_ids=compound_ids,
        requester_id=requester_id,
        statuses=_statuses(status),
        cursor=parse_cursor(cursor),
        limit=limit,
    )
    rows, next_cursor = page_of(rows, limit)
    return FastJSON({"items": views.summaries(rows, principal.id), "next_cursor": next_cursor})


@router.get(
    "/wall",
    response_model=Page[schemas.WishSummary],
    summary="Open wishes a Party member may claim (party_member of the compound)",
)
async def wall(
    session: SessionDep,
    principal: MemberCaller,
    compound_id: IdQuery = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> FastJSON:  # Page[WishSummary], encoded once
    mine = principal.scope_ids("party_member", "compound")  # already loaded with the caller's grants
    if compound_id is not None:
        if compound_id not in mine:
            raise Forbidden("只能查看您报到小区的心愿墙", code="out_of_scope")
        mine = {compound_id}
    rows = await service.list_wishes(
        session,
        compound_ids=mine,
        requester_id=None,
        statuses=[WishStatus.open],
        cursor=parse_cursor(cursor),
        limit=limit,
        exclude_requester=principal.id,  # one's own wishes are not on one's wall
    )
    rows, next_cursor = page_of(rows, limit)
    return FastJSON({"items": views.masked_summaries(rows), "next_cursor": next_cursor})


@router.get(
    "/{wish_id}",
    response_model=schemas.WishDetail,
    summary="A wish with its timeline (requester, its compound's staff, members who may take it)",
)
async def get_wish(wish: WishRead, session: SessionDep, principal: CurrentCaller, settings: SettingsDep) -> ModelJSON:
    window = timedelta(days=settings.contact_access_days)  # the holder's sight of the requester after completing
    return ModelJSON(await views.detail(session, principal, wish, contact_window=window))  # WishDetail, once


@router.post(
    "/{wish_id}/review",
    response_model=schemas.WishDetail,
    summary="Approve or reject a pending wish (dispatcher of its compound)",
)
async def review(
    wish: WishForDispatcher, body: schemas.ReviewIn, session: SessionDep, principal: Dispatcher
) -> schemas.WishDetail:
    await service.review(session, wish, actor_id=principal.id, approve=body.decision == "approve", reason=body.reason)
    return await views.detail(session, principal, wish)


@router.post(
    "/{wish_id}/callback",
    response_model=schemas.WishDetail,
    summary="联系党员: ask the member holding the wish to call back (its requester; once per 30 minutes)",
)
async def callback(wish: WishPath, session: SessionDep, principal: CurrentUser) -> schemas.WishDetail:
    holder = await dispatch_service.live_order(session, wish.id)
    if holder is None:
        holder = await dispatch_service.latest_order(session, wish.id)  # a completed wish's order
    await service.request_callback(session, wish, holder, actor_id=principal.id)
    return await views.detail(session, principal, wish)
