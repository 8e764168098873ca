"""Helpers for the proposal tests: residents of a compound with households of their own."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from backend.directory.models import User
from backend.org.models import Compound, Household

NEW = {
    "title": "锦华苑3号楼加装休息座椅",
    "problem": "3号楼老人多，楼下没有地方歇脚，夏天只能站着聊天",
    "solution": "在3号楼北侧空地安装四张防腐木座椅，由物业统一采购",
    "category": "facilities",
}


async def compound_id(session, name: str = "锦华苑") -> int:
    return (await session.execute(select(Compound.id).where(Compound.name == name))).scalar_one()


async def residents(session, n: int, compound: str = "锦华苑") -> list[str]:
    """n new residents, each bound to a household of the compound that nobody lives in yet; returns
    their login codes (the fake WeChat answers openid fake-openid-<code>)."""
    cid = await compound_id(session, compound)
    taken = select(User.household_id).where(User.household_id.is_not(None))
    free = (
        await session.execute(
            select(Household.id).where(Household.compound_id == cid, Household.id.not_in(taken)).order_by(Household.id)
        )
    ).scalars()
    households = list(free)[:n]
    assert len(households) == n
    tag = uuid.uuid4().hex[:6]
    codes = []
    for i, hid in enumerate(households):
        code = f"prop-{tag}-{i}"
        session.add(User(openid=f"fake-openid-{code}", name=f"居民{tag[:2]}{i}", compound_id=cid, household_id=hid))
        codes.append(code)
    await session.flush()
    await session.commit()
    return codes


async def draft(api, who="demo-resident", **overrides) -> dict:
    return await api.ok("POST", "/api/v1/proposals", who, status=201, json={**NEW, **overrides})


async def submitted(api, who="demo-resident", **overrides) -> dict:
    p = await draft(api, who, **overrides)
    return await api.ok("POST", f"/api/v1/proposals/{p['id']}/submit", who, json={"none_applies": True})


def events(p: dict) -> list[str]:
    return [e["type"] for e in p["events"]]


def steps(p: dict) -> dict[str, bool]:
    return {s["name"]: s["done"] for s in p["steps"]}
