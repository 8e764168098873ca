"""What moves a proposal and the deliberation agenda together: accepting a proposal puts it on
the agenda of its community's next deliberation day; a meeting's outcome on its item moves it
(adopted → 形成; rejected or referred → not adopted; deferred → noted, it stays on the agenda).
An adopted item's follow-up of kind wish, issue or proposal becomes that thing, and the nine
steps' 跟踪项目实施 reads its progress (the readers registered in backend/deliberation/followups)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import followups
from backend.deliberation import service as deliberation_service
from backend.deliberation.models import AgendaItem
from backend.directory.models import User
from backend.issues import service as issues_service
from backend.issues.service import CATEGORIES as ISSUE_CATEGORIES
from backend.issues.service import IssueDraft
from backend.issues.state import ISSUE, IssueStatus
from backend.kernel.clock import utcnow
from backend.kernel.errors import InvalidInput
from backend.org import service as org_service
from backend.org.models import Building
from backend.proposals import lists, notifications
from backend.proposals import service as proposals_service
from backend.proposals.models import Proposal
from backend.proposals.state import PROPOSAL, ProposalStatus
from backend.wishes import service as wishes_service
from backend.wishes.categories import CATEGORY_CODES as WISH_CATEGORIES
from backend.wishes.state import WISH, WishStatus


async def accept(session: AsyncSession, proposal: Proposal, *, actor_id: int, reason: str | None) -> Proposal:
    if not PROPOSAL.can(proposal.status, "accepted"):
        raise PROPOSAL.refusal(proposal.status, "accepted")
    now = utcnow()
    [item] = await deliberation_service.propose(
        session,
        [
            deliberation_service.AgendaDraft(
                community_id=proposal.community_id,
                compound_id=proposal.compound_id,
                grid_id=None,
                text=f"【提案】{proposal.title}",
                raised_by=proposal.proposer_id,
                raised_at=now,
                source="proposal",
            )
        ],
    )
    note = f"列入{item.meeting_date.month}月{item.meeting_date.day}日党群议事日议程" + (f"；{reason}" if reason else "")
    values = {"agenda_item_id": item.id, "reviewed_at": now, "review_reason": reason}
    await PROPOSAL.apply(session, proposal, "accepted", actor_id=actor_id, note=note, values=values)
    await notifications.step(session, proposal, note)
    return proposal


async def on_outcome(session: AsyncSession, item: AgendaItem, decision: str, *, actor_id: int) -> Proposal | None:
    """The meeting decided on `item`: move the proposal it came from, if any."""
    proposal = (await proposals_service.by_agenda_items(session, [item.id])).get(item.id)
    if proposal is None or proposal.status != ProposalStatus.accepted:
        return None
    votes = f"赞成{item.votes_for or 0}，反对{item.votes_against or 0}，弃权{item.abstained or 0}"
    if decision == "deferred":
        note = f"暂缓，顺延至{item.meeting_date.month}月{item.meeting_date.day}日议事日（{votes}）"
        await PROPOSAL.record(session, proposal, "deferred", actor_id=actor_id, note=note)
        await notifications.step(session, proposal, note)
        return proposal
    event = "adopted" if decision == "adopted" else "not_adopted"
    note = votes + (f"；{item.outcome_note}" if item.outcome_note else "")
    await PROPOSAL.apply(session, proposal, event, actor_id=actor_id, note=note)
    await notifications.step(session, proposal, note)
    return proposal


# ---- follow-ups: what an adopted item becomes (跟踪项目实施) ----------------------------------------

FOLLOW_UP_KINDS = ("wish", "issue", "proposal")
WISH_DONE = frozenset({WishStatus.closed})
ISSUE_DONE = frozenset({IssueStatus.resolved, IssueStatus.confirmed})


async def follow_up(session: AsyncSession, item: AgendaItem, *, actor_id: int) -> None:
    """An adopted item: one that came from a proposal follows that proposal; one whose follow-up
    is of kind wish, issue or proposal becomes that thing, for the item's compound (a wish to be
    reviewed by its branch, a grid issue of the compound's grid, a draft proposal by whoever raised
    the item), linked back as follow_up.ref_id. Runs in the outcome's transaction: a refusal here
    leaves the item undecided."""
    if item.outcome != "adopted":
        return
    proposal = (await proposals_service.by_agenda_items(session, [item.id])).get(item.id)
    f = dict(item.follow_up or {})
    if proposal is not None:
        await deliberation_service.track(session, item.id, kind="proposal", ref_id=proposal.id)
        return
    kind = f.get("kind")
    if kind not in FOLLOW_UP_KINDS:
        return
    compound_id = f.get("compound_id") or item.compound_id
    if compound_id is None:
        raise InvalidInput("这个议题不属于某个小区：请写明后续事项落在哪个小区", code="compound_required")
    if (await org_service.get_compound(session, compound_id)).community_id != item.community_id:
        raise InvalidInput("后续事项只能落在本社区的小区", code="compound_out_of_scope")
    raiser = await session.get(User, item.raised_by)
    text = item.text + (f"（议事日议定：{item.outcome_note}）" if item.outcome_note else "")
    makers = {"wish": _wish, "issue": _issue, "proposal": _proposal}
    ref_id = await makers[kind](session, item, f, compound_id, raiser, text, actor_id)
    await deliberation_service.track(session, item.id, ref_id=ref_id)


async def _wish(session, item, f, compound_id: int, raiser: User, text: str, actor_id: int) -> int:
    category = f.get("category") or "other"
    if category not in WISH_CATEGORIES:
        raise InvalidInput(f"心愿类别须为：{'、'.join(WISH_CATEGORIES)}", code="invalid_category")
    wish = await wishes_service.create_wish(
        session,
        raiser,
        title=None,
        description=text[:1000],
        category=category,
        photos=[],
        filed_by=actor_id,
        compound_id=compound_id,
    )
    return wish.id


async def _issue(session, item, f, compound_id: int, raiser: User, text: str, actor_id: int) -> int:
    category = f.get("category") or "other"
    if category not in ISSUE_CATEGORIES:
        raise InvalidInput(f"事件类别须为：{'、'.join(ISSUE_CATEGORIES)}", code="invalid_category")
    grid_id = await session.scalar(
        select(Building.grid_id).where(Building.compound_id == compound_id).order_by(Building.id).limit(1)
    )
    if grid_id is None:
        raise InvalidInput("这个小区还没有划入网格，无法生成网格事件", code="grid_required")
    draft = IssueDraft(
        grid_id=grid_id,
        compound_id=compound_id,
        household_id=None,
        category=category,
        description=text[:1000],
        raised_by=actor_id,
        source="deliberation",
        location=f.get("note") or "",
    )
    [issue] = await issues_service.open_issues(session, [draft])
    return issue.id


async def _proposal(session, item, f, compound_id: int, raiser: User, text: str, actor_id: int) -> int:
    _, street_id = await proposals_service.place_of(session, compound_id)
    _, encouraged, _ = await lists.current(session, street_id)
    category = f.get("category") or encouraged[0]["code"]
    draft = proposals_service.Draft(
        level="compound",
        kind="individual",
        title=item.text[:60],
        problem=text[:1000],
        solution=(f.get("note") or item.outcome_note or "按议事日议定的办法办理")[:1000],
        category=category,
    )
    proposal = await proposals_service.create(session, raiser, compound_id, draft)
    return proposal.id


async def _wish_progress(session: AsyncSession, ids: set[int]) -> dict[int, tuple[str, bool]]:
    wishes = await wishes_service.wishes_by_id(session, ids)
    return {i: (WISH.label(w.status), w.status in WISH_DONE) for i, w in wishes.items()}


async def _issue_progress(session: AsyncSession, ids: set[int]) -> dict[int, tuple[str, bool]]:
    found = await issues_service.statuses(session, ids)
    return {i: (ISSUE.label(s), s in ISSUE_DONE) for i, s in found.items()}


async def _proposal_progress(session: AsyncSession, ids: set[int]) -> dict[int, tuple[str, bool]]:
    rows = await session.execute(select(Proposal.id, Proposal.status).where(Proposal.id.in_(ids)))
    return {i: (PROPOSAL.label(s), s == ProposalStatus.closed) for i, s in rows.all()}


followups.register("wish", _wish_progress)
followups.register("issue", _issue_progress)
followups.register("proposal", _proposal_progress)
