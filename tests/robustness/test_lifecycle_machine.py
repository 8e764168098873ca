"""A hypothesis state machine over the wish lifecycle: random actions by random demo users against
a live server, checked against a model of the rules. Invariants after every step: the API agrees
with the model, status equals the last event's to_status, at most one live order per wish, and the
per-status counts of the residents' lists add up to the model's, and the members' running totals
(candidate ranking) equal a recount of the order history."""

from __future__ import annotations

import asyncio
import os
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import text

from backend.kernel.db import create_engine
from backend.people.models import MEMBER_TOTALS_SQL

REQUESTERS = ["demo-resident", "demo-resident2"]
MEMBERS = ["demo-member", "demo-member2"]
DISPATCHER = "demo-dispatcher"
LIVE_STATUSES = {"dispatched", "accepted"}
STEPS = int(os.environ.get("HH_MACHINE_STEPS", "25"))
EXAMPLES = int(os.environ.get("HH_MACHINE_EXAMPLES", "10"))


async def member_totals(url: str) -> tuple[list, list]:
    """Members' running totals as kept, and as MEMBER_TOTALS_SQL recounts them (rolled back)."""
    read = text(
        "SELECT user_id, offers_total, offers_taken_total, rating_sum, rating_count FROM memberprofile ORDER BY user_id"
    )
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            kept = [tuple(r) for r in (await conn.execute(read)).all()]
            await conn.execute(text(MEMBER_TOTALS_SQL))  # same transaction as the read, rolled back
            recounted = [tuple(r) for r in (await conn.execute(read)).all()]
            await conn.rollback()
    finally:
        await engine.dispose()
    return kept, recounted


