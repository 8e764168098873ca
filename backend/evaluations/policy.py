"""Who may run, rate and read the evaluation and the sign-in.

- Campaigns, their results and departments' contacts: the street admins of the campaign's (the
  department's) street.
- Ballots: the raters of the campaign's level (service.rater_units), anyone logged in may ask.
- Sign-in summaries: the department's own staff and heads, and the street admins of its street.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal, StreetAdmin
from backend.evaluations import service
from backend.evaluations.models import EvaluationCampaign
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput, NotFound
from backend.kernel.validation import IdPath
from backend.org.models import Department


def street_of(principal: Principal, street_id: int | None) -> int:
    """The street the street admin acts for (`street_id` given or their only street)."""
    streets = principal.scope_ids("street_admin", "street")
    if street_id is None:
        if len(streets) != 1:
            raise InvalidInput("请指明街道", code="street_required")
        return next(iter(streets))
    if street_id not in streets:
        raise Forbidden("您不是该街道的管理员", code="out_of_scope")
    return street_id


def require_street(principal: Principal, street_id: int) -> None:
    if street_id not in principal.scope_ids("street_admin", "street"):
        raise Forbidden("您不是该街道的管理员", code="out_of_scope")


async def department(session: AsyncSession, department_id: int) -> Department:
    found = await session.get(Department, department_id)
    if found is None:
        raise NotFound(f"部门 {department_id} 不存在", code="department_not_found")
    return found


def require_reads_department(principal: Principal, dept: Department) -> None:
    own = principal.scope_ids("department_staff", "department") | principal.scope_ids("department_head", "department")
    if dept.id not in own and dept.street_id not in principal.scope_ids("street_admin", "street"):
        raise Forbidden("您不是该部门的工作人员或街道管理员", code="out_of_scope")


async def _campaign_for_street(campaign_id: IdPath, session: SessionDep, principal: StreetAdmin) -> EvaluationCampaign:
    campaign = await service.get_campaign(session, campaign_id, lock=True)
    require_street(principal, campaign.street_id)
    return campaign


async def _campaign_to_read(campaign_id: IdPath, session: SessionDep, principal: StreetAdmin) -> EvaluationCampaign:
    campaign = await service.get_campaign(session, campaign_id)
    require_street(principal, campaign.street_id)
    return campaign


async def _department_for_street(department_id: IdPath, session: SessionDep, principal: StreetAdmin) -> Department:
    dept = await department(session, department_id)
    require_street(principal, dept.street_id)
    return dept


CampaignForStreet = Annotated[EvaluationCampaign, Depends(_campaign_for_street)]  # locked: it will change
CampaignToRead = Annotated[EvaluationCampaign, Depends(_campaign_to_read)]
DepartmentForStreet = Annotated[Department, Depends(_department_for_street)]
