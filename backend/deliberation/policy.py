"""Who may see and run the agenda and the meetings.

- Seeing: the staff who reach the community (its admin, the street admin, the dispatchers of its
  compounds) and the residents and Party members of the community (the agenda is public to them).
- Raising a topic (征集议题): a resident or member of the community.
- Vetting (征集把关): the dispatcher of the item's compound (for the compound branch) may merge or
  decline; the community admin (and the street admin) may also schedule and finish items.
- Running a meeting (items, attendance batches, outcomes, minutes): the community admin of its
  community or the street admin; a compound's meeting also by the compound's dispatcher.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import CurrentUser, Principal, Staff
from backend.deliberation import meetings
from backend.deliberation.models import AgendaItem, Meeting
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.validation import IdPath
from backend.org.models import Community, Compound


async def communities_run(session: AsyncSession, principal: Principal) -> set[int]:
    """Communities whose agenda and meetings the caller runs (community and street admins)."""
    mine = set(principal.scope_ids("community_admin", "community"))
    streets = principal.scope_ids("street_admin", "street")
    if streets:
        rows = await session.execute(select(Community.id).where(Community.street_id.in_(streets)))
        mine |= set(rows.scalars())
    return mine


async def communities_of(session: AsyncSession, compound_ids: set[int]) -> set[int]:
    if not compound_ids:
        return set()
    rows = await session.execute(select(Compound.community_id).where(Compound.id.in_(compound_ids)))
    return set(rows.scalars())


async def communities_seen(session: AsyncSession, principal: Principal) -> set[int]:
    own = {principal.user.compound_id, *principal.scope_ids("party_member", "compound")} - {None}
    vetted = principal.scope_ids("dispatcher", "compound")
    return await communities_run(session, principal) | await communities_of(session, own | vetted)


async def require_seen(session: AsyncSession, principal: Principal, community_id: int) -> None:
    if community_id not in await communities_seen(session, principal):
        raise Forbidden("您不在这个社区", code="out_of_scope")


async def may_run(session: AsyncSession, principal: Principal, meeting: Meeting) -> bool:
    if meeting.community_id in await communities_run(session, principal):
        return True
    return meeting.compound_id is not None and meeting.compound_id in principal.scope_ids("dispatcher", "compound")


async def may_vet(session: AsyncSession, principal: Principal, item: AgendaItem, full: bool) -> bool:
    """`full`: scheduling and finishing (community); otherwise merging and declining (also the branch)."""
    if item.community_id in await communities_run(session, principal):
        return True
    return (
        not full and item.compound_id is not None and item.compound_id in principal.scope_ids("dispatcher", "compound")
    )


# ---- path dependencies -------------------------------------------------------------------------


async def _meeting(meeting_id: IdPath, session: SessionDep, principal: CurrentUser) -> Meeting:
    meeting = await meetings.get_meeting(session, meeting_id)
    await require_seen(session, principal, meeting.community_id)
    return meeting


async def _meeting_locked(meeting_id: IdPath, session: SessionDep, principal: CurrentUser) -> Meeting:
    meeting = await meetings.get_meeting(session, meeting_id, for_update=True)
    await require_seen(session, principal, meeting.community_id)
    return meeting


async def _meeting_run(principal: Staff, session: SessionDep, meeting: Annotated[Meeting, Depends(_meeting_locked)]):
    if not await may_run(session, principal, meeting):
        raise Forbidden("您不负责这次会议", code="out_of_scope")
    return meeting


async def _item_staff(item_id: IdPath, principal: Staff, session: SessionDep) -> AgendaItem:
    item = await meetings.get_item(session, item_id, for_update=True)
    if not await may_vet(session, principal, item, full=False):
        raise Forbidden("这个议题不归您把关", code="out_of_scope")
    return item


MeetingPath = Annotated[Meeting, Depends(_meeting)]
MeetingLocked = Annotated[Meeting, Depends(_meeting_locked)]  # self check-in
MeetingForRunner = Annotated[Meeting, Depends(_meeting_run)]
AgendaItemForStaff = Annotated[AgendaItem, Depends(_item_staff)]
