"""Department sign-in: contacts set by the street admin; offline batches (a replay answered with its
row, a place outside one's contacts refused with a reason); one counted per person, place and working
day by the calendar: a holiday never counts, a 调休 Saturday does. October 2026: 1–7 National Day,
Saturday 10 a make-up working day; 18 working days."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from backend.directory.models import User
from backend.evaluations.models import DepartmentCheckin
from backend.org.models import Community, Compound, Department, RoleGrant
from tests.support.api import error
from tests.support.clock import set_now, sh


async def staff_with_contacts(api, session) -> dict:
    dept = (await session.execute(select(Department).order_by(Department.id).offset(1).limit(1))).scalar_one()
    code = f"staff-{uuid.uuid4().hex[:6]}"
    staff = User(openid=f"fake-openid-{code}", name="钱进")
    session.add(staff)
    await session.flush()
    session.add(RoleGrant(user_id=staff.id, role="department_staff", scope_type="department", scope_id=dept.id))
    c1 = (await session.execute(select(Compound).where(Compound.name == "锦华苑"))).scalar_one()
    c3 = (await session.execute(select(Compound).where(Compound.name == "阳光小区"))).scalar_one()
    await session.flush()
    contacts = [
        {"user_id": staff.id, "place_kind": "compound", "place_id": c1.id},
        {"user_id": staff.id, "place_kind": "community", "place_id": c1.community_id},
    ]
    out = await api.ok("PUT", f"/api/v1/departments/{dept.id}/contacts", "demo-street", json={"contacts": contacts})
    assert {(c["place_kind"], c["place_name"]) for c in out["contacts"]} == {
        ("compound", "锦华苑"),
        ("community", "和谐社区"),
    }
    return {"dept": dept.id, "code": code, "staff": staff.id, "c1": c1.id, "hx": c1.community_id, "c3": c3.id}


def item(at, kind, place, client_id=None) -> dict:
    return {"client_id": client_id or str(uuid.uuid4()), "at": at.isoformat(), "place_kind": kind, "place_id": place}


async def test_contacts_only_for_the_departments_staff(api, session, demo_ids):
    dept = (await session.execute(select(Department.id).order_by(Department.id))).scalars().first()
    resident = (await session.execute(select(User.id).where(User.openid == "fake-openid-demo-resident"))).scalar()
    c1 = (await session.execute(select(Compound.id).where(Compound.name == "锦华苑"))).scalar()
    body = {"contacts": [{"user_id": resident, "place_kind": "compound", "place_id": c1}]}
    error(
        await api.call("PUT", f"/api/v1/departments/{dept}/contacts", "demo-street", json=body),
        422,
        "not_department_staff",
    )
    error(await api.call("PUT", f"/api/v1/departments/{dept}/contacts", "demo-admin", json=body), 403, "role_required")
    error(
        await api.call("PUT", "/api/v1/departments/99999/contacts", "demo-street", json=body),
        404,
        "department_not_found",
    )


async def test_counted_once_per_working_day_never_on_a_holiday(api, session):
    set_now(2026, 9, 30, 12)  # the contacts are set the day before National Day
    w = await staff_with_contacts(api, session)
    set_now(2026, 10, 31, 12)
    api.tokens.clear()  # a month later: log in again
    replayed = str(uuid.uuid4())
    batch = [
        item(sh(2026, 10, 5, 9), "compound", w["c1"]),  # National Day: kept, not counted
        item(sh(2026, 10, 8, 9), "compound", w["c1"], replayed),
        item(sh(2026, 10, 8, 16), "compound", w["c1"]),  # the same day and place again: counted once
        item(sh(2026, 10, 10, 9), "compound", w["c1"]),  # 调休 Saturday: a working day
        item(sh(2026, 10, 11, 9), "compound", w["c1"]),  # Sunday
        item(sh(2026, 10, 12, 9), "compound", w["c1"]),
        item(sh(2026, 10, 12, 15), "community", w["hx"]),
        item(sh(2026, 10, 13, 9), "compound", w["c3"]),  # not a contact place
        item(sh(2026, 9, 29, 9), "compound", w["c1"]),  # before the contact was set
    ]
    out = await api.ok("POST", "/api/v1/checkins/batch", w["code"], json={"checkins": batch})
    results = [i["result"] for i in out["items"]]
    assert results == ["accepted"] * 7 + ["refused"] * 2
    assert [i["reason"] for i in out["items"][-2:]] == ["不是您联系的社区或小区", "签到时间早于安排联系的日期"]
    again = await api.ok("POST", "/api/v1/checkins/batch", w["code"], json={"checkins": [batch[1]]})
    assert (
        again["items"][0]["result"] == "duplicate" and again["items"][0]["checkin_id"] == out["items"][1]["checkin_id"]
    )
    rows = (
        (await session.execute(select(DepartmentCheckin).where(DepartmentCheckin.user_id == w["staff"])))
        .scalars()
        .all()
    )
    assert len(rows) == 7  # the replay added nothing

    summary = await api.ok("GET", f"/api/v1/checkins/summary?department_id={w['dept']}&period=2026-10", "demo-street")
    assert len(summary["working_days"]) == 18 and "2026-10-10" in summary["working_days"]
    assert "2026-10-05" not in summary["working_days"]
    person = next(p for p in summary["people"] if p["user_id"] == w["staff"])
    rate = person["signin_rate"]
    assert (rate["numerator"], rate["denominator"]) == (3, 18)
    assert rate["buckets"]["signed"] == [20261008, 20261010, 20261012]
    assert rate["excluded"]["day_off"] == [20261005, 20261011]
    places = {(p["place_kind"], p["place_id"]): p for p in summary["places"] if p["user_id"] == w["staff"]}
    assert places[("compound", w["c1"])]["signin_rate"]["numerator"] == 3
    assert len(places[("compound", w["c1"])]["checkins"]) == 6
    assert places[("community", w["hx"])]["signin_rate"]["numerator"] == 1


async def test_summary_scope(api, session):
    w = await staff_with_contacts(api, session)
    await api.ok("GET", "/api/v1/checkins/summary", w["code"])  # their own department by default
    other = (await session.execute(select(Department.id).order_by(Department.id))).scalars().first()
    error(await api.get(f"/api/v1/checkins/summary?department_id={other}", w["code"]), 403, "out_of_scope")
    error(await api.get(f"/api/v1/checkins/summary?department_id={w['dept']}", "demo-admin"), 403, "out_of_scope")
    error(await api.get("/api/v1/checkins/summary", "demo-street"), 422, "department_required")
    places = await api.ok("GET", "/api/v1/checkins/places", w["code"])
    assert places["department_id"] == w["dept"] and len(places["contacts"]) == 2
    assert (await session.get(Community, w["hx"])).name == "和谐社区"


async def test_a_kept_contact_keeps_its_date_and_a_removed_one_goes(api, session):
    set_now(2026, 10, 9, 12)
    w = await staff_with_contacts(api, session)
    set_now(2026, 10, 20, 12)
    api.tokens.clear()
    body = {"contacts": [{"user_id": w["staff"], "place_kind": "compound", "place_id": w["c1"]}]}
    await api.ok("PUT", f"/api/v1/departments/{w['dept']}/contacts", "demo-street", json=body)
    summary = await api.ok("GET", f"/api/v1/checkins/summary?department_id={w['dept']}&period=2026-10", "demo-street")
    mine = [p for p in summary["places"] if p["user_id"] == w["staff"]]
    assert [(p["place_kind"], p["since"]) for p in mine] == [("compound", "2026-10-09")]
    # working days from the 9th to the 20th: 9, 10 (调休 Saturday), 12–16, 19, 20
    assert mine[0]["signin_rate"]["denominator"] == 9
