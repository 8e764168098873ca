"""The volunteering figures: 人次 are the check-ins behind them (sign-ups alone never count), 人数
distinct people, hours the credited minutes, newcomers; the lists' rates; the four ledgers."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from backend.kernel.clock import clock, to_shanghai
from backend.org.models import Community
from backend.volunteering.models import Activity, Registration, Team


def last_days(days=40) -> str:
    today = to_shanghai(clock.now()).date()
    return f"{today - timedelta(days=days)}..{today + timedelta(days=10)}"


async def community(session) -> int:
    return (await session.execute(select(Community.id).where(Community.name == "和谐社区"))).scalar_one()


async def test_person_times_are_the_check_ins_behind_them(api, session):
    cid = await community(session)
    period = last_days()
    stats = await api.ok("GET", f"/api/v1/stats/volunteering?scope=community:{cid}&period={period}", "demo-admin")
    regs = [i for ids in stats["person_times"]["buckets"].values() for i in ids]
    assert stats["person_times"]["count"] == len(regs) > 50
    rows = (await session.execute(select(Registration).where(Registration.id.in_(regs)))).scalars().all()
    assert len(rows) == len(regs) and all(
        r.checked_in_at is not None and r.status in ("checked_in", "completed") for r in rows
    )
    # every check-in at the scope's activities of the period is counted, and nothing else
    activities = select(Activity.id).where(Activity.community_id == cid)
    checked = (
        await session.execute(
            select(func.count()).where(
                Registration.activity_id.in_(activities), Registration.checked_in_at.is_not(None)
            )
        )
    ).scalar_one()
    assert checked == len(regs)
    assert stats["people"]["count"] == len({r.user_id for r in rows}) == len(stats["people"]["buckets"]["people"])
    assert stats["hours"]["count"] == round(sum(r.minutes for r in rows) / 60, 1)
    sessions = stats["sessions"]["buckets"]["closed"] + stats["sessions"]["buckets"]["open"]
    assert stats["sessions"]["count"] == len(sessions) == len(set(sessions))
    assert {s["name"] for s in stats["series"]} == {"巧手剪纸公益课", "邻里公益集市"}
    lists = stats["lists"]
    assert lists["claim_rate"]["numerator"] == len(lists["claim_rate"]["buckets"]["claimed"]) == 3
    assert lists["fulfilment_rate"]["numerator"] == 2 and lists["fulfilment_rate"]["rate"] == round(2 / 3, 4)


async def test_sign_ups_do_not_count_check_ins_do(api, session):
    cid = await community(session)
    team = (await session.execute(select(Team).where(Team.name == "和谐社区红色先锋志愿服务队"))).scalar_one()
    start = clock.now() + timedelta(hours=1)
    a = await api.ok(
        "POST",
        "/api/v1/activities",
        "demo-leader",
        status=201,
        json={
            "title": "统计测试",
            "organiser": {"kind": "team", "id": team.id},
            "community_id": cid,
            "start_at": start.isoformat(),
            "end_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": 5,
        },
    )
    url = f"/api/v1/stats/volunteering?scope=community:{cid}&period={last_days()}"
    before = await api.ok("GET", url, "demo-admin")
    for who in ("demo-resident", "demo-resident2", "demo-member"):
        await api.ok("POST", f"/api/v1/activities/{a['id']}/registrations", who, status=201)
    after_signup = await api.ok("GET", url, "demo-admin")
    assert after_signup["person_times"]["count"] == before["person_times"]["count"]
    assert a["id"] in after_signup["sessions"]["buckets"]["open"]
    clock.advance(timedelta(hours=1))
    me = await api.ok("GET", "/api/v1/me", "demo-resident")
    walk = await api.ok("GET", "/api/v1/me", "demo-member3")
    entries = [{"client_id": str(uuid.uuid4()), "user_id": u} for u in (me["id"], walk["id"])]
    await api.ok("POST", f"/api/v1/activities/{a['id']}/roster", "demo-leader", json={"entries": entries})
    await api.ok("POST", f"/api/v1/activities/{a['id']}/roster", "demo-leader", json={"entries": entries})  # replayed
    after = await api.ok("GET", url, "demo-admin")
    assert after["person_times"]["count"] == before["person_times"]["count"] + 2
    assert len(after["person_times"]["buckets"]["walk_in"]) == len(before["person_times"]["buckets"]["walk_in"]) + 1
    own = next(t for t in after["teams"] if t["id"] == team.id)
    prior = next(t for t in before["teams"] if t["id"] == team.id)
    assert own["person_times"] == prior["person_times"] + 2 and own["people"] == prior["people"] + 2
    assert after["newcomers"]["numerator"] == before["newcomers"]["numerator"] + 2  # their first check-ins


async def test_scope_and_role(api, session):
    r = await api.get("/api/v1/stats/volunteering", "demo-resident")
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    mingde = (await session.execute(select(Community.id).where(Community.name == "明德社区"))).scalar_one()
    r = await api.get(f"/api/v1/stats/volunteering?scope=community:{mingde}", "demo-admin")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.get("/api/v1/stats/volunteering?period=2026-13", "demo-admin")
    assert r.status_code == 422 and r.json()["error"] == "invalid_period"


async def test_ledgers_open_in_a_spreadsheet(api, session):
    cid = await community(session)
    expect = {
        "volunteering": "志愿服务台账",
        "partners": "合伙人台账",
        "lists": "三清单台账",
        "work_units": "驻区单位共建情况",
        "timebank": "时间银行流水",
    }
    for kind, title in expect.items():
        r = await api.get(
            f"/api/v1/co-building/ledger?kind={kind}&scope=community:{cid}&period={last_days()}", "demo-admin"
        )
        assert r.status_code == 200, r.text
        ws = load_workbook(io.BytesIO(r.content)).active
        assert title in ws["A1"].value
        rows = list(ws.iter_rows(min_row=3, values_only=True))
        assert rows, kind
        if kind == "volunteering":
            assert all("*" in (row[4] or "*") for row in rows)  # volunteers masked
        if kind == "work_units":
            tax = next(row for row in rows if row[0] == "区税务局")
            assert tax[1] >= 1  # demo-member and others work there
        if kind == "partners":
            assert "鲁味坊餐馆" in [row[0] for row in rows] and "书香文化书店" not in [row[0] for row in rows]


async def test_work_unit_sheet_counts_members_hours_and_claims(api, session):
    """A member of 区税务局 serves at an activity: its row gains the 人次 and the hours."""
    cid = await community(session)
    team = (await session.execute(select(Team).where(Team.name == "和谐社区红色先锋志愿服务队"))).scalar_one()
    start = clock.now() + timedelta(hours=1)
    a = await api.ok(
        "POST",
        "/api/v1/activities",
        "demo-leader",
        status=201,
        json={
            "title": "单位党员服务日",
            "organiser": {"kind": "team", "id": team.id},
            "community_id": cid,
            "start_at": start.isoformat(),
            "end_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": 5,
        },
    )
    url = f"/api/v1/co-building/ledger?kind=work_units&scope=community:{cid}&period={last_days()}"

    async def tax_row():
        r = await api.get(url, "demo-admin")
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(min_row=3, values_only=True))
        return next(row for row in rows if row[0] == "区税务局")

    before = await tax_row()
    reg = await api.ok("POST", f"/api/v1/activities/{a['id']}/registrations", "demo-member", status=201)  # 区税务局
    clock.advance(timedelta(hours=1))
    entry = {"client_id": str(uuid.uuid4()), "user_id": reg["user_id"]}
    await api.ok("POST", f"/api/v1/activities/{a['id']}/roster", "demo-leader", json={"entries": [entry]})
    clock.advance(timedelta(hours=2))
    await api.ok("POST", f"/api/v1/activities/{a['id']}/close", "demo-leader")
    after = await tax_row()
    assert after[2] == before[2] + 1 and after[3] == before[3] + 2.0
