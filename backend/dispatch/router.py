"""Dispatch routes: candidates and dispatch (dispatcher), claim/accept/decline/complete (member)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from backend.auth.deps import CurrentUser, Dispatcher, Member
from backend.directory import service as directory_service
from backend.dispatch import service
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath
from backend.wishes import schemas
from backend.wishes import service as wishes_service
from backend.wishes.router import detail, order_out

router = APIRouter(prefix="/api/v1", tags=["dispatch"])

ORDER_STATUSES = tuple(service.ORDER_LABELS)


@router.get(
    "/wishes/{wish_id}/candidates",
    response_model=schemas.CandidatesOut,
    summary="Members ranked for this wish, with reasons (dispatcher of its compound)",
)
async def candidates(
    wish_id: IdPath,
    request: Request,
    session: SessionDep,
    principal: Dispatcher,
    limit: Annotated[int, Query(ge=1, le=200, description="the best this many (1-200)")] = 50,
) -> schemas.CandidatesOut:
    wish = await wishes_service.get_wish(session, wish_id)
    await principal.require_compound(session, wish.compound_id, "dispatcher")
    items = await service.candidates(session, wish, max_open=request.app.state.settings.max_open_orders)
    return schemas.CandidatesOut(items=[schemas.Candidate(**c) for c in items[:limit]], total=len(items))


@router.post(
    "/wishes/{wish_id}/dispatch",
    response_model=schemas.WishDetail,
    summary="Dispatch an open wish to a member (dispatcher of its compound)",
)
async def dispatch(
    wish_id: IdPath, body: schemas.DispatchIn, request: Request, session: SessionDep, principal: Dispatcher
) -> schemas.WishDetail:
    wish = await wishes_service.get_wish(session, wish_id)
    await principal.require_compound(session, wish.compound_id, "dispatcher")
    ttl = timedelta(hours=request.app.state.settings.offer_ttl_hours)
    await service.dispatch(
        session,
        wish,
        member_id=body.member_id,
        actor_id=principal.id,
        note=body.note,
        offer_ttl=ttl,
        max_open=request.app.state.settings.max_open_orders,
    )
    return await detail(session, principal, wish)


@router.post(
    "/wishes/{wish_id}/claim",
    response_model=schemas.WishDetail,
    summary="Claim an open wish from the wall (party_member of its compound)",
)
async def claim(wish_id: IdPath, request: Request, session: SessionDep, principal: Member) -> schemas.WishDetail:
    wish = await wishes_service.get_wish(session, wish_id)
    settings = request.app.state.settings
    await service.claim(
        session,
        wish,
        member_id=principal.id,
        max_open=settings.max_open_orders,
        due_in=timedelta(days=settings.order_due_days),
    )
    return await detail(session, principal, wish, reveal=True)


@router.post(
    "/wishes/{wish_id}/complete",
    response_model=schemas.WishDetail,
    summary="Report a wish fulfilled, with a note and photos (the member who accepted it)",
)
async def complete(
    wish_id: IdPath, body: schemas.CompleteIn, session: SessionDep, principal: Member
) -> schemas.WishDetail:
    wish = await wishes_service.get_wish(session, wish_id)
    await service.complete(session, wish, member_id=principal.id, note=body.note, photos=body.photos)
    return await detail(session, principal, wish, reveal=True)


@router.get(
    "/orders",
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
    statuses = [s for s in (status or "").split(",") if s]
    if any(s not in ORDER_STATUSES for s in statuses):
        raise InvalidInput(f"未知的订单状态；可用：{', '.join(ORDER_STATUSES)}", code="invalid_status")
    if mine:
        if not principal.has_role("party_member"):
            raise Forbidden("只有报到党员有自己的订单", code="role_required")
        member_id, compound_ids = principal.id, None
    else:
        compound_ids = await principal.compound_ids(session, "dispatcher", "community_admin", "street_admin")
        if not compound_ids:
            raise Forbidden("您没有查看小区订单的权限", code="role_required")
        member_id = None
    rows = await service.list_orders(
        session,
        member_id=member_id,
        compound_ids=compound_ids,
        statuses=statuses or None,
        cursor=parse_cursor(cursor),
        limit=limit,
    )
    rows, next_cursor = page_of(rows, limit, key=lambda r: r[0].id)
    names = await directory_service.users_by_id(session, [o.member_id for o, _ in rows])
    items = [
        schemas.OrderWithWish(
            **order_out(o, names[o.member_id].name).model_dump(),
            wish_title=w.title,
            wish_status=w.status,
            wish_category=w.category,
        )
        for o, w in rows
    ]
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/orders/{order_id}/accept",
    response_model=schemas.WishDetail,
    summary="Accept a dispatched order (the member it was sent to)",
)
async def accept(order_id: IdPath, request: Request, session: SessionDep, principal: Member) -> schemas.WishDetail:
    order = await service.get_order(session, order_id)
    due_in = timedelta(days=request.app.state.settings.order_due_days)
    await service.accept(session, order, member_id=principal.id, due_in=due_in)
    wish = await wishes_service.get_wish(session, order.wish_id)
    return await detail(session, principal, wish, reveal=True)


@router.post(
    "/orders/{order_id}/decline",
    response_model=schemas.WishDetail,
    summary="Decline a dispatched order with a reason (the member it was sent to)",
)
async def decline(
    order_id: IdPath, body: schemas.ReasonIn, session: SessionDep, principal: Member
) -> schemas.WishDetail:
    order = await service.get_order(session, order_id)
    await service.decline(session, order, member_id=principal.id, reason=body.reason)
    wish = await wishes_service.get_wish(session, order.wish_id)
    return await detail(session, principal, wish, reveal=False)
