"""评议台账 (kind=appraisals in the ledger route): Chinese headers, the sheet layout of every ledger,
one row per line of each edition of 锦华苑's results, read from the frozen content."""

from __future__ import annotations

from sqlalchemy import select

from backend.appraisal.models import Appraisal
from backend.exports.appraisals import APPRAISAL_COLUMNS, quarters
from backend.kernel.periods import parse_period
from backend.org.models import Compound
from tests.support.api import error
from tests.support.sheets import check_layout, column, open_sheet


def test_the_quarters_of_a_period():
    assert quarters(parse_period("2026")) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert quarters(parse_period("2026-H2")) == ["2026-Q3", "2026-Q4"]
    assert quarters(parse_period("2026-Q3")) == ["2026-Q3"]
    assert quarters(parse_period("2026-11")) == []


async def test_appraisal_ledger(api, session):
    c1 = (await session.execute(select(Compound.id).where(Compound.name == "锦华苑"))).scalar_one()
    rows = list((await session.execute(select(Appraisal).where(Appraisal.compound_id == c1))).scalars())
    year = rows[0].period[:4]
    url = f"/api/v1/exports/ledger?kind=appraisals&scope=compound:{c1}&period={year}"
    r = await api.get(url, "demo-admin")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats"), r.text
    ws = open_sheet(r.content)
    check_layout(ws, [c.header for c in APPRAISAL_COLUMNS], header_row=2, print_header=f"锦华苑 评议台账（{year}）")
    got = list(ws.iter_rows(min_row=3, values_only=True))
    expected = [a for a in rows if a.period.startswith(year)]
    assert len(got) == sum(len(a.content["lines"]) for a in expected) > 0
    published = next(a for a in expected if a.status == "published")
    line = published.content["lines"][-2]  # the owners' committee
    row = next(g for g in got if g[0] == published.id and g[column(ws, 2, "评议项") - 1] == line["name"])
    assert row[column(ws, 2, "状态") - 1] == "已公示" and row[column(ws, 2, "评价人数") - 1] == line["count"]
    assert row[column(ws, 2, "平均分") - 1] == line["mean"]
    assert sum(row[column(ws, 2, f"{s}分") - 1] for s in "12345") == line["count"]
    comments = [g[column(ws, 2, "意见（评价人已隐去姓名）") - 1] or "" for g in got]
    assert any("*" in c for c in comments) and not any("王秀兰" in c for c in comments)
    error(await api.get(url, "demo-dispatcher"), 403, "role_required")
