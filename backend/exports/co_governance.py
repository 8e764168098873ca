"""提案台账 and 议事台账: what goes in which column (the sheet's layout is backend/kernel/sheets.py's;
the ledgers are registered in backend/exports/ledger.py LEDGERS)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.deliberation.models import AgendaItem, Meeting, MeetingAttendance
from backend.deliberation.state import AGENDA, KIND_LABELS, MEETING, OUTCOME_LABELS, SOURCE_LABELS
from backend.directory.models import User
from backend.directory.service import mask_name
from backend.kernel.periods import Period
from backend.kernel.sheets import Column
from backend.org.models import Community, Compound
from backend.proposals.lists import DEFAULT_ENCOURAGED
from backend.proposals.models import Proposal
from backend.proposals.service import KIND_LABELS as PROPOSAL_KINDS
from backend.proposals.service import LEVEL_LABELS
from backend.proposals.state import PROPOSAL, ProposalStatus

BATCH = 2000
T, N, D = "text", "number", "datetime"
CATEGORY_NAMES = {c["code"]: c["name"] for c in DEFAULT_ENCOURAGED}

PROPOSAL_COLUMNS = tuple(
    Column(h, k)  # type: ignore[arg-type]
    for h, k in (
        ("编号", N),
        ("小区", T),
        ("层级", T),
        ("类型", T),
        ("提案", T),
        ("类别", T),
        ("提案人", T),
        ("愿意承接", T),
        ("联名户数", N),
        ("状态", T),
        ("提交时间", D),
        ("审议时间", D),
        ("审议意见", T),
        ("责任人", T),
        ("执行任务", T),
        ("完成时限", "date"),
        ("评价人数", N),
        ("平均评分", N),
        ("公示截止", D),
        ("办结时间", D),
    )
)

MEETING_COLUMNS = tuple(
    Column(h, k)  # type: ignore[arg-type]
    for h, k in (
        ("会议编号", N),
        ("会议", T),
        ("社区", T),
        ("日期", "date"),
        ("地点", T),
        ("参会人数", N),
        ("会议状态", T),
        ("议题编号", N),
        ("议题", T),
        ("来源", T),
        ("议题状态", T),
        ("议定结果", T),
        ("赞成", N),
        ("反对", N),
        ("弃权", N),
        ("责任人", T),
        ("资金来源", T),
        ("暂缓次数", N),
        ("办结时间", D),
    )
)


async def _names(session: AsyncSession, model, ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return dict((await session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all())


async def proposal_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    compounds = await _names(session, Compound, scope.compound_ids)
    stmt = (
        select(Proposal, User.name)
        .join(User, User.id == Proposal.proposer_id)
        .where(
            Proposal.compound_id.in_(scope.compound_ids),
            Proposal.status != ProposalStatus.draft,
            Proposal.created_at >= period.start,
            Proposal.created_at < period.end,
        )
    )

    def shape(p: Proposal, name: str | None) -> tuple:
        return (
            p.id,
            compounds.get(p.compound_id, ""),
            LEVEL_LABELS[p.level],
            PROPOSAL_KINDS[p.kind],
            p.title,
            CATEGORY_NAMES.get(p.category, p.category),
            p.organisation_name or mask_name(name),
            "是" if p.will_undertake else "否",
            p.cosign_count,
            PROPOSAL.label(p.status),
            p.submitted_at,
            p.reviewed_at,
            p.review_reason,
            p.executor,
            p.execution_task,
            p.execution_due,
            p.rating_count,
            round(p.rating_sum / p.rating_count, 2) if p.rating_count else None,
            p.notice_until,
            p.closed_at,
        )

    last = 0
    while True:
        rows = (await session.execute(stmt.where(Proposal.id > last).order_by(Proposal.id).limit(BATCH))).all()
        if not rows:
            return
        last = rows[-1][0].id
        yield [shape(*r) for r in rows]


async def meeting_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    """One row per agenda item of the period's meetings (a meeting without items: one row)."""
    meetings = list(
        (
            await session.execute(
                select(Meeting)
                .where(
                    Meeting.community_id.in_(scope.community_ids),
                    Meeting.date >= period.first_day,
                    Meeting.date < period.end_day,
                )
                .order_by(Meeting.date, Meeting.id)
            )
        ).scalars()
    )
    if not meetings:
        return
    ids = [m.id for m in meetings]
    communities = await _names(session, Community, {m.community_id for m in meetings})
    counts = dict(
        (
            await session.execute(
                select(MeetingAttendance.meeting_id, func.count())
                .where(MeetingAttendance.meeting_id.in_(ids))
                .group_by(MeetingAttendance.meeting_id)
            )
        ).all()
    )
    items: dict[int, list[AgendaItem]] = {i: [] for i in ids}
    for item in (
        await session.execute(select(AgendaItem).where(AgendaItem.meeting_id.in_(ids)).order_by(AgendaItem.id))
    ).scalars():
        items[item.meeting_id].append(item)
    batch = []
    for m in meetings:
        head = (
            m.id,
            KIND_LABELS[m.kind],
            communities.get(m.community_id, ""),
            m.date,
            m.place,
            counts.get(m.id, 0),
            MEETING.label(m.status),
        )
        for i in items[m.id] or [None]:
            batch.append(head + _item_cells(i))
    yield batch


def _item_cells(i: AgendaItem | None) -> tuple:
    if i is None:
        return (None,) * 12
    follow = i.follow_up or {}
    return (
        i.id,
        i.text,
        SOURCE_LABELS.get(i.source, i.source),
        AGENDA.label(i.status),
        OUTCOME_LABELS.get(i.outcome, "") if i.outcome else "",
        i.votes_for,
        i.votes_against,
        i.abstained,
        follow.get("owner"),
        follow.get("funding"),
        i.defer_count,
        i.done_at,
    )
