"""Who is calling: `CurrentUser` resolves the bearer token to a Principal (user + role grants);
`require_role(...)` makes a route state which roles may call it. Scope checks (which compound)
are made with the Principal's helpers once the route knows the object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.tokens import decode_access_token
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.driver_read import DriverRead
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
    versions: tuple[int, int]  # (token_version, grants_version) the grants were read under
    until: datetime
    grants: tuple[Grant, ...]


class PrincipalCache:
    """The caller's grants per user, kept in this process for PRINCIPAL_CACHE_SECONDS and only for
    the (token_version, grants_version) they were read under. Both versions are read from the
    user's row on every request (the user is loaded anyway), and every change to a user's grants
    bumps grants_version in its own transaction (backend/org/grant_versions.py): a logout, a role
    given or taken away, a scope added or removed counts on the very next request, in every worker.
    The TTL only bounds memory and how long an unused entry lingers."""

    def __init__(self, seconds: float, max_entries: int = 50_000) -> None:
        self.ttl = timedelta(seconds=seconds)
        self.max_entries = max_entries
        self.entries: dict[int, _Cached] = {}

    def knows(self, user_id: int) -> bool:
        """Whether some grants of this user are kept (current or not): then loading the user's row
        alone is likely to be enough."""
        return user_id in self.entries

    def get(self, user_id: int, token_version: int, grants_version: int) -> tuple[Grant, ...] | None:
        hit = self.entries.get(user_id)
        if hit is None or hit.versions != (token_version, grants_version) or hit.until <= utcnow():
            return None
        return hit.grants

    def put(self, user_id: int, token_version: int, grants_version: int, grants: tuple[Grant, ...]) -> None:
        if not self.ttl:
            return
        if len(self.entries) >= self.max_entries and user_id not in self.entries:
            self.entries.clear()  # crude, and rare: a worker sees far fewer callers within a TTL
        self.entries[user_id] = _Cached((token_version, grants_version), utcnow() + self.ttl, grants)


@dataclass
class Principal:
    """The caller: their id, their grants, and (for every route but the lean reads that state
    `CurrentCaller`) their user row as an ORM object."""

    user_id: int
    grants: list[Grant] | list[RoleGrant]
    loaded_user: User | None = None
    _compound_cache: dict[tuple[str, ...], set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, user: User, grants: list[Grant] | list[RoleGrant]) -> Principal:
        assert user.id is not None
        return cls(user.id, grants, user)

    @property
    def user(self) -> User:
        if self.loaded_user is None:
            raise RuntimeError("the caller was resolved without their user row (CurrentCaller): state CurrentUser")
        return self.loaded_user

    @property
    def id(self) -> int:
        return self.user_id

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
        if compound_id not in await self.compound_ids(session, *roles):
            raise Forbidden("您没有该小区的相应权限", code="out_of_scope")


bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/v1/auth/wechat")


def principal_cache(request: Request) -> PrincipalCache:
    cache = getattr(request.app.state, "principal_cache", None)
    if cache is None:  # one per app: tests run apps on different databases in one process
        cache = request.app.state.principal_cache = PrincipalCache(request.app.state.settings.principal_cache_seconds)
    return cache


def _grants_of(rows) -> tuple[Grant, ...]:
    return tuple(Grant(r, t, i) for *_, r, t, i in rows if r is not None)


# The three statements every request sends one of, built once (building and keying them afresh cost
# more CPU than running them); the caller is the bound parameter `user_id`.
_USER = select(User).where(User.id == bindparam("user_id"))
_USER_AND_GRANTS = (
    select(User, RoleGrant.role, RoleGrant.scope_type, RoleGrant.scope_id)
    .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
    .where(User.id == bindparam("user_id"))
    .order_by(RoleGrant.id)
)
_VERSIONS_AND_GRANTS = (
    select(User.token_version, User.grants_version, RoleGrant.role, RoleGrant.scope_type, RoleGrant.scope_id)
    .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
    .where(User.id == bindparam("user_id"))
    .order_by(RoleGrant.id)
)


async def _user_and_grants(session: AsyncSession, user_id: int) -> tuple[User | None, tuple[Grant, ...]]:
    """The user and their grants in one statement (nothing kept for this user)."""
    rows = (await session.execute(_USER_AND_GRANTS, {"user_id": user_id})).all()
    if not rows:
        return None, ()
    return rows[0][0], _grants_of(rows)


async def _versions_and_grants(session: AsyncSession, user_id: int) -> tuple[tuple[int, int], tuple[Grant, ...]]:
    """The grants with the versions they belong to, read in one statement (so on PostgreSQL from one
    snapshot: never newer versions with older grants)."""
    rows = (await session.execute(_VERSIONS_AND_GRANTS, {"user_id": user_id})).all()
    return ((rows[0][0], rows[0][1]) if rows else (-1, -1)), _grants_of(rows)


def _token_of(settings, credentials: HTTPAuthorizationCredentials | None) -> tuple[int, int]:
    """The bearer token's user id and token version (Unauthorized when there is none or it is bad)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("请先登录", code="not_authenticated")
    return decode_access_token(settings, credentials.credentials)


