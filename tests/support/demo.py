"""Lookups of demo rows by the names a user would know them by."""

from __future__ import annotations

from sqlalchemy import select

from backend.directory.models import User
from backend.org.models import Department, Grid, Household


async def grid_id(session, name: str) -> int:
    return (await session.execute(select(Grid.id).where(Grid.name == name))).scalar_one()


async def user_id(session, code: str) -> int:
    return (await session.execute(select(User.id).where(User.openid == f"fake-openid-{code}"))).scalar_one()


async def households_of_grid(session, name: str, *, without_users: bool = False) -> list[int]:
    stmt = select(Household.id).where(Household.grid_id == await grid_id(session, name)).order_by(Household.id)
    if without_users:
        stmt = stmt.where(~select(User.id).where(User.household_id == Household.id).exists())
    return list((await session.execute(stmt)).scalars())


async def demo_ids(session) -> dict[str, int]:
    """Ids of the demo's grid workers, department staff, street and community admins, grid 1, a household
    of it and two departments, by the names the demo gives them."""

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