class WishLifecycle(RuleBasedStateMachine):
    live = None  # set by the test
    created: dict[int, str] = {}  # every wish made, across runs: id -> requester

    def __init__(self):
        super().__init__()
        self.model: dict[int, dict] = {}
        self.last: int | None = None

    # --- helpers ---------------------------------------------------------------------------
    def call(self, method: str, path: str, who: str, **kw):
        r = self.live.http.request(method, path, headers=self.live.headers(who), **kw)
        assert r.status_code < 500, f"{method} {path} as {who}: {r.status_code} {r.text}"
        if r.status_code >= 400:
            body = r.json()
            assert set(body) >= {"error", "detail"} and body["detail"], body
        return r

    def ids(self) -> dict[str, int]:
        if not hasattr(type(self), "_ids"):
            type(self)._ids = {who: self.call("GET", "/api/v1/me", who).json()["id"] for who in REQUESTERS + MEMBERS}
        return type(self)._ids

    def open_orders(self, member: str) -> int:
        return self.base_open[member] + sum(
            1 for w in self.model.values() if w["holder"] == member and w["status"] in LIVE_STATUSES
        )

    def order_id(self, wish_id: int) -> int | None:
        order = self.call("GET", f"/api/v1/wishes/{wish_id}", DISPATCHER).json()["order"]
        return order["id"] if order else None

    def pick(self, data, *statuses: str) -> int:
        """Mostly a wish in a state where the action can apply (so that runs reach deep states),
        sometimes any wish (so that refusals are exercised too)."""
        pool = [w for w, m in self.model.items() if m["status"] in statuses]
        if not pool or data.draw(st.integers(0, 3), label="any wish") == 0:
            pool = list(self.model)
        return data.draw(st.sampled_from(sorted(pool)), label="wish")

    def expect(self, r, ok: bool, *codes: int) -> bool:
        if ok:
            assert 200 <= r.status_code < 300, r.text
        else:
            assert r.status_code in codes, f"expected {codes}, got {r.status_code} {r.text}"
        return ok

    # --- rules -----------------------------------------------------------------------------
    @initialize()
    def seed(self):
        """Each run starts from wishes in deep states too, so that short runs exercise them."""
        # release what earlier runs left holding members' capacity
        for wid, who in list(type(self).created.items()):
            self.call("POST", f"/api/v1/wishes/{wid}/cancel", who, json={"reason": "清理"})
            del type(self).created[wid]
        self.base_open = {}
        for member in MEMBERS:
            page = self.call("GET", "/api/v1/orders?mine=true&status=offered,accepted&limit=100", member).json()
            self.base_open[member] = len(page["items"])
        plan = [
            ("demo-resident", []),
            ("demo-resident2", ["approve"]),
            ("demo-resident", ["approve", "claim"]),
            ("demo-resident2", ["approve", "claim", "complete"]),
            ("demo-resident", ["approve", "dispatch"]),
        ]
        for who, steps in plan:
            wid = self.call("POST", "/api/v1/wishes", who, json={"title": "预置心愿", "category": "other"}).json()["id"]
            self.model[wid] = {"status": "pending_review", "holder": None, "requester": who}
            type(self).created[wid] = who
            member = MEMBERS[wid % 2]
            for step in steps:
                if step == "claim" and self.open_orders(member) >= 3:
                    break
                if step == "approve":
                    r = self.call("POST", f"/api/v1/wishes/{wid}/review", DISPATCHER, json={"decision": "approve"})
                    self.model[wid]["status"] = "open"
                elif step == "claim":
                    r = self.call("POST", f"/api/v1/wishes/{wid}/claim", member)
                    self.model[wid].update(status="accepted", holder=member)
                elif step == "dispatch":
                    body = {"member_id": self.ids()[member]}
                    r = self.call("POST", f"/api/v1/wishes/{wid}/dispatch", DISPATCHER, json=body)
                    self.model[wid].update(status="dispatched", holder=member)
                else:
                    r = self.call("POST", f"/api/v1/wishes/{wid}/complete", member, json={"note": "完成"})
                    self.model[wid]["status"] = "completed"
                assert r.status_code == 200, r.text

    @rule(who=st.sampled_from(REQUESTERS), category=st.sampled_from(["repair", "goods", "other"]))
    def create(self, who, category):
        r = self.call("POST", "/api/v1/wishes", who, json={"title": "状态机心愿", "category": category})
        assert r.status_code == 201, r.text
        wid = r.json()["id"]
        self.model[wid] = {"status": "pending_review", "holder": None, "requester": who}
        type(self).created[wid] = who
        self.last = wid

    @precondition(lambda self: self.model)
    @rule(data=st.data(), approve=st.sampled_from([True, True, True, False]))
    def review(self, data, approve):
        wish = self.pick(data, "pending_review")
        m = self.model[wish]
        body = {"decision": "approve"} if approve else {"decision": "reject", "reason": "不符合条件"}
        r = self.call("POST", f"/api/v1/wishes/{wish}/review", DISPATCHER, json=body)
        if self.expect(r, m["status"] == "pending_review", 409):
            m["status"] = "open" if approve else "rejected"
        self.last = wish

    @precondition(lambda self: self.model)
    @rule(data=st.data(), member=st.sampled_from(MEMBERS))
    def dispatch(self, data, member):
        wish = self.pick(data, "open")
        m = self.model[wish]
        r = self.call("POST", f"/api/v1/wishes/{wish}/dispatch", DISPATCHER, json={"member_id": self.ids()[member]})
        if self.expect(r, m["status"] == "open", 409):
            m.update(status="dispatched", holder=member)
        self.last = wish

    @precondition(lambda self: self.model)
    @rule(data=st.data(), member=st.sampled_from(MEMBERS))
    def claim(self, data, member):
        wish = self.pick(data, "open")
        m = self.model[wish]
        ok = m["status"] == "open" and self.open_orders(member) < 3
        r = self.call("POST", f"/api/v1/wishes/{wish}/claim", member)
        if self.expect(r, ok, 409, 403):
            m.update(status="accepted", holder=member)
        self.last = wish

    @precondition(lambda self: self.model)
    @rule(data=st.data(), member=st.sampled_from(MEMBERS), accept=st.booleans())
    def answer(self, data, member, accept):
        wish = self.pick(data, "dispatched")
        m = self.model[wish]
        order = self.order_id(wish)
        if order is None:
            return
        if accept:
            r = self.call("POST", f"/api/v1/orders/{order}/accept", member)
        else:
            r = self.call("POST", f"/api/v1/orders/{order}/decline", member, json={"reason": "没空"})
        ok = m["status"] == "dispatched" and m["holder"] == member
        if self.expect(r, ok, 403, 409):
            if accept:
                m["status"] = "accepted"
            else:
                m.update(status="open", holder=None)
        self.last = wish

    @precondition(lambda self: self.model)
    @rule(data=st.data(), member=st.sampled_from(MEMBERS))
    def complete(self, data, member):
        wish = self.pick(data, "accepted")
        m = self.model[wish]
        r = self.call("POST", f"/api/v1/wishes/{wish}/complete", member, json={"note": "完成了"})
        if self.expect(r, m["status"] == "accepted" and m["holder"] == member, 403, 409):
            m["status"] = "completed"
        self.last = wish

    @precondition(lambda self: self.model)
    @rule(data=st.data(), who=st.sampled_from(REQUESTERS), rating=st.integers(1, 5))
    def confirm(self, data, who, rating):
        wish = self.pick(data, "completed")
        m = self.model[wish]
        r = self.call("POST", f"/api/v1/wishes/{wish}/confirm", who, json={"rating": rating})
        if self.expect(r, m["status"] == "completed" and m["requester"] == who, 403, 409):
            m["status"] = "closed"
        self.last = wish

    @precondition(lambda self: self.model)
    @rule(data=st.data(), who=st.sampled_from(REQUESTERS))
    def cancel(self, data, who):
        if data.draw(st.integers(0, 3), label="cancel now") != 0:
            return  # cancelling ends a wish's life: keep it rare so that runs reach deep states
        wish = self.pick(data, "pending_review", "open", "dispatched", "accepted")
        m = self.model[wish]
        ok = m["requester"] == who and m["status"] in ("pending_review", "open", "dispatched", "accepted")
        r = self.call("POST", f"/api/v1/wishes/{wish}/cancel", who, json={"reason": "不需要了"})
        if self.expect(r, ok, 403, 409):
            m["status"] = "cancelled"
        self.last = wish

    # --- invariants ------------------------------------------------------------------------
    @invariant()
    def last_touched_wish_agrees(self):
        if self.last is None:
            return
        m = self.model[self.last]
        d = self.call("GET", f"/api/v1/wishes/{self.last}", m["requester"]).json()
        assert d["status"] == m["status"]
        assert d["events"][-1]["to_status"] == d["status"]
        order = d["order"]
        live = order is not None and order["status"] in ("offered", "accepted")
        assert live == (m["status"] in LIVE_STATUSES)
        if live:
            assert order["member_id"] == self.ids()[m["holder"]]

    def teardown(self):
        if not self.model:
            return
        seen: Counter = Counter()
        for who in REQUESTERS:
            ours = {w for w, m in self.model.items() if m["requester"] == who}
            cursor = None
            while True:
                q = "/api/v1/wishes?mine=true&limit=100" + (f"&cursor={cursor}" if cursor else "")
                page = self.call("GET", q, who).json()
                for item in page["items"]:
                    if item["id"] in ours:
                        seen[item["status"]] += 1
                cursor = page["next_cursor"]
                if not cursor or min(i["id"] for i in page["items"]) < min(ours):
                    break
        assert seen == Counter(m["status"] for m in self.model.values())
        # the running totals candidate ranking reads equal a recount of the order history
        kept, recounted = asyncio.run(member_totals(self.live.database_url))
        assert kept == recounted


def test_wish_lifecycle_state_machine(live):
    WishLifecycle.live = live
    if hasattr(WishLifecycle, "_ids"):
        del WishLifecycle._ids
    test = WishLifecycle.TestCase
    test.settings = settings(
        max_examples=EXAMPLES,
        stateful_step_count=STEPS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    test().runTest()
