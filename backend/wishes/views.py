"""Wishes as the API shows them: summaries for lists, the detail with its timeline, order and
the caller's actions. Names are masked unless the policy reveals them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.directory import service as directory_service
from backend.dispatch import service as dispatch_service
from backend.dispatch.models import Order
from backend.dispatch.schemas import OrderOut
from backend.dispatch.state import ORDER
from backend.dispatch.state import TAKEN as ORDER_TAKEN
from backend.wishes import policy, schemas, service
from backend.wishes.categories import CATEGORY_LABELS
from backend.wishes.models import Wish
from backend.wishes.state import CONTACTABLE, WISH


def summary(wish: Wish, requester_name: str) -> schemas.WishSummary:
    return schemas.WishSummary(
        id=wish.id,
        title=wish.title,
        category=wish.category,
        category_label=CATEGORY_LABELS.get(wish.category, wish.category),
        status=wish.status,
        status_label=WISH.label(wish.status),
        compound_id=wish.compound_id,
        requester_name=requester_name,
        created_at=wish.created_at,
        updated_at=wish.updated_at,
    )


def summary_dict(row: Row, requester_name: str) -> dict:
    """A row of service.list_wishes as the JSON of a WishSummary (same keys, same order), for the
    lists that answer with kernel.responses.FastJSON (tests/perf/test_fast_json.py compares)."""
    return {
        "id": row.id,
        "title": row.title,
        "category": row.category,
        "category_label": CATEGORY_LABELS.get(row.category, row.category),
        "status": row.status,
        "status_label": WISH.label(row.status),
        "compound_id": row.compound_id,
        "requester_name": requester_name,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def summaries(rows: list[Row], viewer_id: int) -> list[dict]:
    """Rows of service.list_wishes; the name is masked unless the viewer is the requester."""
    mask = directory_service.mask_name
    return [summary_dict(r, (r.name or "我") if r.requester_id == viewer_id else mask(r.name)) for r in rows]


def masked_summaries(rows: list[Row]) -> list[dict]:
    """Rows of service.list_wishes with every requester masked (the wall)."""
    return [summary_dict(r, directory_service.mask_name(r.name)) for r in rows]


def order_out(order: Order, member_name: str | None = None) -> OrderOut:
    return OrderOut(
        **order.model_dump(exclude={"compound_id", "dispatched_by"}),
        member_name=member_name,
        status_label=ORDER.label(order.status),
    )


def order_card_out(card: Row) -> OrderOut:
    """dispatch_service.latest_order_card's row as the detail's order."""
    return OrderOut(**card._asdict(), status_label=ORDER.label(card.status))


def _events(events, wish: Wish, reveal: bool) -> list[schemas.EventOut]:
    """The timeline; the requester, as its actor, is masked exactly as on the requester card."""

    def actor(actor_id: int | None, name: str | None) -> str | None:
        if actor_id is not None and actor_id == wish.requester_id and not reveal:
            return directory_service.mask_name(name)
        return name if name or actor_id is None else "居民"

    return [
        schemas.EventOut(
            type=e.type,
            label=WISH.event_label(e.type),
            from_status=e.from_status,
            to_status=e.to_status,
            actor_name=actor(e.actor_id, e.name),
            at=e.at,
            note=e.note,
        )
        for e in events
    ]


async def _log_view(
    session: AsyncSession, principal: Principal, wish: Wish, order: Row | None, household_id: int | None
) -> None:
    holder = order is not None and order.member_id == principal.id
    await directory_service.log_contact_views(
        session,
        principal.id,
        "wish_member" if holder else "wish_dispatcher",
        [(household_id, wish.compound_id)],
        subject_id=wish.requester_id,
        wish_id=wish.id,
    )


def last_callback_in(events: list[Row]):
    """The time of the last call-back request in a timeline read by service.events_of (id order)."""
    return next((e.at for e in reversed(events) if e.type == "callback_requested"), None)


def contact_of(principal: Principal, wish: Wish, order: Row | None, events: list[Row]) -> schemas.Contact | None:
    """For the requester while a member holds the wish: the member's name, their phone when they
    share it, and the last call-back request. `order` is dispatch_service.latest_order_card's row
    (the member's name, phone and share_phone with it), `events` the timeline. None for everyone else."""
    if wish.requester_id != principal.id or wish.status not in CONTACTABLE or order is None:
        return None
    if order.status not in ORDER_TAKEN:
        return None
    phone = order.member_phone if order.share_phone else None
    return schemas.Contact(
        member_name=order.member_name or "党员",
        phone=phone,
        can_call=phone is not None,
        callback_requested_at=last_callback_in(events),
    )


async def detail(
    session: AsyncSession,
    principal: Principal,
    wish: Wish,
    reveal: bool | None = None,
    contact_window: timedelta | None = None,
) -> schemas.WishDetail:
    """The wish as the caller may see it (Forbidden when they may not); `reveal` overrides the
    policy's answer right after an action that revealed the requester to the caller. Every reveal
    to someone else than the requester is logged (directory ContactView)."""
    order = await dispatch_service.latest_order_card(session, wish.id)  # with its member's name and phone
    if reveal is None:
        reveal = await policy.reveal_for(session, principal, wish, order, contact_window)
    events = await service.events_of(session, wish.id)
    requester = await service.requester_card(session, wish, reveal=reveal)
    household_id = requester.pop("household_id")
    if reveal and principal.id != wish.requester_id:
        await _log_view(session, principal, wish, order, household_id)
    return schemas.WishDetail(
        **summary(wish, requester["name"]).model_dump(),
        description=wish.description,
        photos=wish.photos,
        voice=schemas.VoiceOut(url=wish.voice, seconds=wish.voice_seconds or 1) if wish.voice else None,
        requester=schemas.Requester(**requester),
        reject_reason=wish.reject_reason,
        cancel_reason=wish.cancel_reason,
        rating=wish.rating,
        comment=wish.comment,
        auto_closed=wish.auto_closed,
        accepted_at=wish.accepted_at,
        completed_at=wish.completed_at,
        closed_at=wish.closed_at,
        events=_events(events, wish, reveal),
        order=order_card_out(order) if order is not None else None,
        viewer_is_requester=wish.requester_id == principal.id,
        contact=contact_of(principal, wish, order, events),
        actions=await policy.actions_for(session, principal, wish, order),
    )
