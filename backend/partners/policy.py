"""Who may see a partner and do what with it.

- The community admins of its community and the street admins of its street manage it (file,
  activate, suspend, reinstate, add contacts) and see it.
- Its contacts (a `partner_contact` grant on the partner) act for it and see it — only it.
- Whoever applied sees their own application.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from backend.auth.deps import Admin, CurrentUser, Principal
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.validation import IdPath
from backend.partners import service
from backend.partners.models import Partner
from backend.partners.state import ADMIN_EVENTS, PARTNER


def admin_reach(principal: Principal) -> tuple[set[int], set[int]]:
    """(communities, streets) the caller administers."""
    return principal.scope_ids("community_admin", "community"), principal.scope_ids("street_admin", "street")


def manages(principal: Principal, partner: Partner) -> bool:
    communities, streets = admin_reach(principal)
    return partner.community_id in communities or partner.street_id in streets


def acts_for(principal: Principal, partner_id: int) -> bool:
    return partner_id in principal.scope_ids(service.CONTACT_ROLE, "partner")


def require_manages(principal: Principal, partner: Partner) -> None:
    if not manages(principal, partner):
        raise Forbidden("您不是该合伙人所在社区或街道的管理员", code="out_of_scope")


def require_acts_for(principal: Principal, partner: Partner) -> None:
    if not acts_for(principal, partner.id):
        raise Forbidden("您不是该合伙人的联系人", code="out_of_scope")


def require_sees(principal: Principal, partner: Partner) -> None:
    if not (manages(principal, partner) or acts_for(principal, partner.id) or partner.applicant_id == principal.id):
        raise Forbidden("您无权查看该合伙人", code="out_of_scope")


def actions_for(principal: Principal, partner: Partner) -> list[str]:
    if not manages(principal, partner):
        return []
    return [e for e in ADMIN_EVENTS if PARTNER.can(partner.status, e)] + ["add_contact"]


async def _partner(partner_id: IdPath, session: SessionDep, principal: CurrentUser) -> Partner:
    partner = await service.get_partner(session, partner_id)
    require_sees(principal, partner)
    return partner


async def _for_admin(partner_id: IdPath, session: SessionDep, principal: Admin) -> Partner:
    partner = await service.get_partner(session, partner_id, for_update=True)
    require_manages(principal, partner)
    return partner


PartnerPath = Annotated[Partner, Depends(_partner)]
PartnerForAdmin = Annotated[Partner, Depends(_for_admin)]
