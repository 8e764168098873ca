"""Over the demo, as `make run` shows it: for every figure the API returns, the buckets partition
the denominator and the numerator is the size of its buckets; the escalation figures count issues
(each issue once, whatever its reopens and re-whistles)."""

from __future__ import annotations

from sqlalchemy import select

from backend.issues.models import IssueAssignment
from backend.kernel.periods import current
from backend.org.models import Community
from tests.stats.shape import check_all, figures_in

PERIODS = [current("month"), current("quarter"), current("year")]


async def test_every_figure_of_the_demo_adds_up(api, session):
    communities = list((await session.execute(select(Community.id).where(Community.street_id == 1))).scalars())
    checked = 0
    for period in PERIODS:
        for path in (
            f"/api/v1/stats/escalation?scope=street:1&period={period}",
            f"/api/v1/stats/overview?scope=street:1&period={period}",
            *(f"/api/v1/stats/overview?scope=community:{c}&period={period}" for c in communities),
            *(f"/api/v1/stats/escalation?scope=community:{c}&period={period}" for c in communities),
        ):
            checked += check_all(await api.ok("GET", path, "demo-street"))
    assert checked >= 100  # every figure of every response was looked at


async def test_escalation_counts_issues_not_calls(api, session):
    year = current("year")
    stats = await api.ok("GET", f"/api/v1/stats/escalation?scope=street:1&period={year}", "demo-street")
    called = set((await session.execute(select(IssueAssignment.issue_id))).scalars())
    response = stats["response_rate"]
    ids = [i for v in response["buckets"].values() for i in v]
    assert sorted(ids) == sorted(set(ids)) and set(ids) <= called
    assert stats["whistled"] == response["denominator"] == stats["disposal_rate"]["denominator"]
    reopened = set(stats["disposal_rate"]["buckets"]["reopened"])
    assert reopened, "the demo has a reopened issue"
    assert not reopened & set(stats["disposal_rate"]["buckets"]["on_time"])
    # the figures per department add up too, and the overview shows the same three rates
    for _, f in figures_in(stats["by_department"]):
        assert f["denominator"] <= stats["whistled"]
    overview = await api.ok("GET", f"/api/v1/stats/overview?scope=street:1&period={year}", "demo-street")
    for key in ("response_rate", "disposal_rate", "satisfaction_rate"):
        assert overview["escalation"][key]["buckets"] == stats[key]["buckets"]


async def test_visit_coverage_figures_add_up(api):
    """/visits/coverage answers in the same shape, and its figures are its own totals."""
    for period in (current("month"),):
        body = await api.ok("GET", f"/api/v1/visits/coverage?period={period}", "demo-admin")
        assert check_all(body) == 2
        total, f = body["total"], body["figures"]
        assert f["visited"]["denominator"] == total["households"] > 0
        assert f["visited"]["numerator"] == total["visited"]
        assert len(f["within_cycle"]["buckets"]["overdue"]) == total["overdue"]
