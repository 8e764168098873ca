"""GET /stats/projects: every figure in the one shape, equal to a recount from the rows, on a small
world of its own (year 2040, nothing of the demo in it)."""

from __future__ import annotations

from sqlalchemy import select

from backend.kernel.clock import SHANGHAI, clock
from backend.org.models import Compound
from backend.projects.models import FundingLine, Project, ProjectTask
from tests.support.projects import at, ids, move, project_body

P = "/api/v1/projects"
YEAR = 2040


def check_shape(f: dict) -> None:
    every = [i for v in f["buckets"].values() for i in v]
    assert len(every) == len(set(every)) == f["denominator"]
    assert f["numerator"] == sum(len(f["buckets"][k]) for k in f["numerator_buckets"])
    assert f["rate"] == (round(f["numerator"] / f["denominator"], 4) if f["denominator"] else None)
    assert f["definition"] and f["unit"]


async def _world(api, i) -> dict[str, int]:
    at(api, YEAR, 3, 1, 9, 0)
    made = {}
    for name, due in (
        ("p_on_time", f"{YEAR}-12-31"),
        ("p_late", f"{YEAR}-03-01"),
        ("p_running", None),
        ("p_planned", None),
    ):
        body = project_body(i["c1"], year=YEAR, title=name, **({"due_date": due} if due else {}))
        made[name] = (await api.ok("POST", P, "demo-dispatcher", status=201, json=body))["id"]
    await api.ok(
        "POST", P, "demo-dispatcher", status=201, json=project_body(i["c1"], year=YEAR, key=False, title="一般")
    )
    cancelled = (
        await api.ok("POST", P, "demo-dispatcher", status=201, json=project_body(i["c1"], year=YEAR, title="取消"))
    )["id"]
    await move(api, cancelled, "demo-admin", "cancelled", "重复立项")
    for name in ("p_on_time", "p_late", "p_running"):
        await move(api, made[name], "demo-admin", "approved")
        await move(api, made[name], "demo-dispatcher", "started")
    task = {"assignee_kind": "department", "assignee_id": i["dept"], "due_working_days": 2}
    url = f"{P}/{made['p_running']}/tasks"
    late = await api.ok("POST", url, "demo-dispatcher", status=201, json={**task, "title": "超时任务"})
    quick = await api.ok("POST", url, "demo-dispatcher", status=201, json={**task, "title": "按时任务"})
    dropped = await api.ok("POST", url, "demo-dispatcher", status=201, json={**task, "title": "取消任务"})
    await api.ok("POST", f"/api/v1/project-tasks/{quick['id']}/accept", "demo-department")
    await api.ok("POST", f"/api/v1/project-tasks/{quick['id']}/complete", "demo-department", json={"note": "完成"})
    await api.ok("POST", f"/api/v1/project-tasks/{dropped['id']}/cancel", "demo-dispatcher", json={"reason": "不需要"})
    for source, kind, amount in (
        ("venture", "pledged", 50000),
        ("venture", "received", 30000),
        ("venture", "spent", 12345),
    ):
        body = {"source": source, "kind": kind, "amount": amount, "note": "凭证"}
        await api.ok("POST", f"{P}/{made['p_running']}/funding", "demo-dispatcher", json=body)
    at(api, YEAR, 4, 2, 10, 0)  # the p_late project completes after its due day
    await move(api, made["p_late"], "demo-dispatcher", "completed")
    at(api, YEAR, 4, 3, 10, 0)
    await move(api, made["p_on_time"], "demo-dispatcher", "completed")
    return made | {
        "late_task": late["id"],
        "quick_task": quick["id"],
        "dropped_task": dropped["id"],
        "cancelled": cancelled,
    }


