"""头雁领航·夺旗摘星: indicators checked (at most 20, known sources, star ≥ target), entered values
approved by the street (only an approved value counts), and the ranking recounted from each
community's values, cross-checked against the overview's figures of that community."""

from __future__ import annotations

from backend.kernel.periods import today_local
from tests.support.api import error
from tests.support.sheets import open_sheet

YEAR = today_local().year


def spec(code, source, target=50, star=80, name="指标") -> dict:
    return {"code": code, "name": name, "source": source, "target": target, "star": star}


async def test_indicators_are_checked(api):
    url = f"/api/v1/indicators/{YEAR}"
    many = {"indicators": [spec(f"i{n}", "visit_coverage") for n in range(21)], "flag_stars": 3}
    error(await api.call("PUT", url, "demo-street", json=many), 422, "invalid_input")
    body = {"indicators": [spec("a", "no_such_figure")], "flag_stars": 1}
    error(await api.call("PUT", url, "demo-street", json=body), 422, "unknown_source")
    body = {"indicators": [spec("a", "visit_coverage", target=90, star=80)], "flag_stars": 1}
    error(await api.call("PUT", url, "demo-street", json=body), 422, "invalid_threshold")
    body = {"indicators": [spec("a", "visit_coverage"), spec("a", "wish_completion")], "flag_stars": 1}
    error(await api.call("PUT", url, "demo-street", json=body), 422, "duplicate_indicator")
    twenty = {"indicators": [spec(f"i{n}", "visit_coverage") for n in range(20)], "flag_stars": 3}
    out = await api.ok("PUT", url, "demo-street", json=twenty)
    assert len(out["indicators"]) == 20 and out["sources"]["entered"] == "社区填报"


async def test_entered_value_counts_once_approved(api, demo_ids):
    ranking = await api.ok("GET", f"/api/v1/competition?year={YEAR}", "demo-street")
    hx = next(c for c in ranking["communities"] if c["community_name"] == "和谐社区")
    md = next(c for c in ranking["communities"] if c["community_name"] == "明德社区")
    brand = next(v for v in hx["indicators"] if v["code"] == "brand")
    assert brand["value"] == 1 and brand["entry"]["status"] == "approved" and brand["star"]
    pending = next(v for v in md["indicators"] if v["code"] == "property")
    assert pending["value"] is None and pending["entry"]["status"] == "pending" and not pending["reached"]

    url = f"/api/v1/indicators/{YEAR}/entries/property"
    body = {"community_id": hx["community_id"], "value": 2, "evidence": "两个小区引入红色物业"}
    entry = await api.ok("PUT", url, "demo-admin", json=body)
    assert entry["status"] == "pending"
    error(
        await api.call("PUT", url, "demo-admin", json={**body, "community_id": md["community_id"]}), 403, "out_of_scope"
    )
    error(
        await api.call("PUT", f"/api/v1/indicators/{YEAR}/entries/visits", "demo-admin", json=body),
        422,
        "not_entered_indicator",
    )
    decide = f"/api/v1/indicator-entries/{entry['id']}/decide"
    error(await api.post(decide, "demo-street", json={"decision": "reject"}), 422, "reason_required")
    rejected = await api.ok("POST", decide, "demo-street", json={"decision": "reject", "reason": "缺少协议复印件"})
    assert rejected["status"] == "rejected" and rejected["reason"] == "缺少协议复印件"
    error(await api.post(decide, "demo-street", json={"decision": "approve"}), 409, "invalid_state")
    again = await api.ok("PUT", url, "demo-admin", json={**body, "evidence": "已补协议复印件"})
    assert again["status"] == "pending" and again["reason"] is None
    await api.ok("POST", decide, "demo-street", json={"decision": "approve"})
    ranking = await api.ok("GET", f"/api/v1/competition?year={YEAR}", "demo-street")
    hx = next(c for c in ranking["communities"] if c["community_name"] == "和谐社区")
    prop = next(v for v in hx["indicators"] if v["code"] == "property")
    assert prop["value"] == 2 and prop["star"] and prop["entry"]["evidence"] == "已补协议复印件"


