"""Proposal events as messages: the proposer and the co-signers are told at every step."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.clock import utcnow
from backend.notify import service as notify_service
from backend.proposals.models import Proposal, ProposalCosign
from backend.proposals.state import PROPOSAL


async def step(session: AsyncSession, proposal: Proposal, note: str | None = None) -> None:
    """The proposal moved: to its proposer and every household member who co-signed in the app."""
    rows = await session.execute(
        select(ProposalCosign.user_id).where(
            ProposalCosign.proposal_id == proposal.id, ProposalCosign.user_id.is_not(None)
        )
    )
    recipients = [proposal.proposer_id, *rows.scalars()]
    params = {
        "proposal_id": proposal.id,
        "proposal_title": proposal.title,
        "status_label": PROPOSAL.label(proposal.status),
        "note": note or "",
        "at": utcnow(),
    }
    await notify_service.emit(
        session,
        "proposal_step",
        recipients,
        params,
        ref=("proposal", proposal.id),
        compound_id=proposal.compound_id,
    )
