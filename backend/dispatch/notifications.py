"""Order events as messages: to the member an order went to, the requester of its wish, and the
Party branch. `wish` is the order's wish (any object with id, title, requester_id, compound_id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch.models import Order
from backend.kernel.clock import utcnow
from backend.notify import service as notify_service


def ref_of(wish: Any) -> dict[str, Any]:
    return {"ref": ("wish", wish.id), "compound_id": wish.compound_id}


def params_of(wish: Any, order: Order, **extra: Any) -> dict[str, Any]:
    return {"wish_id": wish.id, "order_id": order.id, "wish_title": wish.title, **extra}


async def _member_name(session: AsyncSession, order: Order) -> str | None:
    return (await directory_service.names_of(session, [order.member_id])).get(order.member_id)


async def dispatched(session: AsyncSession, wish: Any, order: Order) -> None:
    params = params_of(wish, order, note=order.note, expires_at=order.expires_at)
    await notify_service.emit(session, "order_dispatched", [order.member_id], params, **ref_of(wish))


async def accepted(session: AsyncSession, wish: Any, order: Order) -> None:
    params = params_of(
        wish,
        order,
        member_name=await _member_name(session, order),
        kind=order.kind,
        at=order.responded_at or utcnow(),
    )
    await notify_service.emit(session, "order_accepted", [wish.requester_id], params, **ref_of(wish))


async def declined(session: AsyncSession, wish: Any, order: Order) -> None:
    params = params_of(
        wish,
        order,
        member_name=await _member_name(session, order),
        reason=order.decline_reason,
        at=order.responded_at or utcnow(),
    )
    await notify_service.emit(session, "order_declined", [wish.requester_id], params, **ref_of(wish))
    await notify_service.emit(session, "order_declined_dispatcher", [order.dispatched_by], params, **ref_of(wish))


async def offer_expired(session: AsyncSession, wish: Any, order: Order) -> None:
    params = params_of(wish, order, member_name=await _member_name(session, order), at=order.responded_at or utcnow())
    await notify_service.emit(session, "offer_expired", [order.dispatched_by], params, **ref_of(wish))


async def offer_expiring(session: AsyncSession, wish: Any, order: Order, dedupe_key: str) -> int:
    params = params_of(wish, order, expires_at=order.expires_at)
    sent = await notify_service.emit(
        session, "offer_expiring", [order.member_id], params, dedupe_key=dedupe_key, **ref_of(wish)
    )
    return len(sent)


async def overdue(session: AsyncSession, wish: Any, order: Order, recipients: list[int]) -> None:
    params = params_of(wish, order, member_name=await _member_name(session, order), since=order.due_at or utcnow())
    await notify_service.emit(session, "order_overdue", recipients, params, **ref_of(wish))
