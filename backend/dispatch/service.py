"""Orders: dispatch (派单), claim from the wall (认领), accept/decline, complete, offer expiry,
and the candidate ranking that helps a dispatcher choose."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch.models import LIVE_ORDER_STATUSES, Order
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.notify import service as notify_service
from backend.people import service as people_service
from backend.wishes import service as wishes_service
from backend.wishes.categories import CATEGORY_SKILLS
from backend.wishes.models import Wish


async def get_order(session: AsyncSession, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound(f"订单 {order_id} 不存在", code="order_not_found")
    return order


async def live_order(session: AsyncSession, wish_id: int) -> Order | None:
    stmt = select(Order).where(Order.wish_id == wish_id, Order.status.in_(LIVE_ORDER_STATUSES))
    return (await session.execute(stmt)).scalar_one_or_none()


async def latest_order(session: AsyncSession, wish_id: int) -> Order | None:
    stmt = select(Order).where(Order.wish_id == wish_id).order_by(Order.id.desc()).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def _set_order_status(session: AsyncSession, order: Order, expected: str, new: str, **values) -> None:
    """Compare-and-set on the order's status, like the wish transition."""
    result = await session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict("订单已被他人更新，请刷新后重试", code="state_changed")
    await session.refresh(order)


async def _insert_order(session: AsyncSession, order: Order) -> Order:
    try:
        async with session.begin_nested():
            session.add(order)
    except IntegrityError as exc:  # the partial unique index: one live order per wish
        raise Conflict("该心愿已被其他党员接单", code="already_taken") from exc
    return order


async def _require_member_of(session: AsyncSession, member_id: int, compound_id: int) -> None:
    if compound_id not in await directory_service.member_compounds(session, member_id):
        raise InvalidInput("该党员未在此小区报到", code="member_not_in_compound")


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
    if member_id == wish.requester_id:
        raise Conflict("不能把心愿派给提出心愿的居民本人", code="own_wish")
    await _require_member_of(session, member_id, wish.compound_id)
    profile = await people_service.get_profile(session, member_id)
    if not profile.available:
        raise Conflict("该党员已设置为暂不接单", code="member_unavailable")
    open_count = await _open_orders_count(session, member_id)
    if open_count >= max_open:
        raise Conflict(f"该党员已有{open_count}个在办订单，请选择其他党员", code="member_overloaded")
    member = (await directory_service.users_by_id(session, [member_id]))[member_id]
    now = utcnow()
    await wishes_service.transition(
        session,
        wish,
        "dispatched",
        "dispatched",
        actor_id=actor_id,
        note=f"派给 {member.name}" + (f"：{note}" if note else ""),
    )
    order = Order(
        wish_id=wish.id,
        member_id=member_id,
        compound_id=wish.compound_id,
        kind="dispatch",
        status="offered",
        dispatched_by=actor_id,
        note=note,
        created_at=now,
        expires_at=now + offer_ttl,
    )
    await _insert_order(session, order)
    await people_service.add_to_member_totals(session, member_id, offers_total=1)
    await notify_service.order_dispatched(session, wish, order)
    return order


DEFAULT_ORDER_DUE = timedelta(days=7)


async def claim(
    session: AsyncSession, wish: Wish, *, member_id: int, max_open: int, due_in: timedelta = DEFAULT_ORDER_DUE
) -> Order:
    if wish.compound_id not in await directory_service.member_compounds(session, member_id):
        raise Forbidden("只能认领您报到小区的心愿", code="out_of_scope")
    if member_id == wish.requester_id:
        raise Conflict("不能认领自己提出的心愿", code="own_wish")
    if wish.status in ("dispatched", "accepted", "completed", "closed"):
        raise Conflict("该心愿已被其他党员接单", code="already_taken")
    open_count = await _open_orders_count(session, member_id)
    if open_count >= max_open:
        raise Conflict(f"您已有{open_count}个在办订单，请先完成后再认领", code="too_many_open_orders")
    now = utcnow()
    await wishes_service.transition(
        session,
        wish,
        "accepted",
        "claimed",
        actor_id=member_id,
        values={"accepted_at": now},
        conflict_code="already_taken",
    )
    order = Order(
        wish_id=wish.id,
        member_id=member_id,
        compound_id=wish.compound_id,
        kind="claim",
        status="accepted",
        created_at=now,
        responded_at=now,
        due_at=now + due_in,
    )
    await _insert_order(session, order)
    await _disclose(session, wish, member_id)
    await notify_service.order_accepted(session, wish, order)
    return order


async def _disclose(session: AsyncSession, wish: Wish, member_id: int) -> None:
    await wishes_service.record_event(
        session,
        wish,
        "contact_disclosed",
        actor_id=member_id,
        note="居民姓名、电话和门牌号已向接单党员及小区党支部公开",
    )


def _own_order(order: Order, member_id: int) -> None:
    if order.member_id != member_id:
        raise Forbidden("这不是派给您的订单", code="not_your_order")


