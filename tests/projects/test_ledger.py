"""项目台账 (kind=projects in the ledger route): Chinese headers, the sheet layout of every ledger,
amounts in 元 from fen, the demo's projects of the year in the scope only."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from backend.exports.projects import PROJECT_COLUMNS
from backend.kernel.clock import SHANGHAI, clock
from backend.projects.models import Project
from tests.support.api import error
from tests.support.projects import ids
from tests.support.sheets import check_layout, column, open_sheet


async def test_project_ledger(api, session):
    i = await ids(session)
    year = clock.now().astimezone(SHANGHAI).year
    url = f"/api/v1/exports/ledger?kind=projects&scope=compound:{i['c1']}&period={year}"
    r = await api.get(url, "demo-admin")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats"), r.text
    ws = open_sheet(r.content)
    headers = [c.header for c in PROJECT_COLUMNS]
    check_layout(ws, headers, header_row=2, print_header=f"锦华苑 项目台账（{year}）")
    rows = {row[3].value: row for row in ws.iter_rows(min_row=3)}
    titles = set(
        (
            await session.execute(select(Project.title).where(Project.compound_id == i["c1"], Project.year == year))
        ).scalars()
    )
    assert set(rows) == titles and "楼道照明改造" in rows and "楼道扶手加装" not in rows
    lit = rows["楼道照明改造"]
    pledged = lit[column(ws, 2, "认捐（元）") - 1]
    assert pledged.value == Decimal("10600.00") and pledged.number_format == "#,##0.00"  # 1,060,000 fen
    assert lit[column(ws, 2, "支出（元）") - 1].value == Decimal("3260.50")
    detail = lit[column(ws, 2, "资金来源明细") - 1].value
    assert detail.startswith("党组织服务群众经费：认捐8,000.00 到账5,000.00 支出3,260.50\n")
    assert lit[column(ws, 2, "状态") - 1].value == "实施中" and lit[column(ws, 2, "任务数") - 1].value == 3
    assert lit[column(ws, 2, "超时任务") - 1].value == 1
    assert rows["红色议事长廊"][column(ws, 2, "年底评分") - 1].value == 92
    assert rows["非机动车充电棚"][column(ws, 2, "暂停/取消原因") - 1].value == "充电棚选址待消防部门复核"
    error(await api.get(url, "demo-dispatcher"), 403, "role_required")
