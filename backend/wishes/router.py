"""Micro-wish routes: residents place and follow wishes, dispatchers review them, members see the wall."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from backend.auth.deps import CurrentUser, Dispatcher, Member, Principal
from backend.directory import service as directory_service
from backend.dispatch import service as dispatch_service
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.ratelimit import enforce, per_client
from backend.kernel.validation import IdPath, IdQuery
from backend.wishes import schemas, service, state
from backend.wishes.categories import CATEGORIES, CATEGORY_LABELS
from backend.wishes.models import Wish

router = APIRouter(prefix="/api/v1/wishes", tags=["wishes"])

STAFF_ROLES = ("dispatcher", "community_admin", "street_admin")


def summary(wish: Wish, requester_name: str) -> schemas.WishSummary:
    return schemas.WishSummary(
        id=wish.id,
        title=wish.title,
        category=wish.category,
        category_label=CATEGORY_LABELS.get(wish.category, wish.category),
        status=wish.status,
        status_label=state.STATUS_LABELS[wish.status],
        compound_id=wish.compound_id,
        requester_name=requester_name,
        created_at=wish.created_at,
        updated_at=wish.updated_at,
    )


def summaries(rows: list[tuple[Wish, str]], viewer_id: int) -> list[schemas.WishSummary]:
    """Rows of (wish, requester name); the name is masked unless the viewer is the requester."""
    return [
        summary(w, (name or "我") if w.requester_id == viewer_id else directory_service.mask_name(name))
        for w, name in rows
    ]


def _statuses(status: str | None) -> list[str] | None:
    if not status:
        return None
    values = [s.strip() for s in status.split(",") if s.strip()]
    unknown = [s for s in values if s not in state.STATUSES]
    if unknown:
        raise InvalidInput(
            f"未知的状态：{', '.join(unknown)}；可用：{', '.join(state.STATUSES)}", code="invalid_status"
        )
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
    body: schemas.WishCreate, request: Request, session: SessionDep, principal: CurrentUser
) -> schemas.WishDetail:
    settings = request.app.state.settings
    await enforce(request, f"wish:user:{principal.id}", settings.rate_wish_per_user_hour, 3600)
    wish = await service.create_wish(
        session,
        principal.user,
        title=body.title,
        description=body.description,
        category=body.category,
        photos=body.photos,
    )
    return await detail(session, principal, wish)


@router.get(
    "",
    response_model=Page[schemas.WishSummary],
    summary="List wishes: mine, or those of the compounds the caller dispatches or administers",
)
async def list_wishes(
    session: SessionDep,
    principal: CurrentUser,
    status: Annotated[str | None, Query(description="one status or several separated by commas")] = None,
    compound_id: IdQuery = None,
    mine: bool = False,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.WishSummary]:
    staff = await principal.compound_ids(session, *STAFF_ROLES)
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
    rows, next_cursor = page_of(rows, limit, key=lambda r: r[0].id)
    return Page(items=summaries(rows, principal.id), next_cursor=next_cursor)


@router.get(
    "/wall",
    response_model=Page[schemas.WishSummary],
    summary="Open wishes a Party member may claim (party_member of the compound)",
)
async def wall(
    session: SessionDep,
    principal: Member,
    compound_id: IdQuery = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.WishSummary]:
    mine = principal.scope_ids("party_member", "compound")  # already loaded with the caller's grants
    if compound_id is not None:
        if compound_id not in mine:
            raise Forbidden("只能查看您报到小区的心愿墙", code="out_of_scope")
        mine = {compound_id}
    rows = await service.list_wishes(
        session,
        compound_ids=mine,
        requester_id=None,
        statuses=["open"],
        cursor=parse_cursor(cursor),
        limit=limit,
        exclude_requester=principal.id,  # one's own wishes are not on one's wall
    )
    rows, next_cursor = page_of(rows, limit, key=lambda r: r[0].id)
    items = [summary(w, directory_service.mask_name(name)) for w, name in rows]
    return Page(items=items, next_cursor=next_cursor)


async def access(session, principal: Principal, wish: Wish) -> bool:
    """Whether the caller may read this wish; returns whether they may see the requester's identity.
    The requester always may; the member holding it and the compound's dispatcher once accepted."""
    if wish.requester_id == principal.id:
        return True
    taken = wish.status in ("accepted", "completed", "closed")
    if wish.compound_id in await principal.compound_ids(session, "dispatcher"):
        return taken
    if wish.compound_id in await principal.compound_ids(session, *STAFF_ROLES):
        return False
    if wish.compound_id in await principal.compound_ids(session, "party_member"):
        order = await dispatch_service.latest_order(session, wish.id)
        if order is not None and order.member_id == principal.id:
            return order.status in ("accepted", "completed")
        if wish.status == "open":
            return False
    raise Forbidden("您无权查看这条心愿", code="out_of_scope")


