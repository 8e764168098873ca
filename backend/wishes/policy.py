"""Who may see a wish and do what with it, and the path dependencies that load a wish for a route.

- The requester sees everything of their own wish.
- The compound's dispatchers see every wish of the compound; the requester's identity once a
  member has taken it (accepted, completed, closed).
- Community and street admins see their compounds' wishes, always masked.
- A Party member of the compound sees open wishes (the wall, masked) and the wishes offered to
  or held by them; the requester's identity once they accepted.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends

from backend.auth.deps import CurrentCaller, CurrentUser, Dispatcher, Member, Principal
from backend.dispatch.models import Order
from backend.dispatch.state import TAKEN as ORDER_TAKEN
from backend.dispatch.state import OrderStatus
from backend.kernel.clock import utcnow
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.validation import IdPath
from backend.wishes import service
from backend.wishes.models import Wish
from backend.wishes.state import CONTACTABLE, TAKEN, WISH, WishStatus

STAFF_ROLES = ("dispatcher", "community_admin", "street_admin")


async def reveal_for(
    session, principal: Principal, wish: Wish, order: Order | None, contact_window: timedelta | None = None
) -> bool:
    """Whether the caller may see the requester's identity; Forbidden when they may not read the
    wish at all. `order` is the wish's latest order. With `contact_window`, the member who completed
    the order sees the requester only that long after completing it."""
    if wish.requester_id == principal.id:
        return True
    if wish.compound_id in await principal.compound_ids(session, "dispatcher"):
        return wish.status in TAKEN
    if wish.compound_id in await principal.compound_ids(session, *STAFF_ROLES):
        return False
    if wish.compound_id in await principal.compound_ids(session, "party_member"):
        if order is not None and order.member_id == principal.id:
            if contact_window is not None and order.status == OrderStatus.completed and order.completed_at:
                return utcnow() - order.completed_at <= contact_window
            return order.status in ORDER_TAKEN
        if wish.status == WishStatus.open:
            return False
    raise Forbidden("您无权查看这条心愿", code="out_of_scope")


async def actions_for(session, principal: Principal, wish: Wish, order: Order | None) -> list[str]:
    """The actions the caller may take on this wish now, so clients need not re-derive the rules:
    the lifecycle table says what the status allows, this says who may."""
    actions = []
    if wish.requester_id == principal.id:
        if WISH.can(wish.status, "cancelled"):
            actions.append("cancel")
        if WISH.can(wish.status, "confirmed"):
            actions.append("confirm")
        if wish.status in CONTACTABLE and order is not None and order.status in ORDER_TAKEN:
            actions.append("contact")
    if wish.compound_id in await principal.compound_ids(session, "dispatcher"):
        if WISH.can(wish.status, "approved"):
            actions.append("review")
        if WISH.can(wish.status, "dispatched"):
            actions.append("dispatch")
    if wish.compound_id in await principal.compound_ids(session, "party_member"):
        if WISH.can(wish.status, "claimed") and wish.requester_id != principal.id:
            actions.append("claim")
        holds = order is not None and order.member_id == principal.id
        if holds and order.status == OrderStatus.offered:
            actions += ["accept", "decline"]
        if holds and order.status == OrderStatus.accepted:
            actions.append("complete")
    return actions


# ---- path dependencies -------------------------------------------------------------------------


async def _wish(wish_id: IdPath, session: SessionDep, _: CurrentUser) -> Wish:
    return await service.get_wish(session, wish_id)


async def _wish_read(wish_id: IdPath, session: SessionDep, _: CurrentCaller) -> Wish:
    return await service.wish_row(session, wish_id)  # a row with the Wish's attributes, read-only


async def _wish_locked(wish_id: IdPath, session: SessionDep, _: CurrentUser) -> Wish:
    return await service.get_wish(session, wish_id, for_update=True)


async def _for_dispatcher(principal: Dispatcher, session: SessionDep, wish: Annotated[Wish, Depends(_wish)]) -> Wish:
    await principal.require_compound(session, wish.compound_id, "dispatcher")
    return wish


async def _for_dispatcher_locked(
    principal: Dispatcher, session: SessionDep, wish: Annotated[Wish, Depends(_wish_locked)]
) -> Wish:
    await principal.require_compound(session, wish.compound_id, "dispatcher")
    return wish


async def _for_member_locked(_: Member, wish: Annotated[Wish, Depends(_wish_locked)]) -> Wish:
    return wish  # which member may act is the flow's rule (claim: of the compound; complete: the holder)


WishPath = Annotated[Wish, Depends(_wish)]  # any logged-in caller; what they may see is reveal_for's rule
# the detail's read: the wish as a row of its columns, the caller without their user row
WishRead = Annotated[Wish, Depends(_wish_read)]
WishLocked = Annotated[Wish, Depends(_wish_locked)]  # the same, its row locked for a flow
WishForDispatcher = Annotated[Wish, Depends(_for_dispatcher)]
WishForDispatcherLocked = Annotated[Wish, Depends(_for_dispatcher_locked)]
WishForMemberLocked = Annotated[Wish, Depends(_for_member_locked)]