async def test_ranking_equals_a_recount(api):
    ranking = await api.ok("GET", f"/api/v1/competition?year={YEAR}", "demo-street")
    specs = {s["code"]: s for s in ranking["indicators"]}
    assert len(ranking["communities"]) == 3
    for c in ranking["communities"]:
        overview = await api.ok(
            "GET", f"/api/v1/stats/overview?scope=community:{c['community_id']}&period={YEAR}", "demo-street"
        )
        for v in c["indicators"]:
            s = specs[v["code"]]
            if s["source"] == "entered":
                approved = v["entry"] is not None and v["entry"]["status"] == "approved"
                assert v["value"] == (v["entry"]["value"] if approved else None)
            elif s["source"] in ("proposals_adopted",):
                assert v["value"] == len(v["figure"]["buckets"]["adopted"])
            elif s["source"] == "volunteer_person_times":
                assert v["value"] == sum(len(ids) for ids in v["figure"]["buckets"].values())
            else:
                f = v["figure"]
                assert v["value"] == (round(f["numerator"] / f["denominator"] * 100, 2) if f["denominator"] else None)
            assert v["reached"] == (v["value"] is not None and v["value"] >= s["target"])
            assert v["star"] == (v["value"] is not None and v["value"] >= s["star"])
        visits = next(v for v in c["indicators"] if v["code"] == "visits")["figure"]
        assert (visits["numerator"], visits["denominator"]) == (
            overview["visits"]["numerator"],
            overview["visits"]["denominator"],
        )
        assert c["stars"] == sum(v["star"] for v in c["indicators"])
        assert c["reached"] == sum(v["reached"] for v in c["indicators"])
        assert c["flag"] == (c["stars"] >= ranking["flag_stars"])
    keys = [(-c["stars"], -c["reached"], c["community_id"]) for c in ranking["communities"]]
    assert keys == sorted(keys) and [c["rank"] for c in ranking["communities"]] == [1, 2, 3]
    r = await api.get(f"/api/v1/competition/export?year={YEAR}", "demo-admin")
    assert r.status_code == 200, r.text
    rows = list(open_sheet(r.content).iter_rows(values_only=True))
    assert rows[0][0] == f"幸福街道 头雁领航·夺旗摘星（{YEAR}）"
    assert rows[1][:4] == ("名次", "社区", "指标", "指标值") and rows[1][-2:] == ("摘星数", "夺旗")
    expected = [
        (c["rank"], c["community_name"], v["name"], v["value"]) for c in ranking["communities"] for v in c["indicators"]
    ]
    assert [row[:4] for row in rows[2:]] == expected
    error(await api.get(f"/api/v1/competition?year={YEAR}&period={YEAR - 1}-Q1", "demo-street"), 422, "invalid_period")


FIGURE_OF = {
    "visit_coverage": ("overview", ("visits",)),
    "wish_completion": ("overview", ("wishes", "completion")),
    "wish_satisfaction": ("overview", ("wishes", "satisfaction")),
    "response_rate": ("overview", ("escalation", "response_rate")),
    "disposal_rate": ("overview", ("escalation", "disposal_rate")),
    "satisfaction_rate": ("overview", ("escalation", "satisfaction_rate")),
    "proposals_adopted": ("co-governance", ("adoption_rate",)),
    "projects_on_time": ("projects", ("on_time_rate",)),
    "volunteer_person_times": ("volunteering", ("person_times",)),
}


async def test_grouped_figures_equal_each_communitys_own(api):
    """The competition reads every community's figures in grouped statements; each one equals,
    item for item, the figure the stats endpoints give for that community alone."""
    ranking = await api.ok("GET", f"/api/v1/competition?year={YEAR}", "demo-street")
    specs = {s["code"]: s for s in ranking["indicators"]}
    assert {s["source"] for s in specs.values()} >= set(FIGURE_OF)
    compared = 0
    for c in ranking["communities"]:
        own = {}
        for name in {n for n, _ in FIGURE_OF.values()}:
            path = f"/api/v1/stats/{name}?scope=community:{c['community_id']}&period={YEAR}"
            own[name] = await api.ok("GET", path, "demo-street")
        for v in c["indicators"]:
            source = specs[v["code"]]["source"]
            if source not in FIGURE_OF:
                continue
            name, keys = FIGURE_OF[source]
            expected = own[name]
            for k in keys:
                expected = expected[k]
            assert v["figure"] == expected, (c["community_name"], v["code"])
            compared += 1
    assert compared == len(ranking["communities"]) * len(FIGURE_OF)
