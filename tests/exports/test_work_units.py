"""向单位反馈 (.xlsx) over the fixture of tests/stats/fixture.py, 2024H1, cell by cell:

李强 (区财政局): reported in 2月10日 (registration decided); accepted W1–W4, completed W1–W3, rated ★5
and ★3 (W3 closed automatically, no rating) → 4, 3, 4.0.
陈静 (区卫健委): no registration, member since 1月5日 (the grant); declined W5 → 0, 0, no rating.
"""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook
from sqlalchemy import update

from backend.directory.models import User
from backend.exports.work_units import HEADERS
from backend.people.models import MemberProfile
from tests.support.sheets import INJECTIONS, check_inert, check_layout, column, open_sheet
from tests.support.stats_world import build


async def test_work_unit_report_cell_by_cell(api, session):
    ids = await build(session)
    r = await api.get(f"/api/v1/exports/work-units?scope=community:{ids['community']}&half=2024H1", "ov-admin")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["向单位反馈"]
    ws = wb["向单位反馈"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "测试社区 党员双报到向单位反馈（2024-H1）"
    assert rows[1] == (
        "单位",
        "姓名",
        "小区",
        "报到日期",
        "接单数",
        "完成数",
        "平均评分",
        "志愿服务时长（小时）",
        "单位认领清单",
        "单位已履约",
    )
    # no volunteering and no list claims in this fixture (tests/exports/test_work_units_cobuilding.py)
    assert rows[2:] == [
        ("区卫健委", "陈静", "测试苑", datetime(2024, 1, 5), 0, 0, None, 0, 0, 0),
        ("区财政局", "李强", "测试苑", datetime(2024, 2, 10), 4, 3, 4, 0, 0, 0),
    ]
    assert ws["A2"].font.bold and ws["E4"].value == 4 and ws["G4"].value == 4
    # dates are date cells, counts and ratings are numbers
    assert ws["D3"].is_date and ws["D3"].number_format == "yyyy-mm-dd"
    assert {ws[c].data_type for c in ("E3", "F3", "E4", "F4", "G4")} == {"n"}
    check_layout(ws, HEADERS, header_row=2, print_header="测试社区 党员双报到向单位反馈（2024-H1）")

    # the second half holds no work; members who had reported in are still listed
    r = await api.get(f"/api/v1/exports/work-units?scope=community:{ids['community']}&half=2024-H2", "ov-admin")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert [row[4:] for row in rows[2:]] == [(0, 0, None, 0, 0, 0), (0, 0, None, 0, 0, 0)]

    r = await api.get(f"/api/v1/exports/work-units?scope=community:{ids['community']}&half=2024Q1", "ov-admin")
    assert r.status_code == 422 and r.json()["error"] == "invalid_period"
    r = await api.get(f"/api/v1/exports/work-units?scope=community:{ids['community']}&half=2024H1", "demo-admin")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
    r = await api.get(f"/api/v1/exports/work-units?scope=community:{ids['community']}&half=2024H1", "demo-member")
    assert r.status_code == 403 and r.json()["error"] == "role_required"


async def test_work_unit_report_keeps_formulas_inert(api, session):
    ids = await build(session)
    unit, name = INJECTIONS[0], INJECTIONS[3]
    await session.execute(update(MemberProfile).where(MemberProfile.work_unit == "区财政局").values(work_unit=unit))
    await session.execute(update(User).where(User.name == "陈静").values(name=name))
    await session.commit()
    r = await api.get(f"/api/v1/exports/work-units?scope=community:{ids['community']}&half=2024H1", "ov-admin")
    ws = open_sheet(r.content)
    units = [ws.cell(n, column(ws, 2, "单位")) for n in (3, 4)]
    names = [ws.cell(n, column(ws, 2, "姓名")) for n in (3, 4)]
    check_inert(next(c for c in units if "HYPERLINK" in c.value), unit)
    check_inert(next(c for c in names if "SUM" in c.value), name)


async def test_work_unit_counts_drill_down(api, session):
    """The same report as JSON: every count names the wishes behind it, and equals the sheet's."""
    ids = await build(session)
    w = ids["wishes"]
    d = await api.ok(
        "GET", f"/api/v1/exports/work-units/details?scope=community:{ids['community']}&period=2024-H1", "ov-admin"
    )
    units = {u["work_unit"]: u for u in d["work_units"]}
    assert set(units) == {"区卫健委", "区财政局"}
    caizheng = units["区财政局"]
    assert caizheng["members"]["count"] == 1
    [li] = caizheng["rows"]
    assert (li["name"], li["reported_at"]) == ("李强", "2024-02-10T02:00:00+00:00")  # the approval, 10:00 Beijing
    assert li["accepted"] == {"count": 4, "wish_ids": [w["W1"], w["W2"], w["W3"], w["W4"]]}
    assert li["completed"] == {"count": 3, "wish_ids": [w["W1"], w["W2"], w["W3"]]}
    assert li["average_rating"] == {
        "value": 4.0,
        "rated_wish_ids": sorted([w["W1"], w["W2"]]),
        "excluded": {"auto_closed": [w["W3"]]},
    }
    [chen] = units["区卫健委"]["rows"]
    assert chen["accepted"]["count"] == chen["completed"]["count"] == 0 and chen["average_rating"]["value"] is None
    r = await api.get(f"/api/v1/exports/work-units/details?scope=community:{ids['community']}", "demo-admin")
    assert r.status_code == 403 and r.json()["error"] == "out_of_scope"
