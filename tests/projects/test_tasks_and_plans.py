"""Tasks for the co-executors on working-day clocks (a holiday skipped, a 调休 Saturday counted), the
75% reminder and the escalation each sent once, the assignee acting only on its own task; the
annual plan refused below four key projects; the June/December review reminder; the demo's year."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from backend.directory.models import User
from backend.files.models import Upload
from backend.kernel.clock import SHANGHAI, clock
from backend.partners.models import Partner
from backend.projects import tasks as project_tasks
from backend.projects.models import AnnualPlan, Project, ProjectTask
from backend.worker import sweep_once
from tests.support.api import error
from tests.support.clock import sh
from tests.support.photos import uploaded
from tests.support.projects import at, create_started, ids, notifications, project_body

P = "/api/v1/projects"
T = "/api/v1/project-tasks"
GHOST = "/uploads/0123456789abcdef0123456789abcdef.jpg"  # well formed, but nothing was uploaded


async def test_task_deadlines_skip_the_national_day_holiday_and_count_the_make_up_saturday(app, session):
    """2026: 10月1日–7日 off, Saturday 10月10日 a working day (调休). From the start of Wednesday
    30 September, 3 working days end on Friday 9 October, 4 on Saturday 10 October, 5 on Monday 12."""
    settings = app.state.settings
    start = sh(2026, 9, 30, 0, 0)
    ends = [(await project_tasks.clocks(session, settings, start, n))[0].astimezone(SHANGHAI) for n in (1, 3, 4, 5)]
    assert [(e.month, e.day, e.hour, e.minute) for e in ends] == [
        (9, 30, 17, 30),
        (10, 9, 17, 30),
        (10, 10, 17, 30),
        (10, 12, 17, 30),
    ]
    due, remind = await project_tasks.clocks(session, settings, start, 4)
    # 75% of four working days is three: the reminder falls at the end of Friday 9 October
    assert remind.astimezone(SHANGHAI) == sh(2026, 10, 9, 17, 30)


async def test_the_assignee_accepts_reports_with_photos_and_completes(api, session):
    i = await ids(session)
    p = await create_started(api, i["c1"])
    at(api, 2027, 3, 1, 9, 0)
    body = {"assignee_kind": "department", "assignee_id": i["dept"], "title": "路灯线路检修", "due_working_days": 3}
    t = await api.ok("POST", f"{P}/{p['id']}/tasks", "demo-dispatcher", status=201, json=body)
    assert (t["status"], t["status_label"], t["assignee_name"]) == ("assigned", "待接收", "城管执法中队")
    # Monday 09:00 + 3 × 7.5 working hours (08:30-12:00, 13:30-17:30) = Thursday 09:00 (01:00 UTC)
    assert t["due_at"] == "2027-03-04T01:00:00Z"
    assert await notifications(session, "project_task_assigned", i["demo-department"])
    inbox = (await api.ok("GET", "/api/v1/inbox", "demo-department", params={"limit": 100}))["items"]
    assert [m["page"] for m in inbox if m["event"] == "project_task_assigned"][0] == "pages/project/tasks/tasks"
    for who in ("demo-member", "demo-dispatcher"):
        error(await api.post(f"{T}/{t['id']}/accept", who), 403, "not_assignee")
    r = await api.post(f"{T}/{t['id']}/progress", "demo-department", json={"note": "已到场"})
    error(r, 409, "invalid_state")  # accept first
    assert (await api.ok("POST", f"{T}/{t['id']}/accept", "demo-department"))["status"] == "accepted"
    photo = await uploaded(api, "demo-department")
    rep = await api.ok(
        "POST", f"{T}/{t['id']}/progress", "demo-department", json={"note": "更换线缆一半", "photos": [photo]}
    )
    assert rep["status"] == "accepted" and rep["report"] == "更换线缆一半" and len(rep["photos"]) == 1
    assert "sig=" in rep["photos"][0] and "exp=" in rep["photos"][0]  # served signed, like every photo
    name = photo.rsplit("/", 1)[-1]
    attached = (await session.execute(select(Upload.attached_at).where(Upload.name == name))).scalar_one()
    assert attached is not None  # in use: the orphan sweep keeps it
    r = await api.post(f"{T}/{t['id']}/progress", "demo-department", json={"note": "x", "photos": [GHOST]})
    error(r, 422, "unknown_upload")
    done = await api.ok("POST", f"{T}/{t['id']}/complete", "demo-department", json={"note": "检修完毕"})
    assert done["status"] == "completed" and [e["type"] for e in done["events"]] == [
        "created",
        "accepted",
        "progress",
        "completed",
    ]
    assert len(done["events"][2]["photos"]) == 1
    error(await api.post(f"{T}/{t['id']}/complete", "demo-department", json={"note": "again"}), 409, "invalid_state")
    mine = await api.ok("GET", f"{T}/mine", "demo-department")
    assert t["id"] in [x["id"] for x in mine["items"]]
    assert t["id"] not in [x["id"] for x in (await api.ok("GET", f"{T}/mine", "demo-member"))["items"]]


async def test_assignees_are_checked(api, session):
    i = await ids(session)
    p = await create_started(api, i["c1"])
    url = f"{P}/{p['id']}/tasks"

    async def give(kind: str, assignee: int, **extra):
        body = {"assignee_kind": kind, "assignee_id": assignee, "title": "协助", "due_working_days": 2, **extra}
        return await api.post(url, "demo-dispatcher", json=body)

    error(await give("member", i["demo-depthead"]), 422, "assignee_not_member")  # not reported in to 锦华苑
    error(await give("owners_committee", i["c1"]), 422, "assignee_not_found")  # a contact person is needed
    error(await give("owners_committee", i["c2"], contact_id=i["demo-member2"]), 422, "assignee_not_found")
    oc = (await give("owners_committee", i["c1"], contact_id=i["demo-member2"])).json()
    assert oc["assignee_name"] == "锦华苑业主委员会"
    error(await api.post(f"{T}/{oc['id']}/accept", "demo-member"), 403, "not_assignee")
    await api.ok("POST", f"{T}/{oc['id']}/accept", "demo-member2")


async def test_reminder_at_three_quarters_and_escalation_when_late_each_sent_once(api, session, app):
    i = await ids(session)
    settings = app.state.settings
    p = await create_started(api, i["c1"])
    at(api, 2027, 3, 1, 8, 30)  # a Monday, at the start of the working day
    body = {"assignee_kind": "department", "assignee_id": i["dept"], "title": "清理楼道杂物", "due_working_days": 4}
    t = await api.ok("POST", f"{P}/{p['id']}/tasks", "demo-dispatcher", status=201, json=body)
    at(api, 2027, 3, 3, 17, 0)  # 2.9 of 4 working days: not yet
    await project_tasks.sweep_tasks(session, settings)  # (the demo's own tasks are all late by 2027)
    assert not (await flags(session, t["id"]))[0]
    at(api, 2027, 3, 4, 9, 0)  # past three working days
    # through the worker's registered sweeps, as the sweeper runs them (each in its own transaction)
    assert (await sweep_once(app.state.session_factory, settings))["project_tasks_reminded"] == 1
    assert (await project_tasks.sweep_tasks(session, settings))["reminded"] == 0  # once
    assert await flags(session, t["id"]) == (True, False)
    reminders = [n for n in await notifications(session, "project_task_reminder") if n.ref_id == p["id"]]
    assert {n.user_id for n in reminders} >= {i["demo-department"]} and len(reminders) == len(
        {n.user_id for n in reminders}
    )
    at(api, 2027, 3, 5, 17, 31)  # past the deadline (Friday 17:30)
    assert (await project_tasks.sweep_tasks(session, settings))["escalated"] == 1
    assert (await project_tasks.sweep_tasks(session, settings))["escalated"] == 0  # once
    escalations = [n for n in await notifications(session, "project_task_escalated") if n.ref_id == p["id"]]
    assert [n.user_id for n in escalations] == [i["demo-depthead"]]  # the department's head, once
    shown = await api.ok("GET", f"{T}/{t['id']}", "demo-dispatcher")
    assert shown["late"] and shown["reminded"] and shown["escalated"]
    assert [e["type"] for e in shown["events"]] == ["created", "reminded", "escalated"]


async def flags(session, task_id: int) -> tuple[bool, bool]:
    row = (
        await session.execute(select(ProjectTask.reminded, ProjectTask.escalated).where(ProjectTask.id == task_id))
    ).one()
    return row[0], row[1]


async def test_a_late_member_task_goes_to_the_compound_branch(api, session, app):
    i = await ids(session)
    p = await create_started(api, i["c1"])
    at(api, 2027, 3, 1, 8, 30)
    body = {"assignee_kind": "member", "assignee_id": i["demo-member"], "title": "入户宣传", "due_working_days": 1}
    await api.ok("POST", f"{P}/{p['id']}/tasks", "demo-dispatcher", status=201, json=body)
    at(api, 2027, 3, 2, 9, 0)
    await project_tasks.sweep_tasks(session, app.state.settings)
    escalations = [n.user_id for n in await notifications(session, "project_task_escalated") if n.ref_id == p["id"]]
    assert i["demo-dispatcher"] in escalations and i["demo-member"] not in escalations


async def test_annual_plan_refused_below_four_key_projects_then_approved(api, session):
    i = await ids(session)
    url = f"/api/v1/plans/{i['c1']}/2028"
    new = [{"title": f"重点项目{n}", "key": True, "undertaker": "锦华苑党支部"} for n in range(3)]
    new.append({"title": "一般项目", "key": False, "undertaker": "锦华苑党支部"})
    plan = await api.ok("PUT", url, "demo-dispatcher", json={"new_projects": new})
    assert (plan["status"], plan["key_count"], plan["key_required"], len(plan["projects"])) == ("draft", 3, 4, 4)
    r = await api.post(f"{url}/submit", "demo-dispatcher")
    assert "只有3项重点项目" in error(r, 409, "too_few_key_projects")["detail"]
    extra = await api.ok(
        "POST", P, "demo-dispatcher", status=201, json=project_body(i["c1"], year=2028, title="第四项")
    )
    wrong_year = await api.ok("POST", P, "demo-dispatcher", status=201, json=project_body(i["c1"], year=2029))
    ids_now = [x["id"] for x in plan["projects"]]
    r = await api.call("PUT", url, "demo-dispatcher", json={"project_ids": [*ids_now, wrong_year["id"]]})
    error(r, 422, "project_elsewhere")
    plan = await api.ok("PUT", url, "demo-dispatcher", json={"project_ids": [*ids_now, extra["id"]]})
    assert plan["key_count"] == 4
    error(await api.post(f"{url}/decide", "demo-admin", json={"decision": "approve"}), 409, "invalid_state")
    assert (await api.ok("POST", f"{url}/submit", "demo-dispatcher"))["status"] == "submitted"
    error(await api.call("PUT", url, "demo-dispatcher", json={"project_ids": ids_now}), 409, "invalid_state")
    error(await api.post(f"{url}/decide", "demo-dispatcher", json={"decision": "approve"}), 403, "role_required")
    error(await api.post(f"{url}/decide", "demo-admin", json={"decision": "return"}), 422, "reason_required")
    back = await api.ok("POST", f"{url}/decide", "demo-admin", json={"decision": "return", "reason": "请补充预算"})
    assert (back["status"], back["reason"]) == ("returned", "请补充预算")
    await api.ok("POST", f"{url}/submit", "demo-dispatcher")
    done = await api.ok("POST", f"{url}/decide", "demo-admin", json={"decision": "approve"})
    assert done["status"] == "approved" and {x["status"] for x in done["projects"]} == {"approved"}
    error(await api.call("PUT", f"/api/v1/plans/{i['c3']}/2028", "demo-dispatcher", json={}), 403, "out_of_scope")


async def test_review_reminders_in_june_once_per_project(api, session, app):
    i = await ids(session)
    at(api, 2027, 5, 20, 10, 0)
    p = await create_started(api, i["c1"], year=2027)
    assert await project_tasks.sweep_reviews(session, app.state.settings) == 0  # May: no reminder
    at(api, 2027, 6, 15, 10, 0)
    sent = await project_tasks.sweep_reviews(session, app.state.settings)
    assert sent >= 1
    assert await project_tasks.sweep_reviews(session, app.state.settings) == 0  # once
    mine = [n for n in await notifications(session, "project_review_due", i["demo-admin"]) if n.ref_id == p["id"]]
    assert len(mine) == 1 and "年中观摩评估" in mine[0].body
    inbox = (await api.ok("GET", "/api/v1/inbox", "demo-admin", params={"limit": 100}))["items"]
    opened = [m["page"] for m in inbox if m["event"] == "project_review_due" and m["ref_id"] == p["id"]]
    assert opened == ["pages/project/reviews/reviews?kind=midyear&year=2027"], "the reminder opens 项目评估"
    await api.ok("POST", f"{P}/{p['id']}/reviews", "demo-admin", status=201, json={"kind": "midyear", "score": 88})
    at(api, 2027, 12, 10, 10, 0)
    await project_tasks.sweep_reviews(session, app.state.settings)
    yearend = [n for n in await notifications(session, "project_review_due", i["demo-admin"]) if n.ref_id == p["id"]]
    assert len(yearend) == 2 and "年底观摩评估" in yearend[1].body


async def test_the_demo_year(session):
    i = await ids(session)
    year = clock.now().astimezone(SHANGHAI).year
    plans = {
        p.compound_id: p for p in (await session.execute(select(AnnualPlan).where(AnnualPlan.year == year))).scalars()
    }
    assert plans[i["c1"]].status == "approved" and plans[i["c2"]].status == "draft"
    keys = dict(
        (await session.execute(
            select(Project.plan_id, func.count()).where(Project.key.is_(True)).group_by(Project.plan_id)
        )).all()
    )  # fmt: skip
    assert keys[plans[i["c1"]].id] >= 4 and keys[plans[i["c2"]].id] == 3
    statuses = set((await session.execute(select(Project.status))).scalars())
    assert statuses >= {
        "planned",
        "approved",
        "in_progress",
        "suspended",
        "completed",
        "evaluated",
        "published",
        "cancelled",
    }
    rows = (await session.execute(select(ProjectTask))).scalars().all()
    assert any(t.escalated for t in rows) and any(t.reminded and not t.escalated for t in rows)
    assert all(t.due_at - t.created_at > timedelta(hours=1) for t in rows)


async def test_a_partner_task_is_acted_on_by_its_contacts_only(api, session, app):
    i = await ids(session)
    p = await create_started(api, i["c1"])
    shop = (await session.execute(select(Partner.id).where(Partner.name == "鲁味坊餐馆"))).scalar_one()
    prop = (await session.execute(select(Partner.id).where(Partner.name == "绿茵物业服务有限公司"))).scalar_one()
    url = f"{P}/{p['id']}/tasks"
    body = {"assignee_kind": "property", "assignee_id": shop, "title": "午餐保障", "due_working_days": 1}
    error(await api.post(url, "demo-dispatcher", json=body), 422, "assignee_kind_mismatch")  # a shop is not 物业
    await api.ok(
        "POST", url, "demo-dispatcher", status=201, json={**body, "assignee_id": prop, "title": "公共区域保洁"}
    )
    t = await api.ok("POST", url, "demo-dispatcher", status=201, json={**body, "assignee_kind": "partner"})
    error(await api.post(f"{T}/{t['id']}/accept", "demo-department"), 403, "not_assignee")
    assert (await api.ok("POST", f"{T}/{t['id']}/accept", "demo-partner"))["status"] == "accepted"
    at(api, clock.now() + timedelta(days=5))
    await project_tasks.sweep_tasks(session, app.state.settings)
    partner_user = (
        await session.execute(select(User.id).where(User.openid == "fake-openid-demo-partner"))
    ).scalar_one()
    escalated = [n.user_id for n in await notifications(session, "project_task_escalated") if n.ref_id == p["id"]]
    assert partner_user in escalated  # the partner's contacts hear of it
