"""Raising grid issues."""

from __future__ import annotations

RAISE = {"category": "environment", "description": "楼道堆放大量杂物，堵塞通道。", "location": "2号楼1单元"}


async def raise_issue(api, ids, **kw) -> dict:
    return await api.ok(
        "POST", "/api/v1/issues", "demo-gridworker", status=201, json={**RAISE, "household_id": ids["house_g1"], **kw}
    )
