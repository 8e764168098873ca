"""The .xlsx ledger (住户台账) with Chinese headers: valid rows are imported, invalid rows come back
with their row number and reason, importing the same file again changes nothing, and the export
has the same format (so an exported ledger imports back unchanged)."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from backend.households.ledger import HEADERS
from backend.households.models import HouseholdProfile, HouseholdTag, Resident
from backend.org.models import Household
from tests.support.api import error
from tests.support.demo import grid_id
from tests.support.ledgers import IMPORT_URL, household_at, upload, xlsx

G1 = "和谐社区第一网格"


async def snapshot(session, ids) -> tuple:
    residents = (
        await session.execute(
            select(Resident.id, Resident.household_id, Resident.name, Resident.relation, Resident.phone)
            .where(Resident.household_id.in_(ids))
            .order_by(Resident.id)
        )
    ).all()
    tags = (
        await session.execute(
            select(HouseholdTag.household_id, HouseholdTag.tag)
            .where(HouseholdTag.household_id.in_(ids))
            .order_by(HouseholdTag.household_id, HouseholdTag.tag)
        )
    ).all()
    profiles = (
        await session.execute(
            select(HouseholdProfile.household_id, HouseholdProfile.address, HouseholdProfile.updated_at).where(
                HouseholdProfile.household_id.in_(ids)
            )
        )
    ).all()
    return residents, tags, sorted(profiles)


LEDGER = [
    # row 3 onwards (row 1 is a title, row 2 the header)
    [1, "锦华苑", "1号楼", "1单元", "101", "幸福路88号1号楼1单元101", "张三", "户主", "13812345678", "独居老人"],
    [2, "锦华苑", 1, 1, 101, "", "李四", "配偶", 13812345679, ""],  # numbers as Excel keeps them
    [3, "锦华苑", "1号楼", "1单元", "9999", "", "王二", "户主", "", ""],  # no such room
    [4, "锦华苑", "1号楼", "1单元", "102", "", "赵六", "户主", "1380000", ""],  # bad phone
    [5, "锦华苑", "4号楼", "1单元", "101", "", "钱七", "户主", "", ""],  # another grid
    [6, "不存在小区", "1号楼", "1单元", "101", "", "孙八", "户主", "", ""],
    [7, "锦华苑", "1号楼", "1单元", "201", "", "周九", "户主", "", "富豪"],  # unknown tag
    [None, None, None, None, None, None, None, None, None, None],  # blank rows are skipped
    [8, "锦华苑", "1号楼", "1单元", "101", "", "张三", "本人", "", ""],  # same name twice in one household_at
    [9, "锦华苑", "2号楼", "2单元", "201", "幸福路88号2号楼2单元201", "王五", "户主", "13912345678", "高龄、低保"],
]


async def test_import_with_bad_rows_then_the_same_file_again(api, session):
    data = xlsx(LEDGER)
    first = await api.ok("POST", IMPORT_URL, "demo-gridworker", **upload(data))
    assert [e["row"] for e in first["errors"]] == [5, 6, 7, 8, 9, 11]
    reasons = {e["row"]: e["reason"] for e in first["errors"]}
    assert "9999" in reasons[5] and "没有" in reasons[5]
    assert "联系电话" in reasons[6]
    assert "不在您负责的网格" in reasons[7]
    assert "不存在小区" in reasons[8]
    assert "富豪" in reasons[9]
    assert "第3行" in reasons[11]
    assert (first["rows"], first["imported"], first["households"]) == (9, 3, 2)
    assert (first["residents_created"], first["residents_updated"], first["households_changed"]) == (3, 0, 2)

    h101, h201 = (
        await household_at(session, "1号楼", "1单元", "101"),
        await household_at(session, "2号楼", "2单元", "201"),
    )
    entry = await api.ok("GET", f"/api/v1/households/{h101}", "demo-gridworker")
    people = {r["name"]: r for r in entry["residents"]}
    assert (people["张三"]["relation"], people["张三"]["phone"]) == ("户主", "13812345678")
    assert people["李四"]["phone"] == "13812345679"
    assert entry["care_tags"] == ["独居老人"] and entry["address"] == "幸福路88号1号楼1单元101"
    assert (await api.ok("GET", f"/api/v1/households/{h201}", "demo-gridworker"))["care_tags"] == ["高龄", "低保"]

    before = await snapshot(session, [h101, h201])
    second = await api.ok("POST", IMPORT_URL, "demo-gridworker", **upload(data))
    assert (second["residents_created"], second["residents_updated"], second["households_changed"]) == (0, 0, 0)
    assert second["errors"] == first["errors"] and second["imported"] == 3
    assert await snapshot(session, [h101, h201]) == before


async def test_export_has_the_same_format_and_imports_back_unchanged(api, session):
    await api.ok("POST", IMPORT_URL, "demo-gridworker", **upload(xlsx(LEDGER)))
    g1 = await grid_id(session, G1)
    r = await api.get(f"/api/v1/households/export?grid_id={g1}", "demo-gridworker")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    zhang = next(row for row in rows if row[HEADERS.index("姓名")] == "张三")
    assert zhang[HEADERS.index("联系电话")] == "13812345678" and zhang[HEADERS.index("关爱标签")] == "独居老人"
    assert zhang[HEADERS.index("小区")] == "锦华苑" and zhang[HEADERS.index("网格")] == G1
    households = len(set((await session.execute(select(Household.id).where(Household.grid_id == g1))).scalars()))
    assert len({row[2:6] for row in rows[1:]}) == households  # every household_at of the grid is in it

    again = await api.ok("POST", IMPORT_URL, "demo-gridworker", **upload(r.content))
    assert again["errors"] == [] and again["imported"] == len(rows) - 1
    assert (again["residents_created"], again["residents_updated"], again["households_changed"]) == (0, 0, 0)

    # the community admin's export is masked, and importing it back changes nothing either
    masked = await api.get(f"/api/v1/households/export?grid_id={g1}", "demo-admin")
    masked_rows = list(openpyxl.load_workbook(io.BytesIO(masked.content)).active.iter_rows(values_only=True))
    zhang = next(row for row in masked_rows if row[HEADERS.index("姓名")] == "张三")
    assert zhang[HEADERS.index("联系电话")] == "138****5678"
    back = await api.ok("POST", IMPORT_URL, "demo-admin", **upload(masked.content))
    assert back["errors"] == [] and back["households_changed"] == 0


async def test_files_that_are_not_ledgers(api):
    error(await api.post(IMPORT_URL, "demo-gridworker", **upload(b"not a workbook")), 422, "invalid_xlsx")
    error(await api.post(IMPORT_URL, "demo-gridworker", **upload(b"")), 422, "empty_file")
    body = error(
        await api.post(IMPORT_URL, "demo-gridworker", **upload(xlsx([["锦华苑", "1号楼"]], header=["小区", "楼栋"]))),
        422,
        "missing_columns",
    )
    assert "单元" in body["detail"] and "房号" in body["detail"]
    error(await api.post(IMPORT_URL, "demo-resident", **upload(xlsx(LEDGER))), 403, "role_required")


async def test_header_aliases_and_partial_columns(api, session):
    """Another ledger's spellings (楼号, 门牌号, 手机号); without 关爱标签 and 住址 columns those
    fields are left as they are."""
    h101 = await household_at(session, "1号楼", "1单元", "101")
    before = await api.ok("GET", f"/api/v1/households/{h101}", "demo-gridworker")
    data = xlsx(
        [["锦华苑", "1", "1单元", "101室", "郑十", "租户", "13612345678"]],
        header=["小区名称", "楼号", "单元号", "门牌号", "居民姓名", "关系", "手机号"],
        title=None,
    )
    body = await api.ok("POST", IMPORT_URL, "demo-gridworker", **upload(data))
    assert body["errors"] == [] and body["residents_created"] == 1
    after = await api.ok("GET", f"/api/v1/households/{h101}", "demo-gridworker")
    assert after["care_tags"] == before["care_tags"] and after["address"] == before["address"]
    assert ("郑十", "租户", "13612345678") in [(r["name"], r["relation"], r["phone"]) for r in after["residents"]]
