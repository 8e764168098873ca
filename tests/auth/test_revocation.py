"""Tokens that must stop working (issue 12, item 8): a `sub` no integer column can hold, a logged-out
token, a token from before a role was taken away or the household binding ended."""

from __future__ import annotations

from datetime import timedelta

from jose import jwt
from sqlalchemy import select

from backend.auth import service as auth_service
from backend.directory.models import User
from backend.kernel.clock import clock


def error(r, status: int, code: str) -> dict:
    assert r.status_code == status, f"expected {status}, got {r.status_code} {r.text}"
    body = r.json()
    assert body["error"] == code and body["detail"], body
    return body


async def test_a_sub_that_overflows_an_integer_is_401_not_500(api, app):
    exp = int((clock.now() + timedelta(days=1)).timestamp())
    secret = app.state.settings.jwt_secret
    for sub in ("9" * 30, str(2**31), str(2**63), "0", "²", "١٢"):
        token = jwt.encode({"sub": sub, "exp": exp}, secret, algorithm="HS256")
        r = await api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        error(r, 401, "invalid_token")
    token = jwt.encode({"sub": "1", "exp": exp, "ver": "0"}, secret, algorithm="HS256")
    error(await api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401, "invalid_token")


async def test_logout_revokes_every_earlier_token(api):
    await api.login("demo-member")
    first = api.tokens["demo-member"]
    await api.login("demo-member")
    second = api.tokens["demo-member"]
    r = await api.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {second}"})
    assert r.status_code == 204, r.text
    for token in (first, second):
        r = await api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        error(r, 401, "token_revoked")
    # logging in again gives a token that works
    await api.login("demo-member")
    assert (await api.ok("GET", "/api/v1/members/me", "demo-member"))["name"] == "张伟"


async def test_removing_a_role_revokes_the_holders_tokens(api, session):
    await api.login("demo-dispatcher")
    token = api.tokens["demo-dispatcher"]
    await api.ok("GET", "/api/v1/members/registrations", "demo-dispatcher")
    user = (await session.execute(select(User).where(User.openid == "fake-openid-demo-dispatcher"))).scalar_one()
    grant = (await api.ok("GET", "/api/v1/me", "demo-dispatcher"))["grants"][0]
    assert await auth_service.remove_grant(session, user.id, "dispatcher", grant["scope_type"], grant["scope_id"])
    assert not await auth_service.remove_grant(session, user.id, "dispatcher", grant["scope_type"], grant["scope_id"])
    await session.commit()
    r = await api.client.get("/api/v1/members/registrations", headers={"Authorization": f"Bearer {token}"})
    error(r, 401, "token_revoked")
    await api.login("demo-dispatcher")
    error(await api.get("/api/v1/members/registrations", "demo-dispatcher"), 403, "role_required")


async def test_a_household_change_revokes_tokens(api):
    await api.login("demo-resident2")
    token = api.tokens["demo-resident2"]
    await api.ok("POST", "/api/v1/me/leave-household", "demo-resident2")
    error(await api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401, "token_revoked")
