"""Activities: sign-up and the waitlist (promoted in order, and told), cancellation until the
start, QR check-in, the organiser's offline roster (a replay counted once) and walk-ins,
check-out with hours and credits, hours corrections, closing with no-shows."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from backend.kernel.clock import clock
from backend.notify.models import Notification
from backend.org.models import Community
from backend.partners.models import Partner
from backend.volunteering import checkin
from backend.volunteering.models import RegistrationEvent, Team

START_IN = timedelta(days=2)


async def team_and_community(session) -> tuple[int, int]:
    team = (await session.execute(select(Team).where(Team.name == "和谐社区红色先锋志愿服务队"))).scalar_one()
    return team.id, team.community_id


async def new_activity(api, session, capacity=2, hours=2, **overrides) -> dict:
    team_id, community_id = await team_and_community(session)
    start = clock.now() + START_IN
    body = {
        "title": "清理楼道小广告",
        "organiser": {"kind": "team", "id": team_id},
        "community_id": community_id,
        "place": "锦华苑2号楼",
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=hours)).isoformat(),
        "capacity": capacity,
        **overrides,
    }
    return await api.ok("POST", "/api/v1/activities", "demo-leader", status=201, json=body)


async def sign_up(api, activity_id: int, who: str) -> dict:
    return await api.ok("POST", f"/api/v1/activities/{activity_id}/registrations", who, status=201)


async def test_waitlist_promoted_in_order_and_told(api, session):
    a = await new_activity(api, session, capacity=2)
    first = await sign_up(api, a["id"], "demo-resident")
    second = await sign_up(api, a["id"], "demo-resident2")
    w1 = await sign_up(api, a["id"], "demo-member")
    w2 = await sign_up(api, a["id"], "demo-member2")
    assert [r["status"] for r in (first, second, w1, w2)] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert (w1["waitlist_position"], w2["waitlist_position"]) == (1, 2)
    r = await api.post(f"/api/v1/activities/{a['id']}/registrations", "demo-member")
    assert r.status_code == 409 and r.json()["error"] == "already_registered"
    detail = await api.ok("GET", f"/api/v1/activities/{a['id']}", "demo-member2")
    assert detail["seats_left"] == 0 and detail["my_registration"]["waitlist_position"] == 2

    # someone else may not cancel a sign-up; its owner may, and the first in line takes the seat
    r = await api.post(f"/api/v1/registrations/{second['id']}/cancel", "demo-resident")
    assert r.status_code == 403 and r.json()["error"] == "not_yours"
    await api.ok("POST", f"/api/v1/registrations/{second['id']}/cancel", "demo-resident2")
    me1 = await api.ok("GET", f"/api/v1/activities/{a['id']}", "demo-member")
    me2 = await api.ok("GET", f"/api/v1/activities/{a['id']}", "demo-member2")
    assert me1["my_registration"]["status"] == "registered"
    assert me2["my_registration"]["status"] == "waitlisted" and me2["my_registration"]["waitlist_position"] == 1
    assert me1["seats_left"] == 0
    told = (
        (
            await session.execute(
                select(Notification).where(
                    Notification.event == "activity_promoted", Notification.user_id == w1["user_id"]
                )
            )
        )
        .scalars()
        .all()
    )
    assert len(told) == 1 and "清理楼道小广告" in told[0].body
    events = (
        (await session.execute(select(RegistrationEvent.type).where(RegistrationEvent.registration_id == w1["id"])))
        .scalars()
        .all()
    )
    assert events == ["created", "promoted"]
    # a waitlisted sign-up cancelling frees no seat and promotes nobody
    await api.ok("POST", f"/api/v1/registrations/{w2['id']}/cancel", "demo-member2")
    assert (await api.ok("GET", f"/api/v1/activities/{a['id']}", "demo-member"))["registered"] == 2

    # cancellation ends at the start
    clock.advance(START_IN + timedelta(minutes=1))
    r = await api.post(f"/api/v1/registrations/{first['id']}/cancel", "demo-resident")
    assert r.status_code == 409 and r.json()["error"] == "activity_started"


async def test_qr_check_in_rotates_and_expires(api, session, app):
    a = await new_activity(api, session, capacity=5)
    reg = await sign_up(api, a["id"], "demo-resident")
    code = await api.ok("GET", f"/api/v1/activities/{a['id']}/checkin-code", "demo-leader")
    r = await api.post(f"/api/v1/activities/{a['id']}/check-in", "demo-resident", json={"code": code["code"]})
    assert r.status_code == 409 and r.json()["error"] == "checkin_not_open"  # two days early
    r = await api.get(f"/api/v1/activities/{a['id']}/checkin-code", "demo-resident")
    assert r.status_code == 403 and r.json()["error"] == "role_required"

    clock.advance(START_IN - timedelta(minutes=10))
    code = await api.ok("GET", f"/api/v1/activities/{a['id']}/checkin-code", "demo-leader")
    forged = code["code"][:-4] + ("0000" if not code["code"].endswith("0000") else "1111")
    r = await api.post(f"/api/v1/activities/{a['id']}/check-in", "demo-resident", json={"code": forged})
    assert r.status_code == 422 and r.json()["error"] == "invalid_code"
    other = checkin.code_for(app.state.settings.jwt_secret, a["id"] + 1)[0]
    r = await api.post(f"/api/v1/activities/{a['id']}/check-in", "demo-resident", json={"code": other})
    assert r.status_code == 422 and r.json()["error"] == "invalid_code"
    clock.advance(timedelta(minutes=3))  # the code shown three minutes ago has expired
    r = await api.post(f"/api/v1/activities/{a['id']}/check-in", "demo-resident", json={"code": code["code"]})
    assert r.status_code == 409 and r.json()["error"] == "code_expired"
    # someone who did not sign up is sent to the organiser
    fresh = await api.ok("GET", f"/api/v1/activities/{a['id']}/checkin-code", "demo-leader")
    r = await api.post(f"/api/v1/activities/{a['id']}/check-in", "demo-member3", json={"code": fresh["code"]})
    assert r.status_code == 403 and r.json()["error"] == "not_registered"
    out = await api.ok("POST", f"/api/v1/activities/{a['id']}/check-in", "demo-resident", json={"code": fresh["code"]})
    assert out["status"] == "checked_in" and out["id"] == reg["id"]
    r = await api.post(f"/api/v1/activities/{a['id']}/check-in", "demo-resident", json={"code": fresh["code"]})
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"


async def test_offline_roster_replay_counted_once_with_walk_ins(api, session):
    a = await new_activity(api, session, capacity=3)
    reg = await sign_up(api, a["id"], "demo-resident")
    walk_in = (await api.ok("GET", "/api/v1/me", "demo-member3"))["id"]
    clock.advance(START_IN + timedelta(minutes=5))
    at = clock.now().isoformat()
    entries = [
        {"client_id": str(uuid.uuid4()), "user_id": reg["user_id"], "checked_in_at": at},
        {"client_id": str(uuid.uuid4()), "user_id": walk_in, "checked_in_at": at},
    ]
    first = await api.ok("POST", f"/api/v1/activities/{a['id']}/roster", "demo-leader", json={"entries": entries})
    assert [i["result"] for i in first["items"]] == ["checked_in", "walked_in"]
    assert not any(i["replayed"] for i in first["items"])
    again = await api.ok("POST", f"/api/v1/activities/{a['id']}/roster", "demo-leader", json={"entries": entries})
    assert [i["result"] for i in again["items"]] == ["checked_in", "walked_in"] and all(
        i["replayed"] for i in again["items"]
    )
    roster = await api.ok("GET", f"/api/v1/activities/{a['id']}/registrations", "demo-leader")
    assert len(roster) == 2 and sorted(r["status"] for r in roster) == ["checked_in", "checked_in"]
    assert [r["walk_in"] for r in roster] == [False, True]
    # a roster entry under a new client id for someone already in is "already", not a second 人次
    dup = [{"client_id": str(uuid.uuid4()), "user_id": walk_in}]
    third = await api.ok("POST", f"/api/v1/activities/{a['id']}/roster", "demo-leader", json={"entries": dup})
    assert third["items"][0]["result"] == "already"
    assert (await api.ok("GET", f"/api/v1/activities/{a['id']}", "demo-leader"))[
        "registered"
    ] == 1  # walk-ins take no seat


async def test_check_out_hours_credits_and_correction(api, session):
    a = await new_activity(api, session, capacity=3, hours=3)
    reg = await sign_up(api, a["id"], "demo-resident2")
    absent = await sign_up(api, a["id"], "demo-member")
    stays = await sign_up(api, a["id"], "demo-member2")
    before = (await api.ok("GET", "/api/v1/timebank/me", "demo-resident2"))["balance"]
    clock.advance(START_IN)
    entries = [{"client_id": str(uuid.uuid4()), "user_id": u} for u in (reg["user_id"], stays["user_id"])]
    await api.ok("POST", f"/api/v1/activities/{a['id']}/roster", "demo-leader", json={"entries": entries})
    clock.advance(timedelta(minutes=90))
    out = await api.ok("POST", f"/api/v1/registrations/{reg['id']}/check-out", "demo-leader", json={})
    assert out["status"] == "completed" and out["minutes"] == 90
    mine = await api.ok("GET", "/api/v1/timebank/me", "demo-resident2")
    assert mine["balance"] == before + 15 and mine["items"][0]["kind"] == "service"  # 1 hour = 10 credits
    assert mine["minutes"] >= 90
    listed = (await api.ok("GET", "/api/v1/registrations/mine", "demo-resident2"))["items"]
    assert (
        listed[0]["id"] == reg["id"] and listed[0]["activity_title"] == "清理楼道小广告" and listed[0]["minutes"] == 90
    )

    path = f"/api/v1/registrations/{reg['id']}/hours"
    r = await api.post(path, "demo-leader", json={"service_minutes": 120})
    assert r.status_code == 422  # a correction needs a reason
    r = await api.post(path, "demo-resident2", json={"service_minutes": 600, "reason": "我自己改"})
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    out = await api.ok(
        "POST", path, "demo-leader", json={"service_minutes": 120, "reason": "签退时忘记扫码，实际服务2小时"}
    )
    assert out["minutes"] == 120
    mine = await api.ok("GET", "/api/v1/timebank/me", "demo-resident2")
    assert mine["balance"] == before + 20 and mine["items"][0]["kind"] == "correction"
    note = (
        await session.execute(
            select(RegistrationEvent.note).where(
                RegistrationEvent.registration_id == reg["id"], RegistrationEvent.type == "hours_corrected"
            )
        )
    ).scalar_one()
    assert note == "90分钟 → 120分钟：签退时忘记扫码，实际服务2小时"
    r = await api.post(path, "demo-leader", json={"service_minutes": 200, "reason": "多算"})
    assert r.status_code == 422 and r.json()["error"] == "minutes_too_long"

    r = await api.post(f"/api/v1/activities/{a['id']}/close", "demo-leader")
    assert r.status_code == 409 and r.json()["error"] == "activity_not_over"
    clock.advance(timedelta(hours=2))
    closed = await api.ok("POST", f"/api/v1/activities/{a['id']}/close", "demo-leader")
    assert closed == {"completed": 1, "no_show": 1, "released": 0}
    roster = {r["id"]: r for r in await api.ok("GET", f"/api/v1/activities/{a['id']}/registrations", "demo-leader")}
    assert roster[absent["id"]]["status"] == "no_show" and roster[stays["id"]]["minutes"] == 180


async def test_team_leader_only_their_team(api, session):
    other = (await session.execute(select(Team).where(Team.name == "巧手剪纸志愿服务队"))).scalar_one()
    start = clock.now() + START_IN
    body = {
        "title": "剪纸课",
        "organiser": {"kind": "team", "id": other.id},
        "community_id": other.community_id,
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=1)).isoformat(),
        "capacity": 5,
    }
    r = await api.post("/api/v1/activities", "demo-leader", json=body)
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    mine = await new_activity(api, session)
    assert "roster" in mine["actions"]


async def test_join_team_with_leader_approval(api, session):
    team_id, community_id = await team_and_community(session)
    row = await api.ok("POST", f"/api/v1/teams/{team_id}/join", "demo-member3", status=201, json={"note": "周末有空"})
    assert row["status"] == "pending"
    r = await api.post(f"/api/v1/teams/{team_id}/join", "demo-member3", json={})
    assert r.status_code == 409 and r.json()["error"] == "already_applied"
    r = await api.post(
        f"/api/v1/team-memberships/{row['membership_id']}/decide", "demo-partner", json={"decision": "approve"}
    )
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    out = await api.ok(
        "POST", f"/api/v1/team-memberships/{row['membership_id']}/decide", "demo-leader", json={"decision": "approve"}
    )
    assert out["status"] == "approved" and out["status_label"] == "已入队"
    team = await api.ok("GET", f"/api/v1/teams/{team_id}", "demo-leader")
    assert any(m["user_id"] == row["user_id"] and m["status"] == "approved" for m in team["members"])
    assert (await api.ok("GET", f"/api/v1/teams/{team_id}", "demo-resident"))["members"] is None
    other = await api.ok("POST", f"/api/v1/teams/{team_id}/join", "demo-resident", status=201, json={})
    out = await api.ok(
        "POST", f"/api/v1/team-memberships/{other['membership_id']}/decide", "demo-leader", json={"decision": "reject"}
    )
    assert out["status"] == "rejected"
    r = await api.post(
        f"/api/v1/team-memberships/{other['membership_id']}/decide", "demo-leader", json={"decision": "approve"}
    )
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"
    community = (await session.execute(select(Community).where(Community.id == community_id))).scalar_one()
    assert community.name == "和谐社区"


async def test_partner_organises_only_for_itself_once_recognised(api, session):
    async def pid(name):
        return (await session.execute(select(Partner).where(Partner.name == name))).scalar_one()

    own, other = await pid("鲁味坊餐馆"), await pid("惠民大药房")
    start = clock.now() + START_IN
    body = {
        "title": "爱心午餐日",
        "community_id": own.community_id,
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 20,
    }
    a = await api.ok(
        "POST",
        "/api/v1/activities",
        "demo-partner",
        status=201,
        json={**body, "organiser": {"kind": "partner", "id": own.id}},
    )
    assert a["organiser_kind"] == "partner" and a["partner_id"] == own.id and "roster" in a["actions"]
    r = await api.post(
        "/api/v1/activities", "demo-partner", json={**body, "organiser": {"kind": "partner", "id": other.id}}
    )
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.post("/api/v1/activities", "demo-partner", json={**body, "organiser": {"kind": "community"}})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    await api.ok(
        "POST", f"/api/v1/partners/{own.id}/transitions", "demo-admin", json={"event": "suspended", "reason": "整改"}
    )
    r = await api.post(
        "/api/v1/activities", "demo-partner", json={**body, "organiser": {"kind": "partner", "id": own.id}}
    )
    assert r.status_code == 409 and r.json()["error"] == "partner_not_recognised"
    # the leader of a team is no organiser of the partner's activity
    r = await api.get(f"/api/v1/activities/{a['id']}/registrations", "demo-leader")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"


async def test_sign_up_closes(api, session):
    a = await new_activity(api, session, signup_closes_at=(clock.now() + timedelta(days=1)).isoformat())
    clock.advance(timedelta(days=1, minutes=1))
    r = await api.post(f"/api/v1/activities/{a['id']}/registrations", "demo-resident")
    assert r.status_code == 409 and r.json()["error"] == "signup_closed"
    start = clock.now()
    r = await api.post(
        "/api/v1/activities",
        "demo-leader",
        json={
            **{k: a[k] for k in ("title", "community_id", "capacity")},
            "organiser": {"kind": "team", "id": a["team_id"]},
            "start_at": start.isoformat(),
            "end_at": (start - timedelta(hours=1)).isoformat(),
        },
    )
    assert r.status_code == 422 and r.json()["error"] == "invalid_times"
