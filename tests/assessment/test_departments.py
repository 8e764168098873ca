"""The department assessment: weights summing to 100, and each department's parts recounted from the
items the response lists (the issues, ballots, check-ins and overdue escalations behind them, read
back from the database), the total equal to Σ weight × score ÷ Σ weight of the scored parts; the
.xlsx export (部门考核) and the sign-in ledger (签到台账)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select

from backend.evaluations.models import DepartmentCheckin, DepartmentContact, EvaluationBallot, EvaluationCampaign
from backend.issues.models import IssueAssignment
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.periods import parse_period, today_local
from backend.projects.models import Project, ProjectTask
from backend.workcal.models import WorkCalendarDay
from tests.support.api import error
from tests.support.sheets import open_sheet

YEAR = today_local().year


async def test_weights_must_sum_to_100(api):
    body = {"weights": {"response": 50, "disposal": 40}}
    assert (
        error(await api.call("PUT", "/api/v1/assessments/weights", "demo-street", json=body), 422, "weights_not_100")[
            "detail"
        ]
        == "各项权重之和应为100，现为90"
    )
    body = {"weights": {"response": 50, "projects": 50}}
    error(await api.call("PUT", "/api/v1/assessments/weights", "demo-street", json=body), 422, "unknown_part")
    error(await api.call("PUT", "/api/v1/assessments/weights", "demo-admin", json=body), 403, "role_required")
    body = {"weights": {"response": 50, "evaluation": 50}}
    out = await api.ok("PUT", "/api/v1/assessments/weights", "demo-street", json=body)
    assert out["weights"] == {"response": 50, "evaluation": 50}
    result = await api.ok("GET", f"/api/v1/assessments/departments?year={YEAR}", "demo-street")
    for d in result["departments"]:
        scored = {c: p for c, p in d["parts"].items() if p["score"] is not None and p["weight"]}
        assert set(scored) <= {"response", "evaluation"}
        assert d["weight_used"] == sum(p["weight"] for p in scored.values())


async def _workdays(session, year: int) -> set[date]:
    exceptions = dict((await session.execute(select(WorkCalendarDay.day, WorkCalendarDay.workday))).all())
    day, end, out = date(year, 1, 1), min(date(year + 1, 1, 1), today_local() + timedelta(days=1)), set()
    while day < end:
        if exceptions.get(day, day.weekday() < 5):
            out.add(day)
        day += timedelta(days=1)
    return out


async def _recount_rates(session, dept_id: int, parts: dict) -> None:
    period = parse_period(str(YEAR))
    called = set(
        (
            await session.execute(
                select(IssueAssignment.issue_id).where(
                    IssueAssignment.department_id == dept_id,
                    IssueAssignment.whistled_at >= period.start,
                    IssueAssignment.whistled_at < period.end,
                )
            )
        ).scalars()
    )
    for code in ("response", "disposal"):
        f = parts[code]["figure"]
        listed = [i for ids in f["buckets"].values() for i in ids]
        assert len(listed) == len(set(listed)) and set(listed) <= called
        assert f["numerator"] == len(f["buckets"]["on_time"])
        expected = round(f["numerator"] / f["denominator"] * 100, 2) if f["denominator"] else None
        assert parts[code]["score"] == expected
    sat = parts["satisfaction"]["figure"]
    rated = sat["buckets"]["satisfied"] + sat["buckets"]["unsatisfied"]
    assert parts["satisfaction"]["score"] == (
        round(len(sat["buckets"]["satisfied"]) / len(rated) * 100, 2) if rated else None
    )


async def _recount_evaluation(session, dept_id: int, part: dict) -> None:
    period = parse_period(str(YEAR))
    campaigns = {
        c.id: c
        for c in (
            await session.execute(
                select(EvaluationCampaign).where(
                    EvaluationCampaign.level == "communities_rate_department",
                    EvaluationCampaign.status == "closed",
                    EvaluationCampaign.period_start >= period.start,
                    EvaluationCampaign.period_start < period.end,
                )
            )
        ).scalars()
    }
    ballots = (
        (
            await session.execute(
                select(EvaluationBallot).where(
                    EvaluationBallot.campaign_id.in_(campaigns), EvaluationBallot.target_id == dept_id
                )
            )
        )
        .scalars()
        .all()
    )
    assert sorted(b.id for b in ballots) == sorted(part["ballots"])
    scores = [
        b.answers[q["code"]]
        for b in ballots
        for q in campaigns[b.campaign_id].questions
        if q["kind"] == "score_1_5" and q["code"] in b.answers
    ]
    assert part["score_count"] == len(scores) and part["score_sum"] == sum(scores)
    assert part["score"] == (round(sum(scores) / len(scores) / 5 * 100, 2) if scores else None)


async def _recount_checkin(session, dept_id: int, part: dict) -> None:
    workdays = await _workdays(session, YEAR)
    contacts = {
        (c.user_id, c.place_kind, c.place_id): c.created_at.astimezone(SHANGHAI).date()
        for c in (
            await session.execute(select(DepartmentContact).where(DepartmentContact.department_id == dept_id))
        ).scalars()
    }
    rows = (
        (
            await session.execute(
                select(DepartmentCheckin).where(
                    DepartmentCheckin.department_id == dept_id,
                    DepartmentCheckin.day >= date(YEAR, 1, 1),
                    DepartmentCheckin.day < date(YEAR + 1, 1, 1),
                )
            )
        )
        .scalars()
        .all()
    )
    signed = {
        (r.user_id, r.place_kind, r.place_id, r.day)
        for r in rows
        if r.day in workdays and r.day >= contacts.get((r.user_id, r.place_kind, r.place_id), date.max)
    }
    f = part["figure"]
    assert f["denominator"] == sum(len([d for d in workdays if d >= first]) for first in contacts.values())
    assert f["numerator"] == len(signed)
    assert sorted(part["checkins"]) == sorted(r.id for r in rows)
    assert part["score"] == (round(len(signed) / f["denominator"] * 100, 2) if f["denominator"] else None)


async def _recount_overdue(session, dept_id: int, part: dict) -> None:
    now = utcnow()
    issues = (
        (
            await session.execute(
                select(IssueAssignment.issue_id).where(
                    IssueAssignment.department_id == dept_id,
                    IssueAssignment.outcome == "open",
                    IssueAssignment.ended_at.is_(None),
                    or_(
                        IssueAssignment.disposal_due_at < now,
                        IssueAssignment.responded_at.is_(None) & (IssueAssignment.response_due_at < now),
                    ),
                )
            )
        )
        .scalars()
        .all()
    )
    tasks = (
        (
            await session.execute(
                select(ProjectTask.id).where(
                    ProjectTask.assignee_kind == "department",
                    ProjectTask.assignee_id == dept_id,
                    ProjectTask.status.in_(["assigned", "accepted"]),
                    ProjectTask.due_at < now,
                )
            )
        )
        .scalars()
        .all()
    )
    assert sorted(part["issues"]) == sorted(issues)
    assert sorted(part["project_tasks"]) == sorted(tasks)
    assert part["score"] == max(0, 100 - 10 * (len(issues) + len(tasks)))


async def test_each_department_equals_a_recount_from_its_items(api, session):
    result = await api.ok("GET", f"/api/v1/assessments/departments?year={YEAR}", "demo-street")
    weights = result["weights"]
    assert sum(weights.values()) == 100 and len(result["departments"]) == 6
    first = min(result["departments"], key=lambda d: d["department_id"])
    assert (
        first["parts"]["checkin"]["figure"]["denominator"] > 0 and first["parts"]["checkin"]["figure"]["numerator"] > 0
    )
    assert first["parts"]["evaluation"]["ballots"]
    for d in result["departments"]:
        parts = d["parts"]
        await _recount_rates(session, d["department_id"], parts)
        await _recount_evaluation(session, d["department_id"], parts["evaluation"])
        await _recount_checkin(session, d["department_id"], parts["checkin"])
        await _recount_overdue(session, d["department_id"], parts["overdue"])
        scored = {c: p["score"] for c, p in parts.items() if p["score"] is not None and weights.get(c)}
        used = sum(weights[c] for c in scored)
        assert d["weight_used"] == used
        assert d["total"] == round(sum(weights[c] * s for c, s in scored.items()) / used, 2)
    totals = [d["total"] for d in result["departments"]]
    assert totals == sorted(totals, reverse=True)
    assert [d["rank"] for d in result["departments"]] == list(range(1, 7))


async def test_department_staff_read_their_own(api, session):
    own = await api.ok("GET", f"/api/v1/assessments/departments?year={YEAR}", "demo-department")
    assert len(own["departments"]) == 1
    street = await api.ok("GET", f"/api/v1/assessments/departments?year={YEAR}", "demo-street")
    same = next(d for d in street["departments"] if d["department_id"] == own["departments"][0]["department_id"])
    assert same["total"] == own["departments"][0]["total"]
    other = max(d["department_id"] for d in street["departments"])
    r = await api.get(f"/api/v1/assessments/departments?year={YEAR}&department_id={other}", "demo-department")
    error(r, 403, "out_of_scope")
    error(await api.get(f"/api/v1/assessments/departments?year={YEAR}", "demo-admin"), 403, "role_required")


async def test_exports(api):
    r = await api.get(f"/api/v1/assessments/departments/export?year={YEAR}", "demo-street")
    assert r.status_code == 200, r.text
    ws = open_sheet(r.content)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == f"幸福街道 部门考核（{YEAR}）"
    assert rows[1][:2] == ("名次", "部门") and rows[1][-2:] == ("综合得分", "计分权重")
    assert len(rows) == 2 + 6
    days = f"{today_local() - timedelta(days=35)}..{today_local()}"
    r = await api.get(f"/api/v1/checkins/ledger?period={days}", "demo-street")
    assert r.status_code == 200, r.text
    rows = list(open_sheet(r.content).iter_rows(values_only=True))
    assert rows[1][:3] == ("部门", "工作人员", "联系点")
    assert len(rows) > 2 and {row[6] for row in rows[2:]} <= {"计入", "不计（休息日）", "不计（当日已签到）"}
    error(await api.get("/api/v1/checkins/ledger", "demo-department"), 422, "department_required")


async def test_a_late_project_task_of_a_department_counts_as_overdue(api, session):
    before = await api.ok("GET", f"/api/v1/assessments/departments?year={YEAR}", "demo-street")
    dept = next(d for d in before["departments"] if d["department_name"] == "城管执法中队")
    project = (await session.execute(select(Project).order_by(Project.id).limit(1))).scalar_one()
    now = utcnow()
    task = ProjectTask(project_id=project.id, assignee_kind="department", assignee_id=dept["department_id"],
                       title="路灯检修", due_working_days=3, due_at=now - timedelta(days=1),
                       remind_at=now - timedelta(days=2), created_by=project.created_by)  # fmt: skip
    session.add(task)
    await session.flush()
    after = await api.ok("GET", f"/api/v1/assessments/departments?year={YEAR}", "demo-street")
    part = next(d for d in after["departments"] if d["department_id"] == dept["department_id"])["parts"]["overdue"]
    assert task.id in part["project_tasks"]
    assert part["count"] == dept["parts"]["overdue"]["count"] + 1
    await _recount_overdue(session, dept["department_id"], part)
