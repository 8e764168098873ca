"""No N+1: the department assessment runs the same number of SQL statements for six departments as
for twelve (every part reads all departments at once); so do a campaign's results."""

from __future__ import annotations

from sqlalchemy import event, select

from backend.kernel.periods import today_local
from backend.org.models import Community, Compound, Department


async def _statements(api, engine, path: str) -> int:
    await api.headers("demo-street")  # log in outside the count
    hits = []

    def hit(*args):
        hits.append(1)

    event.listen(engine.sync_engine, "before_cursor_execute", hit)
    try:
        r = await api.get(path, "demo-street")
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", hit)
    assert r.status_code == 200, r.text
    return len(hits)


async def test_assessment_statements_do_not_grow_with_departments(api, db, session):
    _, engine = db
    path = f"/api/v1/assessments/departments?year={today_local().year}"
    six = await _statements(api, engine, path)
    street_id = (await session.execute(select(Department.street_id).limit(1))).scalar_one()
    session.add_all(Department(street_id=street_id, name=f"新增部门{i}") for i in range(6))
    await session.flush()
    twelve = await _statements(api, engine, path)
    result = await api.ok("GET", path, "demo-street")
    assert len(result["departments"]) == 12
    assert twelve == six, f"{six} statements for 6 departments, {twelve} for 12"


async def test_results_statements_do_not_grow_with_targets(api, db, session):
    _, engine = db
    campaigns = await api.ok("GET", "/api/v1/evaluations/campaigns", "demo-street")
    department_level = next(c for c in campaigns["items"] if c["level"] == "communities_rate_department")
    path = f"/api/v1/evaluations/campaigns/{department_level['id']}/results"
    before = await _statements(api, engine, path)
    street_id = (await session.execute(select(Department.street_id).limit(1))).scalar_one()
    session.add_all(Department(street_id=street_id, name=f"新增部门{i}") for i in range(6))
    await session.flush()
    after = await _statements(api, engine, path)
    assert len((await api.ok("GET", path, "demo-street"))["targets"]) == 12
    assert after == before


async def test_competition_statements_do_not_grow_with_communities(api, db, session):
    """夺旗摘星 reads every community's figures in grouped statements: three more communities (with a
    compound each) cost no statement more."""
    _, engine = db
    path = f"/api/v1/competition?year={today_local().year}"
    three = await _statements(api, engine, path)
    street_id = (await session.execute(select(Department.street_id).limit(1))).scalar_one()
    for i in range(3):
        community = Community(street_id=street_id, name=f"新增社区{i}")
        session.add(community)
        await session.flush()
        session.add(Compound(community_id=community.id, name=f"新增小区{i}"))
    await session.flush()
    six = await _statements(api, engine, path)
    assert len((await api.ok("GET", path, "demo-street"))["communities"]) == 6
    assert six == three, f"{three} statements for 3 communities, {six} for 6"
    assert three <= 20, f"{three} statements"
