"""Wish events as messages to the requester and to the member who holds the wish."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.kernel.clock import utcnow
from backend.notify import service as notify_service
from backend.wishes.models import Wish
from backend.wishes.state import WishStatus


def ref_of(wish: Wish) -> dict[str, Any]:
    return {"ref": ("wish", wish.id), "compound_id": wish.compound_id}


async def reviewed(session: AsyncSession, wish: Wish) -> None:
    params = {
        "wish_id": wish.id,
        "wish_title": wish.title,
        "approved": wish.status != WishStatus.rejected,
        "reason": wish.reject_reason,
        "at": wish.reviewed_at or utcnow(),
    }
    await notify_service.emit(session, "wish_reviewed", [wish.requester_id], params, **ref_of(wish))


async def completed(session: AsyncSession, wish: Wish, order: Any) -> None:
    """To the requester: the member reported the wish fulfilled; please confirm and rate."""
    names = await directory_service.names_of(session, [order.member_id])
    params = {
        "wish_id": wish.id,
        "order_id": order.id,
        "wish_title": wish.title,
        "member_name": names.get(order.member_id),
        "at": order.completed_at or utcnow(),
    }
    await notify_service.emit(session, "wish_completed", [wish.requester_id], params, **ref_of(wish))


async def cancelled(session: AsyncSession, wish: Wish, order: Any | None) -> None:
    """To the member holding the wish (a live order) when the requester cancels it."""
    if order is None:
        return
    params = {
        "wish_id": wish.id,
        "order_id": order.id,
        "wish_title": wish.title,
        "reason": wish.cancel_reason,
        "at": wish.closed_at or utcnow(),
    }
    await notify_service.emit(session, "wish_cancelled", [order.member_id], params, **ref_of(wish))


async def callback_requested(session: AsyncSession, wish: Wish, order: Any) -> None:
    """To the member holding the wish: the requester asks them to call back."""
    requester = (await directory_service.users_by_id(session, [wish.requester_id]))[wish.requester_id]
    params = {
        "wish_id": wish.id,
        "order_id": order.id,
        "wish_title": wish.title,
        "requester_name": requester.name,
        "phone": requester.phone,
        "at": utcnow(),
    }
    await notify_service.emit(session, "callback_requested", [order.member_id], params, **ref_of(wish))
