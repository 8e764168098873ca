"""The deliberation day over HTTP: agenda gathering and vetting, meetings, attendance, outcomes,
closing with minutes, deferrals rolling on and flagged, and a proposal's loop to 办结."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from backend.deliberation import meetings
from backend.deliberation.models import Meeting
from backend.kernel.clock import SHANGHAI, clock, to_shanghai, utcnow
from backend.notify.models import Notification
from backend.org.models import Community
from backend.workcal.service import Calendar, parse_periods
from backend.worker import sweep_once
from tests.proposals.support import residents, steps, submitted

WEEKDAYS = frozenset({0, 1, 2, 3, 4})


def test_the_deliberation_day_moves_to_the_next_working_day():
    cal = Calendar(parse_periods(["08:30-17:30"]), WEEKDAYS)
    assert meetings.held_on(cal, date(2027, 1, 10)) == date(2027, 1, 11)  # a Sunday
    assert meetings.held_on(cal, date(2026, 12, 10)) == date(2026, 12, 10)  # a Thursday
    # a Saturday made a working day by the holiday table (调休) keeps the 10th
    assert meetings.held_on(Calendar(cal.periods, WEEKDAYS, {date(2026, 10, 10): True}), date(2026, 10, 10)) == date(
        2026, 10, 10
    )
    # a holiday on a weekday pushes it on
    assert meetings.held_on(Calendar(cal.periods, WEEKDAYS, {date(2026, 6, 10): False}), date(2026, 6, 10)) == date(
        2026, 6, 11
    )


async def test_every_community_has_its_coming_deliberation_day(session, app):
    communities = (await session.execute(select(func.count()).select_from(Community))).scalar_one()
    made = await meetings.plan_deliberation_days(session, app.state.settings)
    assert made == 0  # the demo planned them already; the sweep adds none twice
    today = to_shanghai(utcnow()).date()
    coming = (
        await session.execute(select(func.count()).where(Meeting.kind == "deliberation_day", Meeting.date >= today))
    ).scalar_one()
    assert coming == communities
    clock.advance(timedelta(days=40))
    assert await meetings.plan_deliberation_days(session, app.state.settings) == communities


async def _coming(api) -> dict:
    listed = await api.ok("GET", "/api/v1/meetings", "demo-admin")
    today = to_shanghai(utcnow()).date().isoformat()
    return next(m for m in listed["items"] if m["status"] == "planned" and m["date"] >= today)


async def test_agenda_gathering_and_vetting(api):
    item = await api.ok(
        "POST", "/api/v1/agenda", "demo-resident", status=201, json={"text": "小区里能不能设一个快递柜"}
    )
    assert item["source"] == "resident" and item["status"] == "proposed" and item["meeting_date"].endswith("-10")
    agenda = await api.ok("GET", f"/api/v1/agenda?meeting_date={item['meeting_date']}", "demo-resident2")
    assert item["id"] in [i["id"] for i in agenda["items"]]
    r = await api.get("/api/v1/agenda?community_id=999999", "demo-resident")
    assert r.status_code == 403

    other = await api.ok("POST", "/api/v1/agenda", "demo-resident2", status=201, json={"text": "建议安装智能快递柜"})
    # the compound's dispatcher vets: merges a duplicate, declines with a reason
    merged = await api.ok(
        "PATCH",
        f"/api/v1/agenda/{other['id']}",
        "demo-dispatcher",
        json={"status": "merged", "merged_into_id": item["id"]},
    )
    assert merged["status"] == "merged" and merged["merged_into_id"] == item["id"]
    third = await api.ok("POST", "/api/v1/agenda", "demo-resident", status=201, json={"text": "楼上邻居装修太吵"})
    r = await api.patch(f"/api/v1/agenda/{third['id']}", "demo-dispatcher", json={"status": "declined"})
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    declined = await api.ok(
        "PATCH",
        f"/api/v1/agenda/{third['id']}",
        "demo-dispatcher",
        json={"status": "declined", "reason": "属邻里纠纷，转网格员调解"},
    )
    assert declined["status"] == "declined" and declined["decline_reason"].startswith("属邻里纠纷")
    # scheduling is the community's
    meeting = await _coming(api)
    body = {"status": "scheduled", "meeting_id": meeting["id"]}
    r = await api.patch(f"/api/v1/agenda/{item['id']}", "demo-dispatcher", json=body)
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    scheduled = await api.ok("PATCH", f"/api/v1/agenda/{item['id']}", "demo-admin", json=body)
    assert scheduled["status"] == "scheduled" and scheduled["meeting_id"] == meeting["id"]
    r = await api.patch(f"/api/v1/agenda/{third['id']}", "demo-admin", json=body)
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"


async def test_a_meeting_cannot_close_with_an_undecided_item_and_a_proposal_is_adopted(api, session, app):
    proposal = await submitted(api, title="锦华苑增设快递柜")
    proposal = await api.ok(
        "POST", f"/api/v1/proposals/{proposal['id']}/review", "demo-dispatcher", json={"decision": "accept"}
    )
    meeting = await _coming(api)
    m = await api.ok(
        "POST",
        f"/api/v1/meetings/{meeting['id']}/items",
        "demo-admin",
        json={"agenda_item_ids": [proposal["agenda"]["item_id"]], "topics": ["小区停车收费标准调整"]},
    )
    ours = [i for i in m["items"] if i["id"] == proposal["agenda"]["item_id"] or i["text"] == "小区停车收费标准调整"]
    assert len(ours) == 2 and all(i["status"] == "scheduled" for i in ours)
    assert {s["name"]: s["done"] for s in m["steps"]}["选定协商议题"]

    # attendance: self check-in, and an offline sheet sent twice counts once
    out = await api.ok("POST", f"/api/v1/meetings/{meeting['id']}/attendance", "demo-resident", json={})
    assert out["added"] == 1
    again = await api.ok("POST", f"/api/v1/meetings/{meeting['id']}/attendance", "demo-resident", json={})
    assert again["added"] == 0 and again["already"] == 1
    sheet = {
        "entries": [
            {"client_id": str(uuid.uuid4()), "name": "马大爷"},
            {"client_id": str(uuid.uuid4()), "name": "刘阿姨"},
        ]
    }
    r = await api.post(f"/api/v1/meetings/{meeting['id']}/attendance", "demo-resident", json=sheet)
    assert r.status_code == 403
    first = await api.ok("POST", f"/api/v1/meetings/{meeting['id']}/attendance", "demo-admin", json=sheet)
    retry = await api.ok("POST", f"/api/v1/meetings/{meeting['id']}/attendance", "demo-admin", json=sheet)
    assert (
        first["added"] == 2
        and retry["added"] == 0
        and retry["meeting"]["attendance_count"] == first["meeting"]["attendance_count"]
    )

    url = f"/api/v1/meetings/{meeting['id']}"
    r = await api.post(f"{url}/close", "demo-admin", json={"minutes": "议定两项"})
    assert r.status_code == 409 and r.json()["error"] == "undecided_items"
    outcome = {
        "decision": "adopted",
        "votes_for": 21,
        "votes_against": 2,
        "abstained": 1,
        "follow_up": {"kind": "proposal", "owner": "物业服务中心", "funding": "小区公共收益", "due": "2027-01-20"},
    }
    r = await api.post(f"{url}/items/{proposal['agenda']['item_id']}/outcome", "demo-dispatcher", json=outcome)
    assert r.status_code == 403  # a community meeting is run by the community
    m = await api.ok("POST", f"{url}/items/{proposal['agenda']['item_id']}/outcome", "demo-admin", json=outcome)
    p = await api.ok("GET", f"/api/v1/proposals/{proposal['id']}", "demo-resident")
    assert p["status"] == "adopted" and steps(p)["形成"] and "赞成21" in p["events"][-1]["note"]
    assert p["agenda"]["meeting_id"] == meeting["id"] and p["agenda"]["outcome_label"] == "通过"
    parking = next(i for i in m["items"] if i["text"] == "小区停车收费标准调整")
    m = await api.ok(
        "POST",
        f"{url}/items/{parking['id']}/outcome",
        "demo-admin",
        json={"decision": "rejected", "votes_for": 3, "votes_against": 19},
    )
    # the demo's own items on this meeting get outcomes too, then it closes
    for i in m["items"]:
        if i["status"] == "scheduled":
            m = await api.ok(
                "POST", f"{url}/items/{i['id']}/outcome", "demo-admin", json={"decision": "referred", "note": "转街道"}
            )
    closed = await api.ok(
        "POST", f"{url}/close", "demo-admin", json={"minutes": "12月党群议事日：议定快递柜、停车收费等事项。"}
    )
    assert closed["status"] == "closed" and closed["minutes"].startswith("12月")
    nine = {s["name"]: s for s in closed["steps"]}
    assert len(nine) == 9 and nine["规范议事内容"]["done"] and nine["丰富议事形式"]["done"]
    assert not nine["评估反馈效果"]["done"]  # the adopted proposal is not finished yet
    r = await api.post(f"{url}/items/{parking['id']}/outcome", "demo-admin", json={"decision": "adopted"})
    assert r.status_code == 409

    # 联动执行 → 评估 (an attendee rates) → 公示 → 办结 after the notice period
    purl = f"/api/v1/proposals/{proposal['id']}"
    due = (to_shanghai(utcnow()) + timedelta(days=30)).date().isoformat()
    p = await api.ok(
        "POST",
        f"{purl}/execution",
        "demo-admin",
        json={"executor": "物业服务中心", "task": "采购安装快递柜", "due": due},
    )
    assert p["status"] == "executing" and p["execution"]["executor"] == "物业服务中心"
    tracked = await api.ok("GET", url, "demo-admin")
    item = next(i for i in tracked["items"] if i["id"] == proposal["agenda"]["item_id"])
    assert item["follow_up"]["owner"] == "物业服务中心" and item["follow_up"]["ref_id"] == proposal["id"]
    p = await api.ok("POST", f"{purl}/execution/done", "demo-admin", json={"report": "快递柜已在北门安装启用"})
    assert p["status"] == "evaluating" and steps(p)["联动执行"]
    [stranger] = await residents(session, 1)
    r = await api.post(f"{purl}/rating", stranger, json={"rating": 5})
    assert r.status_code == 403 and r.json()["error"] == "not_participant"
    assert "rate" in (await api.ok("GET", purl, "demo-resident"))["actions"]  # the proposer took part
    assert "rate" not in (await api.ok("GET", purl, stranger))["actions"]
    p = await api.ok("POST", f"{purl}/rating", "demo-resident", json={"rating": 4})
    assert p["rating_count"] == 1 and p["rating_average"] == 4.0 and "rate" not in p["actions"]
    r = await api.post(f"{purl}/rating", "demo-resident", json={"rating": 5})
    assert r.status_code == 409 and r.json()["error"] == "already_rated"
    p = await api.ok("POST", f"{purl}/publish", "demo-admin")
    assert p["status"] == "published" and steps(p)["评估"] and not steps(p)["公示"]
    clock.advance(timedelta(days=8))
    await sweep_once(app.state.session_factory, app.state.settings)
    api.tokens.clear()  # a week later: log in again
    p = await api.ok("GET", purl, "demo-resident")
    assert p["status"] == "closed" and all(steps(p).values()) and p["agenda"]["status"] == "done"
    told = (
        await session.execute(
            select(func.count()).where(Notification.ref_type == "proposal", Notification.ref_id == p["id"])
        )
    ).scalar_one()
    assert told >= 7  # submitted, accepted, adopted, executing, evaluating, published, closed


async def test_deferred_twice_is_flagged_to_the_community_admin(api, session):
    meeting = await _coming(api)
    url = f"/api/v1/meetings/{meeting['id']}"
    m = await api.ok("POST", f"{url}/items", "demo-admin", json={"topics": ["引进社区养老驿站"]})
    item = next(i for i in m["items"] if i["text"] == "引进社区养老驿站")
    m = await api.ok(
        "POST",
        f"{url}/items/{item['id']}/outcome",
        "demo-admin",
        json={"decision": "deferred", "note": "需先做需求调查"},
    )
    again = next(
        i
        for i in (await api.ok("GET", "/api/v1/agenda?status=proposed", "demo-admin"))["items"]
        if i["id"] == item["id"]
    )
    assert again["defer_count"] == 1 and not again["flagged"] and again["meeting_id"] is None
    assert again["meeting_date"] > item["meeting_date"]  # rolled to the next deliberation day

    # next month's deliberation day
    nxt = date.fromisoformat(again["meeting_date"])
    later = await api.ok(
        "POST",
        "/api/v1/meetings",
        "demo-admin",
        status=201,
        json={
            "kind": "deliberation_day",
            "community_id": meeting["community_id"],
            "date": nxt.isoformat(),
            "place": "社区党群服务中心",
        },
    )
    r = await api.post(
        "/api/v1/meetings",
        "demo-admin",
        json={"kind": "deliberation_day", "community_id": meeting["community_id"], "date": nxt.isoformat()},
    )
    assert r.status_code == 409 and r.json()["error"] == "meeting_exists"
    for day, code in ((date(2000, 1, 10), "date_in_past"), (date(9999, 12, 10), "date_too_far")):
        body = {"kind": "regular", "community_id": meeting["community_id"], "date": day.isoformat()}
        r = await api.post("/api/v1/meetings", "demo-admin", json=body)
        assert r.status_code == 422 and r.json()["error"] == code
    await api.ok("POST", f"/api/v1/meetings/{later['id']}/items", "demo-admin", json={"agenda_item_ids": [item["id"]]})
    m = await api.ok(
        "POST",
        f"/api/v1/meetings/{later['id']}/items/{item['id']}/outcome",
        "demo-admin",
        json={"decision": "deferred"},
    )
    flagged = next(
        i
        for i in (await api.ok("GET", "/api/v1/agenda?status=proposed", "demo-admin"))["items"]
        if i["id"] == item["id"]
    )
    assert flagged["defer_count"] == 2 and flagged["flagged"]
    admin_id = (await api.ok("GET", "/api/v1/me", "demo-admin"))["id"]
    notes = (
        (
            await session.execute(
                select(Notification).where(Notification.user_id == admin_id, Notification.event == "agenda_flagged")
            )
        )
        .scalars()
        .all()
    )
    assert [n.ref_id for n in notes] == [item["id"]]


async def test_attendees_are_reminded_three_days_before(api, session, app):
    meeting = await _coming(api)
    await api.ok("POST", "/api/v1/agenda", "demo-resident", status=201, json={"text": "议事日提醒测试"})
    held = date.fromisoformat(meeting["date"])
    start = datetime.combine(held - timedelta(days=5), time(10), SHANGHAI)
    clock.advance(start - utcnow())
    assert await meetings.remind_due(session) == 0  # five days before: not yet
    clock.advance(timedelta(days=2))
    assert await meetings.remind_due(session) >= 1
    assert await meetings.remind_due(session) == 0  # once
    resident = (await api.ok("GET", "/api/v1/me", "demo-resident"))["id"]
    got = (
        await session.execute(
            select(func.count()).where(
                Notification.user_id == resident,
                Notification.event == "meeting_reminder",
                Notification.ref_id == meeting["id"],
            )
        )
    ).scalar_one()
    assert got == 1
