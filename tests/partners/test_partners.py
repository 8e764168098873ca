"""Partners: applying, filing (recognition) by the community admin, contacts who act for the partner,
the street's brand name, work units merged from members' free text, opportunities and applications."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend.directory.models import User
from backend.kernel.clock import clock
from backend.org.models import Community, RoleGrant
from backend.partners.models import Partner, WorkUnitMember
from backend.partners.work_units import merge_work_units
from backend.people.models import MemberProfile


async def community_id(session, name="和谐社区") -> int:
    return (await session.execute(select(Community.id).where(Community.name == name))).scalar_one()


async def apply(api, session, who="demo-resident2", **overrides) -> dict:
    body = {
        "kind": "shop",
        "name": "老街包子铺",
        "contact": "包老板",
        "services": ["爱心早餐"],
        "community_id": await community_id(session),
        **overrides,
    }
    return await api.ok("POST", "/api/v1/partners", who, status=201, json=body)


async def test_apply_file_activate_suspend_reinstate(api, session):
    p = await apply(api, session)
    assert p["status"] == "applied" and p["status_label"] == "已申请" and p["brand"] == "幸福合伙人"
    assert p["actions"] == [] and p["events"][0]["label"] == "提交申请"
    admin_view = await api.ok("GET", f"/api/v1/partners/{p['id']}", "demo-admin")
    assert admin_view["actions"] == ["filed", "add_contact"]

    # the applicant cannot file their own application; a resident of elsewhere cannot even see it
    r = await api.post(f"/api/v1/partners/{p['id']}/transitions", "demo-resident2", json={"event": "filed"})
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    r = await api.get(f"/api/v1/partners/{p['id']}", "demo-resident")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"

    path = f"/api/v1/partners/{p['id']}/transitions"
    p = await api.ok("POST", path, "demo-admin", json={"event": "filed"})
    assert p["status"] == "filed" and p["filed_at"] is not None
    # filing is the recognition: the applicant now acts for the partner
    me = await api.ok("GET", "/api/v1/me", "demo-resident2")
    assert p["contact_ids"] == [me["id"]]
    assert (await api.ok("GET", f"/api/v1/partners/{p['id']}", "demo-resident2"))["viewer_is_contact"]

    r = await api.post(path, "demo-admin", json={"event": "filed"})
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"
    assert r.json()["detail"] == "合伙人当前状态为「已备案」，不能备案"
    p = await api.ok("POST", path, "demo-admin", json={"event": "activated"})
    r = await api.post(path, "demo-admin", json={"event": "suspended"})
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    p = await api.ok("POST", path, "demo-admin", json={"event": "suspended", "reason": "连续两月未提供服务"})
    assert p["status"] == "suspended" and p["suspend_reason"] == "连续两月未提供服务"
    p = await api.ok("POST", path, "demo-admin", json={"event": "reinstated"})
    assert [e["type"] for e in p["events"]] == ["created", "filed", "activated", "suspended", "reinstated"]


async def test_admin_of_another_community_may_not_file(api, session):
    p = await apply(api, session, community_id=await community_id(session, "明德社区"), name="明德包子铺")
    r = await api.post(f"/api/v1/partners/{p['id']}/transitions", "demo-admin", json={"event": "filed"})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    assert (await api.ok("POST", f"/api/v1/partners/{p['id']}/transitions", "demo-street", json={"event": "filed"}))[
        "status"
    ] == "filed"


async def test_duplicate_name_in_community_refused(api, session):
    await apply(api, session)
    r = await api.post(
        "/api/v1/partners",
        "demo-resident",
        json={"kind": "shop", "name": "老街 包子铺", "community_id": await community_id(session)},
    )
    assert r.status_code == 409 and r.json()["error"] == "partner_exists"


async def test_contacts_see_only_their_partner(api, session):
    mine = await api.ok("GET", "/api/v1/partners", "demo-partner")
    assert [p["name"] for p in mine["items"]] == ["鲁味坊餐馆"]
    other = (await session.execute(select(Partner.id).where(Partner.name == "惠民大药房"))).scalar_one()
    r = await api.get(f"/api/v1/partners/{other}", "demo-partner")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    # the admin adds a contact; that account then sees the partner
    resident = await api.ok("GET", "/api/v1/me", "demo-resident")
    p = await api.ok("POST", f"/api/v1/partners/{other}/contacts", "demo-admin", json={"user_id": resident["id"]})
    assert resident["id"] in p["contact_ids"]
    assert (await api.ok("GET", f"/api/v1/partners/{other}", "demo-resident"))["viewer_is_contact"]
    admin_list = await api.ok("GET", "/api/v1/partners?kind=shop&limit=100", "demo-admin")
    assert {"鲁味坊餐馆", "惠民大药房"} <= {p["name"] for p in admin_list["items"]}
    assert "书香文化书店" not in {p["name"] for p in admin_list["items"]}  # another community's


async def test_street_sets_brand_shown_on_partners(api, session):
    street = await api.ok("GET", "/api/v1/partner-brand", "demo-resident")
    assert street["brand_name"] == "幸福合伙人"
    r = await api.call(
        "PUT",
        "/api/v1/partner-brand",
        "demo-admin",
        json={"street_id": street["street_id"], "brand_name": "红色合伙人"},
    )
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    r = await api.call(
        "PUT",
        "/api/v1/partner-brand",
        "demo-street",
        json={"street_id": street["street_id"], "brand_name": "红色小伙伴"},
    )
    assert r.status_code == 422
    out = await api.ok(
        "PUT",
        "/api/v1/partner-brand",
        "demo-street",
        json={"street_id": street["street_id"], "brand_name": "红色合伙人"},
    )
    assert out["brand_name"] == "红色合伙人"
    assert (await api.ok("GET", "/api/v1/partner-brand", "demo-resident"))["brand_name"] == "红色合伙人"
    p = await apply(api, session)
    assert p["brand"] == "红色合伙人"


async def test_work_units_merge_exact_and_near_duplicates(session):
    users = []
    for i, name in enumerate(
        ["东营市税务局", "区税务局 ", "区 税务局", "ＸＹ信息技术有限公司", "XY信息技术公司", "第二中学"]
    ):
        u = User(name=f"合并{i}", compound_id=1)
        session.add(u)
        await session.flush()
        session.add(MemberProfile(user_id=u.id, work_unit=name, skills=[]))
        users.append(u)
    await session.flush()
    report = await merge_work_units(session, actor_id=None)
    by_name = {e["name"]: e for e in report}
    tax = by_name["区税务局"]  # the demo's members already write it so
    assert {"东营市税务局", "区税务局 ", "区 税务局", "区税务局"} <= set(tax["merged"])
    xy = next(e for e in report if "XY信息技术公司" in e["merged"])
    assert set(xy["merged"]) == {"ＸＹ信息技术有限公司", "XY信息技术公司"} and xy["members"] == 2
    assert "第二中学" in by_name and "第一中学" in by_name  # similar, but two schools
    links = dict((await session.execute(select(WorkUnitMember.user_id, WorkUnitMember.partner_id))).all())
    assert links[users[0].id] == links[users[1].id] == links[users[2].id] == tax["partner_id"]
    again = await merge_work_units(session, actor_id=None)
    assert {e["partner_id"] for e in again} == {e["partner_id"] for e in report}  # nothing created twice


async def test_opportunity_application_accepted_files_the_partner(api, session):
    cid = await community_id(session)
    deadline = (clock.now() + timedelta(days=14)).isoformat()
    opp = await api.ok(
        "POST",
        "/api/v1/opportunities",
        "demo-admin",
        status=201,
        json={
            "title": "招募助餐服务商",
            "mode": "low_fee",
            "needs": "为高龄老人提供低偿午餐",
            "deadline": deadline,
            "community_id": cid,
        },
    )
    assert opp["mode_label"] == "低偿服务" and opp["share"]["title"].startswith("招募令｜")
    body = {"partner": {"kind": "shop", "name": "王记快餐", "services": ["老年助餐"]}, "pitch": "每天可供50份"}
    app_ = await api.ok(
        "POST", f"/api/v1/opportunities/{opp['id']}/applications", "demo-resident", status=201, json=body
    )
    assert app_["status"] == "submitted" and app_["partner_status"] == "applied"
    # an existing partner applies through its contact; a non-contact may not apply for it
    own = (await session.execute(select(Partner.id).where(Partner.name == "鲁味坊餐馆"))).scalar_one()
    r = await api.post(f"/api/v1/opportunities/{opp['id']}/applications", "demo-resident", json={"partner_id": own})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    await api.ok(
        "POST", f"/api/v1/opportunities/{opp['id']}/applications", "demo-partner", status=201, json={"partner_id": own}
    )

    decide = f"/api/v1/opportunity-applications/{app_['id']}/decide"
    r = await api.post(decide, "demo-admin", json={"decision": "accepted"})
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"
    await api.ok("POST", decide, "demo-admin", json={"decision": "shortlisted"})
    out = await api.ok("POST", decide, "demo-admin", json={"decision": "accepted"})
    assert out["status"] == "accepted" and out["partner_status"] == "filed"
    grant = await session.execute(
        select(RoleGrant.user_id).where(RoleGrant.role == "partner_contact", RoleGrant.scope_id == out["partner_id"])
    )
    assert grant.scalar_one() == (await api.ok("GET", "/api/v1/me", "demo-resident"))["id"]
    listed = await api.ok("GET", f"/api/v1/opportunities/{opp['id']}", "demo-resident")
    assert listed["applications"] == 2


async def test_decline_needs_reason_and_deadline_closes(api, session):
    cid = await community_id(session)
    deadline = (clock.now() + timedelta(days=1)).isoformat()
    opp = await api.ok(
        "POST",
        "/api/v1/opportunities",
        "demo-admin",
        status=201,
        json={"title": "共建四点半课堂", "mode": "co_build", "deadline": deadline, "community_id": cid},
    )
    body = {"partner": {"kind": "social_org", "name": "青苗公益社"}}
    app_ = await api.ok(
        "POST", f"/api/v1/opportunities/{opp['id']}/applications", "demo-resident", status=201, json=body
    )
    decide = f"/api/v1/opportunity-applications/{app_['id']}/decide"
    r = await api.post(decide, "demo-admin", json={"decision": "declined"})
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    out = await api.ok("POST", decide, "demo-admin", json={"decision": "declined", "reason": "本期名额已满"})
    assert (
        out["status"] == "declined" and out["decline_reason"] == "本期名额已满" and out["partner_status"] == "applied"
    )
    clock.advance(timedelta(days=2))
    r = await api.post(
        f"/api/v1/opportunities/{opp['id']}/applications",
        "demo-resident2",
        json={"partner": {"kind": "shop", "name": "迟到商店"}},
    )
    assert r.status_code == 409 and r.json()["error"] == "opportunity_closed"
