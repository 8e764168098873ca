"""The lists behind the admin pages (miniprogram pages/project/plan, pages/project/reviews): the
compounds' plans of a year with what the caller may do with each, and the community's projects that
can be reviewed with their 年中 / 年底 reviews, filtered by done or not."""

from __future__ import annotations

from tests.support.api import error
from tests.support.projects import create_started, ids, move, project_body

P = "/api/v1/projects"
PLANS = "/api/v1/plans"
REVIEWS = "/api/v1/project-reviews"


def by_compound(page: dict) -> dict[int, dict]:
    return {row["compound_id"]: row for row in page["items"]}


async def test_plans_of_a_year_by_compound_with_each_callers_actions(api, session):
    i = await ids(session)
    year = 2031
    # the dispatcher reaches 锦华苑 only: not started yet, so only editing
    mine = await api.ok("GET", PLANS, "demo-dispatcher", params={"year": year})
    assert list(by_compound(mine)) == [i["c1"]]
    row = by_compound(mine)[i["c1"]]
    assert (row["compound_name"], row["plan_id"], row["status"], row["status_label"]) == (
        "锦华苑",
        None,
        None,
        "尚未编制",
    )
    assert (row["key_count"], row["key_required"], row["actions"]) == (0, 4, ["edited"])
    # a draft with three key projects, then a fourth, submitted
    new = [{"title": f"重点项目{n}", "key": True, "undertaker": "锦华苑党支部"} for n in range(4)]
    new.append({"title": "一般项目", "key": False, "undertaker": "锦华苑党支部"})
    plan = await api.ok("PUT", f"{PLANS}/{i['c1']}/{year}", "demo-dispatcher", json={"new_projects": new[1:]})
    assert plan["actions"] == ["edited", "submitted"]
    row = by_compound(await api.ok("GET", PLANS, "demo-dispatcher", params={"year": year}))[i["c1"]]
    assert (row["status"], row["status_label"], row["key_count"]) == ("draft", "编制中", 3)
    # the community admin sees both compounds of 和谐社区, read-only until one is submitted
    admin = by_compound(await api.ok("GET", PLANS, "demo-admin", params={"year": year}))
    assert set(admin) == {i["c1"], i["c2"]}
    assert admin[i["c1"]]["community_name"] == "和谐社区" and admin[i["c1"]]["actions"] == []
    ids_now = [p["id"] for p in plan["projects"]]
    extra = await api.ok(
        "POST", P, "demo-dispatcher", status=201, json=project_body(i["c1"], year=year, title="第四项")
    )
    await api.ok("PUT", f"{PLANS}/{i['c1']}/{year}", "demo-dispatcher", json={"project_ids": [*ids_now, extra["id"]]})
    submitted = await api.ok("POST", f"{PLANS}/{i['c1']}/{year}/submit", "demo-dispatcher")
    assert submitted["actions"] == []  # the branch waits
    assert (await api.ok("GET", f"{PLANS}/{i['c1']}/{year}", "demo-admin"))["actions"] == ["approved", "returned"]
    admin = by_compound(await api.ok("GET", PLANS, "demo-admin", params={"year": year}))
    assert (admin[i["c1"]]["status"], admin[i["c1"]]["key_count"]) == ("submitted", 4)
    assert admin[i["c1"]]["actions"] == ["approved", "returned"]
    back = await api.ok(
        "POST", f"{PLANS}/{i['c1']}/{year}/decide", "demo-admin", json={"decision": "return", "reason": "请补充预算"}
    )
    assert back["actions"] == []
    row = by_compound(await api.ok("GET", PLANS, "demo-dispatcher", params={"year": year}))[i["c1"]]
    assert (row["status"], row["reason"], row["actions"]) == ("returned", "请补充预算", ["edited", "submitted"])
    # the street admin reaches every compound; keyset pages by compound
    first = await api.ok("GET", PLANS, "demo-street", params={"year": year, "limit": 1})
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = await api.ok(
        "GET", PLANS, "demo-street", params={"year": year, "limit": 1, "cursor": first["next_cursor"]}
    )
    assert second["items"][0]["compound_id"] > first["items"][0]["compound_id"]
    assert first["items"][0]["actions"] == []
    error(await api.call("GET", PLANS, "demo-resident", params={"year": year}), 403, "role_required")
    error(await api.call("GET", PLANS, "demo-admin", params={"year": 1999}), 422)


