"""The rules of micro-wishes. Every status change goes through `transition()`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, Forbidden, NotFound
from backend.notify import service as notify_service
from backend.people import service as people_service
from backend.wishes import state
from backend.wishes.models import Wish, WishEvent

SAME = "__same__"


async def transition(
    session: AsyncSession,
    wish: Wish,
    to_status: str,
    event: str,
    *,
    actor_id: int | None,
    note: str | None = None,
    values: dict | None = None,
    conflict_code: str = "invalid_state",
) -> WishEvent:
    """Apply one allowed transition: a compare-and-set UPDATE (so a concurrent change makes this
    one fail with 409 instead of overwriting it), then the event row."""
    from_status = wish.status
    if not state.allowed(from_status, to_status, event):
        raise Conflict(
            f"心愿当前状态为「{state.STATUS_LABELS[from_status]}」，不能{state.ACTION_VERBS.get(event, event)}",
            code=conflict_code,
        )
    now = utcnow()
    changes = {"status": to_status, "updated_at": now, "version": wish.version + 1, **(values or {})}
    result = await session.execute(
        update(Wish)
        .where(Wish.id == wish.id, Wish.status == from_status, Wish.version == wish.version)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(
            "心愿已被他人更新，请刷新后重试",
            code=conflict_code if conflict_code != "invalid_state" else "state_changed",
        )
    for key, value in changes.items():
        set_committed_value(wish, key, value)
    return await record_event(session, wish, event, actor_id=actor_id, note=note, from_status=from_status, at=now)


async def record_event(
    session: AsyncSession,
    wish: Wish,
    event: str,
    *,
    actor_id: int | None,
    note: str | None = None,
    from_status: str | None = SAME,
    at=None,
) -> WishEvent:
    """Write one event row; from_status defaults to the current status (a note-only event)."""
    row = WishEvent(
        wish_id=wish.id,
        type=event,
        from_status=wish.status if from_status == SAME else from_status,
        to_status=wish.status,
        actor_id=actor_id,
        at=at or utcnow(),
        note=note,
    )
    session.add(row)
    await session.flush()
    return row


async def get_wish(session: AsyncSession, wish_id: int, *, for_update: bool = False) -> Wish:
    stmt = select(Wish).where(Wish.id == wish_id)
    if for_update:
        stmt = stmt.with_for_update()
    wish = (await session.execute(stmt)).scalar_one_or_none()
    if wish is None:
        raise NotFound(f"心愿 {wish_id} 不存在", code="wish_not_found")
    return wish


async def create_wish(
    session: AsyncSession,
    requester: User,
    *,
    title: str,
    description: str,
    category: str,
    photos: list[str],
    filed_by: int | None = None,
) -> Wish:
    if requester.compound_id is None:
        raise Conflict("请先在“我的”页面绑定所在小区，再提交心愿", code="compound_required")
    now = utcnow()
    wish = Wish(
        requester_id=requester.id,
        compound_id=requester.compound_id,
        filed_by=filed_by,
        title=title,
        description=description,
        category=category,
        photos=photos,
        status="pending_review",
        created_at=now,
        updated_at=now,
    )
    session.add(wish)
    await session.flush()
    await record_event(session, wish, "created", actor_id=filed_by or requester.id, from_status=None, at=now)
    return wish


async def review(session: AsyncSession, wish: Wish, *, actor_id: int, approve: bool, reason: str | None) -> Wish:
    now = utcnow()
    if approve:
        await transition(session, wish, "open", "approved", actor_id=actor_id, note=reason, values={"reviewed_at": now})
    else:
        await transition(
            session,
            wish,
            "rejected",
            "rejected",
            actor_id=actor_id,
            note=reason,
            values={"reviewed_at": now, "reject_reason": reason},
        )
    await notify_service.wish_reviewed(session, wish)
    return wish


async def cancel(session: AsyncSession, wish: Wish, *, actor_id: int, reason: str) -> Wish:
    from backend.dispatch import service as dispatch_service

    if wish.requester_id != actor_id:
        raise Forbidden("只有提出心愿的居民可以取消", code="not_requester")
    await transition(
        session,
        wish,
        "cancelled",
        "cancelled",
        actor_id=actor_id,
        note=reason,
        values={"cancel_reason": reason, "closed_at": utcnow()},
    )
    held = await dispatch_service.live_order(session, wish.id)
    await dispatch_service.end_live_order(session, wish.id, "cancelled")
    await notify_service.wish_cancelled(session, wish, held)
    return wish


async def confirm(session: AsyncSession, wish: Wish, *, actor_id: int, rating: int, comment: str | None) -> Wish:
    if wish.requester_id != actor_id:
        raise Forbidden("只有提出心愿的居民可以确认评价", code="not_requester")
    await transition(
        session,
        wish,
        "closed",
        "confirmed",
        actor_id=actor_id,
        note=comment,
        values={"rating": rating, "comment": comment, "closed_at": utcnow()},
    )
    from backend.dispatch import service as dispatch_service

    done = await dispatch_service.latest_order(session, wish.id)
    if done is not None and done.status == "completed":
        await people_service.add_to_member_totals(session, done.member_id, rating_sum=rating, rating_count=1)
    return wish


async def auto_close_due(session: AsyncSession, confirm_ttl: timedelta, limit: int = 500) -> int:
    """Close completed wishes the requester left unconfirmed past the deadline. They are marked
    auto_closed and carry no rating, so no figure counts them as rated or satisfied."""
    cutoff = utcnow() - confirm_ttl
    rows = await session.execute(
        select(Wish).where(Wish.status == "completed", Wish.completed_at <= cutoff).order_by(Wish.id).limit(limit)
    )
    closed = 0
    for wish in rows.scalars():
        try:
            async with session.begin_nested():
                await transition(
                    session,
                    wish,
                    "closed",
                    "auto_closed",
                    actor_id=None,
                    note="居民超时未确认，系统自动关闭（不计入满意度）",
                    values={"auto_closed": True, "closed_at": utcnow()},
                )
        except Conflict:
            continue
        closed += 1
    return closed


async def list_wishes(
    session: AsyncSession,
    *,
    compound_ids: set[int] | None,
    requester_id: int | None,
    statuses: list[str] | None,
    cursor: int | None,
    limit: int,
    exclude_requester: int | None = None,
) -> list[tuple[Wish, str]]:
    """A keyset page of wishes (newest first) with each requester's name, in one query."""
    stmt = select(Wish, User.name).join(User, User.id == Wish.requester_id)
    if exclude_requester is not None:
        stmt = stmt.where(Wish.requester_id != exclude_requester)
    if requester_id is not None:
        stmt = stmt.where(Wish.requester_id == requester_id)
    if compound_ids is not None:
        stmt = stmt.where(Wish.compound_id.in_(compound_ids))
    if statuses:
        stmt = stmt.where(Wish.status.in_(statuses))
    if cursor is not None:
        stmt = stmt.where(Wish.id < cursor)
    stmt = stmt.order_by(Wish.id.desc()).limit(limit + 1)
    return [(w, name) for w, name in (await session.execute(stmt)).all()]


async def events_of(session: AsyncSession, wish_id: int) -> list[tuple[WishEvent, str | None]]:
    stmt = (
        select(WishEvent, User.name)
        .outerjoin(User, User.id == WishEvent.actor_id)
        .where(WishEvent.wish_id == wish_id)
        .order_by(WishEvent.id)
    )
    return [(e, n) for e, n in (await session.execute(stmt)).all()]


async def requester_card(session: AsyncSession, wish: Wish, *, reveal: bool) -> dict:
    from backend.org import service as org_service

    user = await session.get(User, wish.requester_id)
    assert user is not None
    if not reveal:
        return {"name": directory_service.mask_name(user.name), "phone": None, "room": None, "masked": True}
    room = None
    if user.household_id is not None:
        room = (await org_service.household_labels(session, [user.household_id]))[user.household_id]["label"]
    return {"name": user.name or "居民", "phone": user.phone, "room": room, "masked": False}
