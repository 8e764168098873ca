"""The household ledger as community offices keep it: landlines with area code and extension,
every problem of a bad row listed at once, and an export of the caller's whole scope when no
grid or compound is named."""

from __future__ import annotations

import io

import openpyxl
import pytest

from backend.households.ledger import HEADERS
from backend.kernel.validation import register_phone
from tests.support.ledgers import IMPORT_URL as URL
from tests.support.ledgers import household_at as household
from tests.support.ledgers import upload, xlsx


@pytest.mark.parametrize(
    "given, written",
    [
        ("13800000001", "13800000001"),
        ("+86 138-0000-0001", "13800000001"),
        ("0546-8123456", "0546-8123456"),
        ("(0546)8123456", "0546-8123456"),
        ("（010）6512 3456", "010-65123456"),
        ("02188889999", "021-88889999"),
        ("0546 8123456 转 801", "0546-8123456-801"),
        ("0546-8123456-801", "0546-8123456-801"),
        ("05468123456ext12", "0546-8123456-12"),
    ],
)
def test_register_phones_are_written_one_way(given, written):
    assert register_phone(given) == written


@pytest.mark.parametrize("given", ["12345", "8123456", "0546-0123456", "0546812345678901", "138000000011"])
def test_what_is_not_a_phone(given):
    with pytest.raises(ValueError, match="固定电话"):
        register_phone(given)


async def test_landlines_import_and_export_as_written(api, session):
    h = await household(session, "1号楼", "1单元", "102")
    data = xlsx([[1, "锦华苑", "1号楼", "1单元", "102", "", "钱大爷", "户主", "0546 8123456 转 801", ""]])
    body = await api.ok("POST", URL, "demo-gridworker", **upload(data))
    assert body["errors"] == [] and body["residents_created"] == 1
    detail = await api.ok("GET", f"/api/v1/households/{h}", "demo-gridworker")
    assert ("钱大爷", "0546-8123456-801") in [(r["name"], r["phone"]) for r in detail["residents"]]
    again = await api.ok("POST", URL, "demo-gridworker", **upload(data))
    assert again["errors"] == [] and again["households_changed"] == 0


async def test_a_bad_row_lists_every_problem(api):
    data = xlsx([[1, "锦华苑", "1号楼", "1单元", "9999", "", "某" * 21, "户主", "12345", "不存在的标签"]])
    body = await api.ok("POST", URL, "demo-gridworker", **upload(data))
    assert body["imported"] == 0 and len(body["errors"]) == 1
    reason = body["errors"][0]["reason"]
    for problem in ("这一户", "姓名超过20个字", "未知的关爱标签", "联系电话 12345"):
        assert problem in reason, (problem, reason)


async def test_export_without_a_filter_is_the_callers_scope(api):
    whole = await api.get("/api/v1/households/export", "demo-gridworker")
    assert whole.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(whole.content)).active.iter_rows(values_only=True))
    grids = {row[HEADERS.index("网格")] for row in rows[1:] if row[HEADERS.index("网格")]}
    assert grids == {"和谐社区第一网格"}  # the grid worker's own grid, and nothing else
    chief = await api.get("/api/v1/households/export", "demo-chief")
    chief_rows = list(openpyxl.load_workbook(io.BytesIO(chief.content)).active.iter_rows(values_only=True))
    assert {row[HEADERS.index("楼栋")] for row in chief_rows[1:]} == {"1号楼"}