def _refuse_unless_current(token_version: int | None, version: int) -> None:
    """The user's row (its token_version, None when there is no row) against the token's version."""
    if token_version is None:
        raise Unauthorized("账号不存在，请重新登录", code="invalid_token")
    if version != token_version:
        raise Unauthorized("登录已失效，请重新登录", code="token_revoked")


async def current_principal(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    user_id, version = _token_of(settings, credentials)
    cache = principal_cache(request)
    grants: tuple[Grant, ...] | None = None
    if cache.knows(user_id):  # the user's row says whether the kept grants are current
        user = (await session.execute(_USER, {"user_id": user_id})).scalar_one_or_none()
        if user is not None and version == user.token_version:
            grants = cache.get(user_id, user.token_version, user.grants_version)
            if grants is None:  # a grant changed (or the entry expired): read them again
                versions, grants = await _versions_and_grants(session, user_id)
                cache.put(user_id, *versions, grants)
    else:  # a caller this worker has not seen: the user and their grants in one statement
        user, grants = await _user_and_grants(session, user_id)
        if user is not None and version == user.token_version:
            cache.put(user_id, user.token_version, user.grants_version, grants)
    _refuse_unless_current(user.token_version if user is not None else None, version)  # the row just loaded
    assert user is not None and grants is not None
    return Principal.of(user, list(grants))


_VERSIONS_READ = DriverRead(select(User.token_version, User.grants_version).where(User.id == bindparam("user_id")))
_VERSIONS_AND_GRANTS_READ = DriverRead(_VERSIONS_AND_GRANTS)


async def current_caller(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """`current_principal` for the hot reads that need the caller's id and grants, never their user
    row: the same token checks and the same cache, on the row's two versions alone (read through
    the driver, no ORM object). Its Principal has no `user`; asking for it is an error."""
    user_id, version = _token_of(settings, credentials)
    cache = principal_cache(request)
    grants: tuple[Grant, ...] | None = None
    if cache.knows(user_id):  # the row's two versions say whether the kept grants are current
        rows = await _VERSIONS_READ.all(session, {"user_id": user_id})
        _refuse_unless_current(rows[0].token_version if rows else None, version)
        grants = cache.get(user_id, rows[0].token_version, rows[0].grants_version)
    if grants is None:  # not seen, changed or expired: the versions and the grants in one statement
        rows = await _VERSIONS_AND_GRANTS_READ.all(session, {"user_id": user_id})
        _refuse_unless_current(rows[0].token_version if rows else None, version)
        grants = _grants_of(rows)
        cache.put(user_id, rows[0].token_version, rows[0].grants_version, grants)
    return Principal(user_id, list(grants))


CurrentUser = Annotated[Principal, Depends(current_principal)]
CurrentCaller = Annotated[Principal, Depends(current_caller)]  # the lean reads: no user row


def require_role(*roles: str, caller_only: bool = False):
    """Dependency: the caller must hold at least one of `roles` (anywhere; scope is checked later).
    `caller_only`: resolved by `current_caller` (the route never reads `principal.user`)."""

    if caller_only:

        async def light_checker(principal: CurrentCaller) -> Principal:
            if not principal.has_role(*roles):
                raise Forbidden("您没有执行此操作的角色权限", code="role_required")
            return principal

        return Depends(light_checker)

    async def checker(principal: CurrentUser) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden("您没有执行此操作的角色权限", code="role_required")
        return principal

    return Depends(checker)


# Every role alias a route may state lives here, so a reader finds who may call what in one place.
Dispatcher = Annotated[Principal, require_role("dispatcher")]
Member = Annotated[Principal, require_role("party_member")]
MemberCaller = Annotated[Principal, require_role("party_member", caller_only=True)]  # the wish wall
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