async def _recount(session, community_id: int) -> dict:
    compounds = set((await session.execute(select(Compound.id).where(Compound.community_id == community_id))).scalars())
    rows = [
        p
        for p in (await session.execute(select(Project).where(Project.year == YEAR))).scalars()
        if p.compound_id in compounds or (p.scope_kind == "community" and p.community_id == community_id)
    ]
    by_status: dict[str, set[int]] = {}
    for p in rows:
        by_status.setdefault(p.status, set()).add(p.id)
    keys = {c: sum(1 for p in rows if p.compound_id == c and p.key and p.status != "cancelled") for c in compounds}
    done = [p for p in rows if p.status in ("completed", "evaluated", "published") and p.due_date]
    on_time = {p.id for p in done if p.completed_at.astimezone(SHANGHAI).date() <= p.due_date}
    tasks = (
        (await session.execute(select(ProjectTask).where(ProjectTask.project_id.in_([p.id for p in rows]))))
        .scalars()
        .all()
    )
    now = clock.now()
    overdue = {t.id for t in tasks if t.status in ("assigned", "accepted") and t.due_at <= now}
    late = {t.id for t in tasks if t.status == "completed" and t.completed_at > t.due_at}
    counted = {t.id for t in tasks if t.status != "cancelled"}
    lines = (
        (await session.execute(select(FundingLine).where(FundingLine.project_id.in_([p.id for p in rows]))))
        .scalars()
        .all()
    )
    spent = {}
    for line in lines:
        spent[line.source] = spent.get(line.source, 0) + line.spent
    return {
        "by_status": by_status,
        "met": {c for c, n in keys.items() if n >= 4},
        "compounds": compounds,
        "on_time": on_time,
        "done": {p.id for p in done},
        "overdue": overdue | late,
        "counted": counted,
        "spent": spent,
    }


async def test_project_figures_equal_a_recount_of_the_rows(api, session):
    i = await ids(session)
    made = await _world(api, i)
    at(api, YEAR, 4, 20, 10, 0)  # the two-working-day task is long overdue by now
    out = await api.ok("GET", f"/api/v1/stats/projects?scope=community:{i['community_c1']}&period={YEAR}", "demo-admin")
    for name in ("projects_by_status", "key_projects", "on_time_rate", "tasks_overdue"):
        check_shape(out[name])
    again = await _recount(session, i["community_c1"])
    assert {k: set(v) for k, v in out["projects_by_status"]["buckets"].items() if v} == again["by_status"]
    assert set(out["key_projects"]["buckets"]["met"]) == again["met"] == {i["c1"]}
    assert (
        set(out["key_projects"]["buckets"]["met"]) | set(out["key_projects"]["buckets"]["below"]) == again["compounds"]
    )
    assert out["key_projects"]["per_compound"][str(i["c1"])]["count"] == 4  # 一般: not key; 取消: cancelled
    assert set(out["on_time_rate"]["buckets"]["on_time"]) == again["on_time"] == {made["p_on_time"]}
    assert set(out["on_time_rate"]["buckets"]["late"]) == again["done"] - again["on_time"] == {made["p_late"]}
    assert (out["on_time_rate"]["numerator"], out["on_time_rate"]["denominator"]) == (1, 2)
    t = out["tasks_overdue"]
    assert set(t["buckets"]["overdue"]) | set(t["buckets"]["completed_late"]) == again["overdue"] == {made["late_task"]}
    assert (t["numerator"], t["denominator"]) == (1, len(again["counted"])) == (1, 2)
    assert t["excluded"]["cancelled"] == [made["dropped_task"]]
    venture = out["funding"]["sources"]["venture"]
    assert (
        (venture["pledged"], venture["received"], venture["spent"])
        == (50000, 30000, 12345)
        == (50000, 30000, again["spent"]["venture"])
    )
    compound_only = await api.ok("GET", f"/api/v1/stats/projects?scope=compound:{i['c2']}&period={YEAR}", "demo-admin")
    assert compound_only["projects_by_status"]["denominator"] == 0 and compound_only["key_projects"]["buckets"][
        "below"
    ] == [i["c2"]]
