"""The rules of micro-wishes that concern the wish alone: placing, review, lists, the timeline,
auto-close. Every status change goes through the wish lifecycle (`backend.wishes.state.WISH`);
actions that move a wish and its order together are in backend/flows/wish_orders.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import Integer, Row, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.files import service as files_service
from backend.kernel.clock import utcnow
from backend.kernel.driver_read import DriverRead
from backend.kernel.errors import Conflict, Forbidden, NotFound
from backend.org import service as org_service
from backend.org.models import Building, Household, Unit
from backend.wishes import notifications
from backend.wishes.models import Wish, WishEvent
from backend.wishes.state import CONTACTABLE, WISH, WishStatus

_WISH = select(Wish).where(Wish.id == bindparam("wish_id"))  # built once: see _list_statement
_WISH_FOR_UPDATE = _WISH.with_for_update()


async def get_wish(session: AsyncSession, wish_id: int, *, for_update: bool = False) -> Wish:
    """The wish; with `for_update` its row is locked for the rest of the transaction (every flow
    that moves a wish and its order locks the wish first, so two flows never deadlock)."""
    stmt = _WISH_FOR_UPDATE if for_update else _WISH
    wish = (await session.execute(stmt, {"wish_id": wish_id})).scalar_one_or_none()
    if wish is None:
        raise NotFound(f"心愿 {wish_id} 不存在", code="wish_not_found")
    return wish


_WISH_ROW = DriverRead(select(*Wish.__table__.columns).where(Wish.id == bindparam("wish_id")))


async def wish_row(session: AsyncSession, wish_id: int) -> Row:
    """The wish as a row of its columns (attribute access, as the ORM object), for the detail's
    read: no ORM object to build, one statement through the driver. Never for a change."""
    rows = await _WISH_ROW.all(session, {"wish_id": wish_id})
    if not rows:
        raise NotFound(f"心愿 {wish_id} 不存在", code="wish_not_found")
    return rows[0]


async def wishes_by_id(session: AsyncSession, ids: Iterable[int]) -> dict[int, Wish]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(Wish).where(Wish.id.in_(wanted)))
    return {w.id: w for w in rows.scalars()}


TITLE_FROM_DESCRIPTION = 20  # characters of the description that make a title when none is given
CALLBACK_INTERVAL = timedelta(minutes=30)
VOICE_TITLE = "语音心愿"  # a wish told by voice alone


def title_from(description: str) -> str:
    """A title from the first words of what the resident said (its first line or sentence)."""
    first = re.split(r"[\n。！？!?；;]", description.strip(), maxsplit=1)[0].strip() or description.strip()
    return first if len(first) <= TITLE_FROM_DESCRIPTION else first[: TITLE_FROM_DESCRIPTION - 1] + "…"


async def create_wish(
    session: AsyncSession,
    requester: User,
    *,
    title: str | None,
    description: str,
    category: str,
    photos: list[str],
    filed_by: int | None = None,
    voice: str | None = None,
    voice_seconds: int | None = None,
    compound_id: int | None = None,
) -> Wish:
    """compound_id: filed for another compound than the requester's own (a deliberation day's
    follow-up for the item's compound); by default the requester's."""
    compound_id = compound_id or requester.compound_id
    if compound_id is None:
        raise Conflict("请先在“我的”页面绑定所在小区，再提交心愿", code="compound_required")
    await files_service.attach(session, photos)
    if voice is not None:
        voice_seconds = await files_service.attach_voice(session, voice, voice_seconds)
    now = utcnow()
    wish = Wish(
        requester_id=requester.id,
        compound_id=compound_id,
        filed_by=filed_by,
        title=title or title_from(description) or VOICE_TITLE,
        description=description,
        category=category,
        photos=photos,
        voice=voice,
        voice_seconds=voice_seconds if voice is not None else None,
        status=WishStatus.pending_review,
        created_at=now,
        updated_at=now,
    )
    session.add(wish)
    await session.flush()
    await WISH.record(session, wish, "created", actor_id=filed_by or requester.id, from_status=None, at=now)
    return wish


async def review(session: AsyncSession, wish: Wish, *, actor_id: int, approve: bool, reason: str | None) -> Wish:
    now = utcnow()
    if approve:
        await WISH.apply(session, wish, "approved", actor_id=actor_id, note=reason, values={"reviewed_at": now})
    else:
        values = {"reviewed_at": now, "reject_reason": reason}
        await WISH.apply(session, wish, "rejected", actor_id=actor_id, note=reason, values=values)
    await notifications.reviewed(session, wish)
    return wish


async def auto_close_due(session: AsyncSession, confirm_ttl: timedelta, limit: int = 500) -> int:
    """Close completed wishes the requester left unconfirmed past the deadline. They are marked
    auto_closed and carry no rating, so no figure counts them as rated or satisfied."""
    cutoff = utcnow() - confirm_ttl
    rows = await session.execute(
        select(Wish)
        .where(Wish.status == WishStatus.completed, Wish.completed_at <= cutoff)
        .order_by(Wish.id)
        .limit(limit)
    )
    closed = 0
    for wish in rows.scalars():
        try:
            async with session.begin_nested():
                await WISH.apply(
                    session,
                    wish,
                    "auto_closed",
                    note="居民超时未确认，系统自动关闭（不计入满意度）",
                    values={"auto_closed": True, "closed_at": utcnow()},
                )
        except Conflict:
            continue
        closed += 1
    return closed


SUMMARY_COLUMNS = (
    Wish.id,
    Wish.title,
    Wish.category,
    Wish.status,
    Wish.compound_id,
    Wish.requester_id,
    Wish.created_at,
    Wish.updated_at,
)


@lru_cache(maxsize=64)
def _list_statement(exclude: bool, requester: bool, compounds: bool, statuses: bool, cursor: bool) -> Select:
    """The page statement for one combination of filters, built once with bound parameters (building
    and keying a fresh one cost about 0.5 ms of CPU per request, as much as running it)."""
    stmt = select(*SUMMARY_COLUMNS, User.name).join(User, User.id == Wish.requester_id)
    if exclude:
        stmt = stmt.where(Wish.requester_id != bindparam("exclude_requester"))
    if requester:
        stmt = stmt.where(Wish.requester_id == bindparam("requester_id"))
    if compounds:
        stmt = stmt.where(Wish.compound_id.in_(bindparam("compound_ids", expanding=True)))
    if statuses:
        stmt = stmt.where(Wish.status.in_(bindparam("statuses", expanding=True)))
    if cursor:
        stmt = stmt.where(Wish.id < bindparam("cursor"))
    return stmt.order_by(Wish.id.desc()).limit(bindparam("page", type_=Integer))


@lru_cache(maxsize=64)
def _list_read(*shape: bool) -> DriverRead:
    """The page statement of a shape, run through the driver (kernel/driver_read.py)."""
    return DriverRead(_list_statement(*shape))


async def list_wishes(
    session: AsyncSession,
    *,
    compound_ids: set[int] | None,
    requester_id: int | None,
    statuses: list[str] | None,
    cursor: int | None,
    limit: int,
    exclude_requester: int | None = None,
) -> list[Row]:
    """A keyset page of wishes (newest first) with each requester's name, in one query: exactly
    the columns of a summary (WishSummary), as plain rows (no ORM objects, no photo JSON)."""
    params = {
        "exclude_requester": exclude_requester,
        "requester_id": requester_id,
        "compound_ids": sorted(compound_ids) if compound_ids is not None else None,
        "statuses": [str(x) for x in statuses] if statuses else None,
        "cursor": cursor,
    }
    read = _list_read(*(params[k] is not None for k in params))
    params = {k: v for k, v in params.items() if v is not None}
    return await read.all(session, {**params, "page": limit + 1})


_EVENTS = DriverRead(
    select(
        WishEvent.type,
        WishEvent.from_status,
        WishEvent.to_status,
        WishEvent.actor_id,
        WishEvent.at,
        WishEvent.note,
        User.name,
    )
    .outerjoin(User, User.id == WishEvent.actor_id)
    .where(WishEvent.wish_id == bindparam("wish_id"))
    .order_by(WishEvent.id)
)


async def events_of(session: AsyncSession, wish_id: int) -> list[Row]:
    """The timeline as plain rows (type, from_status, to_status, actor_id, at, note, name)."""
    return await _EVENTS.all(session, {"wish_id": wish_id})


_REQUESTER = DriverRead(
    select(
        User.name,
        User.phone,
        User.household_id,
        Building.name.label("building"),
        Unit.name.label("unit"),
        Household.room,
    )
    .outerjoin(Household, Household.id == User.household_id)
    .outerjoin(Unit, Unit.id == Household.unit_id)
    .outerjoin(Building, Building.id == Household.building_id)
    .where(User.id == bindparam("user_id"))
)


async def requester_card(session: AsyncSession, wish: Wish, *, reveal: bool) -> dict:
    """The requester as the caller may see them, with their household's id (for the contact-view
    log, not shown): one statement, the room with it."""
    rows = await _REQUESTER.all(session, {"user_id": wish.requester_id})
    assert rows, "a wish's requester exists (foreign key)"
    user = rows[0]
    if not reveal:
        card = {"name": directory_service.mask_name(user.name), "phone": None, "room": None, "masked": True}
    else:
        room = org_service.room_label(user.building, user.unit, user.room) if user.building is not None else None
        card = {"name": user.name or "居民", "phone": user.phone, "room": room, "masked": False}
    return {**card, "household_id": user.household_id}


async def last_callback_at(session: AsyncSession, wish_id: int):
    stmt = (
        select(WishEvent.at)
        .where(WishEvent.wish_id == wish_id, WishEvent.type == "callback_requested")
        .order_by(WishEvent.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def request_callback(session: AsyncSession, wish: Wish, holder, *, actor_id: int) -> Wish:
    """联系党员 when the member keeps their number private: the member is asked to call back. Once
    per CALLBACK_INTERVAL; only the requester, only while a member holds the wish."""
    if wish.requester_id != actor_id:
        raise Forbidden("只有提出心愿的居民可以请党员回电", code="not_requester")
    if wish.status not in CONTACTABLE or holder is None:
        raise WISH.refusal(wish.status, "callback_requested")
    last = await last_callback_at(session, wish.id)
    if last is not None and utcnow() - last < CALLBACK_INTERVAL:
        minutes = int((CALLBACK_INTERVAL - (utcnow() - last)).total_seconds() // 60) + 1
        raise Conflict(f"已请党员回电，请耐心等待；{minutes}分钟后可再次提醒", code="callback_recent")
    await WISH.record(session, wish, "callback_requested", actor_id=actor_id, note="居民请党员回电")
    await notifications.callback_requested(session, wish, holder)
    return wish
