"""The proposal lifecycle over HTTP: lists, draft, self-check, review, referral, withdrawal."""

from __future__ import annotations

from tests.proposals.support import NEW, draft, events, residents, steps, submitted


async def test_lists_are_the_examples_until_the_street_saves_its_own(api):
    lists = await api.ok("GET", "/api/v1/proposals/lists", "demo-resident")
    assert lists["version"] == 0
    assert len(lists["encouraged"]) == 6 and len(lists["negative"]) == 13
    assert "公共设施维修" in [c["name"] for c in lists["encouraged"]]
    assert any("物业服务合同" in n["text"] for n in lists["negative"])

    body = {
        "encouraged": [*lists["encouraged"][:5], {"code": "parking", "name": "停车治理", "description": "错时停车"}],
        "negative": lists["negative"],
    }
    r = await api.call("PUT", "/api/v1/proposals/lists", "demo-admin", json=body)
    assert r.status_code == 403 and r.json()["error"] == "role_required"
    saved = await api.ok("PUT", "/api/v1/proposals/lists", "demo-street", json=body)
    assert saved["version"] == 1
    seen = await api.ok("GET", "/api/v1/proposals/lists", "demo-resident")
    assert seen["version"] == 1 and seen["encouraged"][-1]["name"] == "停车治理"

    # the removed category can no longer be proposed; the new one can
    r = await api.post("/api/v1/proposals", "demo-resident", json={**NEW, "category": "elderly_children"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_category"
    p = await submitted(api, category="parking")
    assert p["list_version"] == 1 and p["category_name"] == "停车治理"

    dup = {**body, "negative": [*body["negative"], body["negative"][0]]}
    r = await api.call("PUT", "/api/v1/proposals/lists", "demo-street", json=dup)
    assert r.status_code == 422 and r.json()["error"] == "duplicate_code"


async def test_draft_edit_self_check_submit_accept_onto_the_agenda(api):
    p = await draft(api, will_undertake=True, undertaking="我可以联系木工师傅，组织楼里年轻人安装")
    assert p["status"] == "draft" and p["actions"] == ["edit", "submit", "withdraw"]
    assert p["proposer_name"] == "王秀兰" and p["level"] == "compound" and p["kind_label"] == "个人提案"
    assert not any(steps(p).values())

    p = await api.ok("PATCH", f"/api/v1/proposals/{p['id']}", "demo-resident", json={"estimated_cost": 2400})
    assert p["estimated_cost"] == 2400 and "edited" in events(p)
    r = await api.patch(f"/api/v1/proposals/{p['id']}", "demo-resident2", json={"title": "别人的"})
    assert r.status_code == 403  # a draft is the proposer's alone

    r = await api.post(f"/api/v1/proposals/{p['id']}/submit", "demo-resident", json={"none_applies": False})
    assert r.status_code == 422 and r.json()["error"] == "self_check_required"
    p = await api.ok("POST", f"/api/v1/proposals/{p['id']}/submit", "demo-resident", json={"none_applies": True})
    assert p["status"] == "submitted" and p["list_version"] == 0
    assert steps(p)["收集"] and not steps(p)["审议"]

    # another resident of the compound sees it, with the proposer's name masked
    other = await api.ok("GET", f"/api/v1/proposals/{p['id']}", "demo-resident2")
    assert other["proposer_name"] == "王**" and other["actions"] == []
    queue = await api.ok("GET", "/api/v1/proposals?status=submitted", "demo-dispatcher")
    assert p["id"] in [i["id"] for i in queue["items"]]
    mine = await api.ok("GET", f"/api/v1/proposals/{p['id']}", "demo-dispatcher")
    assert mine["actions"] == ["review"] and mine["proposer_name"] == "王秀兰"

    # the community admin does not review a compound-level proposal
    r = await api.post(f"/api/v1/proposals/{p['id']}/review", "demo-admin", json={"decision": "accept"})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    p = await api.ok("POST", f"/api/v1/proposals/{p['id']}/review", "demo-dispatcher", json={"decision": "accept"})
    assert p["status"] == "accepted" and steps(p)["审议"] and not steps(p)["形成"]
    assert p["agenda"]["status"] == "proposed" and p["agenda"]["meeting_date"].endswith("-10")
    review = next(s for s in p["steps"] if s["name"] == "审议")
    assert review["by"] == "赵敏" and review["at"]

    r = await api.post(f"/api/v1/proposals/{p['id']}/withdraw", "demo-resident", json={})
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"
    assert "不能撤回" in r.json()["detail"]


async def test_a_rejection_cites_the_negative_list_or_a_reason(api):
    p = await submitted(api, title="要求物业修我家门口的灯")
    url = f"/api/v1/proposals/{p['id']}/review"
    r = await api.post(url, "demo-dispatcher", json={"decision": "reject"})
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    r = await api.post(url, "demo-dispatcher", json={"decision": "reject", "negative_codes": ["N99"]})
    assert r.status_code == 422 and r.json()["error"] == "invalid_negative_code"
    assert (await api.ok("GET", f"/api/v1/proposals/{p['id']}", "demo-resident"))["status"] == "submitted"

    p = await api.ok("POST", url, "demo-dispatcher", json={"decision": "reject", "negative_codes": ["N01", "N04"]})
    assert p["status"] == "rejected"
    assert [n["code"] for n in p["negative_items"]] == ["N01", "N04"]
    assert "物业服务合同" in p["negative_items"][1]["text"]
    assert "N04" in p["events"][-1]["note"]


async def test_returned_then_edited_and_resubmitted(api):
    p = await submitted(api)
    url = f"/api/v1/proposals/{p['id']}"
    r = await api.post(f"{url}/review", "demo-dispatcher", json={"decision": "return"})
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    p = await api.ok(
        "POST", f"{url}/review", "demo-dispatcher", json={"decision": "return", "reason": "请补充座椅位置"}
    )
    assert p["status"] == "returned" and p["review_reason"] == "请补充座椅位置"
    assert p["actions"] == []  # the dispatcher waits
    p = await api.ok("PATCH", url, "demo-resident", json={"solution": "在3号楼北侧花坛边安装四张座椅"})
    p = await api.ok("POST", f"{url}/submit", "demo-resident", json={"none_applies": True})
    assert p["status"] == "submitted" and events(p)[-1] == "resubmitted" and p["review_reason"] is None


async def test_referral_moves_the_proposal_to_another_level(api):
    p = await submitted(api, title="和谐社区两个小区之间的便道照明")
    url = f"/api/v1/proposals/{p['id']}/review"
    r = await api.post(url, "demo-dispatcher", json={"decision": "refer", "to_level": "compound"})
    assert r.status_code == 422 and r.json()["error"] == "to_level_required"
    p = await api.ok("POST", url, "demo-dispatcher", json={"decision": "refer", "to_level": "community"})
    assert p["status"] == "submitted" and p["level"] == "community" and "社区" in p["events"][-1]["note"]
    r = await api.post(url, "demo-dispatcher", json={"decision": "accept"})
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    p = await api.ok("POST", url, "demo-admin", json={"decision": "accept"})
    assert p["status"] == "accepted"
    # a community-level proposal is seen by residents of the other compound of the community
    assert (await api.ok("GET", "/api/v1/proposals", "demo-resident2"))["items"]


async def test_withdraw_until_review_and_who_may_propose(api):
    p = await submitted(api)
    p = await api.ok("POST", f"/api/v1/proposals/{p['id']}/withdraw", "demo-resident", json={"reason": "已自行解决"})
    assert p["status"] == "withdrawn" and p["actions"] == []
    r = await api.post(f"/api/v1/proposals/{p['id']}/review", "demo-dispatcher", json={"decision": "accept"})
    assert r.status_code == 409 and r.json()["error"] == "invalid_state"

    # an organisation proposal needs a Party member (the work unit's representative) and its name
    r = await api.post(
        "/api/v1/proposals", "demo-resident", json={**NEW, "kind": "organisation", "organisation_name": "社区卫生站"}
    )
    assert r.status_code == 403 and r.json()["error"] == "not_eligible"
    r = await api.post("/api/v1/proposals", "demo-member", json={**NEW, "kind": "organisation"})
    assert r.status_code == 422 and r.json()["error"] == "organisation_required"
    p = await draft(api, "demo-member", kind="organisation", organisation_name="区税务局")
    assert p["organisation_name"] == "区税务局"
    r = await api.post("/api/v1/proposals", "demo-resident", json={**NEW, "will_undertake": True})
    assert r.status_code == 422 and r.json()["error"] == "undertaking_required"


async def test_drafts_are_private_and_lists_filter(api):
    p = await draft(api, title="草稿不给别人看")
    r = await api.get(f"/api/v1/proposals/{p['id']}", "demo-resident2")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.get(f"/api/v1/proposals/{p['id']}", "demo-dispatcher")
    assert r.status_code == 403
    listed = await api.ok("GET", "/api/v1/proposals", "demo-dispatcher")
    assert p["id"] not in [i["id"] for i in listed["items"]]
    mine = await api.ok("GET", "/api/v1/proposals?mine=true&status=draft", "demo-resident")
    assert p["id"] in [i["id"] for i in mine["items"]]
    r = await api.get("/api/v1/proposals?status=nonsense", "demo-resident")
    assert r.status_code == 422 and r.json()["error"] == "invalid_status"


async def test_a_resident_lists_what_they_may_open(api, session):
    [neighbour] = await residents(session, 1, compound="翠湖花园")  # same community, another compound
    compound_level = await submitted(api, title="锦华苑自己的事")
    community_level = await submitted(api, title="和谐社区的事", level="community")
    listed = [i["id"] for i in (await api.ok("GET", "/api/v1/proposals?limit=100", neighbour))["items"]]
    assert community_level["id"] in listed and compound_level["id"] not in listed
    for item in listed:
        await api.ok("GET", f"/api/v1/proposals/{item}", neighbour)  # everything listed opens
    r = await api.get(f"/api/v1/proposals/{compound_level['id']}", neighbour)
    assert r.status_code == 403


async def test_an_edit_cannot_empty_a_required_field(api):
    p = await draft(api)
    r = await api.patch(f"/api/v1/proposals/{p['id']}", "demo-resident", json={"title": None, "will_undertake": None})
    assert r.status_code == 422 and r.json()["error"] == "field_required" and "标题" in r.json()["detail"]
    p = await api.ok("PATCH", f"/api/v1/proposals/{p['id']}", "demo-resident", json={"estimated_cost": None})
    assert p["estimated_cost"] is None
