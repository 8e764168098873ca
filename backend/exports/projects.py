"""项目台账: one row per project of the period's years in the scope, with its progress, tasks,
funding (amounts in 元 from fen) and the community's review scores. Registered in
backend/exports/ledger.py LEDGERS (kind=projects)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.kernel.clock import utcnow
from backend.kernel.periods import Period
from backend.kernel.sheets import Column
from backend.org.models import Community, Compound
from backend.projects import service as projects_service
from backend.projects.funding import yuan
from backend.projects.models import FundingLine, Project, ProjectReview, ProjectTask
from backend.projects.state import FUNDING_SOURCES, OPEN_TASKS, PROJECT

BATCH = 500
SOURCE_LABELS = {"proposal": "社区提案", "plan": "年度计划", "list": "三清单"}

PROJECT_COLUMNS = tuple(
    Column(h, k)  # type: ignore[arg-type]
    for h, k in (
        ("编号", "number"),
        ("小区/社区", "text"),
        ("年度", "number"),
        ("项目", "text"),
        ("重点项目", "text"),
        ("来源", "text"),
        ("承办方", "text"),
        ("状态", "text"),
        ("进度（%）", "number"),
        ("完成期限", "date"),
        ("完成时间", "datetime"),
        ("任务数", "number"),
        ("超时任务", "number"),
        ("认捐（元）", "yuan"),
        ("到账（元）", "yuan"),
        ("支出（元）", "yuan"),
        ("资金来源明细", "text"),
        ("年中评分", "number"),
        ("年底评分", "number"),
        ("暂停/取消原因", "text"),
    )
)


def _years(period: Period) -> list[int]:
    last = type(period.first_day).fromordinal(period.end_day.toordinal() - 1)
    return list(range(period.first_day.year, last.year + 1))


async def _details(session: AsyncSession, ids: list[int]) -> tuple[dict, dict, dict, dict]:
    milestones = await projects_service.milestones_of(session, ids)
    tasks: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    now = utcnow()
    rows = await session.execute(
        select(ProjectTask.project_id, ProjectTask.status, ProjectTask.due_at, ProjectTask.completed_at).where(
            ProjectTask.project_id.in_(ids)
        )
    )
    for pid, status, due_at, completed_at in rows.all():
        tasks[pid][0] += 1
        late = (status in OPEN_TASKS and due_at <= now) or (completed_at is not None and completed_at > due_at)
        tasks[pid][1] += int(late)
    lines: dict[int, list[FundingLine]] = defaultdict(list)
    for line in (await session.execute(select(FundingLine).where(FundingLine.project_id.in_(ids)))).scalars():
        lines[line.project_id].append(line)
    reviews: dict[int, dict[str, int]] = defaultdict(dict)
    for r in (await session.execute(select(ProjectReview).where(ProjectReview.project_id.in_(ids)))).scalars():
        reviews[r.project_id][r.kind] = r.score
    return milestones, tasks, lines, reviews


def _money(lines: list[FundingLine]) -> str:
    return "\n".join(
        f"{FUNDING_SOURCES[x.source]}：认捐{yuan(x.pledged)} 到账{yuan(x.received)} 支出{yuan(x.spent)}"
        for x in sorted(lines, key=lambda x: list(FUNDING_SOURCES).index(x.source))
    )


async def project_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    places = dict(
        (await session.execute(select(Compound.id, Compound.name).where(Compound.id.in_(scope.compound_ids)))).all()
    )
    communities = dict((await session.execute(select(Community.id, Community.name))).all())
    in_scope = Project.compound_id.in_(scope.compound_ids)
    if scope.kind != "compound":
        in_scope = or_(in_scope, and_(Project.scope_kind == "community", Project.community_id.in_(scope.community_ids)))
    stmt = select(Project).where(in_scope, Project.year.in_(_years(period)))
    last = 0
    while True:
        batch = list((await session.execute(stmt.where(Project.id > last).order_by(Project.id).limit(BATCH))).scalars())
        if not batch:
            return
        last = batch[-1].id
        milestones, tasks, lines, reviews = await _details(session, [p.id for p in batch])
        yield [
            (
                p.id,
                places.get(p.compound_id, "") if p.compound_id else communities.get(p.community_id, ""),
                p.year,
                p.title,
                "是" if p.key else "否",
                SOURCE_LABELS.get(p.source, p.source),
                p.undertaker,
                PROJECT.label(p.status),
                projects_service.weighted_progress(milestones[p.id]),
                p.due_date,
                p.completed_at,
                tasks[p.id][0],
                tasks[p.id][1],
                sum(x.pledged for x in lines[p.id]),
                sum(x.received for x in lines[p.id]),
                sum(x.spent for x in lines[p.id]),
                _money(lines[p.id]),
                reviews[p.id].get("midyear"),
                reviews[p.id].get("yearend"),
                p.reason,
            )
            for p in batch
        ]
