"""The actions that move a wish and its order together: dispatch (派单), claim (认领), accept,
decline, complete, cancel, confirm.

Locking: every action locks the wish row first (the route loads it FOR UPDATE), then changes the
order, so two actions on one wish queue up instead of deadlocking on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch import notifications as order_notifications
from backend.dispatch import service as dispatch_service
from backend.dispatch.models import Order
from backend.dispatch.state import ORDER, OrderKind, OrderStatus
from backend.files import service as files_service
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, Forbidden, InvalidInput
from backend.people import service as people_service
from backend.wishes import notifications as wish_notifications
from backend.wishes.models import Wish
from backend.wishes.state import OFFERED_OR_TAKEN, WISH

DEFAULT_ORDER_DUE = timedelta(days=7)


async def _require_member_of(session: AsyncSession, member_id: int, compound_id: int) -> None:
    if compound_id not in await directory_service.member_compounds(session, member_id):
        raise InvalidInput("该党员未在此小区报到", code="member_not_in_compound")


async def _check_load(session: AsyncSession, member_id: int, max_open: int, code: str, message: str) -> None:
    open_count = await dispatch_service.open_orders_count(session, member_id)
    if open_count >= max_open:
        raise Conflict(message.format(n=open_count), code=code)


async def _disclose(session: AsyncSession, wish: Wish, member_id: int) -> None:
    note = "居民姓名、电话和门牌号已向接单党员及小区党支部公开"
    await WISH.record(session, wish, "contact_disclosed", actor_id=member_id, note=note)


async def dispatch(
    session: AsyncSession,
    wish: Wish,
    *,
    member_id: int,
    actor_id: int,
    note: str | None,
    offer_ttl: timedelta,
    max_open: int = 3,
) -> Order:
    """派单: offer an open wish to one member of its compound."""
    if member_id == wish.requester_id:
        raise Conflict("不能把心愿派给提出心愿的居民本人", code="own_wish")
    await _require_member_of(session, member_id, wish.compound_id)
    if not (await people_service.get_profile(session, member_id)).available:
        raise Conflict("该党员已设置为暂不接单", code="member_unavailable")
    await _check_load(session, member_id, max_open, "member_overloaded", "该党员已有{n}个在办订单，请选择其他党员")
    name = (await directory_service.names_of(session, [member_id]))[member_id]
    await WISH.apply(
        session, wish, "dispatched", actor_id=actor_id, note=f"派给 {name}" + (f"：{note}" if note else "")
    )
    now = utcnow()
    order = Order(
        wish_id=wish.id,
        member_id=member_id,
        compound_id=wish.compound_id,
        kind=OrderKind.dispatch,
        status=OrderStatus.offered,
        dispatched_by=actor_id,
        note=note,
        created_at=now,
        expires_at=now + offer_ttl,
    )
    await dispatch_service.add_order(session, order)
    await people_service.add_to_member_totals(session, member_id, offers_total=1)
    await order_notifications.dispatched(session, wish, order)
    return order


async def claim(
    session: AsyncSession, wish: Wish, *, member_id: int, max_open: int, due_in: timedelta = DEFAULT_ORDER_DUE
) -> Order:
    """认领: a member of the compound takes an open wish from the wall."""
    if wish.compound_id not in await directory_service.member_compounds(session, member_id):
        raise Forbidden("只能认领您报到小区的心愿", code="out_of_scope")
    if member_id == wish.requester_id:
        raise Conflict("不能认领自己提出的心愿", code="own_wish")
    if wish.status in OFFERED_OR_TAKEN:
        raise Conflict("该心愿已被其他党员接单", code="already_taken")
    await _check_load(session, member_id, max_open, "too_many_open_orders", "您已有{n}个在办订单，请先完成后再认领")
    now = utcnow()
    await WISH.apply(
        session, wish, "claimed", actor_id=member_id, values={"accepted_at": now}, conflict_code="already_taken"
    )
    order = Order(
        wish_id=wish.id,
        member_id=member_id,
        compound_id=wish.compound_id,
        kind=OrderKind.claim,
        status=OrderStatus.accepted,
        created_at=now,
        responded_at=now,
        due_at=now + due_in,
    )
    await dispatch_service.add_order(session, order)
    await _disclose(session, wish, member_id)
    await order_notifications.accepted(session, wish, order)
    return order


def _own_order(order: Order, member_id: int) -> None:
    if order.member_id != member_id:
        raise Forbidden("这不是派给您的订单", code="not_your_order")


async def accept(
    session: AsyncSession, wish: Wish, order: Order, *, member_id: int, due_in: timedelta = DEFAULT_ORDER_DUE
) -> Order:
    """接单: the member an order was offered to accepts it before it expires."""
    _own_order(order, member_id)
    if order.status != OrderStatus.offered:
        raise Conflict(f"订单当前状态为「{ORDER.label(order.status)}」，不能接单", code="invalid_state")
    if order.expires_at is not None and order.expires_at <= utcnow():
        raise Conflict("该派单已超时，已退回小区重新派单", code="offer_expired")
    now = utcnow()
    await dispatch_service.move(session, order, "accepted", responded_at=now, due_at=now + due_in)
    if order.kind == OrderKind.dispatch:
        await people_service.add_to_member_totals(session, member_id, offers_taken_total=1)
    await WISH.apply(session, wish, "accepted", actor_id=member_id, values={"accepted_at": now})
    await _disclose(session, wish, member_id)
    await order_notifications.accepted(session, wish, order)
    return order


async def decline(session: AsyncSession, wish: Wish, order: Order, *, member_id: int, reason: str) -> Order:
    """婉拒: the member declines an offer with a reason; the wish is open again."""
    _own_order(order, member_id)
    if order.status != OrderStatus.offered:
        raise Conflict(f"订单当前状态为「{ORDER.label(order.status)}」，不能婉拒", code="invalid_state")
    await dispatch_service.move(session, order, "declined", responded_at=utcnow(), decline_reason=reason)
    await WISH.apply(session, wish, "declined", actor_id=member_id, note=reason)
    await order_notifications.declined(session, wish, order)
    return order


async def complete(session: AsyncSession, wish: Wish, *, member_id: int, note: str, photos: list[str]) -> Order:
    """The member who holds the wish reports it fulfilled, with a note and photos."""
    order = await dispatch_service.live_order(session, wish.id)
    if order is None and not WISH.can(wish.status, "completed"):  # cancelled meanwhile: the loser's 409
        raise WISH.refusal(wish.status, "completed")
    if order is None or order.member_id != member_id:
        raise Forbidden("只有接单的党员可以提交完成", code="not_your_order")
    if order.status != OrderStatus.accepted:
        raise Conflict("请先接单，再提交完成", code="invalid_state")
    await files_service.attach(session, photos)
    now = utcnow()
    await dispatch_service.move(session, order, "completed", completed_at=now, completion_note=note, photos=photos)
    await WISH.apply(session, wish, "completed", actor_id=member_id, note=note, values={"completed_at": now})
    await wish_notifications.completed(session, wish, order)
    return order


async def cancel(session: AsyncSession, wish: Wish, *, actor_id: int, reason: str) -> Wish:
    """The requester cancels their wish; a live order ends with it and its member is told."""
    if wish.requester_id != actor_id:
        raise Forbidden("只有提出心愿的居民可以取消", code="not_requester")
    values = {"cancel_reason": reason, "closed_at": utcnow()}
    await WISH.apply(session, wish, "cancelled", actor_id=actor_id, note=reason, values=values)
    held = await dispatch_service.live_order(session, wish.id)
    if held is not None:
        was = held.status
        await dispatch_service.move(session, held, "cancelled", responded_at=held.responded_at or utcnow())
        if was == OrderStatus.accepted and held.kind == OrderKind.dispatch:
            # the acceptance rate counts offers that stand accepted or completed, as MEMBER_TOTALS_SQL does
            await people_service.add_to_member_totals(session, held.member_id, offers_taken_total=-1)
    await wish_notifications.cancelled(session, wish, held)
    return wish


async def confirm(session: AsyncSession, wish: Wish, *, actor_id: int, rating: int, comment: str | None) -> Wish:
    """The requester confirms a completed wish and rates it; the member's rating totals move."""
    if wish.requester_id != actor_id:
        raise Forbidden("只有提出心愿的居民可以确认评价", code="not_requester")
    values = {"rating": rating, "comment": comment, "closed_at": utcnow()}
    await WISH.apply(session, wish, "confirmed", actor_id=actor_id, note=comment, values=values)
    done = await dispatch_service.latest_order(session, wish.id)
    if done is not None and done.status == OrderStatus.completed:
        await people_service.add_to_member_totals(session, done.member_id, rating_sum=rating, rating_count=1)
    return wish
