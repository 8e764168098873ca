"""The caller's grants are kept per worker for PRINCIPAL_CACHE_SECONDS (on by default, 60 s), keyed by
the user's (token_version, grants_version) read from the user's row on every request
(backend/auth/deps.py); every grant change bumps grants_version (backend/org/grant_versions.py).
So with the cache warm a role given or taken away, a scope added or removed, a partner contact's
new partner and a revoked token each count on the very next request, in this worker and in
another one (a second create_app() on the same database, with its own cache)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import delete, insert, select, update

from backend.app import create_app
from backend.auth import service as auth_service
from backend.auth.deps import Principal, PrincipalCache
from backend.directory.models import User
from backend.org import service as org_service
from backend.org.models import RoleGrant
from backend.partners.models import Partner
from tests.support.api import Api, error
from tests.support.db import make_settings

WALL = "/api/v1/wishes/wall"
# a party member's route resolved by current_caller (no user row) and one by current_principal
MEMBER_ROUTES = pytest.mark.parametrize("route", [WALL, "/api/v1/members/me"], ids=["caller", "user_row"])


@pytest.fixture
async def other(app, db, fake_wechat, tmp_path):
    """A second worker: its own app and PrincipalCache, on the same database (the test's connection)."""
    url, _ = db
    second = create_app(make_settings(url, fake_wechat, tmp_path / "second"))
    second.state.session_factory = app.state.session_factory
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://test") as c:
        yield second, Api(c)
    await second.state.engine.dispose()
    second.state.wechat.close()


@pytest.fixture
async def both(api, other):
    """The two workers' clients, logged in with the same tokens."""
    second = other[1]
    second.tokens = api.tokens
    return api, second


async def _user(session, code: str) -> User:
    return (await session.execute(select(User).where(User.openid == f"fake-openid-{code}"))).scalar_one()


async def _versions(session, user_id: int) -> tuple[int, int]:
    row = (await session.execute(select(User.token_version, User.grants_version).where(User.id == user_id))).one()
    return row[0], row[1]


def test_the_cache_is_on_by_default(app):
    assert app.state.settings.principal_cache_seconds == 60


async def test_a_warm_cache_answers_from_the_users_row_alone(app, api, session):
    member = await _user(session, "demo-member")
    await api.ok("GET", WALL, "demo-member")
    assert app.state.principal_cache.get(member.id, *await _versions(session, member.id)) is not None


async def test_a_role_given_counts_at_once_in_both_workers(app, other, both, session):
    a, b = both
    resident = await _user(session, "demo-resident")
    for client in (a, b):
        error(await client.get(WALL, "demo-resident"), 403, "role_required")  # both caches warm
    assert other[0].state.principal_cache.knows(resident.id)
    await org_service.grant(session, resident.id, "party_member", "compound", resident.compound_id)
    await session.commit()
    for client in (a, b):
        await client.ok("GET", WALL, "demo-resident")


@MEMBER_ROUTES
async def test_a_role_deleted_without_a_token_bump_ends_at_once_in_both_workers(both, session, route):
    a, b = both
    member = await _user(session, "demo-member")
    for client in (a, b):
        await client.ok("GET", route, "demo-member")
    before = await _versions(session, member.id)
    await session.execute(delete(RoleGrant).where(RoleGrant.user_id == member.id, RoleGrant.role == "party_member"))
    await session.commit()
    after = await _versions(session, member.id)
    assert after[0] == before[0] and after[1] > before[1]  # no logout: the grants' version alone moved
    for client in (a, b):
        error(await client.get(route, "demo-member"), 403, "role_required")


async def test_a_grant_deleted_through_the_unit_of_work_ends_at_once(both, session):
    a, b = both
    member = await _user(session, "demo-member")
    for client in (a, b):
        await client.ok("GET", WALL, "demo-member")
    grants = (
        await session.execute(select(RoleGrant).where(RoleGrant.user_id == member.id, RoleGrant.role == "party_member"))
    ).scalars()
    for grant in grants:
        await session.delete(grant)
    await session.commit()
    for client in (a, b):
        error(await client.get(WALL, "demo-member"), 403, "role_required")


async def test_a_role_removed_through_the_service_revokes_the_token(both, session):
    a, b = both
    member = await _user(session, "demo-member")
    for client in (a, b):
        await client.ok("GET", WALL, "demo-member")
    grant = (
        (
            await session.execute(
                select(RoleGrant).where(RoleGrant.user_id == member.id, RoleGrant.role == "party_member")
            )
        )
        .scalars()
        .first()
    )
    assert await auth_service.remove_grant(session, member.id, grant.role, grant.scope_type, grant.scope_id)
    await session.commit()
    for client in (a, b):
        error(await client.get(WALL, "demo-member"), 401, "token_revoked")


async def test_a_compound_scope_added_and_removed_counts_at_once(both, session, world):
    a, b = both
    dispatcher = await _user(session, "demo-dispatcher")
    path = f"/api/v1/wishes?compound_id={world.compounds['X']}"
    for client in (a, b):
        error(await client.get(path, "demo-dispatcher"), 403, "out_of_scope")
    await org_service.grant(session, dispatcher.id, "dispatcher", "compound", world.compounds["X"])
    await session.commit()
    for client in (a, b):
        assert (await client.ok("GET", path, "demo-dispatcher"))["items"] == []
    # the grant moved to compound Y (a scope change, not a delete): X is out of reach again, Y within it
    grant = (
        await session.execute(
            select(RoleGrant).where(RoleGrant.user_id == dispatcher.id, RoleGrant.scope_id == world.compounds["X"])
        )
    ).scalar_one()
    grant.scope_id = world.compounds["Y"]
    await session.commit()
    for client in (a, b):
        error(await client.get(path, "demo-dispatcher"), 403, "out_of_scope")
        await client.ok("GET", f"/api/v1/wishes?compound_id={world.compounds['Y']}", "demo-dispatcher")
    await session.execute(
        update(RoleGrant).where(RoleGrant.id == grant.id).values(scope_id=world.compounds["X"])
    )  # a bulk UPDATE
    await session.commit()
    for client in (a, b):
        await client.ok("GET", path, "demo-dispatcher")
    await session.execute(delete(RoleGrant).where(RoleGrant.id == grant.id))
    await session.commit()
    for client in (a, b):
        error(await client.get(path, "demo-dispatcher"), 403, "out_of_scope")


async def test_a_community_scope_added_and_removed_counts_at_once(both, session, world):
    a, b = both
    admin = await _user(session, "demo-admin")

    async def communities(client) -> set[str]:
        tree = await client.ok("GET", "/api/v1/org/tree", "demo-admin")
        return {c["name"] for s in tree["streets"] for c in s["communities"]}

    for client in (a, b):
        assert "试验社区" not in await communities(client)
    await session.execute(  # a bulk INSERT through the session counts as well
        insert(RoleGrant).values(
            user_id=admin.id, role="community_admin", scope_type="community", scope_id=world.community
        )
    )
    await session.commit()
    for client in (a, b):
        assert "试验社区" in await communities(client)
        # and the compounds below the community are reached through it (compound_ids)
        await client.ok("GET", f"/api/v1/wishes?compound_id={world.compounds['X']}", "demo-admin")
    await session.execute(delete(RoleGrant).where(RoleGrant.user_id == admin.id, RoleGrant.scope_id == world.community))
    await session.commit()
    for client in (a, b):
        assert "试验社区" not in await communities(client)
        error(await client.get(f"/api/v1/wishes?compound_id={world.compounds['X']}", "demo-admin"), 403)


async def test_a_partner_contacts_new_partner_counts_at_once_in_the_other_worker(both, session):
    """The case that kept the cache off: a contact added in one worker is read through scope_ids
    (viewer_is_contact) in the other."""
    a, b = both
    other_partner = (await session.execute(select(Partner.id).where(Partner.name == "惠民大药房"))).scalar_one()
    resident = await a.ok("GET", "/api/v1/me", "demo-resident")
    for client in (a, b):
        error(await client.get(f"/api/v1/partners/{other_partner}", "demo-resident"), 403, "out_of_scope")
    await a.ok("POST", f"/api/v1/partners/{other_partner}/contacts", "demo-admin", json={"user_id": resident["id"]})
    for client in (b, a):
        assert (await client.ok("GET", f"/api/v1/partners/{other_partner}", "demo-resident"))["viewer_is_contact"]


@MEMBER_ROUTES
async def test_a_logged_out_token_is_refused_at_once_in_both_workers(app, both, session, route):
    a, b = both
    member = await _user(session, "demo-member")
    for client in (a, b):
        await client.ok("GET", route, "demo-member")
    assert app.state.principal_cache.knows(member.id)
    old = await a.headers("demo-member")
    r = await b.client.post("/api/v1/auth/logout", headers=old)
    assert r.status_code == 204, r.text
    for client in (a, b):
        error(await client.client.get(route, headers=old), 401, "token_revoked")


@MEMBER_ROUTES
async def test_with_the_cache_off_nothing_is_kept(app, api, session, route):
    app.state.principal_cache = PrincipalCache(0)
    member = await _user(session, "demo-member")
    await api.ok("GET", route, "demo-member")
    assert not app.state.principal_cache.knows(member.id)
    await session.execute(delete(RoleGrant).where(RoleGrant.user_id == member.id, RoleGrant.role == "party_member"))
    await session.commit()
    error(await api.get(route, "demo-member"), 403, "role_required")


async def test_the_cache_is_keyed_by_both_versions():
    cache = PrincipalCache(5)
    cache.put(7, 0, 0, ())
    assert cache.get(7, 0, 0) == ()
    assert cache.get(7, 1, 0) is None
    assert cache.get(7, 0, 1) is None
    assert cache.get(8, 0, 0) is None


async def test_grant_statements_whose_holders_cannot_be_told_are_refused(session):
    """An INSERT … SELECT, or an UPDATE moving grants to another user, would change grants without a
    bump: refused loudly rather than cached wrongly."""
    with pytest.raises(NotImplementedError):
        await session.execute(update(RoleGrant).where(RoleGrant.id == -1).values(user_id=1))
    await session.rollback()


def test_a_caller_resolved_without_the_user_row_refuses_to_pretend_it_has_one():
    caller = Principal(7, [])  # what current_caller gives the lean reads
    assert caller.id == 7 and caller.roles == ["resident"]
    with pytest.raises(RuntimeError, match="CurrentCaller"):
        caller.user  # noqa: B018