async def test_reviews_list_the_started_projects_with_their_reviews_and_filter_by_kind(api, session):
    i = await ids(session)
    year = 2032
    a = await create_started(api, i["c1"], year=year, title="甲项目")
    body = project_body(i["c2"], year=year, title="乙项目", undertaker="翠湖花园党支部")
    b = await api.ok("POST", P, "demo-admin", status=201, json=body)  # the community, for 翠湖花园
    for event in ("approved", "started"):
        await move(api, b["id"], "demo-admin", event)
    await api.ok("POST", P, "demo-dispatcher", status=201, json=project_body(i["c1"], year=year, title="未开工"))
    other = await create_started(api, i["c1"], year=year + 1, title="明年项目")
    q = {"year": year, "kind": "midyear"}
    rows = (await api.ok("GET", REVIEWS, "demo-admin", params=q))["items"]
    assert [r["project"]["id"] for r in rows] == [b["id"], a["id"]]  # newest first; the planned one is not listed
    assert [r["place_name"] for r in rows] == ["翠湖花园", "锦华苑"]
    assert all(r["reviews"] == [] for r in rows)
    await api.ok(
        "POST",
        f"{P}/{a['id']}/reviews",
        "demo-admin",
        status=201,
        json={"kind": "midyear", "score": 88, "note": "按期"},
    )
    done = (await api.ok("GET", REVIEWS, "demo-admin", params=q | {"reviewed": "true"}))["items"]
    assert [r["project"]["id"] for r in done] == [a["id"]]
    assert [(x["kind"], x["kind_label"], x["score"], x["note"]) for x in done[0]["reviews"]] == [
        ("midyear", "年中观摩评估", 88, "按期")
    ]
    todo = (await api.ok("GET", REVIEWS, "demo-admin", params=q | {"reviewed": "false"}))["items"]
    assert [r["project"]["id"] for r in todo] == [b["id"]]
    # 年底: neither is reviewed yet, and the row still shows the 年中 review
    yearend = {"year": year, "kind": "yearend", "reviewed": "false"}
    todo = (await api.ok("GET", REVIEWS, "demo-admin", params=yearend))["items"]
    assert [r["project"]["id"] for r in todo] == [b["id"], a["id"]]
    assert [x["kind"] for x in todo[1]["reviews"]] == ["midyear"]
    # pages, the other year apart, the community filter checked against the caller's grants
    first = await api.ok("GET", REVIEWS, "demo-admin", params=q | {"limit": 1})
    rest = await api.ok("GET", REVIEWS, "demo-admin", params=q | {"limit": 1, "cursor": first["next_cursor"]})
    assert [r["project"]["id"] for r in first["items"] + rest["items"]] == [b["id"], a["id"]]
    later = (await api.ok("GET", REVIEWS, "demo-admin", params={"year": year + 1, "kind": "midyear"}))["items"]
    assert other["id"] in [r["project"]["id"] for r in later]
    own = await api.ok("GET", REVIEWS, "demo-admin", params=q | {"community_id": i["community_c1"]})
    assert len(own["items"]) == 2
    error(await api.call("GET", REVIEWS, "demo-admin", params=q | {"community_id": 999_999}), 403, "out_of_scope")
    error(await api.call("GET", REVIEWS, "demo-admin", params={"year": year}), 422)  # kind is required
    error(await api.call("GET", REVIEWS, "demo-dispatcher", params=q), 403, "role_required")
