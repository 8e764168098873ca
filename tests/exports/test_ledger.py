"""Ledgers as .xlsx, opened with openpyxl and checked cell by cell: types, layout, print setup, and
user text that never turns into a formula."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update

from backend.directory.models import User
from backend.exports.ledger import LEDGERS
from backend.issues.models import GridIssue
from backend.org.models import Building, Household, Unit
from backend.visits.models import Visit
from backend.wishes.models import Wish
from tests.support.clock import freeze_at, set_now
from tests.support.issues import RAISE
from tests.support.sheets import INJECTIONS, check_datetime_column, check_inert, check_layout, column, open_sheet
from tests.support.stats_world import build


def local(*args) -> datetime:
    """What openpyxl reads back from a date cell: the naive wall time in Asia/Shanghai."""
    return datetime(*args)


async def test_issue_ledger_cell_by_cell(api, session, demo_ids):  # noqa: F811
    for who in ("demo-gridworker", "demo-department", "demo-street"):
        await api.login(who)
    freeze_at(2025, 11, 3, 9, 0)  # frozen: on a busy machine a moving clock put 09:00 at 09:00:04
    issue = await api.ok(
        "POST",
        "/api/v1/issues",
        "demo-gridworker",
        status=201,
        json={**RAISE, "household_id": demo_ids["house_g1"], "urgency": "urgent"},
    )
    await api.ok("POST", f"/api/v1/issues/{issue['id']}/whistle", "demo-gridworker", json={})
    freeze_at(2025, 11, 3, 9, 20)
    await api.ok("POST", f"/api/v1/issues/{issue['id']}/respond", "demo-department", json={"note": "到"})
    building, unit, room = (
        await session.execute(
            select(Building.name, Unit.name, Household.room)
            .join(Unit, Unit.id == Household.unit_id)
            .join(Building, Building.id == Household.building_id)
            .where(Household.id == demo_ids["house_g1"])
        )
    ).one()

    r = await api.get("/api/v1/exports/ledger?kind=issues&scope=street:1&period=2025-11", "demo-street")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    ws = open_sheet(r.content)
    assert ws.title == "网格事件台账"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "幸福街道 网格事件台账（2025-11，时间为北京时间）"
    headers = LEDGERS["issues"].headers
    assert rows[1] == headers
    assert headers[:6] == ("编号", "小区", "楼栋", "单元", "房号", "地点")
    check_layout(ws, headers, header_row=2, print_header="幸福街道 网格事件台账（2025-11）")
    assert len(rows) == 3  # title, header, the one issue of November 2025
    assert rows[2] == (
        issue["id"],
        "锦华苑",
        building,
        unit,
        room,
        "2号楼1单元",
        "环境卫生",
        "紧急",
        "楼道堆放大量杂物，堵塞通道。",
        "已响应",
        "城管执法中队",
        local(2025, 11, 3, 9, 0),
        local(2025, 11, 3, 9, 0),
        local(2025, 11, 3, 9, 30),  # 30 working minutes, urgent
        local(2025, 11, 3, 9, 20),
        local(2025, 11, 6, 9, 0),  # 3 working days of 450 minutes
        None,
        "否",
        None,
    )
    assert ws["A3"].data_type == "n" and ws["E3"].number_format == "@"  # the room is text
    for header in ("上报时间", "吹哨时间", "响应时限", "响应时间", "处置时限"):
        assert check_datetime_column(ws, 2, header) == 1

    # admins of that scope only
    r = await api.get("/api/v1/exports/ledger?kind=issues&scope=street:1&period=2025-11", "demo-admin")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.get("/api/v1/exports/ledger?kind=issues", "demo-gridworker")
    assert r.status_code == 403 and r.json()["error"] == "role_required"


async def test_wish_ledger_masks_residents_and_keeps_formulas_inert(api):
    set_now(2025, 11, 4, 10, 0)
    titles = ["换灯泡", *INJECTIONS[:4], "孩子需要一个新书包，开学前能送到最好"]
    ids = []
    for title in titles:
        wish = await api.ok(
            "POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": title, "category": "repair"}
        )
        ids.append(wish["id"])
    r = await api.get("/api/v1/exports/ledger?kind=wishes&period=2025-11", "demo-admin")
    assert r.status_code == 200
    ws = open_sheet(r.content)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("和谐社区 微心愿台账")
    check_layout(ws, LEDGERS["wishes"].headers, header_row=2, print_header="和谐社区 微心愿台账（2025-11）")
    by_id = {row[0]: (n, row) for n, row in enumerate(rows[2:], start=3) if isinstance(row[0], int)}
    row = by_id[ids[0]][1]
    assert row[1:6] == ("锦华苑", "换灯泡", "维修", "待审核", "王**")
    assert row[6] == local(2025, 11, 4, 10, 0)
    assert check_datetime_column(ws, 2, "提交时间") == ws.max_row - 2
    title_col = column(ws, 2, "心愿")
    for wish_id, title in zip(ids[1:5], INJECTIONS[:4], strict=True):
        check_inert(ws.cell(by_id[wish_id][0], title_col), title)
    # the title column is wide enough for the long title (CJK counts double), not 13 characters
    assert ws.column_dimensions["C"].width >= 36
    for kind in ("visits", "registrations"):
        r = await api.get(f"/api/v1/exports/ledger?kind={kind}", "demo-admin")
        assert r.status_code == 200 and open_sheet(r.content).max_row >= 2


@pytest.mark.parametrize("kind", ["wishes", "visits", "issues", "registrations"])
async def test_every_ledger_is_office_ready_and_inert(api, session, kind):
    """The 2024 fixture community, with a formula typed into every user-supplied field of each ledger."""
    ids = await build(session)
    evil = dict(zip(("wish", "note", "description", "name", "location"), INJECTIONS, strict=False))
    await session.execute(update(Wish).where(Wish.id == ids["wishes"]["W1"]).values(title=evil["wish"]))
    await session.execute(update(Visit).where(Visit.compound_id == ids["compound"]).values(note=evil["note"]))
    await session.execute(
        update(GridIssue)
        .where(GridIssue.compound_id == ids["compound"])
        .values(description=evil["description"], location=evil["location"])
    )
    await session.execute(update(User).where(User.name == "李强").values(name=evil["name"]))
    await session.commit()

    r = await api.get(f"/api/v1/exports/ledger?kind={kind}&scope=community:{ids['community']}&period=2024", "ov-admin")
    assert r.status_code == 200, r.text
    ws = open_sheet(r.content)
    ledger = LEDGERS[kind]
    check_layout(ws, ledger.headers, header_row=2, print_header=f"测试社区 {ledger.title}（2024）")
    data = ws.max_row - 2
    assert data == {"wishes": 8, "visits": 4, "issues": 1, "registrations": 1}[kind]
    for c in ledger.columns:
        if c.kind == "datetime":
            check_datetime_column(ws, 2, c.header)
        elif c.kind == "number":
            index = column(ws, 2, c.header)
            assert all(ws.cell(n, index).data_type == "n" for n in range(3, ws.max_row + 1))
    assert ws.cell(3, 1).value > 0 and ws.cell(3, 1).data_type == "n"  # 编号 is a number

    def cells(header):
        index = column(ws, 2, header)
        return [ws.cell(n, index) for n in range(3, ws.max_row + 1)]

    if kind == "wishes":
        [w1] = [c for c in cells("心愿") if c.value != c.value.lstrip("'") or "HYPERLINK" in str(c.value)]
        check_inert(w1, evil["wish"])
    elif kind == "visits":
        for cell in cells("备注"):
            check_inert(cell, evil["note"])
        rooms = [c.value for c in cells("房号")]
        assert sorted(rooms) == ["101", "101", "102", "103"]
        assert all(c.number_format == "@" and c.data_type == "s" for c in cells("房号"))
        assert {c.value for c in cells("楼栋")} == {"1号楼"} and {c.value for c in cells("单元")} == {"1单元"}
    elif kind == "issues":
        [cell] = cells("事件描述")
        check_inert(cell, evil["description"])
        [cell] = cells("地点")
        check_inert(cell, evil["location"])
    else:
        [cell] = cells("姓名")
        check_inert(cell, evil["name"])


async def test_no_ledger_column_is_an_internal_household_id(api, session):
    ids = await build(session)
    for kind in ("visits", "issues"):
        r = await api.get(
            f"/api/v1/exports/ledger?kind={kind}&scope=community:{ids['community']}&period=2024", "ov-admin"
        )
        headers = [c.value for c in open_sheet(r.content)[2]]
        assert "住户编号" not in headers and {"楼栋", "单元", "房号"} <= set(headers)
