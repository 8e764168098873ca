"""Who organises an activity and who leads a team.

- An activity of the community: its community admins (and the street's admins).
- An activity of a team: the team's leader (a `team_leader` grant on the team) — only their team —
  and the community's admins.
- An activity of a partner: the partner's contacts — only their partner — and the community's admins.
- A team's join requests are decided by its leader (or the community's admins).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import CurrentUser, Organiser, Principal
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.validation import IdPath
from backend.org.models import Community
from backend.partners import policy as partners_policy
from backend.volunteering import service
from backend.volunteering.models import Activity, Team
from backend.volunteering.service import LEADER_ROLE


async def admin_of_community(session: AsyncSession, principal: Principal, community_id: int) -> bool:
    communities, streets = partners_policy.admin_reach(principal)
    if community_id in communities:
        return True
    if not streets:
        return False
    community = await session.get(Community, community_id)
    return community is not None and community.street_id in streets


def leads(principal: Principal, team_id: int | None) -> bool:
    return team_id is not None and team_id in principal.scope_ids(LEADER_ROLE, "team")


async def organises(session: AsyncSession, principal: Principal, activity: Activity) -> bool:
    if activity.organiser_kind == "team" and leads(principal, activity.team_id):
        return True
    if (
        activity.organiser_kind == "partner"
        and activity.partner_id
        and partners_policy.acts_for(principal, activity.partner_id)
    ):
        return True
    return await admin_of_community(session, principal, activity.community_id)


async def require_organises(session: AsyncSession, principal: Principal, activity: Activity) -> None:
    if not await organises(session, principal, activity):
        raise Forbidden("您不是这项活动的组织者", code="out_of_scope")


async def require_leads(session: AsyncSession, principal: Principal, team: Team) -> None:
    if not (leads(principal, team.id) or await admin_of_community(session, principal, team.community_id)):
        raise Forbidden("您不是这支队伍的队长", code="out_of_scope")


async def _activity(activity_id: IdPath, session: SessionDep, _: CurrentUser) -> Activity:
    return await service.get_activity(session, activity_id)


async def _for_organiser(activity_id: IdPath, session: SessionDep, principal: Organiser) -> Activity:
    activity = await service.get_activity(session, activity_id, for_update=True)
    await require_organises(session, principal, activity)
    return activity


ActivityPath = Annotated[Activity, Depends(_activity)]
ActivityForOrganiser = Annotated[Activity, Depends(_for_organiser)]