async def accept(
    session: AsyncSession, order: Order, *, member_id: int, due_in: timedelta = DEFAULT_ORDER_DUE
) -> Order:
    _own_order(order, member_id)
    if order.status != "offered":
        raise Conflict(f"订单当前状态为「{ORDER_LABELS[order.status]}」，不能接单", code="invalid_state")
    if order.expires_at is not None and order.expires_at <= utcnow():
        raise Conflict("该派单已超时，已退回小区重新派单", code="offer_expired")
    wish = await wishes_service.get_wish(session, order.wish_id)
    now = utcnow()
    await _set_order_status(session, order, "offered", "accepted", responded_at=now, due_at=now + due_in)
    if order.kind == "dispatch":
        await people_service.add_to_member_totals(session, member_id, offers_taken_total=1)
    await wishes_service.transition(
        session, wish, "accepted", "accepted", actor_id=member_id, values={"accepted_at": now}
    )
    await _disclose(session, wish, member_id)
    await notify_service.order_accepted(session, wish, order)
    return order


async def decline(session: AsyncSession, order: Order, *, member_id: int, reason: str) -> Order:
    _own_order(order, member_id)
    if order.status != "offered":
        raise Conflict(f"订单当前状态为「{ORDER_LABELS[order.status]}」，不能婉拒", code="invalid_state")
    wish = await wishes_service.get_wish(session, order.wish_id)
    await _set_order_status(session, order, "offered", "declined", responded_at=utcnow(), decline_reason=reason)
    await wishes_service.transition(session, wish, "open", "declined", actor_id=member_id, note=reason)
    await notify_service.order_declined(session, wish, order)
    return order


async def complete(session: AsyncSession, wish: Wish, *, member_id: int, note: str, photos: list[str]) -> Order:
    order = await live_order(session, wish.id)
    if order is None or order.member_id != member_id:
        raise Forbidden("只有接单的党员可以提交完成", code="not_your_order")
    if order.status != "accepted":
        raise Conflict("请先接单，再提交完成", code="invalid_state")
    now = utcnow()
    await _set_order_status(
        session, order, "accepted", "completed", completed_at=now, completion_note=note, photos=photos
    )
    await wishes_service.transition(
        session, wish, "completed", "completed", actor_id=member_id, note=note, values={"completed_at": now}
    )
    await notify_service.wish_completed(session, wish, order)
    return order


async def end_live_order(session: AsyncSession, wish_id: int, status: str) -> None:
    order = await live_order(session, wish_id)
    if order is not None:
        was = order.status
        await _set_order_status(session, order, was, status, responded_at=order.responded_at or utcnow())
        if was == "accepted" and order.kind == "dispatch":
            # the acceptance rate counts offers that stand accepted or completed, as MEMBER_TOTALS_SQL does
            await people_service.add_to_member_totals(session, order.member_id, offers_taken_total=-1)


async def expire_due_offers(session: AsyncSession, limit: int = 500) -> int:
    """Offers left unanswered past their deadline: order expired, wish back to open."""
    now = utcnow()
    rows = await session.execute(
        select(Order).where(Order.status == "offered", Order.expires_at <= now).order_by(Order.id).limit(limit)
    )
    expired = 0
    for order in rows.scalars().all():
        try:
            async with session.begin_nested():
                await _set_order_status(session, order, "offered", "expired", responded_at=now)
                wish = await wishes_service.get_wish(session, order.wish_id)
                await wishes_service.transition(
                    session, wish, "open", "offer_expired", actor_id=None, note="党员超时未响应，已退回待派单"
                )
                await notify_service.offer_expired(session, wish, order)
        except Conflict:
            continue
        expired += 1
    return expired


