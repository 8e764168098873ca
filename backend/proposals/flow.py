"""What moves a proposal and the deliberation agenda together: accepting a proposal puts it on
the agenda of its community's next deliberation day; a meeting's outcome on its item moves it
(adopted → 形成; rejected or referred → not adopted; deferred → noted, it stays on the agenda)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import service as deliberation_service
from backend.deliberation.models import AgendaItem
from backend.kernel.clock import utcnow
from backend.proposals import notifications
from backend.proposals import service as proposals_service
from backend.proposals.models import Proposal
from backend.proposals.state import PROPOSAL, ProposalStatus


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
