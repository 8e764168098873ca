"""Co-governance figures carry their items, and each figure recounts from them; the 提案台账 and
议事台账 open in a spreadsheet with what the API says."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from backend.deliberation.models import AgendaItem, Meeting
from backend.exports.ledger import LEDGERS
from backend.kernel.clock import to_shanghai, utcnow
from backend.proposals.models import Proposal
from backend.proposals.state import ProposalStatus
from tests.proposals.support import submitted
from tests.stats.shape import check_all
from tests.support.sheets import INJECTIONS, check_datetime_column, check_inert, check_layout, column, open_sheet


def _period() -> str:
    today = to_shanghai(utcnow()).date()
    start = today - timedelta(days=150)
    return f"{start.isoformat()}..{(today + timedelta(days=40)).isoformat()}"


async def _figures(api, who="demo-street", scope="street:1") -> dict:
    return await api.ok("GET", f"/api/v1/stats/co-governance?scope={scope}&period={_period()}", who)


async def test_every_figure_recounts_from_its_items(api, session):
    f = await _figures(api)
    assert check_all(f) == 7  # the shape every figure promises (backend/stats/figures.py)
    by_status = f["proposals_by_status"]["buckets"]
    assert {"submitted", "accepted", "executing", "evaluating", "published", "closed", "rejected"} <= set(by_status)
    for status, ids in by_status.items():
        for pid in ids:
            assert (await api.ok("GET", f"/api/v1/proposals/{pid}", "demo-street"))["status"] == status
    assert "draft" not in by_status  # a draft is not a proposal yet
    assert f["proposals_by_level"]["denominator"] == f["proposals_by_status"]["denominator"]

    adoption = f["adoption_rate"]
    assert len(adoption["buckets"]["adopted"]) >= 3 and adoption["buckets"]["not_adopted"]
    for kind, ids in adoption["buckets"].items():
        for pid in ids:
            p = await api.ok("GET", f"/api/v1/proposals/{pid}", "demo-street")
            assert kind in [e["type"] for e in p["events"]]

    closed = f["deliberated_closed_rate"]
    assert closed["denominator"] > 0 and 0 < closed["rate"] <= 1
    for kind, ids in closed["buckets"].items():
        for item_id in ids:
            assert ((await session.get(AgendaItem, item_id)).status == "done") == (kind == "done")

    people, times = f["participants"]["people"], f["participants"]["times"]
    assert people["numerator"] == people["denominator"] <= times["numerator"]
    assert len(times["buckets"]["attended"]) > 0 and len(times["buckets"]["proposed"]) == by_status_total(f)


def by_status_total(f: dict) -> int:
    return f["proposals_by_status"]["denominator"]


async def test_a_new_proposal_moves_the_figures(api):
    before = await _figures(api, "demo-admin", "community:1")
    p = await submitted(api, title="统计口径测试提案")
    p = await api.ok("POST", f"/api/v1/proposals/{p['id']}/review", "demo-dispatcher", json={"decision": "accept"})
    after = await _figures(api, "demo-admin", "community:1")
    assert after["proposals_by_status"]["denominator"] == before["proposals_by_status"]["denominator"] + 1
    assert p["id"] in after["proposals_by_status"]["buckets"]["accepted"]
    assert after["participants"]["times"]["numerator"] == before["participants"]["times"]["numerator"] + 1
    r = await api.get(f"/api/v1/stats/co-governance?scope=community:2&period={_period()}", "demo-admin")
    assert r.status_code == 403


async def test_proposal_and_meeting_ledgers_open_in_a_spreadsheet(api):
    await submitted(api, title=INJECTIONS[0], problem="公式注入测试", solution=INJECTIONS[1])
    r = await api.get(f"/api/v1/exports/ledger?kind=proposals&scope=street:1&period={_period()}", "demo-street")
    assert r.status_code == 200, r.text
    ws = open_sheet(r.content)
    assert ws.title == "提案台账"
    rows = list(ws.iter_rows(values_only=True))
    headers = LEDGERS["proposals"].headers
    assert rows[1] == headers
    check_layout(ws, headers, header_row=2, print_header=rows[0][0].replace("，时间为北京时间", ""))
    assert check_datetime_column(ws, 2, "提交时间") >= 10
    body = rows[2:]
    titles = [row[4] for row in body]
    assert "健身器材维修" in titles
    title_col = column(ws, 2, "提案")
    [injected] = [
        c for (c,) in ws.iter_rows(min_row=3, min_col=title_col, max_col=title_col) if "HYPERLINK" in str(c.value)
    ]
    check_inert(injected, INJECTIONS[0])
    statuses = {row[9] for row in body}
    assert {"待审议", "联动执行中", "已办结"} <= statuses and "草稿" not in statuses
    assert all("*" in (row[6] or "*") or row[3] == "单位提案" for row in body)  # proposers masked

    r = await api.get(f"/api/v1/exports/ledger?kind=meetings&scope=community:1&period={_period()}", "demo-admin")
    assert r.status_code == 200, r.text
    ws = open_sheet(r.content)
    assert ws.title == "议事台账"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == LEDGERS["meetings"].headers
    body = rows[2:]
    closed = [row for row in body if row[6] == "已结束"]
    # the demo's past deliberation days, and 锦华苑's 小区评议会 (backend/demo/appraisal.py)
    kinds = {row[1] for row in closed}
    assert "党群议事日" in kinds and kinds <= {"党群议事日", "小区评议会"}
    assert {"通过", "暂缓", "不通过"} & {row[11] for row in closed}
    assert any(row[5] and row[5] > 0 for row in closed)  # attendance counted


async def test_the_demo_has_proposals_in_every_state_and_meetings_past_and_coming(session):
    statuses = set((await session.execute(select(Proposal.status))).scalars())
    assert statuses == set(ProposalStatus)
    communities = set((await session.execute(select(Proposal.community_id))).scalars())
    assert len(communities) == 3
    meetings = (await session.execute(select(Meeting))).scalars().all()
    today = to_shanghai(utcnow()).date()
    assert any(m.status == "closed" and m.minutes and m.date < today for m in meetings)
    coming = [m for m in meetings if m.status == "planned" and m.date >= today]
    assert coming
    items = (
        (await session.execute(select(AgendaItem).where(AgendaItem.meeting_id.in_([m.id for m in coming]))))
        .scalars()
        .all()
    )
    assert items and all(i.status == "scheduled" for i in items)
