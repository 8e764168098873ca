"""`?scope=` and `?period=` of the figures, ledgers and reports, and who may read them.

scope: `street:<id>`, `community:<id>`, `compound:<id>` or `department:<id>` (omitted: the caller's
first department, community or street). period (Asia/Shanghai): `2026`, `2026-H2`, `2026-Q3`,
`2026-11`, or `2026-09-01..2026-10-01` (omitted: the current quarter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.errors import Forbidden, InvalidInput, NotFound
from backend.org.models import Community, Compound, Department, Street


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime  # aware UTC, inclusive
    end: datetime  # aware UTC, exclusive
    first_day: date
    end_day: date  # exclusive


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).astimezone(UTC)


def _period(label: str, first: date, end: date) -> Period:
    return Period(label, _at(first), _at(end), first, end)


def _month_after(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1)


def parse_period(text: str | None) -> Period:
    if not text:
        today = utcnow().astimezone(SHANGHAI).date()
        text = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    text = text.strip().upper()
    try:
        if m := re.fullmatch(r"(\d{4})", text):
            y = int(m[1])
            return _period(text, date(y, 1, 1), date(y + 1, 1, 1))
        if m := re.fullmatch(r"(\d{4})-H([12])", text):
            y, h = int(m[1]), int(m[2])
            return _period(text, date(y, 1 + 6 * (h - 1), 1), date(y + 1, 1, 1) if h == 2 else date(y, 7, 1))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            y, q = int(m[1]), int(m[2])
            return _period(text, date(y, 3 * q - 2, 1), _month_after(y, 3 * q))
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            y, mo = int(m[1]), int(m[2])
            return _period(text, date(y, mo, 1), _month_after(y, mo))
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
            a, b = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if b <= a or (b - a).days > 1100:
                raise ValueError
            return _period(text, a, b)
    except ValueError:
        pass
    raise InvalidInput(
        "period 格式应为 2026、2026-H2、2026-Q3、2026-11 或 2026-09-01..2026-10-01", code="invalid_period"
    )


def quarter_of(period: Period) -> bool:
    return re.fullmatch(r"\d{4}-Q[1-4]", period.label) is not None


@dataclass
class Scope:
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
) -> Scope:
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
        return Scope("department", sid, dept.name, dept.street_id, set(), set())
    if kind == "street":
        street = await session.get(Street, sid)
        if street is None:
            raise NotFound(f"街道 {sid} 不存在", code="street_not_found")
        if sid not in streets:
            raise Forbidden("您不是该街道的管理员", code="out_of_scope")
        comms = set((await session.execute(select(Community.id).where(Community.street_id == sid))).scalars())
        cps = set((await session.execute(select(Compound.id).where(Compound.community_id.in_(comms)))).scalars())
        return Scope("street", sid, street.name, sid, comms, cps)
    if kind == "community":
        community = await session.get(Community, sid)
        if community is None:
            raise NotFound(f"社区 {sid} 不存在", code="community_not_found")
        if sid not in communities and community.street_id not in streets:
            raise Forbidden("您不是该社区的管理员", code="out_of_scope")
        cps = set((await session.execute(select(Compound.id).where(Compound.community_id == sid))).scalars())
        return Scope("community", sid, community.name, community.street_id, {sid}, cps)
    compound = await session.get(Compound, sid)
    if compound is None:
        raise NotFound(f"小区 {sid} 不存在", code="compound_not_found")
    community = await session.get(Community, compound.community_id)
    assert community is not None
    if compound.community_id not in communities and community.street_id not in streets:
        raise Forbidden("您不是该小区所在社区或街道的管理员", code="out_of_scope")
    return Scope("compound", sid, compound.name, community.street_id, {community.id}, {sid})