def order_out(order, member_name: str | None = None) -> schemas.OrderOut:
    return schemas.OrderOut(
        **order.model_dump(exclude={"compound_id", "dispatched_by"}),
        member_name=member_name,
        status_label=dispatch_service.ORDER_LABELS[order.status],
    )


async def actions_for(session, principal: Principal, wish: Wish, order) -> list[str]:
    """The actions the caller may take on this wish now, so clients need not re-derive the rules."""
    actions = []
    if wish.requester_id == principal.id:
        if state.allowed(wish.status, "cancelled", "cancelled"):
            actions.append("cancel")
        if wish.status == "completed":
            actions.append("confirm")
    if wish.compound_id in await principal.compound_ids(session, "dispatcher"):
        if wish.status == "pending_review":
            actions.append("review")
        if wish.status == "open":
            actions.append("dispatch")
    if wish.compound_id in await principal.compound_ids(session, "party_member"):
        if wish.status == "open" and wish.requester_id != principal.id:
            actions.append("claim")
        holds = order is not None and order.member_id == principal.id
        if holds and order.status == "offered":
            actions += ["accept", "decline"]
        if holds and order.status == "accepted":
            actions.append("complete")
    return actions


async def detail(session, principal: Principal, wish: Wish, reveal: bool | None = None) -> schemas.WishDetail:
    if reveal is None:
        reveal = await access(session, principal, wish)
    events = await service.events_of(session, wish.id)
    order = await dispatch_service.latest_order(session, wish.id)
    requester = await service.requester_card(session, wish, reveal=reveal)
    member_name = None
    if order is not None:
        member_name = (await directory_service.users_by_id(session, [order.member_id]))[order.member_id].name
    return schemas.WishDetail(
        **summary(wish, requester["name"]).model_dump(),
        description=wish.description,
        photos=wish.photos,
        requester=schemas.Requester(**requester),
        reject_reason=wish.reject_reason,
        cancel_reason=wish.cancel_reason,
        rating=wish.rating,
        comment=wish.comment,
        auto_closed=wish.auto_closed,
        accepted_at=wish.accepted_at,
        completed_at=wish.completed_at,
        closed_at=wish.closed_at,
        events=[
            schemas.EventOut(
                type=e.type,
                label=state.EVENT_LABELS.get(e.type, e.type),
                from_status=e.from_status,
                to_status=e.to_status,
                actor_name=name if name or e.actor_id is None else "居民",
                at=e.at,
                note=e.note,
            )
            for e, name in events
        ],
        order=order_out(order, member_name) if order is not None else None,
        viewer_is_requester=wish.requester_id == principal.id,
        actions=await actions_for(session, principal, wish, order),
    )


@router.get(
    "/{wish_id}",
    response_model=schemas.WishDetail,
    summary="A wish with its timeline (requester, its compound's staff, members who may take it)",
)
async def get_wish(wish_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.WishDetail:
    wish = await service.get_wish(session, wish_id)
    return await detail(session, principal, wish)


@router.post(
    "/{wish_id}/review",
    response_model=schemas.WishDetail,
    summary="Approve or reject a pending wish (dispatcher of its compound)",
)
async def review(
    wish_id: IdPath, body: schemas.ReviewIn, session: SessionDep, principal: Dispatcher
) -> schemas.WishDetail:
    wish = await service.get_wish(session, wish_id)
    await principal.require_compound(session, wish.compound_id, "dispatcher")
    await service.review(session, wish, actor_id=principal.id, approve=body.decision == "approve", reason=body.reason)
    return await detail(session, principal, wish)


@router.post("/{wish_id}/cancel", response_model=schemas.WishDetail, summary="Cancel a wish (its requester)")
async def cancel(
    wish_id: IdPath, body: schemas.ReasonIn, session: SessionDep, principal: CurrentUser
) -> schemas.WishDetail:
    wish = await service.get_wish(session, wish_id)
    await service.cancel(session, wish, actor_id=principal.id, reason=body.reason)
    return await detail(session, principal, wish)


@router.post(
    "/{wish_id}/confirm",
    response_model=schemas.WishDetail,
    summary="Confirm a completed wish and rate it (its requester)",
)
async def confirm(
    wish_id: IdPath, body: schemas.ConfirmIn, session: SessionDep, principal: CurrentUser
) -> schemas.WishDetail:
    wish = await service.get_wish(session, wish_id)
    await service.confirm(session, wish, actor_id=principal.id, rating=body.rating, comment=body.comment)
    return await detail(session, principal, wish)
