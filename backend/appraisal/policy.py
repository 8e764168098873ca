"""Who may see and do what with an evaluation meeting's sheet and results.

- The sheet: whoever sees the meeting (deliberation's policy: staff of the community, its residents
  and Party members). Rating it: the attendees checked in at the meeting (the service checks).
- Submitting the results: the compound's Party branch (its dispatcher), the meeting's convener.
- Reviewing them: the community admin of the meeting's community.
- Published results (and the editions they replaced): whoever sees the community. Results not yet
  published: the compound's branch and the staff who run the community's meetings.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from backend.appraisal import service
from backend.appraisal.models import Appraisal
from backend.appraisal.state import PUBLIC
from backend.auth.deps import CommunityAdmin, CurrentUser, Dispatcher, Principal
from backend.deliberation import policy as deliberation_policy
from backend.deliberation.models import Meeting
from backend.deliberation.policy import MeetingLocked
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, NotFound
from backend.kernel.validation import IdPath


async def sees_unpublished(session: AsyncSession, principal: Principal, community_id: int, compound_id: int) -> bool:
    if compound_id in principal.scope_ids("dispatcher", "compound"):
        return True
    return community_id in await deliberation_policy.communities_run(session, principal)


async def _for_convener(principal: Dispatcher, meeting: MeetingLocked) -> Meeting:
    if meeting.compound_id is None or meeting.compound_id not in principal.scope_ids("dispatcher", "compound"):
        raise Forbidden("评议结果由召开评议会的小区党支部提交", code="out_of_scope")
    return meeting


async def _for_reviewer(principal: CommunityAdmin, meeting: MeetingLocked) -> Meeting:
    if meeting.community_id not in principal.scope_ids("community_admin", "community"):
        raise Forbidden("评议结果由本社区审核", code="out_of_scope")
    return meeting


async def _appraisal(appraisal_id: IdPath, session: SessionDep, principal: CurrentUser) -> Appraisal:
    row = await service.get(session, appraisal_id)
    await deliberation_policy.require_seen(session, principal, row.community_id)
    if row.status not in PUBLIC and not await sees_unpublished(session, principal, row.community_id, row.compound_id):
        raise NotFound(f"评议结果 {appraisal_id} 不存在", code="appraisal_not_found")
    return row


MeetingForConvener = Annotated[Meeting, Depends(_for_convener)]
MeetingForReviewer = Annotated[Meeting, Depends(_for_reviewer)]
AppraisalPath = Annotated[Appraisal, Depends(_appraisal)]
