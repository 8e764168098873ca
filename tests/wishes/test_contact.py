"""联系党员 and the wish form for older users: a wish may be told without a title (made from the
first words), the member who took it can be called when they share their number, or asked to
call back (once per half hour) when they do not."""

from __future__ import annotations

from datetime import timedelta

from backend.kernel.clock import clock
from tests.support.api import error
from tests.support.wishes import approve, member_id


async def _accepted(api, member="demo-member") -> dict:
    wish = await api.ok(
        "POST",
        "/api/v1/wishes",
        "demo-resident",
        status=201,
        json={"description": "家里灯泡坏了，够不着", "category": "repair"},
    )
    await approve(api, wish["id"])
    return await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", member)


async def test_a_wish_told_without_a_title(api):
    wish = await api.ok(
        "POST",
        "/api/v1/wishes",
        "demo-resident",
        status=201,
        json={"description": "老伴腿脚不便，想请人陪着去医院复查。周三上午。", "category": "medical_escort"},
    )
    assert wish["title"] == "老伴腿脚不便，想请人陪着去医院复查"
    long = "我".join(["这是一段没有标点的很长的话"] * 3)
    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-resident", status=201, json={"description": long, "category": "other"}
    )
    assert len(wish["title"]) == 20 and wish["title"].endswith("…")
    body = error(await api.post("/api/v1/wishes", "demo-resident", json={"category": "repair"}), 422, "invalid_input")
    assert "请说说需要什么帮助" in body["detail"]


async def test_the_requester_calls_a_member_who_shares_the_number(api):
    await api.ok("PATCH", "/api/v1/members/me", "demo-member", json={"share_phone": True})
    wish = await _accepted(api)
    mine = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-resident")
    assert "contact" in mine["actions"]
    assert mine["contact"]["can_call"] and mine["contact"]["phone"] == "13900000001"
    assert mine["contact"]["member_name"] == "张伟"
    # nobody else sees the member's number through the wish
    assert (await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-dispatcher"))["contact"] is None
    assert (await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-member"))["contact"] is None


async def test_a_private_number_means_a_call_back_request(api):
    profile = await api.ok("PATCH", "/api/v1/members/me", "demo-member", json={"share_phone": False})
    assert profile["share_phone"] is False
    wish = await _accepted(api)
    mine = await api.ok("GET", f"/api/v1/wishes/{wish['id']}", "demo-resident")
    assert mine["contact"] == {
        "member_name": "张伟",
        "phone": None,
        "can_call": False,
        "callback_requested_at": None,
    }
    asked = await api.ok("POST", f"/api/v1/wishes/{wish['id']}/callback", "demo-resident")
    assert asked["contact"]["callback_requested_at"] is not None
    assert asked["events"][-1]["type"] == "callback_requested"
    inbox = await api.ok("GET", "/api/v1/inbox", "demo-member")
    note = inbox["items"][0]
    assert note["title"] == "居民请您回电" and wish["title"] in note["body"] and "13800000001" in note["body"]
    again = error(await api.post(f"/api/v1/wishes/{wish['id']}/callback", "demo-resident"), 409, "callback_recent")
    assert "分钟后可再次提醒" in again["detail"]
    clock.offset += timedelta(minutes=31)
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/callback", "demo-resident")


async def test_who_may_ask_for_a_call_back(api):
    wish = await _accepted(api)
    error(await api.post(f"/api/v1/wishes/{wish['id']}/callback", "demo-resident2"), 403, "not_requester")
    open_wish = await api.ok(
        "POST",
        "/api/v1/wishes",
        "demo-resident",
        status=201,
        json={"description": "想学用手机视频", "category": "skills"},
    )
    error(await api.post(f"/api/v1/wishes/{open_wish['id']}/callback", "demo-resident"), 409, "invalid_state")
    assert "contact" not in open_wish["actions"]
    assert await member_id(api, "demo-member")
