"""The rules of proposals that concern the proposal alone: drafting, editing, submitting with the
negative-list self-check, co-signing, review, withdrawal, execution, rating, publishing and
closing. Every status change goes through `PROPOSAL.apply`; putting an accepted proposal on the
agenda and a meeting's outcome are in flow.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import service as deliberation_service
from backend.deliberation.models import AgendaItem
from backend.deliberation.state import AGENDA
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.org.models import Community, Compound, Household
from backend.proposals import lists, notifications
from backend.proposals.models import Proposal, ProposalCosign, ProposalEvent, ProposalRating
from backend.proposals.state import PROPOSAL, ProposalStatus

S = ProposalStatus
LEVELS = ("compound", "community", "street")
KINDS = ("individual", "joint", "organisation")


async def get_proposal(session: AsyncSession, proposal_id: int, *, for_update: bool = False) -> Proposal:
    stmt = select(Proposal).where(Proposal.id == proposal_id)
    if for_update:
        stmt = stmt.with_for_update()
    proposal = (await session.execute(stmt)).scalar_one_or_none()
    if proposal is None:
        raise NotFound(f"提案 {proposal_id} 不存在", code="proposal_not_found")
    return proposal


async def place_of(session: AsyncSession, compound_id: int) -> tuple[int, int]:
    """(community_id, street_id) of a compound."""
    row = (
        await session.execute(
            select(Compound.community_id, Community.street_id)
            .join(Community, Community.id == Compound.community_id)
            .where(Compound.id == compound_id)
        )
    ).one()
    return row[0], row[1]


async def _check_category(session: AsyncSession, street_id: int, category: str) -> None:
    _, encouraged, _ = await lists.current(session, street_id)
    codes = [c["code"] for c in encouraged]
    if category not in codes:
        names = "、".join(f"{c['code']}（{c['name']}）" for c in encouraged)
        raise InvalidInput(f"提案类别须为鼓励类清单中的一项：{names}", code="invalid_category")


@dataclass
class Draft:
    level: str
    kind: str
    title: str
    problem: str
    solution: str
    category: str
    will_undertake: bool = False
    undertaking: str | None = None
    estimated_cost: int | None = None
    organisation_name: str | None = None
    photos: list[str] | None = None
    partner_id: int | None = None


def _check_draft(d: Draft) -> None:
    if d.kind == "organisation" and not d.organisation_name:
        raise InvalidInput("单位（组织）提案须填写单位名称", code="organisation_required")
    if d.will_undertake and not d.undertaking:
        raise InvalidInput("愿意承接项目的，请说明打算怎样承接", code="undertaking_required")


async def create(session: AsyncSession, proposer: User, compound_id: int, d: Draft) -> Proposal:
    _check_draft(d)
    community_id, street_id = await place_of(session, compound_id)
    await _check_category(session, street_id, d.category)
    now = utcnow()
    proposal = Proposal(
        level=d.level,
        kind=d.kind,
        street_id=street_id,
        community_id=community_id,
        compound_id=compound_id,
        proposer_id=proposer.id,
        title=d.title,
        problem=d.problem,
        solution=d.solution,
        category=d.category,
        will_undertake=d.will_undertake,
        undertaking=d.undertaking if d.will_undertake else None,
        estimated_cost=d.estimated_cost,
        organisation_name=d.organisation_name if d.kind == "organisation" else None,
        partner_id=d.partner_id if d.kind == "organisation" else None,
        photos=d.photos or [],
        status=S.draft,
        created_at=now,
        updated_at=now,
    )
    session.add(proposal)
    await session.flush()
    await PROPOSAL.record(session, proposal, "created", actor_id=proposer.id, from_status=None, at=now)
    return proposal


EDITABLE_FIELDS = (
    "title",
    "problem",
    "solution",
    "category",
    "will_undertake",
    "undertaking",
    "estimated_cost",
    "organisation_name",
    "photos",
)


async def edit(session: AsyncSession, proposal: Proposal, changes: dict, *, actor_id: int) -> Proposal:
    """A draft or a returned proposal, changed by its proposer (level and kind stay)."""
    if proposal.status not in (S.draft, S.returned):
        raise PROPOSAL.refusal(proposal.status, "edited")
    if proposal.partner_id is not None and changes.get("organisation_name", proposal.organisation_name) != (
        proposal.organisation_name
    ):
        raise InvalidInput("代表合伙人提出的提案，单位名称就是合伙人的名称，不能修改", code="partner_name_fixed")
    merged = Draft(
        level=proposal.level,
        kind=proposal.kind,
        **{f: changes.get(f, getattr(proposal, f)) for f in EDITABLE_FIELDS},
    )
    _check_draft(merged)
    if "category" in changes:
        await _check_category(session, proposal.street_id, merged.category)
    values = {f: getattr(merged, f) for f in EDITABLE_FIELDS}
    if not merged.will_undertake:
        values["undertaking"] = None
    await PROPOSAL.apply(session, proposal, "edited", actor_id=actor_id, values=values)
    return proposal


async def submit(session: AsyncSession, proposal: Proposal, *, actor_id: int, threshold: int) -> Proposal:
    """The proposer confirmed that nothing on the negative list applies (the route checks the
    confirmation); the proposal keeps the list version it was screened against."""
    version, _, _ = await lists.current(session, proposal.street_id)
    await _check_category(session, proposal.street_id, proposal.category)
    now = utcnow()
    values = {"list_version": version, "submitted_at": now, "review_reason": None, "negative_codes": []}
    note = f"提案人确认不属于负面清单（第{version}版）所列情形"
    if proposal.status == S.returned:
        event = "resubmitted"
    elif proposal.kind == "joint" and proposal.cosign_count < threshold:
        event = "cosigning_opened"
    else:
        event = "submitted"
    await PROPOSAL.apply(session, proposal, event, actor_id=actor_id, note=note, values=values)
    await notifications.step(session, proposal)
    return proposal


async def withdraw(session: AsyncSession, proposal: Proposal, *, actor_id: int, reason: str | None) -> Proposal:
    await PROPOSAL.apply(session, proposal, "withdrawn", actor_id=actor_id, note=reason)
    await notifications.step(session, proposal)
    return proposal


# ---- co-signing ---------------------------------------------------------------------------------

COSIGNABLE = frozenset({S.cosigning, S.submitted})


@dataclass
class Signature:
    household_id: int
    user_id: int | None = None
    signer_name: str | None = None
    entered_by: int | None = None
    client_id: str | None = None
    photo: str | None = None


async def _existing_paper(session: AsyncSession, sig: Signature) -> ProposalCosign | None:
    if sig.client_id is None:
        return None
    return (
        await session.execute(
            select(ProposalCosign).where(
                ProposalCosign.entered_by == sig.entered_by, ProposalCosign.client_id == sig.client_id
            )
        )
    ).scalar_one_or_none()


async def cosign(
    session: AsyncSession, proposal: Proposal, sig: Signature, *, threshold: int
) -> tuple[ProposalCosign, bool]:
    """One household's signature; (row, created). The proposal row is locked by the route, so
    concurrent signatures queue and the threshold is crossed by exactly one of them. A paper
    signature sent again with its client id returns the first one."""
    if proposal.kind != "joint":
        raise Conflict("只有联名提案可以联名", code="not_joint")
    existing = await _existing_paper(session, sig)
    if existing is not None:
        return existing, False
    if proposal.status not in COSIGNABLE:
        raise PROPOSAL.refusal(proposal.status, "cosigned")
    row = ProposalCosign(proposal_id=proposal.id, **sig.__dict__)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        raise Conflict("这一户已经联名过了，每户限联名一次", code="already_cosigned") from None
    count = (
        await session.execute(
            update(Proposal)
            .where(Proposal.id == proposal.id)
            .values(cosign_count=Proposal.cosign_count + 1)
            .returning(Proposal.cosign_count)
            .execution_options(synchronize_session=False)
        )
    ).scalar_one()
    proposal.cosign_count = count
    await PROPOSAL.record(session, proposal, "cosigned", note=f"第{count}户联名")
    if proposal.status == S.cosigning and count >= threshold:
        note = f"{count}户联名，达到{threshold}户"
        await PROPOSAL.apply(session, proposal, "threshold_reached", note=note, values={"submitted_at": utcnow()})
        await notifications.step(session, proposal)
    return row, True


async def cosigned_households(session: AsyncSession, proposal_id: int) -> set[int]:
    rows = await session.execute(select(ProposalCosign.household_id).where(ProposalCosign.proposal_id == proposal_id))
    return set(rows.scalars())


async def cosigner_ids(session: AsyncSession, proposal_id: int) -> list[int]:
    rows = await session.execute(
        select(ProposalCosign.user_id).where(
            ProposalCosign.proposal_id == proposal_id, ProposalCosign.user_id.is_not(None)
        )
    )
    return list(rows.scalars())


async def household(session: AsyncSession, household_id: int) -> Household:
    row = await session.get(Household, household_id)
    if row is None:
        raise NotFound(f"住户 {household_id} 不存在", code="household_not_found")
    return row


# ---- review -------------------------------------------------------------------------------------


def next_level(level: str, to_level: str | None) -> str:
    if to_level not in LEVELS or to_level == level:
        raise InvalidInput(
            "转交须指明另一个层级：compound（小区）、community（社区）或 street（街道）", code="to_level_required"
        )
    return to_level


async def reject(
    session: AsyncSession, proposal: Proposal, *, actor_id: int, reason: str | None, codes: list[str]
) -> Proposal:
    """不予受理 cites negative-list codes (of the version it was screened against) or a reason."""
    if not codes and not reason:
        raise InvalidInput("不予受理须勾选负面清单条目或写明理由", code="reason_required")
    _, _, negative = await lists.current(session, proposal.street_id)
    known = {n["code"]: n["text"] for n in negative}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(f"负面清单中没有这些条目：{'、'.join(unknown)}", code="invalid_negative_code")
    note = "；".join([*(f"{c} {known[c]}" for c in codes), *([reason] if reason else [])])
    values = {"review_reason": reason, "negative_codes": codes, "reviewed_at": utcnow()}
    await PROPOSAL.apply(session, proposal, "rejected", actor_id=actor_id, note=note, values=values)
    await notifications.step(session, proposal)
    return proposal


async def return_(session: AsyncSession, proposal: Proposal, *, actor_id: int, reason: str | None) -> Proposal:
    if not reason:
        raise InvalidInput("退回修改须写明需要修改的地方", code="reason_required")
    values = {"review_reason": reason, "reviewed_at": utcnow()}
    await PROPOSAL.apply(session, proposal, "returned", actor_id=actor_id, note=reason, values=values)
    await notifications.step(session, proposal)
    return proposal


async def refer(
    session: AsyncSession, proposal: Proposal, *, actor_id: int, to_level: str | None, reason: str | None
) -> Proposal:
    level = next_level(proposal.level, to_level)
    note = f"由{LEVEL_LABELS[proposal.level]}转交{LEVEL_LABELS[level]}审议" + (f"：{reason}" if reason else "")
    await PROPOSAL.apply(session, proposal, "referred", actor_id=actor_id, note=note, values={"level": level})
    await notifications.step(session, proposal)
    return proposal


LEVEL_LABELS = {"compound": "小区", "community": "社区", "street": "街道"}
KIND_LABELS = {"individual": "个人提案", "joint": "联名提案", "organisation": "单位提案"}


# ---- after the meeting: execution, rating, publishing ---------------------------------------


async def start_execution(
    session: AsyncSession, proposal: Proposal, *, actor_id: int, executor: str, task: str, due: date
) -> Proposal:
    values = {"executor": executor, "execution_task": task, "execution_due": due}
    note = f"{executor}负责：{task}（{due.isoformat()}前）"
    await PROPOSAL.apply(session, proposal, "execution_started", actor_id=actor_id, note=note, values=values)
    if proposal.agenda_item_id is not None:  # the deliberation day tracks its adopted items
        await deliberation_service.track(
            session, proposal.agenda_item_id, kind="proposal", ref_id=proposal.id, owner=executor, due=due.isoformat()
        )
    await notifications.step(session, proposal)
    return proposal


async def finish_execution(session: AsyncSession, proposal: Proposal, *, actor_id: int, report: str) -> Proposal:
    values = {"execution_report": report}
    await PROPOSAL.apply(session, proposal, "execution_done", actor_id=actor_id, note=report, values=values)
    await notifications.step(session, proposal)
    return proposal


async def rate(
    session: AsyncSession, proposal: Proposal, *, user_id: int, rating: int, comment: str | None
) -> ProposalRating:
    if proposal.status != S.evaluating:
        raise PROPOSAL.refusal(proposal.status, "rated")
    row = ProposalRating(proposal_id=proposal.id, user_id=user_id, rating=rating, comment=comment)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        raise Conflict("您已经评价过这条提案", code="already_rated") from None
    await session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(rating_count=Proposal.rating_count + 1, rating_sum=Proposal.rating_sum + rating)
        .execution_options(synchronize_session=False)
    )
    proposal.rating_count += 1
    proposal.rating_sum += rating
    await PROPOSAL.record(session, proposal, "rated", note=f"{rating}分")
    return proposal


async def publish(session: AsyncSession, proposal: Proposal, *, actor_id: int, notice_days: int) -> Proposal:
    until = utcnow() + timedelta(days=notice_days)
    note = f"公示{notice_days}天；{proposal.rating_count}人评价" + (
        f"，平均{proposal.rating_sum / proposal.rating_count:.1f}分" if proposal.rating_count else ""
    )
    await PROPOSAL.apply(session, proposal, "published", actor_id=actor_id, note=note, values={"notice_until": until})
    await notifications.step(session, proposal)
    return proposal


async def close_due(session: AsyncSession, limit: int = 200) -> int:
    """Sweep: proposals whose 公示 period has ended are closed (办结)."""
    rows = await session.execute(
        select(Proposal)
        .where(Proposal.status == S.published, Proposal.notice_until <= utcnow())
        .order_by(Proposal.id)
        .limit(limit)
    )
    closed = 0
    for proposal in rows.scalars():
        try:
            async with session.begin_nested():
                values = {"closed_at": utcnow()}
                await PROPOSAL.apply(session, proposal, "closed", note="公示期满", values=values)
                await notifications.step(session, proposal)
                await _finish_item(session, proposal)
        except Conflict:
            continue
        closed += 1
    return closed


async def _finish_item(session: AsyncSession, proposal: Proposal) -> None:
    """The proposal closed: its agenda item is 办结 too (议事事项办结率)."""
    if proposal.agenda_item_id is None:
        return
    item = await session.get(AgendaItem, proposal.agenda_item_id)
    if item is not None and AGENDA.can(item.status, "done"):
        await deliberation_service.finish(session, item, actor_id=None, note="提案公示期满办结")


# ---- reading ------------------------------------------------------------------------------------


async def events_of(session: AsyncSession, proposal_id: int) -> list[ProposalEvent]:
    rows = await session.execute(
        select(ProposalEvent).where(ProposalEvent.proposal_id == proposal_id).order_by(ProposalEvent.id)
    )
    return list(rows.scalars())


@dataclass
class ListFilter:
    compound_ids: set[int] | None = None  # raised in these compounds
    community_ids: set[int] | None = None
    street_ids: set[int] | None = None
    proposer_id: int | None = None
    level: str | None = None
    statuses: list[str] | None = None
    category: str | None = None
    hide_drafts_of_others: int | None = None  # the viewer's id: drafts only when theirs
    # a resident's view: proposals whose area holds one of these (compound-level ones of their
    # compound, community-level ones of their community, street-level ones of their street)
    area: tuple[set[int], set[int], set[int]] | None = None


async def list_proposals(session: AsyncSession, f: ListFilter, *, cursor: int | None, limit: int) -> list[Proposal]:
    stmt = select(Proposal).order_by(Proposal.id.desc()).limit(limit + 1)
    scope = []
    if f.compound_ids is not None:
        scope.append(Proposal.compound_id.in_(f.compound_ids))
    if f.community_ids is not None:
        scope.append(Proposal.community_id.in_(f.community_ids))
    if f.street_ids is not None:
        scope.append(Proposal.street_id.in_(f.street_ids))
    if scope:
        stmt = stmt.where(*scope)
    if f.proposer_id is not None:
        stmt = stmt.where(Proposal.proposer_id == f.proposer_id)
    if f.area is not None:
        compounds, communities, streets = f.area
        stmt = stmt.where(
            ((Proposal.level == "compound") & Proposal.compound_id.in_(compounds))
            | ((Proposal.level == "community") & Proposal.community_id.in_(communities))
            | ((Proposal.level == "street") & Proposal.street_id.in_(streets))
            | (Proposal.proposer_id == f.hide_drafts_of_others)
        )
    if f.level:
        stmt = stmt.where(Proposal.level == f.level)
    if f.statuses:
        stmt = stmt.where(Proposal.status.in_(f.statuses))
    if f.category:
        stmt = stmt.where(Proposal.category == f.category)
    if f.hide_drafts_of_others is not None:
        stmt = stmt.where((Proposal.status != S.draft) | (Proposal.proposer_id == f.hide_drafts_of_others))
    if cursor is not None:
        stmt = stmt.where(Proposal.id < cursor)
    return list((await session.execute(stmt)).scalars())


async def has_rated(session: AsyncSession, proposal_id: int, user_id: int) -> bool:
    row = await session.execute(
        select(ProposalRating.id).where(ProposalRating.proposal_id == proposal_id, ProposalRating.user_id == user_id)
    )
    return row.first() is not None


async def by_agenda_items(session: AsyncSession, item_ids: Iterable[int]) -> dict[int, Proposal]:
    wanted = set(item_ids)
    if not wanted:
        return {}
    rows = await session.execute(select(Proposal).where(Proposal.agenda_item_id.in_(wanted)))
    return {p.agenda_item_id: p for p in rows.scalars()}


async def link_project(session: AsyncSession, proposal: Proposal, project_id: int) -> None:
    """The project an adopted proposal became (backend/projects): shown on the proposal, and the
    project's progress moves its executing step."""
    proposal.project_id = project_id
    await session.flush()
