"""Who acts for the sides of the three lists.

- a partner or work unit: its contacts (partner_contact), and the admins of its community;
- a compound: its dispatcher (the compound branch) and the admins above it;
- a community: its community admins and the street's admins;
- a resident who owns an item: that resident, and the admins of the community.
Claims cross sides (双认领): a unit (partner, work unit) claims a community's or compound's need or
project; a community or compound claims a unit's resource."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.kernel.errors import Forbidden, InvalidInput
from backend.org.models import Community, Compound
from backend.partners import policy as partners_policy
from backend.partners.models import Partner

UNIT_SIDES = frozenset({"partner", "work_unit"})


async def admin_of_community(session: AsyncSession, principal: Principal, community_id: int) -> bool:
    communities, streets = partners_policy.admin_reach(principal)
    if community_id in communities:
        return True
    community = await session.get(Community, community_id) if streets else None
    return community is not None and community.street_id in streets


async def acts_as(session: AsyncSession, principal: Principal, kind: str, side_id: int, community_id: int) -> bool:
    """Whether the caller acts for the side (`community_id`: the item's, for a resident owner)."""
    if kind in UNIT_SIDES:
        if partners_policy.acts_for(principal, side_id):
            return True
        partner = await session.get(Partner, side_id)
        return partner is not None and partners_policy.manages(principal, partner)
    if kind == "compound":
        return side_id in await principal.compound_ids(session, "dispatcher", "community_admin", "street_admin")
    if kind == "community":
        return await admin_of_community(session, principal, side_id)
    return side_id == principal.id or await admin_of_community(session, principal, community_id)


async def require_acts_as(session, principal, kind: str, side_id: int, community_id: int) -> None:
    if not await acts_as(session, principal, kind, side_id, community_id):
        raise Forbidden("您不能代表这一方操作", code="out_of_scope")


def require_cross(owner_kind: str, claimant_kind: str) -> None:
    """双认领: units claim communities' needs; communities and compounds claim units' resources."""
    if owner_kind in UNIT_SIDES and claimant_kind == "partner":
        raise InvalidInput("驻区单位的资源由社区或小区认领", code="same_side")
    if owner_kind not in UNIT_SIDES and claimant_kind != "partner":
        raise InvalidInput("社区和小区的需求由驻区单位或合伙人认领", code="same_side")


async def community_of_compound(session: AsyncSession, compound_id: int) -> int:
    compound = await session.get(Compound, compound_id)
    if compound is None:
        raise InvalidInput(f"小区 {compound_id} 不存在", code="compound_not_found")
    return compound.community_id
