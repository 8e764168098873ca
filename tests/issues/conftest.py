from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from backend.directory.models import User
from backend.kernel.clock import SHANGHAI, clock
from backend.org.models import Department, Grid, Household


def set_now(*args) -> datetime:
    """Move the controllable clock to a moment given in Asia/Shanghai."""
    target = datetime(*args, tzinfo=SHANGHAI)
    clock.advance(target - clock.now())
    return target


@pytest.fixture
async def demo_ids(session) -> dict[str, int]:
    async def one(stmt):
        value = (await session.execute(stmt.limit(1))).scalar_one_or_none()
        assert value is not None, stmt
        return value

    ids = {}
    for code in (
        "demo-gridworker",
        "demo-gridworker2",
        "demo-department",
        "demo-depthead",
        "demo-street",
        "demo-admin",
    ):
        ids[code] = await one(select(User.id).where(User.openid == f"fake-openid-{code}"))
    ids["grid_g1"] = await one(select(Grid.id).where(Grid.name == "和谐社区第一网格"))
    ids["house_g1"] = await one(select(Household.id).where(Household.grid_id == ids["grid_g1"]).order_by(Household.id))
    ids["dept1"] = await one(select(Department.id).where(Department.name == "城管执法中队"))
    ids["dept2"] = await one(select(Department.id).where(Department.name == "市场监管所"))
    return ids
