"""Figures of co-governance (社区提案、党群议事日), each with the items behind it, in the one shape
of backend/stats/figures.py.

- 提案数 by status, category and level: proposals submitted in the period (a draft never submitted
  is not a proposal yet), raised in the scope's compounds.
- 参与人数 / 参与人次: the people who proposed, co-signed or attended a meeting in the period.
  人数 counts each person once, in the bucket of the first thing they did in this order: proposed,
  co-signed, attended. People are keys: "u<user id>", a paper signature "h<household id>", a paper
  sign-in "n<name>@h<household id or ->". 人次 counts every act: proposals "p<id>", signatures
  "c<id>", attendances "a<id>".
- 提案采纳率: proposals a deliberation day adopted ÷ proposals a deliberation day decided on.
- 议事事项办结率: items deliberated (an outcome other than deferred) at meetings of the period
  that are 办结 ÷ items deliberated.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.deliberation.models import AgendaItem, Meeting, MeetingAttendance
from backend.deliberation.state import AgendaStatus
from backend.kernel.periods import Period
from backend.proposals.models import Proposal, ProposalCosign, ProposalEvent
from backend.proposals.state import ProposalStatus
from backend.stats.figures import figure

S = ProposalStatus
ADOPTED_OR_LATER = frozenset({S.adopted, S.executing, S.evaluating, S.published, S.closed})


async def _proposals(session: AsyncSession, scope: ReportScope, period: Period) -> list[Proposal]:
    rows = await session.execute(
        select(Proposal)
        .where(
            Proposal.compound_id.in_(scope.compound_ids),
            Proposal.submitted_at >= period.start,
            Proposal.submitted_at < period.end,
        )
        .order_by(Proposal.id)
    )
    return list(rows.scalars())


async def _meetings(session: AsyncSession, scope: ReportScope, period: Period) -> list[Meeting]:
    rows = await session.execute(
        select(Meeting)
        .where(
            Meeting.community_id.in_(scope.community_ids),
            Meeting.date >= period.first_day,
            Meeting.date < period.end_day,
        )
        .order_by(Meeting.id)
    )
    meetings = list(rows.scalars())
    if scope.kind == "compound":
        meetings = [m for m in meetings if m.compound_id in (None, *scope.compound_ids)]
    return meetings


def _grouped(proposals: list[Proposal], key) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for p in proposals:
        out[key(p)].append(p.id)
    return dict(out)


async def _participants(session: AsyncSession, proposals: list[Proposal], meeting_ids: list[int]) -> dict:
    people: dict[str, list[str]] = {
        "proposed": [f"u{p.proposer_id}" for p in proposals],
        "cosigned": [],
        "attended": [],
    }
    acts: dict[str, list[str]] = {"proposed": [f"p{p.id}" for p in proposals], "cosigned": [], "attended": []}
    if proposals:
        rows = await session.execute(
            select(ProposalCosign.id, ProposalCosign.user_id, ProposalCosign.household_id).where(
                ProposalCosign.proposal_id.in_([p.id for p in proposals])
            )
        )
        for cid, u, h in rows.all():
            people["cosigned"].append(f"u{u}" if u else f"h{h}")
            acts["cosigned"].append(f"c{cid}")
    if meeting_ids:
        rows = await session.execute(
            select(
                MeetingAttendance.id, MeetingAttendance.user_id, MeetingAttendance.name, MeetingAttendance.household_id
            ).where(MeetingAttendance.meeting_id.in_(meeting_ids))
        )
        for aid, u, n, h in rows.all():
            people["attended"].append(f"u{u}" if u else f"n{n}@h{h or '-'}")
            acts["attended"].append(f"a{aid}")
    seen: set[str] = set()
    first: dict[str, list[str]] = {}
    for kind in ("proposed", "cosigned", "attended"):
        first[kind] = sorted(set(people[kind]) - seen)
        seen |= set(people[kind])
    return {
        "people": figure(
            "参与人数",
            "人",
            first,
            first,
            "本期提出提案、联名或参加议事会议的人，每人只计一次（按提案、联名、参会的先后归入一类）",
        ),
        "times": figure("参与人次", "人次", acts, acts, "提出一条提案、联名一次、参会一次各计一人次"),
    }


async def _decisions(session: AsyncSession, ids: list[int]) -> list[tuple[int, str]]:
    """(proposal id, adopted | not_adopted) of the proposals a deliberation day decided on."""
    if not ids:
        return []
    rows = await session.execute(
        select(ProposalEvent.proposal_id, ProposalEvent.type).where(
            ProposalEvent.proposal_id.in_(ids), ProposalEvent.type.in_(("adopted", "not_adopted"))
        )
    )
    return [(pid, kind) for pid, kind in rows.all()]


async def _decided_by_meeting(session: AsyncSession, proposals: list[Proposal]) -> dict[str, list[int]]:
    buckets: dict[str, list[int]] = {"adopted": [], "not_adopted": []}
    for pid, kind in await _decisions(session, [p.id for p in proposals]):
        buckets[kind].append(pid)
    return buckets


def _adoption(decided: dict[str, list[int]]) -> dict:
    return figure("提案采纳率", "条", decided, ["adopted"], "议事日表决通过的提案 ÷ 议事日作出表决的提案")


async def co_governance(session: AsyncSession, scope: ReportScope, period: Period) -> dict:
    proposals = await _proposals(session, scope, period)
    meetings = await _meetings(session, scope, period)
    meeting_ids = [m.id for m in meetings]
    decided = await _decided_by_meeting(session, proposals)
    items: dict[str, list[int]] = {"done": [], "open": []}
    if meeting_ids:
        rows = await session.execute(
            select(AgendaItem.id, AgendaItem.status).where(
                AgendaItem.meeting_id.in_(meeting_ids), AgendaItem.status.in_((AgendaStatus.decided, AgendaStatus.done))
            )
        )
        for item_id, status in rows.all():
            items["done" if status == AgendaStatus.done else "open"].append(item_id)
    statuses = _grouped(proposals, lambda p: p.status)
    categories = _grouped(proposals, lambda p: p.category)
    levels = _grouped(proposals, lambda p: p.level)
    return {
        "scope": scope.key,
        "period": period.label,
        "proposals_by_status": figure("提案数（按状态）", "条", statuses, statuses, "本期提交的提案（草稿不计）"),
        "proposals_by_category": figure("提案数（按类别）", "条", categories, categories, "本期提交的提案（草稿不计）"),
        "proposals_by_level": figure("提案数（按层级）", "条", levels, levels, "本期提交的提案（草稿不计）"),
        "participants": await _participants(session, proposals, meeting_ids),
        "adoption_rate": _adoption(decided),
        "deliberated_closed_rate": figure(
            "议事事项办结率",
            "项",
            items,
            ["done"],
            "本期会议议定的事项中已办结的 ÷ 本期会议议定的事项（暂缓的顺延到下次议事日，不计）",
        ),
        "meetings": {"count": len(meetings), "ids": meeting_ids},
    }


async def by_community(session: AsyncSession, scopes: list[ReportScope], period: Period) -> dict[int, dict]:
    """The 提案采纳率 of many community scopes at once, in two statements whatever their number (what
    夺旗摘星 reads of `co_governance`; each equals `co_governance` of that community)."""
    community_of = {c: s.id for s in scopes for c in s.compound_ids}
    decided = {s.id: {"adopted": [], "not_adopted": []} for s in scopes}
    if community_of:
        rows = await session.execute(
            select(Proposal.id, Proposal.compound_id).where(
                Proposal.compound_id.in_(list(community_of)),
                Proposal.submitted_at >= period.start,
                Proposal.submitted_at < period.end,
            )
        )
        owner = {pid: community_of[cid] for pid, cid in rows.all()}
        for pid, kind in await _decisions(session, sorted(owner)):
            decided[owner[pid]][kind].append(pid)
    return {c: {"adoption_rate": _adoption(b)} for c, b in decided.items()}
