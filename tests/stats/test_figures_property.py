"""Property: for random escalation histories, the three rates the API returns equal a recount from
the event log, figure by figure and bucket by bucket.

Each example raises 1–4 issues in 和谐社区's first grid and puts them through the real services at
generated moments around the month boundary of 2025-12-01 00:00 Asia/Shanghai (whistles Saturday
noon to Tuesday noon, so in and out of working hours and on both sides of the boundary):
responses on time and late, returns and re-whistles (to the same department or another), resolutions,
reopens, ratings, and auto-confirmation by the sweep. The recount reads only the issue events and
computes the deadlines itself from the working calendar and the settings. It is compared with
/stats/escalation for the department's scope (exactly) and the community's (restricted to the
example's issues, as the demo's own issues live there too), for both months.

One example runs inside a savepoint that is rolled back, so examples never see each other.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.issues import service
from backend.issues import sweep as issue_sweep
from backend.issues.models import GridIssue, IssueEvent
from backend.issues.state import ISSUE
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.periods import parse_period
from backend.org.models import Department, Grid
from backend.workcal import service as workcal
from tests.stats.shape import check_all
from tests.support.clock import set_now

BOUNDARY = datetime(2025, 12, 1, tzinfo=SHANGHAI)
PERIODS = ("2025-11", "2025-12")
ACTIONS = (
    "respond",
    "resolve",
    "return",
    "rewhistle_same",
    "rewhistle_other",
    "reopen",
    "confirm_yes",
    "confirm_no",
    "auto_confirm",
)
DELAYS = (5, 20, 45, 90, 150, 300, 60 * 20, 60 * 26, 60 * 24 * 3, 60 * 24 * 9)  # minutes
ANSWERS = ("responded", "returned", "resolved")

step = st.tuples(st.sampled_from(ACTIONS), st.sampled_from(DELAYS))
plan = st.fixed_dictionaries(
    {
        "start": st.integers(-36 * 60, 36 * 60),  # minutes from the boundary
        "urgency": st.sampled_from(("normal", "urgent")),
        "steps": st.lists(step, max_size=6),
    }
)
histories = st.fixed_dictionaries(
    {"issues": st.lists(plan, min_size=1, max_size=4), "later": st.sampled_from((0, 60, 60 * 24 * 2, 60 * 24 * 20))}
)


def move_to(moment: datetime) -> None:
    local = moment.astimezone(SHANGHAI)
    set_now(local.year, local.month, local.day, local.hour, local.minute)


async def play(session, app_settings, ids, depts, p) -> tuple[int, datetime]:
    """Put one issue through its plan; returns its id and the moment of its last step."""
    at = (BOUNDARY + timedelta(minutes=p["start"])).replace(second=0, microsecond=0)
    move_to(at)
    worker, staff = ids["demo-gridworker"], ids["demo-department"]
    issue = await service.raise_issue(
        session,
        actor_id=worker,
        grid_ids={ids["grid_g1"]},
        grid_id=None,
        compound_id=None,
        household_id=ids["house_g1"],
        category="other",
        description="生成的事件",
        location="",
        photos=[],
        urgency=p["urgency"],
    )
    await service.whistle(session, app_settings, issue, actor_id=worker, department_id=depts[0])
    for action, delay in p["steps"]:
        at += timedelta(minutes=delay)
        move_to(at)
        s = issue.status
        if action == "respond" and ISSUE.can(s, "responded"):
            await service.respond(session, issue, actor_id=staff, note="收到")
        elif action == "resolve" and ISSUE.can(s, "resolved"):
            await service.resolve(session, issue, actor_id=staff, note="已办结", photos=[])
        elif action == "return" and ISSUE.can(s, "returned"):
            await service.hand_back(session, issue, actor_id=staff, reason="不属本部门职责")
        elif action.startswith("rewhistle") and ISSUE.can(s, "whistled"):
            dept = depts[0] if action == "rewhistle_same" else depts[1]
            await service.whistle(session, app_settings, issue, actor_id=worker, department_id=dept)
        elif action == "reopen" and ISSUE.can(s, "reopened"):
            await service.reopen(session, app_settings, issue, actor_id=worker, reason="问题仍在")
        elif action.startswith("confirm") and ISSUE.can(s, "confirmed"):
            await service.confirm(session, issue, actor_id=worker, satisfied=action == "confirm_yes", comment=None)
        elif action == "auto_confirm" and ISSUE.can(s, "auto_confirmed"):
            at += timedelta(days=app_settings.issue_confirm_ttl_days + 1)
            move_to(at)
            await issue_sweep.sweep(session, app_settings)
    return issue.id, at


def _segments(events: list[IssueEvent]) -> list[dict]:
    """The event log cut at every whistle and reopen: one segment per assignment."""
    out: list[dict] = []
    for e in events:
        if e.type in ("whistled", "reopened"):
            out.append({"kind": e.type, "dept": e.department_id, "start": e.at, "events": []})
        elif out:
            out[-1]["events"].append(e)
    return out


class Recount:
    """The three rates from the event log, the deadlines computed here from the calendar."""

    def __init__(self, cal, app_settings, urgency: dict[int, str], satisfied: dict[int, bool | None]):
        self.cal, self.s, self.urgency, self.satisfied = cal, app_settings, urgency, satisfied

    def due(self, seg: dict, issue_id: int) -> tuple[datetime, datetime]:
        start = seg["start"].replace(second=0, microsecond=0)
        urgent = self.urgency[issue_id] == "urgent"
        response = self.s.issue_response_minutes_urgent if urgent else self.s.issue_response_minutes_normal
        disposal = self.s.issue_disposal_working_days * self.cal.day_minutes
        return self.cal.add_working(start, response), self.cal.add_working(start, disposal)

    def first(self, seg: dict, *types: str) -> datetime | None:
        return next((e.at for e in seg["events"] if e.type in types), None)

    def one(self, issue_id: int, scoped: list[dict], now: datetime) -> tuple[str, str, str | None]:
        call, last = scoped[0], scoped[-1]
        response_due, _ = self.due(call, issue_id)
        answered = self.first(call, *ANSWERS)
        if answered is not None:
            response = "on_time" if answered <= response_due else "late"
        else:
            response = "unanswered" if now > response_due else "pending"
        _, disposal_due = self.due(last, issue_id)
        resolved = self.first(last, "resolved")
        if any(s["kind"] == "reopened" for s in scoped):
            disposal = "reopened"
        elif self.first(last, "returned") is not None:
            disposal = "returned"
        elif resolved is not None:
            disposal = "on_time" if resolved <= disposal_due else "late"
        else:
            disposal = "unresolved" if now > disposal_due else "pending"
        if self.first(last, "confirmed") is not None:
            rating = "satisfied" if self.satisfied[issue_id] else "unsatisfied"
        elif self.first(last, "auto_confirmed") is not None:
            rating = "auto_confirmed"
        elif resolved is not None:
            rating = "awaiting_rating"
        else:
            rating = None
        return response, disposal, rating

    def rates(self, log: dict[int, list[IssueEvent]], in_scope, period, now: datetime) -> dict:
        out = {"response_rate": defaultdict(list), "disposal_rate": defaultdict(list), "rating": defaultdict(list)}
        for issue_id, events in log.items():
            scoped = [s for s in _segments(events) if in_scope(s["dept"])]
            if not scoped or not period.contains(scoped[0]["start"]):
                continue
            response, disposal, rating = self.one(issue_id, scoped, now)
            out["response_rate"][response].append(issue_id)
            out["disposal_rate"][disposal].append(issue_id)
            if rating is not None:
                out["rating"][rating].append(issue_id)
        return out


def nonempty(buckets: dict, mine: set[int] | None = None) -> dict:
    return {
        k: sorted(v) for k, v in ((k, [i for i in v if mine is None or i in mine]) for k, v in buckets.items()) if v
    }


def assert_same(api_stats: dict, recounted: dict, mine: set[int] | None = None) -> None:
    assert check_all(api_stats) >= 3
    for key in ("response_rate", "disposal_rate"):
        assert nonempty(api_stats[key]["buckets"], mine) == nonempty(recounted[key]), key
    sat = api_stats["satisfaction_rate"]
    expected = nonempty(recounted["rating"])
    assert nonempty({**sat["buckets"], **sat["excluded"]}, mine) == expected
    if mine is None:
        assert api_stats["whistled"] == sum(len(v) for v in recounted["response_rate"].values())


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(history=histories)
async def test_rates_equal_a_recount_of_the_event_log(api, app, session, demo_ids, history):  # noqa: F811
    app_settings = app.state.settings
    community = (await session.execute(select(Grid.community_id).where(Grid.id == demo_ids["grid_g1"]))).scalar_one()
    await api.headers("demo-street")  # log in once, outside the savepoint
    savepoint = await session.begin_nested()
    try:
        depts = [Department(street_id=1, name="生成科甲"), Department(street_id=1, name="生成科乙")]
        session.add_all(depts)
        await session.flush()
        dept_ids = [d.id for d in depts]
        played = [await play(session, app_settings, demo_ids, dept_ids, p) for p in history["issues"]]
        mine = {i for i, _ in played}
        move_to(max(at for _, at in played) + timedelta(minutes=history["later"]))
        await session.flush()
        now = utcnow()
        events = (await session.execute(select(IssueEvent).where(IssueEvent.issue_id.in_(mine)))).scalars().all()
        log: dict[int, list[IssueEvent]] = defaultdict(list)
        for e in sorted(events, key=lambda e: e.id):
            log[e.issue_id].append(e)
        rows = (await session.execute(select(GridIssue).where(GridIssue.id.in_(mine)))).scalars().all()
        start = BOUNDARY - timedelta(days=3)
        recount = Recount(
            await workcal.load_calendar(session, app_settings, start, days=(now - start).days + 120),
            app_settings,
            {r.id: r.urgency for r in rows},
            {r.id: r.satisfied for r in rows},
        )
        for label in PERIODS:
            period = parse_period(label)
            dept = await api.ok(
                "GET", f"/api/v1/stats/escalation?scope=department:{dept_ids[0]}&period={label}", "demo-street"
            )
            expected = recount.rates(log, lambda d: d == dept_ids[0], period, now)
            for figure, buckets in expected.items():
                for name in buckets:
                    event(f"{figure}: {name}")  # --hypothesis-show-statistics: every bucket is reached
            assert_same(dept, expected)
            whole = await api.ok(
                "GET", f"/api/v1/stats/escalation?scope=community:{community}&period={label}", "demo-street"
            )
            assert_same(whole, recount.rates(log, lambda d: True, period, now), mine)
    finally:
        await savepoint.rollback()
