"""Demo rows the proposals' access matrix calls on (tests/proposals/test_access.py): the demo
partner contact and the partners it does or does not act for."""

from __future__ import annotations

from sqlalchemy import select

from backend.directory.models import User
from backend.partners.models import Partner

CODES = ("demo-partner", "demo-resident", "demo-member", "demo-admin")


async def partner_objects(session) -> dict[str, int]:
    async def one(stmt) -> int:
        value = (await session.execute(stmt.limit(1))).scalar_one_or_none()
        assert value is not None, f"demo data lacks {stmt}"
        return value

    ids = {code: await one(select(User.id).where(User.openid == f"fake-openid-{code}")) for code in CODES}
    ids["partner_own"] = await one(select(Partner.id).where(Partner.name == "鲁味坊餐馆"))  # demo-partner's
    ids["partner_c1"] = await one(select(Partner.id).where(Partner.name == "惠民大药房"))  # another partner
    ids["partner_applied_c1"] = await one(select(Partner.id).where(Partner.name == "阳光助老服务社"))
    return ids


def organisation_body(partner_id: int, **overrides) -> dict:
    return {
        "kind": "organisation",
        "level": "community",
        "partner_id": partner_id,
        "title": "爱心午餐进社区",
        "problem": "独居老人中午吃饭难",
        "solution": "餐馆每周三为社区独居老人送午餐，社区志愿者配送",
        "category": "elderly_children",
        "will_undertake": True,
        "undertaking": "餐馆出餐，每周三中午送到",
        **overrides,
    }
