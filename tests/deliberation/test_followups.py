"""An adopted item's follow-up of kind wish, issue or proposal becomes that thing, linked back from
the item, and the nine steps' 跟踪项目实施 reads its real progress; a follow-up that cannot be made
leaves the item undecided."""

from __future__ import annotations

from sqlalchemy import select, update

from backend.deliberation.models import AgendaItem
from backend.issues import service as issues_service
from backend.issues.models import GridIssue
from backend.kernel.clock import to_shanghai, utcnow
from backend.org.models import Compound
from backend.proposals.models import Proposal
from backend.wishes.models import Wish


async def _coming(api) -> dict:
    listed = await api.ok("GET", "/api/v1/meetings", "demo-admin")
    today = to_shanghai(utcnow()).date().isoformat()
    return next(m for m in listed["items"] if m["status"] == "planned" and m["date"] >= today)


async def _topics(api, meeting: dict, texts: list[str]) -> list[dict]:
    """Residents' topics (of 锦华苑, demo-resident's compound) scheduled on the meeting."""
    items = [await api.ok("POST", "/api/v1/agenda", "demo-resident", status=201, json={"text": t}) for t in texts]
    await api.ok(
        "POST",
        f"/api/v1/meetings/{meeting['id']}/items",
        "demo-admin",
        json={"agenda_item_ids": [i["id"] for i in items]},
    )
    return items


def _track(m: dict) -> dict:
    return next(s for s in m["steps"] if s["key"] == "track")


async def test_follow_ups_become_a_wish_an_issue_and_a_proposal(api, session):
    meeting = await _coming(api)
    url = f"/api/v1/meetings/{meeting['id']}"
    wish_item, issue_item, prop_item = await _topics(
        api, meeting, ["给独居老人装烟感报警器", "北门路灯不亮", "小区里建一个共享工具角"]
    )
    adopted = {"decision": "adopted", "votes_for": 18, "votes_against": 0, "abstained": 1}
    await api.ok(
        "POST",
        f"{url}/items/{wish_item['id']}/outcome",
        "demo-admin",
        json={**adopted, "note": "先给3户装", "follow_up": {"kind": "wish", "category": "elder_care"}},
    )
    await api.ok(
        "POST",
        f"{url}/items/{issue_item['id']}/outcome",
        "demo-admin",
        json={**adopted, "follow_up": {"kind": "issue", "category": "facility", "owner": "网格员"}},
    )
    m = await api.ok(
        "POST",
        f"{url}/items/{prop_item['id']}/outcome",
        "demo-admin",
        json={**adopted, "follow_up": {"kind": "proposal", "note": "由居民牵头，物业提供场地"}},
    )
    items = {i["id"]: i for i in m["items"]}
    wish_id = items[wish_item["id"]]["follow_up"]["ref_id"]
    issue_id = items[issue_item["id"]]["follow_up"]["ref_id"]
    prop_id = items[prop_item["id"]]["follow_up"]["ref_id"]
    assert all(isinstance(x, int) for x in (wish_id, issue_id, prop_id))

    jinhua = (await session.execute(select(Compound.id).where(Compound.name == "锦华苑"))).scalar_one()
    wish = await session.get(Wish, wish_id)
    assert wish.status == "pending_review" and wish.compound_id == jinhua and wish.category == "elder_care"
    assert "给独居老人装烟感报警器" in wish.description and "先给3户装" in wish.description
    # the branch sees it in its review queue
    queue = await api.ok("GET", "/api/v1/wishes?status=pending_review", "demo-dispatcher")
    assert wish_id in [w["id"] for w in queue["items"]]
    issue = await session.get(GridIssue, issue_id)
    assert issue.status == "open" and issue.compound_id == jinhua and issue.source == "deliberation"
    proposal = await api.ok("GET", f"/api/v1/proposals/{prop_id}", "demo-resident")
    assert proposal["status"] == "draft" and proposal["viewer_is_proposer"]
    assert proposal["solution"] == "由居民牵头，物业提供场地"

    track = _track(m)
    assert not track["done"]
    assert "后续事项办结0/3项" in track["detail"] and "心愿待审核" in track["detail"]

    # the issue is resolved, the wish done, the proposal closed: the step reads it
    issue = (await session.execute(select(GridIssue).where(GridIssue.id == issue_id))).scalar_one()
    await issues_service.resolve(session, issue, actor_id=issue.raised_by, note="已换灯泡", photos=[])
    await session.execute(update(Wish).where(Wish.id == wish_id).values(status="closed"))
    await session.commit()
    m = await api.ok("GET", url, "demo-admin")
    track = _track(m)
    assert "后续事项办结2/3项" in track["detail"] and not track["done"]
    await session.execute(update(Proposal).where(Proposal.id == prop_id).values(status="closed"))
    await session.commit()
    m = await api.ok("GET", url, "demo-admin")
    ours = [i for i in m["items"] if i["id"] in (wish_item["id"], issue_item["id"], prop_item["id"])]
    assert all(i["follow_up"]["ref_id"] for i in ours)
    assert "后续事项办结3/3项" in _track(m)["detail"]
    # (the step is done once every adopted item of the meeting is tracked: the demo's are not)
    others = [i for i in m["items"] if i["outcome"] == "adopted" and i not in ours]
    assert _track(m)["done"] == all((i["follow_up"] or {}).get("owner") for i in others)


