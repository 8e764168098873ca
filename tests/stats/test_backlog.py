"""The grid's backlog (tests/stats/fixture.py's 测试社区), seen on Friday 2024-03-29 10:00:

X4 环境卫生 一般, raised 01-20, open        69 days → > 30    overdue (5 working days long gone)
X3 矛盾纠纷 一般, raised 03-10, returned    19 days → 8–30    overdue
X2 设施损坏 一般, raised Mon 03-25 09:00    4 days  → ≤ 7     within: 5 working days end Mon 04-01 09:00
X1 安全隐患 紧急, raised Thu 03-28 09:00    1 day   → ≤ 7     overdue: 1 working day ended Fri 09:00
X5 whistled, and the fixture's responded issue: not the grid's (the three rates count them)
"""

from __future__ import annotations

from datetime import datetime

from backend.issues.models import GridIssue
from backend.kernel.clock import SHANGHAI
from tests.stats.shape import check_all
from tests.support.clock import set_now
from tests.support.stats_world import build


def _issue(ids, admin_id, category, urgency, status, created):
    return GridIssue(
        grid_id=ids["grid"],
        compound_id=ids["compound"],
        community_id=ids["community"],
        category=category,
        urgency=urgency,
        description=f"{category} 积压",
        status=status,
        raised_by=admin_id,
        created_at=created,
    )


async def test_backlog_aged_and_overdue(api, session):
    ids = await build(session)
    admin = (await session.get(GridIssue, ids["issue"])).raised_by
    at = lambda *a: datetime(2024, *a, tzinfo=SHANGHAI)  # noqa: E731
    x = {
        "X4": _issue(ids, admin, "environment", "normal", "open", at(1, 20, 9)),
        "X3": _issue(ids, admin, "dispute", "normal", "returned", at(3, 10, 9)),
        "X2": _issue(ids, admin, "facility", "normal", "open", at(3, 25, 9)),
        "X1": _issue(ids, admin, "hazard", "urgent", "open", at(3, 28, 9)),
        "X5": _issue(ids, admin, "market", "normal", "whistled", at(2, 1, 9)),
    }
    session.add_all(x.values())
    await session.flush()
    i = {k: v.id for k, v in x.items()}
    set_now(2024, 3, 29, 10, 0)

    o = await api.ok("GET", f"/api/v1/stats/overview?scope=community:{ids['community']}&period=2024-03", "ov-admin")
    assert check_all(o) >= 8
    b = o["backlog"]
    assert b["count"] == 4
    assert b["aged"]["buckets"] == {"le_7": sorted([i["X1"], i["X2"]]), "d8_30": [i["X3"]], "gt_30": [i["X4"]]}
    assert b["overdue"]["buckets"] == {"overdue": sorted([i["X1"], i["X3"], i["X4"]]), "within_clock": [i["X2"]]}
    assert (b["overdue"]["numerator"], b["overdue"]["denominator"]) == (3, 4)
    oldest = b["oldest"]
    assert [r["id"] for r in oldest] == [i["X4"], i["X3"], i["X2"], i["X1"]]
    assert [r["age_days"] for r in oldest] == [69, 19, 4, 1]
    assert (oldest[3]["category_label"], oldest[3]["urgency_label"], oldest[3]["overdue"]) == ("安全隐患", "紧急", True)
    assert oldest[1]["status_label"] == "已退回"
    assert oldest[2]["grid_due_at"] == "2024-04-01T01:00:00+00:00"  # Monday 09:00 Beijing time

    # the community's rates page shows the same backlog; a department's rates have none
    rates = await api.ok(
        "GET", f"/api/v1/stats/escalation?scope=community:{ids['community']}&period=2024-03", "ov-admin"
    )
    assert rates["backlog"]["overdue"]["buckets"] == b["overdue"]["buckets"]
    dept = await api.ok("GET", "/api/v1/stats/escalation?period=2024-03", "demo-department")
    assert "backlog" not in dept
