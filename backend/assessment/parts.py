"""The parts of the department assessment, as a registry: each part computes, for every department
of the street, a score 0–100 (None when it has nothing to score) and the items behind it.

`PARTS` maps a code to its label, its default weight and its function; a new part (the project
tasks overdue are counted in the overdue part) is one more entry. Scores:

- response / disposal / satisfaction: the department's 呼叫应答率, 事件处置率, 居民满意率 over the
  issues first whistled to it in the year (backend.stats.escalation.rates), × 100;
- evaluation: the mean of every score answer in the ballots of the street's closed campaigns of
  level communities_rate_department of the year about it, ÷ 5 × 100;
- checkin: contact-days signed ÷ contact-days (each current contact × each working day of the year
  from the day it was set up to today, backend.evaluations.checkins), × 100;
- overdue: 100 − 10 per item of it overdue now — an escalation (open, past its response or disposal
  deadline) or a project task assigned to it (assigned or accepted, past its working-day deadline),
  never below 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.evaluations import checkins
from backend.evaluations import results as evaluation_results
from backend.evaluations import service as evaluations_service
from backend.evaluations.models import EvaluationCampaign
from backend.evaluations.state import CampaignStatus
from backend.issues.models import IssueAssignment
from backend.kernel.figures import figure
from backend.kernel.periods import Period, today_local
from backend.projects.models import ProjectTask
from backend.projects.state import TaskStatus
from backend.stats import escalation

OVERDUE_PENALTY = 10
OVERDUE_DEFINITION = (
    "当前超期未办的事项：吹哨事件未办结且已过响应时限未响应或已过处置时限，以及派给该部门的项目任务未完成且已过办理时限；"
    f"得分 = 100 − 每件{OVERDUE_PENALTY}分，最低0分"
)
EVALUATION_DEFINITION = "本年度已结束的「社区评部门」测评中对该部门的全部评分题得分的平均分 ÷ 5 × 100"


@dataclass
class Context:
    session: AsyncSession
    settings: object
    scope: ReportScope  # the street, or one department of it
    period: Period  # the year
    department_ids: list[int]
    now: datetime
    cache: dict = field(default_factory=dict)  # what two parts share (the three rates)


@dataclass(frozen=True)
class Part:
    label: str
    default_weight: int
    compute: Callable[[Context], Awaitable[dict[int, dict]]]


def _score(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 2)


async def _three(ctx: Context) -> dict[int, dict]:
    rows = await escalation.assignments(ctx.session, ctx.scope, ctx.period)
    by_dept: dict[int, list[IssueAssignment]] = defaultdict(list)
    for a in rows:
        by_dept[a.department_id].append(a)
    return {d: escalation.rates(by_dept.get(d, []), ctx.now, ctx.period) for d in ctx.department_ids}


def _rate_part(key: str):
    async def compute(ctx: Context) -> dict[int, dict]:
        if "three" not in ctx.cache:
            ctx.cache["three"] = await _three(ctx)
        out = {}
        for d, three in ctx.cache["three"].items():
            f = three[key]
            out[d] = {"score": _score(f["rate"]), "figure": f}
        return out

    return compute


async def _evaluation(ctx: Context) -> dict[int, dict]:
    campaigns = list(
        (
            await ctx.session.execute(
                select(EvaluationCampaign)
                .where(
                    EvaluationCampaign.street_id == ctx.scope.street_id,
                    EvaluationCampaign.level == "communities_rate_department",
                    EvaluationCampaign.status == CampaignStatus.closed,
                    EvaluationCampaign.period_start >= ctx.period.start,
                    EvaluationCampaign.period_start < ctx.period.end,
                )
                .order_by(EvaluationCampaign.id)
            )
        ).scalars()
    )
    questions = {c.id: c.questions for c in campaigns}
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    ballots: dict[int, list[int]] = defaultdict(list)
    for b in await evaluations_service.ballots_of(ctx.session, list(questions)):
        total, count = evaluation_results.score_of(questions[b.campaign_id], [b])
        sums[b.target_id][0] += total
        sums[b.target_id][1] += count
        ballots[b.target_id].append(b.id)
    out = {}
    for d in ctx.department_ids:
        total, count = sums[d]
        mean = total / count if count else None
        out[d] = {
            "score": None if mean is None else round(mean / 5 * 100, 2),
            "mean": None if mean is None else round(mean, 4),
            "score_sum": total,
            "score_count": count,
            "campaigns": sorted(questions),
            "ballots": ballots[d],
            "definition": EVALUATION_DEFINITION,
        }
    return out


async def _checkin(ctx: Context) -> dict[int, dict]:
    calendar = await checkins.calendar_for(ctx.session, ctx.settings, ctx.period)
    workdays = set(checkins.working_days(calendar, ctx.period, today_local()))
    contacts: dict[int, dict[tuple, object]] = defaultdict(dict)
    for c in await checkins.contacts_of_departments(ctx.session, ctx.department_ids):
        contacts[c.department_id][(c.user_id, c.place_kind, c.place_id)] = checkins.since(c)
    signed: dict[int, set[tuple]] = defaultdict(set)
    rows: dict[int, list[int]] = defaultdict(list)
    for r in await checkins.checkins_in(ctx.session, ctx.department_ids, ctx.period):
        signed[r.department_id].add((r.user_id, r.place_kind, r.place_id, r.day))
        rows[r.department_id].append(r.id)
    out = {}
    for d in ctx.department_ids:
        cells = {(*c, day) for c, first in contacts[d].items() for day in workdays if day >= first}

        def key(cell) -> str:
            return f"{cell[0]}:{cell[1]}:{cell[2]}:{cell[3].isoformat()}"

        f = figure(
            "签到率",
            "contact_day",
            {"signed": [key(c) for c in cells & signed[d]], "missed": [key(c) for c in cells - signed[d]]},
            ["signed"],
            "按联系点·工作日计：有签到的（联系人、联系点、工作日）÷ 现有各项联系安排自安排之日起截至今天的工作日数之和",
            excluded={"not_counted": [key(c) for c in signed[d] - cells]},
        )
        out[d] = {"score": _score(f["rate"]), "figure": f, "checkins": rows[d]}
    return out


async def _overdue(ctx: Context) -> dict[int, dict]:
    now = ctx.now
    rows = await ctx.session.execute(
        select(IssueAssignment.department_id, IssueAssignment.issue_id)
        .where(
            IssueAssignment.department_id.in_(ctx.department_ids),
            IssueAssignment.outcome == "open",
            IssueAssignment.ended_at.is_(None),
            or_(
                IssueAssignment.disposal_due_at < now,
                (IssueAssignment.responded_at.is_(None)) & (IssueAssignment.response_due_at < now),
            ),
        )
        .order_by(IssueAssignment.issue_id)
    )
    by_dept: dict[int, list[int]] = defaultdict(list)
    for d, issue_id in rows.all():
        by_dept[d].append(issue_id)
    tasks = await _overdue_tasks(ctx)
    return {
        d: {
            "score": max(0, 100 - OVERDUE_PENALTY * (len(by_dept[d]) + len(tasks[d]))),
            "count": len(by_dept[d]) + len(tasks[d]),
            "issues": by_dept[d],
            "project_tasks": tasks[d],
            "definition": OVERDUE_DEFINITION,
        }
        for d in ctx.department_ids
    }


async def _overdue_tasks(ctx: Context) -> dict[int, list[int]]:
    """Project tasks assigned to the departments, not yet completed, past their deadline now."""
    rows = await ctx.session.execute(
        select(ProjectTask.assignee_id, ProjectTask.id)
        .where(
            ProjectTask.assignee_kind == "department",
            ProjectTask.assignee_id.in_(ctx.department_ids),
            ProjectTask.status.in_([TaskStatus.assigned, TaskStatus.accepted]),
            ProjectTask.due_at < ctx.now,
        )
        .order_by(ProjectTask.id)
    )
    by_dept: dict[int, list[int]] = defaultdict(list)
    for d, task_id in rows.all():
        by_dept[d].append(task_id)
    return by_dept


PARTS: dict[str, Part] = {
    "response": Part("呼叫应答率", 20, _rate_part("response_rate")),
    "disposal": Part("事件处置率", 20, _rate_part("disposal_rate")),
    "satisfaction": Part("居民满意率", 15, _rate_part("satisfaction_rate")),
    "evaluation": Part("社区评部门得分", 20, _evaluation),
    "checkin": Part("下沉签到率", 15, _checkin),
    "overdue": Part("超期事项", 10, _overdue),
}
DEFAULT_WEIGHTS = {code: p.default_weight for code, p in PARTS.items()}
