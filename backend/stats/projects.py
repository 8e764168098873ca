"""Figures of projects (联动执行), each with the items behind it, in the one shape of
backend/stats/figures.py.

- 项目数（按状态）: the projects of the period's years in the scope (a compound's projects; a
  community's own projects count for the community and the street).
- 重点项目达标小区: the scope's compounds, met (at least KEY_PROJECTS_PER_YEAR key projects of the
  year, cancelled ones not counted) or below; `per_compound` lists each one's key projects.
- 按期完成率: completed (completed, evaluated, published) projects with a due date, completed on or
  before it (Asia/Shanghai date) ÷ those; projects without a due date are listed apart.
- 任务超时: the tasks of those projects, cancelled ones apart: overdue (still open past the due
  time), completed late, completed on time, open within time; overdue + late over all.
- 资金（按来源）: pledged, received and spent in fen per source, with the funding lines behind them.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.periods import Period
from backend.projects.models import FundingLine, Project, ProjectTask
from backend.projects.state import DONE, FUNDING_SOURCES, OPEN_TASKS, PROJECT, ProjectStatus, TaskStatus
from backend.stats.figures import figure


def _years(period: Period) -> list[int]:
    last = period.end_day.toordinal() - 1
    return list(range(period.first_day.year, type(period.first_day).fromordinal(last).year + 1))


def _in_scope(compound_ids, community_ids):
    in_scope = Project.compound_id.in_(compound_ids)
    if community_ids:
        in_scope = or_(in_scope, and_(Project.scope_kind == "community", Project.community_id.in_(community_ids)))
    return in_scope


async def _projects(session: AsyncSession, scope: ReportScope, period: Period) -> list[Project]:
    in_scope = _in_scope(scope.compound_ids, scope.community_ids if scope.kind != "compound" else ())
    rows = await session.execute(select(Project).where(in_scope, Project.year.in_(_years(period))).order_by(Project.id))
    return list(rows.scalars())


def _key_projects(projects: list[Project], scope: ReportScope, target: int, years: list[int]) -> dict:
    per: dict[int, list[int]] = {c: [] for c in sorted(scope.compound_ids)}
    for p in projects:
        if p.key and p.compound_id in per and p.status != ProjectStatus.cancelled:
            per[p.compound_id].append(p.id)
    # a compound meets the target in every year of the period (one year is the usual period)
    need = target * len(years)
    buckets = {
        "met": [c for c, ids in per.items() if len(ids) >= need],
        "below": [c for c, ids in per.items() if len(ids) < need],
    }
    out = figure(
        "重点项目达标小区",
        "个",
        buckets,
        ["met"],
        f"每个小区每年落实重点项目{target}项以上：本期年度内重点项目（已取消的不计）"
        f"达到{target}项的小区 ÷ 范围内的小区",
    )
    out["target"] = target
    out["per_compound"] = {str(c): {"count": len(ids), "project_ids": ids} for c, ids in per.items()}
    return out


def _on_time(projects: list[Project]) -> dict:
    buckets: dict[str, list[int]] = {"on_time": [], "late": []}
    no_due: list[int] = []
    for p in projects:
        if p.status not in DONE:
            continue
        if p.due_date is None or p.completed_at is None:
            no_due.append(p.id)
            continue
        done_day = p.completed_at.astimezone(SHANGHAI).date()
        buckets["on_time" if done_day <= p.due_date else "late"].append(p.id)
    return figure(
        "按期完成率",
        "项",
        buckets,
        ["on_time"],
        "已完成（含已评估、已公示）且有完成期限的项目中，在期限当日或之前完成的 ÷ 这些项目",
        excluded={"no_due_date": no_due},
    )


async def _tasks(session: AsyncSession, project_ids: list[int]) -> dict:
    buckets: dict[str, list[int]] = {"overdue": [], "completed_late": [], "completed_on_time": [], "open": []}
    cancelled: list[int] = []
    now = utcnow()
    if project_ids:
        rows = await session.execute(
            select(ProjectTask.id, ProjectTask.status, ProjectTask.due_at, ProjectTask.completed_at).where(
                ProjectTask.project_id.in_(project_ids)
            )
        )
        for tid, status, due_at, completed_at in rows.all():
            if status == TaskStatus.cancelled:
                cancelled.append(tid)
            elif status in OPEN_TASKS:
                buckets["overdue" if due_at <= now else "open"].append(tid)
            else:
                buckets["completed_late" if completed_at > due_at else "completed_on_time"].append(tid)
    return figure(
        "任务超时",
        "项",
        buckets,
        ["overdue", "completed_late"],
        "这些项目的任务中，超过时限仍未完成的与超时完成的 ÷ 全部任务（已取消的不计）",
        excluded={"cancelled": cancelled},
    )


async def _funding(session: AsyncSession, project_ids: list[int]) -> dict:
    totals = {
        s: {"label": label, "pledged": 0, "received": 0, "spent": 0, "line_ids": []}
        for s, label in FUNDING_SOURCES.items()
    }
    if project_ids:
        rows = await session.execute(
            select(FundingLine).where(FundingLine.project_id.in_(project_ids)).order_by(FundingLine.id)
        )
        for line in rows.scalars():
            t = totals[line.source]
            t["pledged"] += line.pledged
            t["received"] += line.received
            t["spent"] += line.spent
            t["line_ids"].append(line.id)
    return {
        "label": "资金（按来源）",
        "unit": "分",
        "sources": totals,
        "definition": "这些项目各来源资金的认捐（承诺）、到账、支出合计，单位为分；每笔变动附凭证",
    }


async def projects(session: AsyncSession, scope: ReportScope, period: Period, target: int) -> dict:
    rows = await _projects(session, scope, period)
    by_status: dict[str, list[int]] = {s.value: [] for s in ProjectStatus}
    for p in rows:
        by_status[p.status].append(p.id)
    ids = [p.id for p in rows]
    return {
        "scope": scope.key,
        "period": period.label,
        "projects_by_status": figure(
            "项目数（按状态）",
            "项",
            by_status,
            list(by_status),
            "本期年度内范围中的项目：" + "、".join(PROJECT.label(s) for s in by_status),
        ),
        "key_projects": _key_projects(rows, scope, target, _years(period)),
        "on_time_rate": _on_time(rows),
        "tasks_overdue": await _tasks(session, ids),
        "funding": await _funding(session, ids),
    }


async def by_community(session: AsyncSession, scopes: list[ReportScope], period: Period) -> dict[int, dict]:
    """The 按期完成率 of many community scopes at once, in one statement whatever their number (what
    夺旗摘星 reads of `projects`; each equals `projects` of that community): a community's projects
    are its compounds' and its own community-level ones."""
    community_of = {c: s.id for s in scopes for c in s.compound_ids}
    mine: dict[int, list[Project]] = {s.id: [] for s in scopes}
    if scopes:
        in_scope = _in_scope(list(community_of), [s.id for s in scopes])
        rows = await session.execute(
            select(Project).where(in_scope, Project.year.in_(_years(period))).order_by(Project.id)
        )
        for p in rows.scalars():
            owners = {community_of[p.compound_id]} if p.compound_id in community_of else set()
            if p.scope_kind == "community" and p.community_id in mine:
                owners.add(p.community_id)
            for c in owners:
                mine[c].append(p)
    return {c: {"on_time_rate": _on_time(ps)} for c, ps in mine.items()}
