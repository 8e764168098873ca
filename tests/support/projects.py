"""Projects (backend/projects): demo lookups and request bodies the project tests share."""

from __future__ import annotations

from sqlalchemy import select

from backend.directory.models import User
from backend.notify.models import Notification
from backend.org.models import Compound, Department
from tests.support.clock import set_now


async def ids(session) -> dict[str, int]:
    async def one(stmt) -> int:
        return (await session.execute(stmt)).scalar_one()

    out = {}
    for key, name in (("c1", "锦华苑"), ("c2", "翠湖花园"), ("c3", "阳光小区")):
        out[key] = await one(select(Compound.id).where(Compound.name == name))
    out["community_c1"] = await one(select(Compound.community_id).where(Compound.id == out["c1"]))
    out["dept"] = await one(select(Department.id).where(Department.name == "城管执法中队"))
    for code in ("demo-member", "demo-member2", "demo-depthead", "demo-department", "demo-admin", "demo-dispatcher"):
        out[code] = await one(select(User.id).where(User.openid == f"fake-openid-{code}"))
    return out


def project_body(compound_id: int, *, year: int = 2027, key: bool = True, **extra) -> dict:
    return {
        "scope": f"compound:{compound_id}",
        "title": extra.pop("title", "楼道文化墙"),
        "year": year,
        "key": key,
        "source": extra.pop("source", "plan"),
        "undertaker": extra.pop("undertaker", "锦华苑党支部"),
        **extra,
    }


async def create_started(api, compound_id: int, **extra) -> dict:
    """A compound project created by the compound branch, approved by the community, started."""
    p = await api.ok("POST", "/api/v1/projects", "demo-dispatcher", status=201, json=project_body(compound_id, **extra))
    await move(api, p["id"], "demo-admin", "approved")
    return await move(api, p["id"], "demo-dispatcher", "started")


async def move(api, project_id: int, who: str, event: str, reason: str | None = None) -> dict:
    body = {"event": event} | ({"reason": reason} if reason else {})
    return await api.ok("POST", f"/api/v1/projects/{project_id}/transitions", who, json=body)


async def notifications(session, event: str, user_id: int | None = None) -> list[Notification]:
    stmt = select(Notification).where(Notification.event == event)
    if user_id is not None:
        stmt = stmt.where(Notification.user_id == user_id)
    return list((await session.execute(stmt.order_by(Notification.id))).scalars())


def at(api, *args):
    """Move the clock (tests/support/clock.set_now) and log everyone in again: tokens expire."""
    api.tokens.clear()
    return set_now(*args)
