"""Ledgers as .xlsx, opened with openpyxl and checked cell by cell."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from backend.kernel.clock import SHANGHAI
from tests.issues.conftest import demo_ids, set_now  # noqa: F401 - fixture
from tests.issues.test_lifecycle import RAISE


def sheet(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    return wb[wb.sheetnames[0]]


async def test_issue_ledger_cell_by_cell(api, demo_ids):  # noqa: F811
    set_now(2025, 11, 3, 9, 0)
    issue = await api.ok(
        "POST",
        "/api/v1/issues",
        "demo-gridworker",
        status=201,
        json={**RAISE, "household_id": demo_ids["house_g1"], "urgency": "urgent"},
    )
    await api.ok("POST", f"/api/v1/issues/{issue['id']}/whistle", "demo-gridworker", json={})
    set_now(2025, 11, 3, 9, 20)
    await api.ok("POST", f"/api/v1/issues/{issue['id']}/respond", "demo-department", json={"note": "到"})

    r = await api.get("/api/v1/exports/ledger?kind=issues&scope=street:1&period=2025-11", "demo-street")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    ws = sheet(r.content)
    assert ws.title == "网格事件台账"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "幸福街道 网格事件台账（2025-11，时间为北京时间）"
    assert rows[1] == (
        "编号",
        "小区",
        "类别",
        "紧急程度",
        "事件描述",
        "状态",
        "承办部门",
        "上报时间",
        "吹哨时间",
        "响应时限",
        "响应时间",
        "处置时限",
        "办结时间",
        "是否超时",
        "评价",
    )
    assert len(rows) == 3  # title, header, the one issue of November 2025
    assert rows[2] == (
        issue["id"],
        "锦华苑",
        "环境卫生",
        "紧急",
        "楼道堆放大量杂物，堵塞通道。",
        "已响应",
        "城管执法中队",
        "2025-11-03 09:00",
        "2025-11-03 09:00",
        "2025-11-03 09:30",  # 30 working minutes, urgent
        "2025-11-03 09:20",
        "2025-11-06 09:00",  # 3 working days of 450 minutes
        None,
        "否",
        None,
    )
    assert ws["A3"].value == issue["id"] and ws["B2"].font.bold

    # admins of that scope only
    r = await api.get("/api/v1/exports/ledger?kind=issues&scope=street:1&period=2025-11", "demo-admin")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.get("/api/v1/exports/ledger?kind=issues", "demo-gridworker")
    assert r.status_code == 403 and r.json()["error"] == "role_required"


async def test_wish_ledger_masks_residents(api):
    set_now(2025, 11, 4, 10, 0)
    wish = await api.ok(
        "POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": "换灯泡", "category": "repair"}
    )
    r = await api.get("/api/v1/exports/ledger?kind=wishes&period=2025-11", "demo-admin")
    assert r.status_code == 200
    rows = list(sheet(r.content).iter_rows(values_only=True))
    assert rows[0][0].startswith("和谐社区 微心愿台账")
    [row] = [x for x in rows[2:] if x[0] == wish["id"]]
    assert row[1:6] == ("锦华苑", "换灯泡", "维修", "待审核", "王**")
    assert row[6] == datetime(2025, 11, 4, 10, 0, tzinfo=SHANGHAI).strftime("%Y-%m-%d %H:%M")
    for kind in ("visits", "registrations"):
        r = await api.get(f"/api/v1/exports/ledger?kind={kind}", "demo-admin")
        assert r.status_code == 200 and sheet(r.content).max_row >= 2
