"""`?scope=` of the figures, ledgers and reports, and who may read them: `street:<id>`,
`community:<id>`, `compound:<id>` or `department:<id>` (omitted: the caller's first department,
community or street). Street admins read their street, community admins their community and its
compounds, department staff and heads their department. (Not to be confused with
backend.households.scope.RegisterScope: which households a grid worker or chief may see.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.kernel.errors import Forbidden, InvalidInput, NotFound
from backend.org.models import Community, Compound, Department, Street

ScopeQ = Annotated[str | None, Query(max_length=30, description="street:<id> | community:<id> | department:<id>")]
AreaScopeQ = Annotated[str | None, Query(max_length=30, description="street:<id> | community:<id> | compound:<id>")]


@dataclass
class ReportScope:
    kind: str  # street | community | compound | department
    id: int
    name: str
    street_id: int
    community_ids: set[int]  # empty for department
    compound_ids: set[int]  # empty for department

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


KINDS = ("street", "community", "compound", "department")


def _default_scope(principal: Principal, kinds: tuple[str, ...]) -> str:
    for role, kind in (
        ("department_head", "department"),
        ("department_staff", "department"),
        ("community_admin", "community"),
        ("street_admin", "street"),
    ):
        if kind in kinds:
            ids = sorted(principal.scope_ids(role, kind))
            if ids:
                return f"{kind}:{ids[0]}"
    raise Forbidden("您没有可查看的范围", code="role_required")


async def resolve_scope(
    session: AsyncSession, principal: Principal, text: str | None, kinds: tuple[str, ...] = KINDS
) -> ReportScope:
    """Parse and authorise: street admins of the street, community admins of the community (and its
    compounds), department staff and heads of their department."""
    text = text or _default_scope(principal, kinds)
    m = re.fullmatch(r"(street|community|compound|department):(\d{1,9})", text.strip())
    if not m or m[1] not in kinds:
        raise InvalidInput(f"scope 格式应为 {' / '.join(k + ':<id>' for k in kinds)}", code="invalid_scope")
    kind, sid = m[1], int(m[2])
    streets = principal.scope_ids("street_admin", "street")
    communities = principal.scope_ids("community_admin", "community")
    if kind == "department":
        dept = await session.get(Department, sid)
        if dept is None:
            raise NotFound(f"部门 {sid} 不存在", code="department_not_found")
        ok = sid in principal.scope_ids("department_staff", "department") | principal.scope_ids(
            "department_head", "department"
        )
        if not (ok or dept.street_id in streets):
            raise Forbidden("您不是该部门的工作人员或街道管理员", code="out_of_scope")
        return ReportScope("department", sid, dept.name, dept.street_id, set(), set())
    if kind == "street":
        street = await session.get(Street, sid)
        if street is None:
            raise NotFound(f"街道 {sid} 不存在", code="street_not_found")
        if sid not in streets:
            raise Forbidden("您不是该街道的管理员", code="out_of_scope")
        comms = set((await session.execute(select(Community.id).where(Community.street_id == sid))).scalars())
        cps = set((await session.execute(select(Compound.id).where(Compound.community_id.in_(comms)))).scalars())
        return ReportScope("street", sid, street.name, sid, comms, cps)
    if kind == "community":
        community = await session.get(Community, sid)
        if community is None:
            raise NotFound(f"社区 {sid} 不存在", code="community_not_found")
        if sid not in communities and community.street_id not in streets:
            raise Forbidden("您不是该社区的管理员", code="out_of_scope")
        cps = set((await session.execute(select(Compound.id).where(Compound.community_id == sid))).scalars())
        return ReportScope("community", sid, community.name, community.street_id, {sid}, cps)
    compound = await session.get(Compound, sid)
    if compound is None:
        raise NotFound(f"小区 {sid} 不存在", code="compound_not_found")
    community = await session.get(Community, compound.community_id)
    assert community is not None
    if compound.community_id not in communities and community.street_id not in streets:
        raise Forbidden("您不是该小区所在社区或街道的管理员", code="out_of_scope")
    return ReportScope("compound", sid, compound.name, community.street_id, {community.id}, {sid})
