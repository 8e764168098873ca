"""Proposals as the API shows them: summaries, the detail with its timeline, the six steps, the
co-signers (masked) and what it became on the agenda. The proposer's name is shown to the
proposer and the staff who reach its compound; everyone else sees it masked."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.deliberation.models import AgendaItem
from backend.deliberation.state import AGENDA, OUTCOME_LABELS
from backend.directory import service as directory_service
from backend.proposals import lists, policy, schemas, service
from backend.proposals.models import Proposal, ProposalCosign, ProposalEvent
from backend.proposals.state import PROPOSAL, SIX_STEPS

CATEGORY_FALLBACK = {c["code"]: c["name"] for c in lists.DEFAULT_ENCOURAGED}


def steps(events: list[ProposalEvent], names: dict[int, str]) -> list[schemas.ProposalStepOut]:
    out = []
    for key, name, types in SIX_STEPS:
        first = next((e for e in events if e.type in types), None)
        out.append(
            schemas.ProposalStepOut(
                key=key,
                name=name,
                done=first is not None,
                at=first.at if first else None,
                by=(names.get(first.actor_id) or "系统") if first else None,
            )
        )
    return out


def summary(p: Proposal, proposer_name: str, category_names: dict[str, str], steps_done: int):
    return schemas.ProposalSummary(
        id=p.id,
        level=p.level,
        level_label=service.LEVEL_LABELS[p.level],
        kind=p.kind,
        kind_label=service.KIND_LABELS[p.kind],
        title=p.title,
        category=p.category,
        category_name=category_names.get(p.category, p.category),
        status=p.status,
        status_label=PROPOSAL.label(p.status),
        compound_id=p.compound_id,
        community_id=p.community_id,
        proposer_name=proposer_name,
        cosign_count=p.cosign_count,
        steps_done=steps_done,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


STEP_EVENTS = {t: i for i, (_, _, types) in enumerate(SIX_STEPS) for t in types}


async def summaries(session: AsyncSession, principal: Principal, rows: list[Proposal]) -> list[schemas.ProposalSummary]:
    """One query for the names, one for the steps, one for the lists, whatever the page size."""
    if not rows:
        return []
    names = await directory_service.names_of(session, [p.proposer_id for p in rows])
    staff = await principal.compound_ids(session, *policy.STAFF_ROLES)
    done: dict[int, set[int]] = {p.id: set() for p in rows}
    events = await session.execute(
        select(ProposalEvent.proposal_id, ProposalEvent.type).where(
            ProposalEvent.proposal_id.in_(list(done)), ProposalEvent.type.in_(list(STEP_EVENTS))
        )
    )
    for proposal_id, kind in events:
        done[proposal_id].add(STEP_EVENTS[kind])
    categories: dict[int, dict[str, str]] = {}
    out = []
    for p in rows:
        if p.street_id not in categories:
            _, encouraged, _ = await lists.current(session, p.street_id)
            categories[p.street_id] = {**CATEGORY_FALLBACK, **{c["code"]: c["name"] for c in encouraged}}
        reveal = p.proposer_id == principal.id or p.compound_id in staff
        name = names.get(p.proposer_id) or "居民"
        out.append(
            summary(p, name if reveal else directory_service.mask_name(name), categories[p.street_id], len(done[p.id]))
        )
    return out


async def _cosigners(session: AsyncSession, proposal_id: int) -> list[tuple[int | None, str]]:
    rows = await session.execute(
        select(ProposalCosign.user_id, ProposalCosign.signer_name)
        .where(ProposalCosign.proposal_id == proposal_id)
        .order_by(ProposalCosign.id)
    )
    return list(rows.all())


async def _agenda(session: AsyncSession, item_id: int | None) -> schemas.ProposalAgendaRef | None:
    if item_id is None:
        return None
    item = await session.get(AgendaItem, item_id)
    if item is None:
        return None
    return schemas.ProposalAgendaRef(
        item_id=item.id,
        meeting_date=item.meeting_date,
        status=item.status,
        status_label=AGENDA.label(item.status),
        meeting_id=item.meeting_id,
        outcome=item.outcome,
        outcome_label=OUTCOME_LABELS.get(item.outcome) if item.outcome else None,
        defer_count=item.defer_count,
    )


async def detail(session: AsyncSession, principal: Principal, p: Proposal, threshold: int) -> schemas.ProposalDetail:
    events = await service.events_of(session, p.id)
    cosigners = await _cosigners(session, p.id)
    names = await directory_service.names_of(
        session, [p.proposer_id, *(e.actor_id for e in events), *(u for u, _ in cosigners)]
    )
    staff = await policy.is_staff(session, principal, p)
    reveal = p.proposer_id == principal.id or staff
    version, encouraged, negative = await lists.current(session, p.street_id)
    category_names = {**CATEGORY_FALLBACK, **{c["code"]: c["name"] for c in encouraged}}
    negative_text = {n["code"]: n["text"] for n in negative}
    step_rows = steps(events, names if staff else {k: directory_service.mask_name(v) for k, v in names.items()})
    proposer_name = names.get(p.proposer_id) or "居民"
    viewer_cosigned = any(u == principal.id for u, _ in cosigners)
    base = summary(
        p,
        proposer_name if reveal else directory_service.mask_name(proposer_name),
        category_names,
        sum(1 for s in step_rows if s.done),
    )
    return schemas.ProposalDetail(
        **base.model_dump(),
        problem=p.problem,
        solution=p.solution,
        will_undertake=p.will_undertake,
        undertaking=p.undertaking,
        estimated_cost=p.estimated_cost,
        organisation_name=p.organisation_name,
        partner_id=p.partner_id,
        photos=p.photos,
        list_version=p.list_version,
        cosign_threshold=threshold if p.kind == "joint" else None,
        cosigners=[directory_service.mask_name(names.get(u) if u else n) for u, n in cosigners],
        viewer_cosigned=viewer_cosigned,
        viewer_is_proposer=p.proposer_id == principal.id,
        review_reason=p.review_reason,
        negative_items=[schemas.ProposalNegativeItem(code=c, text=negative_text.get(c, c)) for c in p.negative_codes],
        agenda=await _agenda(session, p.agenda_item_id),
        execution=schemas.ProposalExecution(
            executor=p.executor, task=p.execution_task, due=p.execution_due, report=p.execution_report
        )
        if p.executor
        else None,
        project_id=p.project_id,
        rating_count=p.rating_count,
        rating_average=round(p.rating_sum / p.rating_count, 2) if p.rating_count else None,
        notice_until=p.notice_until,
        steps=step_rows,
        events=_events(events, names, reveal_all=staff, viewer_id=principal.id),
        actions=await policy.actions_for(session, principal, p, viewer_cosigned),
    )


def _events(events, names: dict[int, str], *, reveal_all: bool, viewer_id: int) -> list[schemas.ProposalEventOut]:
    out = []
    for e in events:
        name = names.get(e.actor_id) if e.actor_id is not None else None
        if name and not reveal_all and e.actor_id != viewer_id:
            name = directory_service.mask_name(name)
        out.append(
            schemas.ProposalEventOut(
                type=e.type,
                label=PROPOSAL.event_label(e.type),
                from_status=e.from_status,
                to_status=e.to_status,
                actor_name=name,
                at=e.at,
                note=e.note,
            )
        )
    return out
