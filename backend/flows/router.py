"""Routes that concern a wish and its order together: candidates and dispatch (dispatcher),
claim, accept, decline, complete (member), cancel and confirm (requester), and the order lists."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from backend.auth.deps import CurrentUser, Dispatcher, Member
from backend.directory import service as directory_service
from backend.dispatch import ranking
from backend.dispatch import service as dispatch_service
from backend.dispatch.state import STATUSES as ORDER_STATUSES
from backend.flows import wish_orders
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath
from backend.wishes import schemas, views
from backend.wishes import service as wishes_service
from backend.wishes.categories import CATEGORY_SKILLS
from backend.wishes.policy import WishForDispatcher, WishForDispatcherLocked, WishForMemberLocked, WishLocked

router = APIRouter(prefix="/api/v1")
DISPATCH = ["dispatch"]
WISHES = ["wishes"]


@router.get(
    "/wishes/{wish_id}/candidates",
    tags=DISPATCH,
    response_model=schemas.CandidatesOut,
    summary="Members ranked for this wish, with reasons (dispatcher of its compound)",
)
async def candidates(
    wish: WishForDispatcher,
    session: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=200, description="the best this many (1-200)")] = 50,
) -> schemas.CandidatesOut:
    items, total = await ranking.candidates(
        session,
        compound_id=wish.compound_id,
        requester_id=wish.requester_id,
        wanted_skills=CATEGORY_SKILLS.get(wish.category, set()),
        max_open=settings.max_open_orders,
        limit=limit,
    )
    return schemas.CandidatesOut(items=[schemas.Candidate(**c) for c in items], total=total)


@router.post(
    "/wishes/{wish_id}/dispatch",
    tags=DISPATCH,
    response_model=schemas.WishDetail,
    summary="Dispatch an open wish to a member (dispatcher of its compound)",
)
async def dispatch(
    wish: WishForDispatcherLocked,
    body: schemas.DispatchIn,
    session: SessionDep,
    principal: Dispatcher,
    settings: SettingsDep,
) -> schemas.WishDetail:
    await wish_orders.dispatch(
        session,
        wish,
        member_id=body.member_id,
        actor_id=principal.id,
        note=body.note,
        offer_ttl=timedelta(hours=settings.offer_ttl_hours),
        max_open=settings.max_open_orders,
    )
    return await views.detail(session, principal, wish)


@router.post(
    "/wishes/{wish_id}/claim",
    tags=DISPATCH,
    response_model=schemas.WishDetail,
    summary="Claim an open wish from the wall (party_member of its compound)",
)
async def claim(
    wish: WishForMemberLocked, session: SessionDep, principal: Member, settings: SettingsDep
) -> schemas.WishDetail:
    await wish_orders.claim(
        session,
        wish,
        member_id=principal.id,
        max_open=settings.max_open_orders,
        due_in=timedelta(days=settings.order_due_days),
    )
    return await views.detail(session, principal, wish, reveal=True)


@router.post(
    "/wishes/{wish_id}/complete",
    tags=DISPATCH,
    response_model=schemas.WishDetail,
    summary="Report a wish fulfilled, with a note and photos (the member who accepted it)",
)
async def complete(
    wish: WishForMemberLocked, body: schemas.CompleteIn, session: SessionDep, principal: Member
) -> schemas.WishDetail:
    await wish_orders.complete(session, wish, member_id=principal.id, note=body.note, photos=body.photos)
    return await views.detail(session, principal, wish, reveal=True)


@router.post(
    "/wishes/{wish_id}/cancel", tags=WISHES, response_model=schemas.WishDetail, summary="Cancel a wish (its requester)"
)
async def cancel(
    wish: WishLocked, body: schemas.ReasonIn, session: SessionDep, principal: CurrentUser
) -> schemas.WishDetail:
    await wish_orders.cancel(session, wish, actor_id=principal.id, reason=body.reason)
    return await views.detail(session, principal, wish)


@router.post(
    "/wishes/{wish_id}/confirm",
    tags=WISHES,
    response_model=schemas.WishDetail,
    summary="Confirm a completed wish and rate it (its requester)",
)
async def confirm(
    wish: WishLocked, body: schemas.ConfirmIn, session: SessionDep, principal: CurrentUser
) -> schemas.WishDetail:
    await wish_orders.confirm(session, wish, actor_id=principal.id, rating=body.rating, comment=body.comment)
    return await views.detail(session, principal, wish)


def _order_statuses(status: str | None) -> list[str] | None:
    statuses = [s for s in (status or "").split(",") if s]
    if any(s not in ORDER_STATUSES for s in statuses):
        raise InvalidInput(f"未知的订单状态；可用：{', '.join(ORDER_STATUSES)}", code="invalid_status")
    return statuses or None


@router.get(
    "/orders",
    tags=DISPATCH,
    response_model=Page[schemas.OrderWithWish],
    summary="Orders: the caller's own (mine=true, members) or of the compounds they dispatch",
)
async def list_orders(
    session: SessionDep,
    principal: CurrentUser,
    mine: bool = True,
    status: Annotated[str | None, Query(description="one order status or several separated by commas")] = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.OrderWithWish]:
    statuses = _order_statuses(status)
    if mine:
        if not principal.has_role("party_member"):
            raise Forbidden("只有报到党员有自己的订单", code="role_required")
        member_id, compound_ids = principal.id, None
    else:
        compound_ids = await principal.compound_ids(session, "dispatcher", "community_admin", "street_admin")
        if not compound_ids:
            raise Forbidden("您没有查看小区订单的权限", code="role_required")
        member_id = None
    rows = await dispatch_service.list_orders(
        session,
        member_id=member_id,
        compound_ids=compound_ids,
        statuses=statuses,
        cursor=parse_cursor(cursor),
        limit=limit,
    )
    rows, next_cursor = page_of(rows, limit)
    wishes = await wishes_service.wishes_by_id(session, [o.wish_id for o in rows])
    names = await directory_service.names_of(session, [o.member_id for o in rows])
    items = [
        schemas.OrderWithWish(
            **views.order_out(o, names.get(o.member_id)).model_dump(),
            wish_title=wishes[o.wish_id].title,
            wish_status=wishes[o.wish_id].status,
            wish_category=wishes[o.wish_id].category,
        )
        for o in rows
    ]
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/orders/{order_id}/accept",
    tags=DISPATCH,
    response_model=schemas.WishDetail,
    summary="Accept a dispatched order (the member it was sent to)",
)
async def accept(order_id: IdPath, session: SessionDep, principal: Member, settings: SettingsDep) -> schemas.WishDetail:
    order = await dispatch_service.get_order(session, order_id)
    wish = await wishes_service.get_wish(session, order.wish_id, for_update=True)
    await session.refresh(order)  # as it stands now that its wish is locked
    due_in = timedelta(days=settings.order_due_days)
    await wish_orders.accept(session, wish, order, member_id=principal.id, due_in=due_in)
    return await views.detail(session, principal, wish, reveal=True)


@router.post(
    "/orders/{order_id}/decline",
    tags=DISPATCH,
    response_model=schemas.WishDetail,
    summary="Decline a dispatched order with a reason (the member it was sent to)",
)
async def decline(
    order_id: IdPath, body: schemas.ReasonIn, session: SessionDep, principal: Member
) -> schemas.WishDetail:
    order = await dispatch_service.get_order(session, order_id)
    wish = await wishes_service.get_wish(session, order.wish_id, for_update=True)
    await session.refresh(order)  # as it stands now that its wish is locked
    await wish_orders.decline(session, wish, order, member_id=principal.id, reason=body.reason)
    return await views.detail(session, principal, wish, reveal=False)
