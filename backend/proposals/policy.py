"""Who may propose, co-sign, see, review and move a proposal, and the path dependencies that load
one for a route.

- Proposing: a resident verified for a household of their compound, or a Party member of a
  compound (`eligible_household` is the ONE rule for "a verified resident"). Organisation
  proposals: a Party member (the work unit's representative) until partners and work units have
  their own representatives.
- Co-signing: one per household of the proposal's area (its compound, community or street by
  level), in the app by a resident of it, or on paper entered by the household's grid worker.
- Reviewing: the reviewer of its level — compound: the compound's dispatcher (for the branch);
  community: the community admin; street: the street admin.
- Seeing: the proposer; the staff who reach its compound; residents and members of its area once
  it is no longer a draft (a joint proposal is shared to a WeChat group for co-signing).
- Moving it after the meeting (execution, publishing): the reviewer of its level or the community
  admin of its community (社区主导督办).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import CurrentUser, Principal, Staff
from backend.deliberation import service as deliberation_service
from backend.directory.models import User
from backend.kernel.db import SessionDep
from backend.kernel.errors import Conflict, Forbidden
from backend.kernel.validation import IdPath
from backend.org import service as org_service
from backend.org.models import Household
from backend.partners import policy as partners_policy
from backend.partners import service as partners_service
from backend.partners.state import PartnerStatus
from backend.proposals import service
from backend.proposals.models import Proposal
from backend.proposals.state import BEFORE_REVIEW, PROPOSAL, RATABLE, ProposalStatus

S = ProposalStatus
STAFF_ROLES = ("dispatcher", "community_admin", "street_admin")
REVIEWER_ROLE = {"compound": "dispatcher", "community": "community_admin", "street": "street_admin"}


async def eligible_household(session: AsyncSession, user: User) -> Household | None:
    """The household a resident may propose and co-sign for: the household their account is bound
    to in their own compound. Since resident verification (住户认证, backend/people ResidentVerification)
    `User.household_id` is set only once a claim is verified, so a bound household is a verified one;
    a stricter rule goes here and nowhere else."""
    if user.household_id is None or user.compound_id is None:
        return None
    household = await session.get(Household, user.household_id)
    if household is None or household.compound_id != user.compound_id:
        return None
    return household


async def partner_compound(session: AsyncSession, principal: Principal, partner_id: int) -> tuple[int, str]:
    """An organisation proposal by a partner's contact (partner_contact on that partner), for an
    active partner: (the compound it is filed under, the partner's name). The compound is the
    contact's own when it lies in the partner's community, else the community's first."""
    partner = await partners_service.get_partner(session, partner_id)
    if not partners_policy.acts_for(principal, partner.id):
        raise Forbidden("只有该合伙人的联系人可以代表它提出单位提案", code="out_of_scope")
    if partner.status != PartnerStatus.active:
        raise Conflict("该合伙人尚未启用（或已暂停），暂不能提出提案", code="partner_not_active")
    compounds = await org_service.compounds_under(session, community_ids=[partner.community_id])
    if not compounds:
        raise Conflict("该合伙人所在社区还没有小区", code="community_empty")
    own = principal.user.compound_id
    return (own if own in compounds else min(compounds)), partner.name


async def proposing_compound(session: AsyncSession, principal: Principal, kind: str) -> int:
    """The compound the caller proposes from, or Forbidden."""
    member_of = principal.scope_ids("party_member", "compound")
    user = principal.user
    if kind == "organisation":
        if not member_of:
            raise Forbidden("单位提案须由报到党员（单位代表）提出", code="not_eligible")
        return user.compound_id if user.compound_id in member_of else min(member_of)
    if await eligible_household(session, user) is not None:
        return user.compound_id
    if member_of:
        return user.compound_id if user.compound_id in member_of else min(member_of)
    raise Forbidden("请先在“我的”页面绑定所在小区和房屋，再提出提案", code="not_eligible")


async def in_area(session: AsyncSession, proposal: Proposal, compound_id: int | None) -> bool:
    """Whether a compound lies in the proposal's area (its compound, community or street)."""
    if compound_id is None:
        return False
    if proposal.level == "compound":
        return compound_id == proposal.compound_id
    community_id, street_id = await service.place_of(session, compound_id)
    if proposal.level == "community":
        return community_id == proposal.community_id
    return street_id == proposal.street_id


async def is_reviewer(session: AsyncSession, principal: Principal, proposal: Proposal) -> bool:
    role = REVIEWER_ROLE[proposal.level]
    if proposal.level == "compound":
        return proposal.compound_id in principal.scope_ids(role, "compound")
    if proposal.level == "community":
        return proposal.community_id in principal.scope_ids(role, "community")
    return proposal.street_id in principal.scope_ids(role, "street")


async def may_manage(session: AsyncSession, principal: Principal, proposal: Proposal) -> bool:
    if await is_reviewer(session, principal, proposal):
        return True
    return proposal.community_id in principal.scope_ids("community_admin", "community") or (
        proposal.street_id in principal.scope_ids("street_admin", "street")
    )


async def is_staff(session: AsyncSession, principal: Principal, proposal: Proposal) -> bool:
    return proposal.compound_id in await principal.compound_ids(session, *STAFF_ROLES)


async def require_visible(session: AsyncSession, principal: Principal, proposal: Proposal) -> None:
    if proposal.proposer_id == principal.id:
        return
    if proposal.status != S.draft:
        if await is_staff(session, principal, proposal):
            return
        if await in_area(session, proposal, principal.user.compound_id):
            return
        for compound_id in principal.scope_ids("party_member", "compound"):
            if await in_area(session, proposal, compound_id):
                return
    raise Forbidden("您无权查看这条提案", code="out_of_scope")


async def may_cosign_online(session: AsyncSession, principal: Principal, proposal: Proposal) -> Household:
    household = await eligible_household(session, principal.user)
    if household is None or not await in_area(session, proposal, household.compound_id):
        raise Forbidden("只有提案范围内的居民户可以联名", code="out_of_scope")
    proposer = await session.get(User, proposal.proposer_id)
    if proposer is not None and proposer.household_id == household.id:
        raise Conflict("提案人本户无需联名", code="own_proposal")
    return household


async def _may_rate(session: AsyncSession, principal: Principal, proposal: Proposal, cosigned: bool) -> bool:
    """Who took part and has not rated yet (the page offers 评价 only to them)."""
    if await service.has_rated(session, proposal.id, principal.id):
        return False
    if proposal.proposer_id == principal.id or cosigned:
        return True
    return proposal.agenda_item_id is not None and await deliberation_service.attended_item(
        session, proposal.agenda_item_id, principal.id
    )


async def require_rater(session: AsyncSession, principal: Principal, proposal: Proposal) -> None:
    """评估 is by the residents who took part: the proposer, the co-signers, the attendees of the
    meeting that decided it."""
    if proposal.proposer_id == principal.id or principal.id in await service.cosigner_ids(session, proposal.id):
        return
    if proposal.agenda_item_id is not None and await deliberation_service.attended_item(
        session, proposal.agenda_item_id, principal.id
    ):
        return
    raise Forbidden("只有提案人、联名居民和参加议事的居民可以评价", code="not_participant")


async def may_enter_paper(session: AsyncSession, principal: Principal, proposal: Proposal, household: Household):
    grids = principal.scope_ids("grid_worker", "grid")
    buildings = principal.scope_ids("building_chief", "building")
    if household.grid_id not in grids and household.building_id not in buildings:
        raise Forbidden("只能录入您所负责网格（楼栋）住户的纸质联名", code="out_of_scope")
    if not await in_area(session, proposal, household.compound_id):
        raise Forbidden("这一户不在提案范围内", code="out_of_scope")


async def actions_for(session: AsyncSession, principal: Principal, proposal: Proposal, cosigned: bool) -> list[str]:
    actions = []
    mine = proposal.proposer_id == principal.id
    if mine:
        if PROPOSAL.can(proposal.status, "submitted") or PROPOSAL.can(proposal.status, "resubmitted"):
            actions += ["edit", "submit"]
        if proposal.status in BEFORE_REVIEW:
            actions.append("withdraw")
    if proposal.kind == "joint" and proposal.status in service.COSIGNABLE and not mine and not cosigned:
        household = await eligible_household(session, principal.user)
        if household is not None and await in_area(session, proposal, household.compound_id):
            actions.append("cosign")
    if proposal.status == S.submitted and await is_reviewer(session, principal, proposal):
        actions.append("review")
    if proposal.status in RATABLE and await _may_rate(session, principal, proposal, cosigned):
        actions.append("rate")
    if await may_manage(session, principal, proposal):
        for event, action in (
            ("execution_started", "start_execution"),
            ("execution_done", "finish_execution"),
            ("published", "publish"),
        ):
            if PROPOSAL.can(proposal.status, event):
                actions.append(action)
    return actions


# ---- path dependencies -------------------------------------------------------------------------


async def _proposal(proposal_id: IdPath, session: SessionDep, principal: CurrentUser) -> Proposal:
    proposal = await service.get_proposal(session, proposal_id)
    await require_visible(session, principal, proposal)
    return proposal


async def _locked(proposal_id: IdPath, session: SessionDep, principal: CurrentUser) -> Proposal:
    proposal = await service.get_proposal(session, proposal_id, for_update=True)
    await require_visible(session, principal, proposal)
    return proposal


async def _locked_any(proposal_id: IdPath, session: SessionDep, _: CurrentUser) -> Proposal:
    return await service.get_proposal(session, proposal_id, for_update=True)


async def _for_proposer(principal: CurrentUser, proposal: Annotated[Proposal, Depends(_locked)]) -> Proposal:
    if proposal.proposer_id != principal.id:
        raise Forbidden("只有提案人可以这样做", code="not_proposer")
    return proposal


async def _for_reviewer(principal: Staff, session: SessionDep, proposal: Annotated[Proposal, Depends(_locked)]):
    if not await is_reviewer(session, principal, proposal):
        raise Forbidden("这条提案不由您这一级审议", code="out_of_scope")
    return proposal


async def _for_manager(principal: Staff, session: SessionDep, proposal: Annotated[Proposal, Depends(_locked)]):
    if not await may_manage(session, principal, proposal):
        raise Forbidden("您不负责督办这条提案", code="out_of_scope")
    return proposal


ProposalPath = Annotated[Proposal, Depends(_proposal)]  # any caller who may see it
ProposalLocked = Annotated[Proposal, Depends(_locked)]  # the same, its row locked (co-signing, rating)
ProposalForSigning = Annotated[Proposal, Depends(_locked_any)]  # who may sign is may_cosign_* 's rule
ProposalForProposer = Annotated[Proposal, Depends(_for_proposer)]
ProposalForReviewer = Annotated[Proposal, Depends(_for_reviewer)]
ProposalForManager = Annotated[Proposal, Depends(_for_manager)]
