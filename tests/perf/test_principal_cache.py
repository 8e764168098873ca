"""The caller's grants are kept per worker for PRINCIPAL_CACHE_SECONDS (backend/auth/deps.py),
but a logout or a removed role (both bump the token version) is refused at once, warm cache or not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from backend.auth import service as auth_service
from backend.auth.deps import PrincipalCache
from backend.directory.models import User
from backend.kernel.clock import clock
from backend.org import service as org_service
from backend.org.models import RoleGrant
from tests.support.api import error

WALL = "/api/v1/wishes/wall"
TTL = 5.0


@pytest.fixture(autouse=True)
def _cache_on(app):
    app.state.principal_cache = PrincipalCache(TTL)  # PRINCIPAL_CACHE_SECONDS is 0 (off) by default


async def _member_id(session) -> int:
    return (await session.execute(select(User.id).where(User.openid == "fake-openid-demo-member"))).scalar_one()


async def test_a_logged_out_token_is_refused_at_once_with_the_cache_warm(app, api, session):
    await api.ok("GET", WALL, "demo-member")
    member = await _member_id(session)
    assert app.state.principal_cache.get(member, 0) is not None  # warm
    old = await api.headers("demo-member")
    r = await api.client.post("/api/v1/auth/logout", headers=old)
    assert r.status_code == 204, r.text
    error(await api.client.get(WALL, headers=old), 401, "token_revoked")


async def test_a_role_removed_through_the_service_ends_at_once(app, api, session):
    await api.ok("GET", WALL, "demo-member")
    member = await _member_id(session)
    grant = (
        (await session.execute(select(RoleGrant).where(RoleGrant.user_id == member, RoleGrant.role == "party_member")))
        .scalars()
        .first()
    )
    assert await auth_service.remove_grant(session, member, grant.role, grant.scope_type, grant.scope_id)
    await session.commit()
    error(await api.get(WALL, "demo-member"), 401, "token_revoked")


async def test_a_grant_deleted_without_a_version_bump_ends_within_the_ttl(app, api, session):
    ttl = TTL
    await api.ok("GET", WALL, "demo-member")
    member = await _member_id(session)
    await session.execute(delete(RoleGrant).where(RoleGrant.user_id == member, RoleGrant.role == "party_member"))
    await session.commit()
    await api.ok("GET", WALL, "demo-member")  # still the cached grants: this is what the TTL allows
    clock.advance(timedelta(seconds=ttl + 0.1))
    error(await api.get(WALL, "demo-member"), 403, "role_required")


async def test_with_the_cache_off_a_deleted_grant_ends_at_once(app, api, session):
    app.state.principal_cache = PrincipalCache(0)
    await api.ok("GET", WALL, "demo-member")
    member = await _member_id(session)
    assert app.state.principal_cache.get(member, 0) is None  # nothing kept
    await session.execute(delete(RoleGrant).where(RoleGrant.user_id == member, RoleGrant.role == "party_member"))
    await session.commit()
    error(await api.get(WALL, "demo-member"), 403, "role_required")


async def test_a_role_given_with_the_cache_warm_counts_at_once(app, api, session):
    """A resident approved as a Party member (no token version bump) opens the wall right away."""
    resident = (await session.execute(select(User).where(User.openid == "fake-openid-demo-resident"))).scalar_one()
    error(await api.get(WALL, "demo-resident"), 403, "role_required")  # the cache is warm now
    assert app.state.principal_cache.get(resident.id, resident.token_version) is not None
    await org_service.grant(session, resident.id, "party_member", "compound", resident.compound_id)
    await session.commit()
    await api.ok("GET", WALL, "demo-resident")


async def test_the_cache_is_keyed_by_the_token_version():
    cache = PrincipalCache(5)
    cache.put(7, 0, ())
    assert cache.get(7, 0) == ()
    assert cache.get(7, 1) is None
    assert cache.get(8, 0) is None
