"""Orders: one wish offered to (dispatch) or claimed by (claim) one Party member. This module
keeps the order rows, and every change to one (`add_order`, `move`) recounts the member's counts
that the candidate ranking reads (backend/dispatch/ranking.py); the actions that move a wish and
its order together are in backend/flows/wish_orders.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.dispatch import ranking
from backend.dispatch.models import Order
from backend.dispatch.state import LIVE, ORDER, OrderStatus
from backend.kernel.clock import utcnow
from backend.kernel.driver_read import DriverRead
from backend.kernel.errors import Conflict, NotFound
from backend.people.models import MemberProfile


async def get_order(session: AsyncSession, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound(f"订单 {order_id} 不存在", code="order_not_found")
    return order


async def live_order(session: AsyncSession, wish_id: int) -> Order | None:
    stmt = select(Order).where(Order.wish_id == wish_id, Order.status.in_(LIVE))
    return (await session.execute(stmt)).scalar_one_or_none()


_LATEST_ORDER = select(Order).where(Order.wish_id == bindparam("wish_id")).order_by(Order.id.desc()).limit(1)


# The wish detail's order card: the newest order with what the card says of its member (name, and
# phone with the member's choice to share it), one statement through the driver.
_ORDER_CARD = DriverRead(
    select(
        Order.id,
        Order.wish_id,
        Order.member_id,
        Order.kind,
        Order.status,
        Order.note,
        Order.decline_reason,
        Order.completion_note,
        Order.photos,
        Order.created_at,
        Order.expires_at,
        Order.responded_at,
        Order.completed_at,
        Order.due_at,
        Order.overdue_at,
        User.name.label("member_name"),
        User.phone.label("member_phone"),
        MemberProfile.share_phone,
    )
    .join(User, User.id == Order.member_id)
    .outerjoin(MemberProfile, MemberProfile.user_id == Order.member_id)
    .where(Order.wish_id == bindparam("wish_id"))
    .order_by(Order.id.desc())
    .limit(1)
)


async def latest_order_card(session: AsyncSession, wish_id: int) -> Row | None:
    """The wish's newest order as a row of plain columns with its member's name, phone and
    share_phone (None without a profile); the session's pending changes are flushed first."""
    rows = await _ORDER_CARD.all(session, {"wish_id": wish_id})
    return rows[0] if rows else None


async def latest_order(session: AsyncSession, wish_id: int) -> Order | None:
    """The wish's newest order (statement built once: building it cost more CPU than running it)."""
    return (await session.execute(_LATEST_ORDER, {"wish_id": wish_id})).scalar_one_or_none()


async def add_order(session: AsyncSession, order: Order) -> Order:
    """Insert a new live order; the partial unique index lets at most one live order per wish."""
    try:
        async with session.begin_nested():
            session.add(order)
    except IntegrityError as exc:
        raise Conflict("该心愿已被其他党员接单", code="already_taken") from exc
    await ranking.refresh_counts(session, {order.member_id})
    return order


async def move(session: AsyncSession, order: Order, event: str, **values) -> None:
    """Apply one order transition (compare-and-set on its status) and reload the row; the member's
    counts for the ranking are recounted in the same transaction."""
    await ORDER.apply(session, order, event, values=values)
    await ranking.refresh_counts(session, {order.member_id})
    await session.refresh(order)


async def open_orders_count(session: AsyncSession, member_id: int) -> int:
    stmt = select(func.count()).select_from(Order).where(Order.member_id == member_id, Order.status.in_(LIVE))
    return (await session.execute(stmt)).scalar_one()


async def offers_due(session: AsyncSession, now: datetime, limit: int = 500) -> list[Order]:
    """Offers left unanswered past their deadline."""
    stmt = (
        select(Order)
        .where(Order.status == OrderStatus.offered, Order.expires_at <= now)
        .order_by(Order.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def offers_expiring_before(session: AsyncSession, before: datetime, limit: int = 500) -> list[Order]:
    """Offers still unanswered whose deadline is before `before` (for the reminder sweep)."""
    stmt = (
        select(Order)
        .where(Order.status == OrderStatus.offered, Order.expires_at <= before)
        .order_by(Order.expires_at)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def orders_past_due(session: AsyncSession, now: datetime, limit: int = 500) -> list[Order]:
    """Accepted orders not completed by their due time and not yet flagged."""
    stmt = (
        select(Order)
        .where(Order.status == OrderStatus.accepted, Order.due_at <= now, Order.overdue_at.is_(None))
        .order_by(Order.due_at)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def flag_overdue(session: AsyncSession, order: Order) -> bool:
    """Mark an accepted order overdue, once; False when it was completed or flagged meanwhile."""
    done = await session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == OrderStatus.accepted, Order.overdue_at.is_(None))
        .values(overdue_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        return False
    await session.refresh(order)
    return True


async def list_orders(
    session: AsyncSession,
    *,
    member_id: int | None,
    compound_ids: set[int] | None,
    statuses: list[str] | None,
    cursor: int | None,
    limit: int,
) -> list[Order]:
    """A keyset page of orders, newest first."""
    stmt = select(Order)
    if member_id is not None:
        stmt = stmt.where(Order.member_id == member_id)
    if compound_ids is not None:
        stmt = stmt.where(Order.compound_id.in_(compound_ids))
    if statuses:
        stmt = stmt.where(Order.status.in_(statuses))
    if cursor is not None:
        stmt = stmt.where(Order.id < cursor)
    stmt = stmt.order_by(Order.id.desc()).limit(limit + 1)
    return list((await session.execute(stmt)).scalars())