async def flag_overdue_orders(session: AsyncSession, limit: int = 500) -> int:
    """Accepted orders not completed by their due time: mark each overdue once and tell whoever
    dispatched it, or for a claim the compound's dispatchers, so the Party branch follows up."""
    now = utcnow()
    rows = await session.execute(
        select(Order)
        .where(Order.status == "accepted", Order.due_at <= now, Order.overdue_at.is_(None))
        .order_by(Order.due_at)
        .limit(limit)
    )
    flagged = 0
    for order in rows.scalars().all():
        done = await session.execute(
            update(Order)
            .where(Order.id == order.id, Order.status == "accepted", Order.overdue_at.is_(None))
            .values(overdue_at=now)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # completed or flagged by another sweeper meanwhile
            continue
        await session.refresh(order)
        wish = await wishes_service.get_wish(session, order.wish_id)
        if order.dispatched_by is not None:
            recipients = [order.dispatched_by]
        else:
            recipients = await directory_service.holders_of(session, ["dispatcher"], "compound", order.compound_id)
        await notify_service.order_overdue(session, wish, order, recipients)
        flagged += 1
    return flagged


async def offers_expiring_before(session: AsyncSession, before: datetime, limit: int = 500) -> list[Order]:
    """Offers still unanswered whose deadline is before `before` (for the reminder sweep)."""
    stmt = select(Order).where(Order.status == "offered", Order.expires_at <= before).order_by(Order.expires_at)
    return list((await session.execute(stmt.limit(limit))).scalars())


async def list_orders(
    session: AsyncSession,
    *,
    member_id: int | None,
    compound_ids: set[int] | None,
    statuses: list[str] | None,
    cursor: int | None,
    limit: int,
) -> list[tuple[Order, Wish]]:
    stmt = select(Order, Wish).join(Wish, Wish.id == Order.wish_id)
    if member_id is not None:
        stmt = stmt.where(Order.member_id == member_id)
    if compound_ids is not None:
        stmt = stmt.where(Order.compound_id.in_(compound_ids))
    if statuses:
        stmt = stmt.where(Order.status.in_(statuses))
    if cursor is not None:
        stmt = stmt.where(Order.id < cursor)
    stmt = stmt.order_by(Order.id.desc()).limit(limit + 1)
    return [(o, w) for o, w in (await session.execute(stmt)).all()]


ORDER_LABELS = {
    "offered": "待接单",
    "accepted": "服务中",
    "declined": "已婉拒",
    "expired": "已超时",
    "completed": "已完成",
    "cancelled": "已取消",
}


async def _open_orders_count(session: AsyncSession, member_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(Order)
        .where(Order.member_id == member_id, Order.status.in_(LIVE_ORDER_STATUSES))
    )
    return (await session.execute(stmt)).scalar_one()


def _month_start(now: datetime) -> datetime:
    local = now.astimezone(SHANGHAI)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


async def candidates(session: AsyncSession, wish: Wish, *, max_open: int) -> list[dict]:
    """Rank the compound's members for this wish. Four statements whatever the compound's size:
    members with their profiles and buildings, live orders, this month's orders, the requester's
    building."""
    members = [
        m
        for m in await people_service.members_of_compound(session, wish.compound_id)
        if m.id != wish.requester_id  # nobody fulfils their own wish
    ]
    if not members:
        return []
    ids = [m.id for m in members]
    # Offers, acceptances and ratings are running totals on the profile; only the live orders and
    # this month's orders are counted here, each through its own index, so the cost follows the
    # members' current load and not their whole history.
    live_rows = await session.execute(
        select(Order.member_id, func.count())
        .where(Order.member_id.in_(ids), Order.status.in_(LIVE_ORDER_STATUSES))
        .group_by(Order.member_id)
    )
    live = dict(live_rows.all())
    month_rows = await session.execute(
        select(Order.member_id, func.count())
        .where(Order.member_id.in_(ids), Order.created_at >= _month_start(utcnow()))
        .group_by(Order.member_id)
    )
    month = dict(month_rows.all())
    requester_building = await directory_service.building_of(session, wish.requester_id)
    wanted = CATEGORY_SKILLS.get(wish.category, set())

    ranked = []
    for m in members:
        open_orders, this_month = int(live.get(m.id, 0)), int(month.get(m.id, 0))
        offers, offers_taken = m.offers_total, m.offers_taken_total
        score = 50.0
        reasons: list[str] = []
        matched = [s for s in m.skills if s in wanted]
        if matched:
            score += 30
            reasons.append(f"擅长{'、'.join(matched[:2])}")
        if requester_building is not None and m.building_id == requester_building:
            score += 15
            reasons.append("与居民同楼栋")
        else:
            score += 5
            reasons.append("同小区")
        if open_orders == 0:
            score += 10
            reasons.append("当前无在办订单")
        else:
            score -= 8 * open_orders
            reasons.append(f"在办{open_orders}单")
        if this_month:
            score -= 3 * this_month
            reasons.append(f"本月已接{this_month}单")
        else:
            reasons.append("本月尚未接单")
        if offers:
            rate = offers_taken / offers
            score += 10 * rate
            reasons.append(f"接单率{round(rate * 100)}%")
        if m.rating_count:
            avg = m.rating_sum / m.rating_count
            score += 4 * (avg - 3)
            reasons.append(f"平均评分{avg:.1f}")
        blocked = False
        if not m.available:
            blocked = True
            reasons.insert(0, "本人设置暂不接单")
        if open_orders >= max_open:
            blocked = True
            reasons.insert(0, f"在办订单已达{open_orders}单")
        ranked.append(
            {
                "member_id": m.id,
                "name": m.name,
                "work_unit": m.work_unit,
                "skills": m.skills,
                "available": m.available and open_orders < max_open,
                "open_orders": open_orders,
                "score": round(score if not blocked else score - 100, 1),
                "reasons": reasons,
                "_blocked": blocked,
            }
        )
    ranked.sort(key=lambda c: (c["_blocked"], -c["score"], c["member_id"]))
    for c in ranked:
        del c["_blocked"]
    return ranked
