"""Figures of co-governance (社区提案、党群议事日), each with the items behind it:
{numerator, denominator, rate, buckets: {name: [ids]}, definition}.

- 提案数 by status, category and level: proposals submitted in the period (a draft never submitted
  is not a proposal yet), raised in the scope's compounds.
- 参与人数 / 参与人次: the people who proposed, co-signed or attended a meeting in the period.
  人数 counts each person once; 人次 counts every act (one proposal, one signature, one
  attendance). People are keys: "u<user id>", a paper signature "h<household id>", a paper
  sign-in "n<name>@h<household id or ->".
- 提案采纳率: proposals a deliberation day adopted ÷ proposals a deliberation day decided on.
- 议事事项办结率: items deliberated (an outcome other than deferred) at meetings of the period
  that are 办结 ÷ items deliberated.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.deliberation.models import AgendaItem, Meeting, MeetingAttendance
from backend.deliberation.state import AgendaStatus
from backend.kernel.periods import Period
from backend.proposals.models import Proposal, ProposalCosign, ProposalEvent
from backend.proposals.state import ProposalStatus

S = ProposalStatus
ADOPTED_OR_LATER = frozenset({S.adopted, S.executing, S.evaluating, S.published, S.closed})


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def figure(buckets: dict[str, list], good: list[str] | None, denominator: int, definition: str) -> dict:
    numerator = sum(len(buckets[k]) for k in good) if good is not None else denominator
    return {
        "numerator": numerator,
        "denominator": denominator,
        "rate": _rate(numerator, denominator) if good is not None else None,
        "buckets": {k: sorted(v) for k, v in buckets.items()},
        "definition": definition,
    }


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
    acts: dict[str, list[str]] = {"proposed": [], "cosigned": [], "attended": []}
    acts["proposed"] = [f"u{p.proposer_id}" for p in proposals]
    if proposals:
        rows = await session.execute(
            select(ProposalCosign.user_id, ProposalCosign.household_id).where(
                ProposalCosign.proposal_id.in_([p.id for p in proposals])
            )
        )
        acts["cosigned"] = [f"u{u}" if u else f"h{h}" for u, h in rows.all()]
    if meeting_ids:
        rows = await session.execute(
            select(MeetingAttendance.user_id, MeetingAttendance.name, MeetingAttendance.household_id).where(
                MeetingAttendance.meeting_id.in_(meeting_ids)
            )
        )
        acts["attended"] = [f"u{u}" if u else f"n{n}@h{h or '-'}" for u, n, h in rows.all()]
    people = {k: sorted(set(v)) for k, v in acts.items()}
    everyone = sorted({x for v in acts.values() for x in v})
    times = sum(len(v) for v in acts.values())
    return {
        "people": {
            "numerator": len(everyone),
            "denominator": len(everyone),
            "rate": None,
            "buckets": people,
            "everyone": everyone,
            "definition": "参与人数：本期提出提案、联名或参加议事会议的人，每人只计一次",
        },
        "times": {
            "numerator": times,
            "denominator": times,
            "rate": None,
            "buckets": {k: dict(Counter(v)) for k, v in acts.items()},
            "definition": "参与人次：提出一条提案、联名一次、参会一次各计一人次",
        },
    }


async def _decided_by_meeting(session: AsyncSession, proposals: list[Proposal]) -> dict[str, list[int]]:
    ids = [p.id for p in proposals]
    buckets: dict[str, list[int]] = {"adopted": [], "not_adopted": []}
    if not ids:
        return buckets
    rows = await session.execute(
        select(ProposalEvent.proposal_id, ProposalEvent.type).where(
            ProposalEvent.proposal_id.in_(ids), ProposalEvent.type.in_(("adopted", "not_adopted"))
        )
    )
    for pid, kind in rows.all():
        buckets[kind].append(pid)
    return buckets


async def co_governance(session: AsyncSession, scope: ReportScope, period: Period) -> dict:
    proposals = await _proposals(session, scope, period)
    meetings = await _meetings(session, scope, period)
    meeting_ids = [m.id for m in meetings]
    n = len(proposals)
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
    return {
        "scope": scope.key,
        "period": period.label,
        "proposals_by_status": figure(
            _grouped(proposals, lambda p: p.status), None, n, "提案数（按状态）：本期提交的提案"
        ),
        "proposals_by_category": figure(_grouped(proposals, lambda p: p.category), None, n, "提案数（按类别）"),
        "proposals_by_level": figure(_grouped(proposals, lambda p: p.level), None, n, "提案数（按层级）"),
        "participants": await _participants(session, proposals, meeting_ids),
        "adoption_rate": figure(
            decided,
            ["adopted"],
            len(decided["adopted"]) + len(decided["not_adopted"]),
            "提案采纳率：议事日表决通过的提案 ÷ 议事日作出表决的提案",
        ),
        "deliberated_closed_rate": figure(
            items,
            ["done"],
            len(items["done"]) + len(items["open"]),
            "议事事项办结率：本期会议议定的事项中已办结的 ÷ 本期会议议定的事项（暂缓的不计）",
        ),
        "meetings": {"count": len(meetings), "ids": meeting_ids},
    }
