"""Who is calling: `CurrentUser` resolves the bearer token to a Principal (user + role grants);
`require_role(...)` makes a route state which roles may call it. Scope checks (which compound)
are made with the Principal's helpers once the route knows the object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.tokens import decode_access_token
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, Unauthorized
from backend.org import service as org_service
from backend.org.models import RoleGrant

ROLES = (
    "resident",
    "party_member",
    "dispatcher",
    "grid_worker",
    "building_chief",  # 楼栋长: granted on scope_type "building"; visits the households of that building
    "community_admin",
    "department_staff",
    "department_head",  # 部门负责人: granted on scope "department"; receives the first escalation
    "street_admin",
    "partner_contact",  # 合伙人联系人: granted on scope_type "partner"; acts for that partner
    "team_leader",  # 志愿服务队队长: granted on scope_type "team"; runs that team and its activities
)
# Roles whose grants reach down to compounds, and the scope type each is granted on.
COMPOUND_REACH = {
    "dispatcher": "compound",
    "party_member": "compound",
    "community_admin": "community",
    "street_admin": "street",
}


@dataclass(frozen=True, slots=True)
class Grant:
    """A role grant as the caller's Principal holds it: plain values, safe to keep between requests."""

    role: str
    scope_type: str
    scope_id: int


@dataclass(slots=True)
class _Cached:
    version: int
    until: datetime
    grants: tuple[Grant, ...]


class PrincipalCache:
    """The caller's grants per user, kept in this process for PRINCIPAL_CACHE_SECONDS and only for
    the token version they were read under. The version itself is read from the user's row on
    every request (the user is loaded anyway), so a logout or a revoked role (both bump
    token_version) is refused at once. A role or compound given since counts at once where a role
    check or `require_compound` would refuse (Principal.reload_grants); a grant taken away without
    a bump, or a new scope read through `compound_ids`/`scope_ids` alone, shows within the TTL."""

    def __init__(self, seconds: float, max_entries: int = 50_000) -> None:
        self.ttl = timedelta(seconds=seconds)
        self.max_entries = max_entries
        self.entries: dict[int, _Cached] = {}

    def get(self, user_id: int, version: int) -> tuple[Grant, ...] | None:
        hit = self.entries.get(user_id)
        if hit is None or hit.version != version or hit.until <= utcnow():
            return None
        return hit.grants

    def put(self, user_id: int, version: int, grants: tuple[Grant, ...]) -> None:
        if not self.ttl:
            return
        if len(self.entries) >= self.max_entries:
            self.entries.clear()  # crude, and rare: a worker sees far fewer callers within a TTL
        self.entries[user_id] = _Cached(version, utcnow() + self.ttl, grants)


@dataclass
class Principal:
    user: User
    grants: list[Grant] | list[RoleGrant]
    _compound_cache: dict[tuple[str, ...], set[int]] = field(default_factory=dict)
    cached: bool = False  # the grants came from the PrincipalCache (a grant given since is not in them)
    cache: PrincipalCache | None = None

    async def reload_grants(self, session: AsyncSession) -> bool:
        """When the grants came from the cache, read them again (a role or scope given moments ago
        counts at once when a check would refuse); whether they were read again."""
        if not self.cached:
            return False
        rows = await session.execute(
            select(RoleGrant.role, RoleGrant.scope_type, RoleGrant.scope_id)
            .where(RoleGrant.user_id == self.id)
            .order_by(RoleGrant.id)
        )
        grants = tuple(Grant(*r) for r in rows.all())
        self.grants, self.cached = list(grants), False
        self._compound_cache.clear()
        if self.cache is not None:
            self.cache.put(self.id, self.user.token_version, grants)
        return True

    @property
    def id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def roles(self) -> list[str]:
        held = {g.role for g in self.grants} | {"resident"}
        return [r for r in ROLES if r in held]

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    def scope_ids(self, role: str, scope_type: str) -> set[int]:
        return {g.scope_id for g in self.grants if g.role == role and g.scope_type == scope_type}

    async def compound_ids(self, session: AsyncSession, *roles: str) -> set[int]:
        """Compounds this principal reaches through any of `roles` (community and street grants
        reach every compound below them)."""
        key = tuple(sorted(roles))
        if key not in self._compound_cache:
            direct = {g.scope_id for g in self.grants if g.role in roles and g.scope_type == "compound"}
            communities = {g.scope_id for g in self.grants if g.role in roles and g.scope_type == "community"}
            streets = {g.scope_id for g in self.grants if g.role in roles and g.scope_type == "street"}
            below = await org_service.compounds_under(session, community_ids=communities, street_ids=streets)
            self._compound_cache[key] = direct | below
        return self._compound_cache[key]

    async def require_compound(self, session: AsyncSession, compound_id: int, *roles: str) -> None:
        if compound_id in await self.compound_ids(session, *roles):
            return
        if not (await self.reload_grants(session) and compound_id in await self.compound_ids(session, *roles)):
            raise Forbidden("您没有该小区的相应权限", code="out_of_scope")


bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/wechat")


def principal_cache(request: Request) -> PrincipalCache:
    cache = getattr(request.app.state, "principal_cache", None)
    if cache is None:  # one per app: tests run apps on different databases in one process
        cache = request.app.state.principal_cache = PrincipalCache(request.app.state.settings.principal_cache_seconds)
    return cache


async def _user_and_grants(session: AsyncSession, user_id: int) -> tuple[User | None, tuple[Grant, ...]]:
    """The user and their grants in one statement (a cache miss)."""
    rows = (
        await session.execute(
            select(User, RoleGrant.role, RoleGrant.scope_type, RoleGrant.scope_id)
            .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
            .where(User.id == user_id)
            .order_by(RoleGrant.id)
        )
    ).all()
    if not rows:
        return None, ()
    return rows[0][0], tuple(Grant(r, t, i) for _, r, t, i in rows if r is not None)


async def current_principal(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("请先登录", code="not_authenticated")
    user_id, version = decode_access_token(settings, credentials.credentials)
    cache = principal_cache(request)
    grants = cache.get(user_id, version)
    missed = grants is None
    if missed:
        user, grants = await _user_and_grants(session, user_id)
    else:  # the grants are known for this token version: the user's row alone says it is current
        user = (await session.execute(select(User).where(User.id == user_id))).scalar_one_or_none()
    if user is None:
        raise Unauthorized("账号不存在，请重新登录", code="invalid_token")
    if version != user.token_version:  # compared on the row just loaded: no extra query
        raise Unauthorized("登录已失效，请重新登录", code="token_revoked")
    if missed:  # kept from the read, not refreshed by later hits: the TTL bounds how stale they get
        cache.put(user_id, version, grants)
    return Principal(user=user, grants=list(grants), cached=not missed, cache=cache)


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: str):
    """Dependency: the caller must hold at least one of `roles` (anywhere; scope is checked later)."""

    async def checker(principal: CurrentUser, session: SessionDep) -> Principal:
        if principal.has_role(*roles):
            return principal
        if not (await principal.reload_grants(session) and principal.has_role(*roles)):  # a role just given
            raise Forbidden("您没有执行此操作的角色权限", code="role_required")
        return principal

    return Depends(checker)


# Every role alias a route may state lives here, so a reader finds who may call what in one place.
Dispatcher = Annotated[Principal, require_role("dispatcher")]
Member = Annotated[Principal, require_role("party_member")]
Admin = Annotated[Principal, require_role("community_admin", "street_admin")]
Staff = Annotated[Principal, require_role("dispatcher", "community_admin", "street_admin")]
# Grid work (backend/households, backend/visits): who visits, and who may read the register.
GridWorker = Annotated[Principal, require_role("grid_worker", "building_chief")]
GridReader = Annotated[Principal, require_role("grid_worker", "building_chief", "community_admin", "street_admin")]
GridStaff = Annotated[Principal, require_role("grid_worker", "community_admin", "street_admin")]
# Escalation (backend/issues): who raises and whistles, who answers for a department, who reads figures.
IssueReader = Annotated[
    Principal,
    require_role("grid_worker", "department_staff", "department_head", "community_admin", "street_admin"),
]
DepartmentStaff = Annotated[Principal, require_role("department_staff", "department_head")]
GridWorkerOnly = Annotated[Principal, require_role("grid_worker")]
IssueResolver = Annotated[Principal, require_role("department_staff", "department_head", "grid_worker")]
# Party members' reporting-in is decided by the compound's dispatcher or the community admin.
MemberApprover = Annotated[Principal, require_role("dispatcher", "community_admin")]
CommunityAdmin = Annotated[Principal, require_role("community_admin")]
# Figures and ledgers: departments read their own figures, admins their tree's.
FigureReader = Annotated[
    Principal, require_role("department_staff", "department_head", "community_admin", "street_admin")
]
# Partners, volunteering and the three lists (backend/partners, backend/volunteering, backend/lists).
PartnerContact = Annotated[Principal, require_role("partner_contact")]
# Who may organise an activity: the community, a team's leader, a partner's contact.
Organiser = Annotated[Principal, require_role("community_admin", "street_admin", "team_leader", "partner_contact")]
# Who publishes list batches: the community admin or the compound branch (its dispatcher); the street too.
ListPublisher = Annotated[Principal, require_role("community_admin", "dispatcher", "street_admin")]
StreetAdmin = Annotated[Principal, require_role("street_admin")]
ProjectManager = Annotated[Principal, require_role("dispatcher", "community_admin")]  # compound branch, community
