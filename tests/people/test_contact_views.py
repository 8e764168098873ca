"""Issue 12, item 8's last bullet: every view of a resident's contact details by someone else is
logged (who, when, which household, why) for the community admin, and the member who fulfilled a
wish stops seeing the requester a configurable time (default 7 days) after completing it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend.directory.models import User
from backend.kernel.clock import clock
from backend.org.models import Grid, Household


async def taken_wish(api) -> int:
    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": "想请人修门锁", "category": "repair"}
    )
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/review", "demo-dispatcher", json={"decision": "approve"})
    await api.ok("POST", f"/api/v1/wishes/{wish['id']}/claim", "demo-member2")
    return wish["id"]


async def test_views_of_contact_details_are_logged_for_the_community_admin(api, session):
    wish_id = await taken_wish(api)
    before = await api.ok("GET", "/api/v1/contact-views?limit=100", "demo-admin")
    seen = {v["id"] for v in before["items"]}

    member_view = await api.ok("GET", f"/api/v1/wishes/{wish_id}", "demo-member2")
    assert member_view["requester"]["phone"] == "13800000001"
    await api.ok("GET", f"/api/v1/wishes/{wish_id}", "demo-dispatcher")
    masked = await api.ok("GET", f"/api/v1/wishes/{wish_id}", "demo-admin")  # masked: not a view of contact details
    assert masked["requester"]["masked"]
    resident = (await session.execute(select(User).where(User.openid == "fake-openid-demo-resident"))).scalar_one()
    grid = (await session.get(Household, resident.household_id)).grid_id
    first = (await session.execute(select(Grid.id).where(Grid.name == "和谐社区第一网格"))).scalar_one()
    worker, worker_name = ("demo-gridworker", "孙丽") if grid == first else ("demo-gridworker2", "钱进")
    await api.ok("GET", f"/api/v1/households/{resident.household_id}", worker)
    await api.ok("GET", f"/api/v1/households/{resident.household_id}", "demo-admin")  # phones masked: not logged

    log = await api.ok("GET", "/api/v1/contact-views?limit=100", "demo-admin")
    new = [v for v in log["items"] if v["id"] not in seen]
    got = sorted((v["viewer_name"], v["reason"], v["wish_id"], v["household_id"]) for v in new)
    assert got == sorted(
        [
            ("刘芳", "wish_member", wish_id, resident.household_id),
            ("赵敏", "wish_dispatcher", wish_id, resident.household_id),
            (worker_name, "register", None, resident.household_id),
        ]
    ), got
    by_reason = {v["reason"]: v for v in new}
    assert by_reason["wish_member"]["subject_name"] == "王**" and by_reason["wish_member"]["room"]
    assert by_reason["register"]["reason_label"] == "走访查看住户台账" and by_reason["register"]["at"]

    # an export of the register logs each household whose phones it writes in full
    r = await api.get(f"/api/v1/households/export?grid_id={grid}", worker)
    assert r.status_code == 200
    exported, cursor = [], ""
    while True:  # one row per household of the grid: several pages
        log = await api.ok("GET", f"/api/v1/contact-views?limit=100&cursor={cursor}", "demo-admin")
        exported += [v for v in log["items"] if v["reason"] == "register_export" and v["id"] not in seen]
        if not log["next_cursor"] or log["items"][-1]["id"] in seen:
            break
        cursor = log["next_cursor"]
    assert len(exported) > 10 and {v["viewer_name"] for v in exported} == {worker_name}
    assert resident.household_id in {v["household_id"] for v in exported}
    assert exported[0]["reason_label"] == "导出住户台账"

    r = await api.get("/api/v1/contact-views", "demo-dispatcher")
    assert r.status_code == 403 and r.json()["error"] == "role_required"


async def test_the_members_sight_of_the_requester_ends_after_completion(api, app):
    wish_id = await taken_wish(api)
    await api.ok("POST", f"/api/v1/wishes/{wish_id}/complete", "demo-member2", json={"note": "换了锁芯"})
    assert app.state.settings.contact_access_days == 7
    clock.offset += timedelta(days=6)
    await api.login("demo-member2")
    assert not (await api.ok("GET", f"/api/v1/wishes/{wish_id}", "demo-member2"))["requester"]["masked"]
    clock.offset += timedelta(days=2)
    await api.login("demo-member2")
    later = await api.ok("GET", f"/api/v1/wishes/{wish_id}", "demo-member2")
    assert later["requester"]["masked"] and later["requester"]["phone"] is None and later["requester"]["room"] is None
    assert later["requester"]["name"] == "王**"
    # the requester still sees it
    await api.login("demo-resident")
    assert not (await api.ok("GET", f"/api/v1/wishes/{wish_id}", "demo-resident"))["requester"]["masked"]
