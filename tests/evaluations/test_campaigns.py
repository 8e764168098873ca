"""Campaigns: the lifecycle (draft → open → closed, cancelled from draft), raters only, one ballot
per household (and per compound, per community and department), the window, results with the
response rate's rater units."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend.directory.models import User
from backend.evaluations.models import EvaluationBallot
from backend.kernel.clock import clock
from backend.org.models import Compound, Department
from tests.support.api import error

QUESTIONS = [
    {"code": "service", "text": "服务群众", "kind": "score_1_5"},
    {"code": "order", "text": "环境秩序", "kind": "score_1_5"},
    {"code": "advice", "text": "意见建议", "kind": "comment"},
]


async def new_campaign(api, level="residents_rate_compound", open_it=True, **overrides) -> dict:
    now = clock.now()
    body = {
        "level": level,
        "title": "测试测评",
        "period": "2026-Q4",
        "questions": QUESTIONS,
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=7)).isoformat(),
        **overrides,
    }
    campaign = await api.ok("POST", "/api/v1/evaluations/campaigns", "demo-street", status=201, json=body)
    assert campaign["status"] == "draft" and campaign["status_label"] == "草稿"
    if open_it:
        url = f"/api/v1/evaluations/campaigns/{campaign['id']}/transitions"
        campaign = await api.ok("POST", url, "demo-street", json={"event": "opened"})
    return campaign


async def compound_id(session, name="锦华苑") -> int:
    return (await session.execute(select(Compound.id).where(Compound.name == name))).scalar_one()


async def test_lifecycle_and_refusals(api, session):
    c = await new_campaign(api, open_it=False)
    url = f"/api/v1/evaluations/campaigns/{c['id']}/transitions"
    error(await api.post(url, "demo-street", json={"event": "closed"}), 409, "invalid_state")
    cid = await compound_id(session)
    ballot = {"target_id": cid, "answers": {"service": 5, "order": 4}}
    r = await api.post(f"/api/v1/evaluations/campaigns/{c['id']}/ballots", "demo-resident", json=ballot)
    assert error(r, 409, "campaign_not_open")["detail"] == "测评当前状态为「草稿」，不能投票"
    assert (await api.ok("POST", url, "demo-street", json={"event": "opened"}))["status"] == "open"
    assert (await api.ok("POST", url, "demo-street", json={"event": "closed"}))["status"] == "closed"
    error(await api.post(url, "demo-street", json={"event": "opened"}), 409, "invalid_state")
    r = await api.post(f"/api/v1/evaluations/campaigns/{c['id']}/ballots", "demo-resident", json=ballot)
    error(r, 409, "campaign_not_open")
    draft = await new_campaign(api, open_it=False)
    url = f"/api/v1/evaluations/campaigns/{draft['id']}/transitions"
    assert (await api.ok("POST", url, "demo-street", json={"event": "cancelled"}))["status"] == "cancelled"
    error(await api.post(url, "demo-admin", json={"event": "opened"}), 403, "role_required")


async def test_create_is_checked(api):
    now = clock.now()
    bad_window = {"opens_at": now.isoformat(), "closes_at": (now - timedelta(days=1)).isoformat()}
    r = await api.post(
        "/api/v1/evaluations/campaigns",
        "demo-street",
        json={
            "level": "residents_rate_compound",
            "title": "x",
            "period": "2026-Q4",
            "questions": QUESTIONS,
            **bad_window,
        },
    )
    error(r, 422, "invalid_window")
    body = {
        "level": "residents_rate_compound",
        "title": "x",
        "period": "2026-Q9",
        "questions": QUESTIONS,
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
    }
    error(await api.post("/api/v1/evaluations/campaigns", "demo-street", json=body), 422, "invalid_period")
    body |= {"period": "2026-Q4", "questions": [{"code": "advice", "text": "意见", "kind": "comment"}]}
    error(await api.post("/api/v1/evaluations/campaigns", "demo-street", json=body), 422, "no_score_question")
    error(await api.post("/api/v1/evaluations/campaigns", "demo-admin", json=body), 403, "role_required")


async def test_one_ballot_per_household(api, session):
    c = await new_campaign(api)
    cid = await compound_id(session)
    resident = (await session.execute(select(User).where(User.openid == "fake-openid-demo-resident"))).scalar_one()
    # a second verified account of the same household (the resident's spouse)
    session.add(
        User(openid="fake-openid-spouse-wang", name="王建", compound_id=cid, household_id=resident.household_id)
    )
    await session.flush()
    url = f"/api/v1/evaluations/campaigns/{c['id']}/ballots"
    ballot = {"target_id": cid, "answers": {"service": 5, "order": 4, "advice": "很好"}}
    first = await api.ok("POST", url, "demo-resident", status=201, json=ballot)
    assert first["rater"] == f"household:{resident.household_id}"
    body = error(await api.post(url, "spouse-wang", json=ballot), 409, "already_voted")
    assert body["detail"] == "您家已参加本次测评，每户只能投一票"
    error(await api.post(url, "demo-resident", json=ballot), 409, "already_voted")
    # another household of the compound votes; a household of another compound cannot rate 锦华苑
    await api.ok("POST", url, "demo-member", status=201, json=ballot)
    other = await compound_id(session, "阳光小区")
    error(await api.post(url, "demo-resident", json={**ballot, "target_id": other}), 403, "not_a_rater")
    # answers are checked against the questions
    error(
        await api.post(url, "demo-member2", json={"target_id": cid, "answers": {"service": 6}}), 422, "invalid_answer"
    )
    error(
        await api.post(url, "demo-member2", json={"target_id": cid, "answers": {"service": 5, "order": 5, "x": 1}}),
        422,
        "unknown_question",
    )


async def test_ballots_listed_until_cast_and_window(api, session):
    c = await new_campaign(api)
    cid = await compound_id(session)
    mine = [
        b for b in await api.ok("GET", "/api/v1/evaluations/ballots", "demo-member3") if b["campaign_id"] == c["id"]
    ]
    assert [(b["target_id"], b["target_name"]) for b in mine] == [(cid, "锦华苑")]
    url = f"/api/v1/evaluations/campaigns/{c['id']}/ballots"
    await api.ok(
        "POST", url, "demo-member3", status=201, json={"target_id": cid, "answers": {"service": 3, "order": 3}}
    )
    mine = [
        b for b in await api.ok("GET", "/api/v1/evaluations/ballots", "demo-member3") if b["campaign_id"] == c["id"]
    ]
    assert mine == []
    clock.advance(timedelta(days=8))  # past the window
    r = await api.post(url, "demo-resident2", json={"target_id": cid, "answers": {"service": 3, "order": 3}})
    error(r, 409, "campaign_not_open")


async def test_branch_and_community_secretaries_rate_their_level(api, session, demo_ids):
    compounds = await new_campaign(api, level="compounds_rate_community")
    c1 = (await session.execute(select(Compound).where(Compound.name == "锦华苑"))).scalar_one()
    url = f"/api/v1/evaluations/campaigns/{compounds['id']}/ballots"
    ballot = {"target_id": c1.community_id, "answers": {"service": 4, "order": 4}}
    error(await api.post(url, "demo-resident", json=ballot), 403, "not_a_rater")
    assert (await api.ok("POST", url, "demo-dispatcher", status=201, json=ballot))["rater"] == f"compound:{c1.id}"
    error(await api.post(url, "demo-dispatcher", json=ballot), 409, "already_voted")
    departments = await new_campaign(api, level="communities_rate_department")
    dept = (await session.execute(select(Department.id).order_by(Department.id))).scalars().all()
    url = f"/api/v1/evaluations/campaigns/{departments['id']}/ballots"
    for d in dept[:2]:
        await api.ok(
            "POST", url, "demo-admin", status=201, json={"target_id": d, "answers": {"service": 5, "order": 3}}
        )
    error(
        await api.post(url, "demo-dispatcher", json={"target_id": dept[0], "answers": {"service": 5, "order": 3}}),
        403,
        "not_a_rater",
    )
    results = await api.ok("GET", f"/api/v1/evaluations/campaigns/{departments['id']}/results", "demo-street")
    first = next(t for t in results["targets"] if t["target_id"] == dept[0])
    assert first["ballots"] == 1 and first["mean"] == 4.0
    assert [q["mean"] for q in first["questions"]] == [5.0, 3.0]
    rate = first["response_rate"]
    assert c1.community_id in rate["buckets"]["voted"] and rate["numerator"] == 1
    assert rate["denominator"] == len(rate["buckets"]["voted"]) + len(rate["buckets"]["not_voted"])


async def test_results_recount_from_ballots(api, session):
    c = await new_campaign(api)
    cid = await compound_id(session)
    url = f"/api/v1/evaluations/campaigns/{c['id']}/ballots"
    for who, (a, b) in (("demo-resident", (5, 4)), ("demo-member", (3, 2)), ("demo-member2", (4, 4))):
        await api.ok("POST", url, who, status=201, json={"target_id": cid, "answers": {"service": a, "order": b}})
    results = await api.ok("GET", f"/api/v1/evaluations/campaigns/{c['id']}/results", "demo-street")
    target = next(t for t in results["targets"] if t["target_id"] == cid)
    rows = (
        (await session.execute(select(EvaluationBallot).where(EvaluationBallot.id.in_(target["ballot_ids"]))))
        .scalars()
        .all()
    )
    assert len(rows) == 3 and {r.campaign_id for r in rows} == {c["id"]}
    service = [r.answers["service"] for r in rows]
    assert target["questions"][0]["mean"] == round(sum(service) / 3, 2)
    all_scores = [r.answers[k] for r in rows for k in ("service", "order")]
    assert target["mean"] == round(sum(all_scores) / len(all_scores), 2)
    verified = set(
        (
            await session.execute(
                select(User.household_id).where(User.compound_id == cid, User.household_id.is_not(None))
            )
        ).scalars()
    )
    rate = target["response_rate"]
    assert {int(r.rater_key.split(":")[1]) for r in rows} == set(rate["buckets"]["voted"])
    assert set(rate["buckets"]["voted"]) | set(rate["buckets"]["not_voted"]) == verified
    assert rate["numerator"] == 3 and rate["denominator"] == len(verified)
    error(await api.get(f"/api/v1/evaluations/campaigns/{c['id']}/results", "demo-admin"), 403, "role_required")
