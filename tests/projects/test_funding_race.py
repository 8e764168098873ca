"""Two spends racing against one receipt, with real commits on PostgreSQL: exactly one is taken,
the other is refused with 409 and the figures, and spent never exceeds received."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from backend.app import create_app
from backend.kernel.db import make_session_factory
from backend.org.models import Compound
from backend.projects.models import FundingChange, FundingLine
from tests.support.db import make_settings
from tests.support.projects import project_body


async def test_two_spends_racing_against_one_receipt(db, fake_wechat, tmp_path):
    url, engine = db
    if not url.startswith("postgresql"):
        pytest.skip("concurrent writers are PostgreSQL's; SQLite serialises the whole database")
    app = create_app(make_settings(url, fake_wechat, tmp_path))
    factory = make_session_factory(engine)
    async with factory() as s:
        c1 = (await s.execute(select(Compound.id).where(Compound.name == "锦华苑"))).scalar_one()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:

        async def auth(code: str) -> dict:
            r = await c.post("/api/v1/auth/wechat", json={"code": code})
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        branch, admin = await auth("demo-dispatcher"), await auth("demo-admin")
        r = await c.post("/api/v1/projects", headers=branch, json=project_body(c1, year=2035, title="并发支出测试"))
        pid = r.json()["id"]
        for event in ("approved", "started"):
            r = await c.post(f"/api/v1/projects/{pid}/transitions", headers=admin, json={"event": event})
            assert r.status_code == 200, r.text
        for kind in ("pledged", "received"):
            body = {"source": "venture", "kind": kind, "amount": 100000, "note": "公益创投资金"}
            assert (await c.post(f"/api/v1/projects/{pid}/funding", headers=branch, json=body)).status_code == 200
        spend = {"source": "venture", "kind": "spent", "amount": 60000, "note": "采购"}
        results = await asyncio.gather(
            *(c.post(f"/api/v1/projects/{pid}/funding", headers=h, json=spend) for h in (branch, admin, branch))
        )
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409, 409], [r.text for r in results]
    refused = [r.json() for r in results if r.status_code == 409]
    assert all(b["error"] == "spent_exceeds_received" and "将超过到账1,000.00元" in b["detail"] for b in refused)
    async with factory() as s:
        line = (await s.execute(select(FundingLine).where(FundingLine.project_id == pid))).scalar_one()
        spent_rows = (
            (
                await s.execute(
                    select(FundingChange.amount).where(FundingChange.line_id == line.id, FundingChange.kind == "spent")
                )
            )
            .scalars()
            .all()
        )
    assert (line.pledged, line.received, line.spent) == (100000, 100000, 60000) and spent_rows == [60000]
    await app.state.engine.dispose()
    app.state.wechat.close()