async def test_a_follow_up_that_cannot_be_made_leaves_the_item_undecided(api, session):
    meeting = await _coming(api)
    url = f"/api/v1/meetings/{meeting['id']}"
    [item] = await _topics(api, meeting, ["楼道堆物清理"])
    bad = [
        ({"kind": "wish", "category": "no_such"}, 422, "invalid_category"),
        ({"kind": "issue", "category": "no_such"}, 422, "invalid_category"),
        ({"kind": "proposal", "category": "no_such"}, 422, "invalid_category"),
    ]
    other_community = (await session.execute(select(Compound.id).where(Compound.name == "阳光小区"))).scalar_one()
    bad.append(({"kind": "issue", "compound_id": other_community}, 422, "compound_out_of_scope"))
    for follow_up, status, code in bad:
        r = await api.post(
            f"{url}/items/{item['id']}/outcome", "demo-admin", json={"decision": "adopted", "follow_up": follow_up}
        )
        assert r.status_code == status and r.json()["error"] == code, (follow_up, r.text)
        row = (await session.execute(select(AgendaItem).where(AgendaItem.id == item["id"]))).scalar_one()
        await session.refresh(row)
        assert row.status == "scheduled" and row.outcome is None

    # a staff topic of a community meeting has no compound: it must be named
    m = await api.ok("POST", f"{url}/items", "demo-admin", json={"topics": ["社区食堂试运营"]})
    staff = next(i for i in m["items"] if i["text"] == "社区食堂试运营")
    r = await api.post(
        f"{url}/items/{staff['id']}/outcome", "demo-admin", json={"decision": "adopted", "follow_up": {"kind": "wish"}}
    )
    assert r.status_code == 422 and r.json()["error"] == "compound_required"
    cuihu = (await session.execute(select(Compound.id).where(Compound.name == "翠湖花园"))).scalar_one()
    m = await api.ok(
        "POST",
        f"{url}/items/{staff['id']}/outcome",
        "demo-admin",
        json={"decision": "adopted", "follow_up": {"kind": "issue", "compound_id": cuihu}},
    )
    ref = next(i for i in m["items"] if i["id"] == staff["id"])["follow_up"]["ref_id"]
    assert (await session.get(GridIssue, ref)).compound_id == cuihu

    # not adopted: nothing is made
    [declined] = await _topics(api, meeting, ["取消小区门禁"])
    m = await api.ok(
        "POST",
        f"{url}/items/{declined['id']}/outcome",
        "demo-admin",
        json={"decision": "rejected", "follow_up": {"kind": "wish"}},
    )
    assert "ref_id" not in (next(i for i in m["items"] if i["id"] == declined["id"])["follow_up"] or {})
