"""Sweeps over wishes and their orders: remind members of offers about to expire, return
expired offers to the wall, flag accepted orders past their due time. Each runs in the sweeper's
own transaction (backend/worker.py); each item in a savepoint, so one conflict skips one item."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch import notifications as order_notifications
from backend.dispatch import service as dispatch_service
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict
from backend.notify.models import Notification
from backend.wishes import service as wishes_service
from backend.wishes.state import WISH


async def expire_due_offers(session: AsyncSession, limit: int = 500) -> int:
    """Offers left unanswered past their deadline: order expired, wish back to open."""
    now = utcnow()
    expired = 0
    for order in await dispatch_service.offers_due(session, now, limit):
        try:
            async with session.begin_nested():
                wish = await wishes_service.get_wish(session, order.wish_id, for_update=True)
                await dispatch_service.move(session, order, "expired", responded_at=now)
                await WISH.apply(session, wish, "offer_expired", note="党员超时未响应，已退回待派单")
                await order_notifications.offer_expired(session, wish, order)
        except Conflict:
            continue
        expired += 1
    return expired


def _reminder_key(order_id: int) -> str:
    return f"offer_expiring:order:{order_id}"


async def remind_expiring_offers(session: AsyncSession, within: timedelta, limit: int = 500) -> int:
    """Remind members of offers expiring within `within`, once per offer. An offer younger than
    half its time to live is not reminded (for a short offer the dispatch message is reminder enough)."""
    if within <= timedelta(0):
        return 0
    now = utcnow()
    orders = await dispatch_service.offers_expiring_before(session, now + within, limit)
    if not orders:
        return 0
    done = await session.execute(
        select(Notification.dedupe_key).where(
            Notification.dedupe_key.in_([f"{_reminder_key(o.id)}:u{o.member_id}" for o in orders])
        )
    )
    seen = set(done.scalars())
    reminded = 0
    for order in orders:
        if (
            order.expires_at is None
            or order.expires_at <= now
            or f"{_reminder_key(order.id)}:u{order.member_id}" in seen
        ):
            continue
        if now - order.created_at < (order.expires_at - order.created_at) / 2:
            continue
        wish = await wishes_service.get_wish(session, order.wish_id)
        reminded += await order_notifications.offer_expiring(session, wish, order, _reminder_key(order.id))
    return reminded


async def flag_overdue_orders(session: AsyncSession, limit: int = 500) -> int:
    """Accepted orders not completed by their due time: mark each overdue once and tell whoever
    dispatched it, or for a claim the compound's dispatchers, so the Party branch follows up."""
    flagged = 0
    for order in await dispatch_service.orders_past_due(session, utcnow(), limit):
        wish = await wishes_service.get_wish(session, order.wish_id, for_update=True)  # the wish first, as every flow
        if not await dispatch_service.flag_overdue(session, order):
            continue  # completed or flagged by another sweeper meanwhile
        if order.dispatched_by is not None:
            recipients = [order.dispatched_by]
        else:
            recipients = await directory_service.holders_of(session, ["dispatcher"], "compound", order.compound_id)
        await order_notifications.overdue(session, wish, order, recipients)
        flagged += 1
    return flagged
