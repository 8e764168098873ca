"""Proposal routes: the street's lists, drafting and submitting, co-signing, review, and the
steps after the meeting (execution, rating, publishing)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.auth.deps import CurrentUser, Principal, Staff
from backend.deliberation import meetings
from backend.deliberation import views as deliberation_views
from backend.deliberation.policy import MeetingForRunner
from backend.deliberation.schemas import MeetingDetail, OutcomeIn
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.labels import LABELS
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath
from backend.proposals import flow, lists, policy, schemas, service, views
from backend.proposals.policy import (
    ProposalForManager,
    ProposalForProposer,
    ProposalForReviewer,
    ProposalForSigning,
    ProposalLocked,
    ProposalPath,
)
from backend.proposals.state import STATUSES

router = APIRouter(prefix="/api/v1/proposals", tags=["proposals"])
# A meeting's outcome moves the agenda item and the proposal it came from (flow.py), so its
# route lives here, one layer above backend/deliberation.
outcome_router = APIRouter(prefix="/api/v1/meetings", tags=["deliberation"])


async def _street_of(session, principal: Principal) -> int:
    street_ids = principal.scope_ids("street_admin", "street")
    if street_ids:
        return min(street_ids)
    compound_id = principal.user.compound_id or min(
        await principal.compound_ids(session, "party_member", "dispatcher", "community_admin"), default=None
    )
    if compound_id is None:
        raise Forbidden("请先在“我的”页面绑定所在小区", code="compound_required")
    return (await service.place_of(session, compound_id))[1]


@router.get(
    "/lists", response_model=schemas.ProposalListsOut, summary="The caller's street's encouraged and negative lists"
)
async def get_lists(session: SessionDep, principal: CurrentUser) -> schemas.ProposalListsOut:
    street_id = await _street_of(session, principal)
    version, encouraged, negative = await lists.current(session, street_id)
    return schemas.ProposalListsOut(street_id=street_id, version=version, encouraged=encouraged, negative=negative)


@router.put("/lists", response_model=schemas.ProposalListsOut, summary="Save a new version of the lists (street admin)")
async def put_lists(
    body: schemas.ProposalListsIn, session: SessionDep, principal: CurrentUser
) -> schemas.ProposalListsOut:
    street_ids = principal.scope_ids("street_admin", "street")
    if not street_ids:
        raise Forbidden("只有街道管理员可以修改提案清单", code="role_required")
    for items in (body.encouraged, body.negative):
        codes = [i.code for i in items]
        if len(set(codes)) != len(codes):
            raise InvalidInput("清单中的编码不能重复", code="duplicate_code")
    row = await lists.save(
        session,
        min(street_ids),
        encouraged=[i.model_dump() for i in body.encouraged],
        negative=[i.model_dump() for i in body.negative],
        actor_id=principal.id,
    )
    return schemas.ProposalListsOut(
        street_id=row.street_id, version=row.version, encouraged=row.encouraged, negative=row.negative
    )


@router.post(
    "", status_code=201, response_model=schemas.ProposalDetail, summary="Draft a proposal (residents, members)"
)
async def create(
    body: schemas.ProposalCreate, session: SessionDep, principal: CurrentUser, settings: SettingsDep
) -> schemas.ProposalDetail:
    fields = body.model_dump()
    if body.partner_id is not None:
        if body.kind != "organisation":
            raise InvalidInput("只有单位提案可以指定合伙人", code="partner_only_for_organisation")
        compound_id, fields["organisation_name"] = await policy.partner_compound(session, principal, body.partner_id)
        fields["partner_id"] = body.partner_id
    else:
        compound_id = await policy.proposing_compound(session, principal, body.kind)
    draft = service.Draft(**fields)
    proposal = await service.create(session, principal.user, compound_id, draft)
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


def _statuses(status: str | None) -> list[str] | None:
    if not status:
        return None
    values = [s.strip() for s in status.split(",") if s.strip()]
    unknown = [s for s in values if s not in STATUSES]
    if unknown:
        raise InvalidInput(f"未知的状态：{', '.join(unknown)}；可用：{', '.join(STATUSES)}", code="invalid_status")
    return values


async def _scope(session, principal: Principal, mine: bool) -> service.ListFilter:
    """Staff see the proposals raised in the compounds they reach; everyone else their own
    (mine) or, past the draft, those whose area they live in (the same rule as the detail's)."""
    if mine:
        return service.ListFilter(proposer_id=principal.id)
    staff = await principal.compound_ids(session, *policy.STAFF_ROLES)
    if staff:
        return service.ListFilter(compound_ids=staff, hide_drafts_of_others=principal.id)
    compounds = {principal.user.compound_id, *principal.scope_ids("party_member", "compound")} - {None}
    places = [await service.place_of(session, c) for c in compounds]
    area = (compounds, {c for c, _ in places}, {s for _, s in places})
    return service.ListFilter(area=area, hide_drafts_of_others=principal.id)


@router.get(
    "", response_model=Page[schemas.ProposalSummary], summary="List proposals (mine, my community's, or staff's)"
)
async def list_proposals(
    session: SessionDep,
    principal: CurrentUser,
    level: Annotated[str | None, Query(pattern="^(compound|community|street)$")] = None,
    status: Annotated[str | None, Query(description="one status or several separated by commas")] = None,
    category: Annotated[str | None, Query(max_length=30)] = None,
    mine: bool = False,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.ProposalSummary]:
    f = await _scope(session, principal, mine)
    f.level, f.statuses, f.category = level, _statuses(status), category
    rows = await service.list_proposals(session, f, cursor=parse_cursor(cursor), limit=limit)
    rows, next_cursor = page_of(rows, limit)
    return Page(items=await views.summaries(session, principal, rows), next_cursor=next_cursor)


@router.get(
    "/{proposal_id}", response_model=schemas.ProposalDetail, summary="A proposal with its six steps and timeline"
)
async def get_proposal(
    proposal: ProposalPath, session: SessionDep, principal: CurrentUser, settings: SettingsDep
) -> schemas.ProposalDetail:
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


@router.patch(
    "/{proposal_id}", response_model=schemas.ProposalDetail, summary="Edit a draft or returned proposal (proposer)"
)
async def edit(
    proposal: ProposalForProposer,
    body: schemas.ProposalEdit,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> schemas.ProposalDetail:
    changes = body.model_dump(exclude_unset=True)
    cleared = [
        f
        for f in ("title", "problem", "solution", "category", "will_undertake", "photos")
        if f in changes and changes[f] is None
    ]
    if cleared:
        raise InvalidInput(f"{'、'.join(LABELS.get(f, f) for f in cleared)}不能为空", code="field_required")
    await service.edit(session, proposal, changes, actor_id=principal.id)
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


@router.post(
    "/{proposal_id}/submit",
    response_model=schemas.ProposalDetail,
    summary="Submit after the negative-list self-check (proposer)",
)
async def submit(
    proposal: ProposalForProposer,
    body: schemas.ProposalSubmitIn,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> schemas.ProposalDetail:
    if not body.none_applies:
        raise InvalidInput("请对照负面清单逐条自查，确认均不涉及后再提交", code="self_check_required")
    threshold = settings.joint_proposal_min_households
    await service.submit(session, proposal, actor_id=principal.id, threshold=threshold)
    return await views.detail(session, principal, proposal, threshold)


@router.post(
    "/{proposal_id}/withdraw", response_model=schemas.ProposalDetail, summary="Withdraw until review decides (proposer)"
)
async def withdraw(
    proposal: ProposalForProposer,
    body: schemas.ProposalWithdrawIn,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> schemas.ProposalDetail:
    await service.withdraw(session, proposal, actor_id=principal.id, reason=body.reason)
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


@router.post(
    "/{proposal_id}/cosign",
    response_model=schemas.ProposalCosignOut,
    summary="Co-sign a joint proposal for one's household, or enter a paper signature (grid worker)",
)
async def cosign(
    proposal: ProposalForSigning,
    body: schemas.ProposalCosignIn,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> schemas.ProposalCosignOut:
    threshold = settings.joint_proposal_min_households
    if body.household_id is None:
        household = await policy.may_cosign_online(session, principal, proposal)
        sig = service.Signature(household_id=household.id, user_id=principal.id)
    else:
        if not principal.has_role("grid_worker", "building_chief"):
            raise Forbidden("只有网格员、楼栋长可以录入纸质联名", code="role_required")
        if not body.signer_name or not body.photo or not body.client_id:
            raise InvalidInput("录入纸质联名须填写签名人、签名页照片和本地编号", code="paper_details_required")
        household = await service.household(session, body.household_id)
        await policy.may_enter_paper(session, principal, proposal, household)
        sig = service.Signature(
            household_id=household.id,
            signer_name=body.signer_name,
            entered_by=principal.id,
            client_id=body.client_id,
            photo=body.photo,
        )
    _, created = await service.cosign(session, proposal, sig, threshold=threshold)
    return schemas.ProposalCosignOut(
        created=created, proposal=await views.detail(session, principal, proposal, threshold)
    )


@router.post(
    "/{proposal_id}/review",
    response_model=schemas.ProposalDetail,
    summary="Accept, return, reject or refer (the reviewer of its level)",
)
async def review(
    proposal: ProposalForReviewer,
    body: schemas.ProposalReviewIn,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> schemas.ProposalDetail:
    actor = principal.id
    if body.decision == "accept":
        await flow.accept(session, proposal, actor_id=actor, reason=body.reason)
    elif body.decision == "return":
        await service.return_(session, proposal, actor_id=actor, reason=body.reason)
    elif body.decision == "reject":
        await service.reject(session, proposal, actor_id=actor, reason=body.reason, codes=body.negative_codes)
    else:
        await service.refer(session, proposal, actor_id=actor, to_level=body.to_level, reason=body.reason)
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


@router.post(
    "/{proposal_id}/execution",
    response_model=schemas.ProposalDetail,
    summary="联动执行: who does what by when (reviewer or community admin)",
)
async def start_execution(
    proposal: ProposalForManager,
    body: schemas.ProposalExecutionIn,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> schemas.ProposalDetail:
    await service.start_execution(
        session, proposal, actor_id=principal.id, executor=body.executor, task=body.task, due=body.due
    )
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


@router.post(
    "/{proposal_id}/execution/done",
    response_model=schemas.ProposalDetail,
    summary="The work is done: open the evaluation (reviewer or community admin)",
)
async def finish_execution(
    proposal: ProposalForManager,
    body: schemas.ProposalExecutionDoneIn,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> schemas.ProposalDetail:
    await service.finish_execution(session, proposal, actor_id=principal.id, report=body.report)
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


@router.post(
    "/{proposal_id}/rating",
    response_model=schemas.ProposalDetail,
    summary="评估: rate the result 1–5 (co-signers and attendees)",
)
async def rate(
    proposal: ProposalLocked,
    body: schemas.ProposalRateIn,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> schemas.ProposalDetail:
    await policy.require_rater(session, principal, proposal)
    await service.rate(session, proposal, user_id=principal.id, rating=body.rating, comment=body.comment)
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


@router.post(
    "/{proposal_id}/publish",
    response_model=schemas.ProposalDetail,
    summary="公示 the result (reviewer or community admin)",
)
async def publish(
    proposal: ProposalForManager, session: SessionDep, principal: CurrentUser, settings: SettingsDep
) -> schemas.ProposalDetail:
    await service.publish(session, proposal, actor_id=principal.id, notice_days=settings.proposal_notice_days)
    return await views.detail(session, principal, proposal, settings.joint_proposal_min_households)


@outcome_router.post(
    "/{meeting_id}/items/{item_id}/outcome",
    response_model=MeetingDetail,
    summary="Record the outcome of an item: adopted, deferred, rejected or referred (the meeting's runner)",
)
async def outcome(
    meeting: MeetingForRunner,
    item_id: IdPath,
    body: OutcomeIn,
    session: SessionDep,
    principal: Staff,
) -> MeetingDetail:
    item = await meetings.get_item(session, item_id, for_update=True)
    follow_up = body.follow_up.model_dump(mode="json", exclude_none=True) if body.follow_up else None
    result = meetings.Outcome(
        decision=body.decision,
        votes_for=body.votes_for,
        votes_against=body.votes_against,
        abstained=body.abstained,
        note=body.note,
        follow_up=follow_up,
    )
    await meetings.decide(session, meeting, item, result, actor_id=principal.id)
    await flow.on_outcome(session, item, body.decision, actor_id=principal.id)
    await flow.follow_up(session, item, actor_id=principal.id)
    return await deliberation_views.detail(session, principal, meeting)
