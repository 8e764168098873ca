"""Logging in through (fake) WeChat, bearer tokens, and the caller's own profile (GET/PATCH /me)."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

from jose import jwt
from sqlalchemy import select

from backend.auth.tokens import create_access_token
from backend.kernel.clock import clock
from backend.org.models import Compound, Household

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def error(r, status: int, code: str | None = None) -> dict:
    """Assert an error answer: the status, the {"error", "detail"} shape, and the code."""
    assert r.status_code == status, f"expected {status}, got {r.status_code} {r.text}"
    body = r.json()
    assert {"error", "detail"} <= body.keys(), body
    assert isinstance(body["error"], str) and isinstance(body["detail"], str) and body["detail"], body
    if code is not None:
        assert body["error"] == code, body
    return body


async def compound_id(session, name: str) -> int:
    return (await session.execute(select(Compound.id).where(Compound.name == name))).scalar_one()


async def household_of(session, compound: int) -> int:
    stmt = select(Household.id).where(Household.compound_id == compound).order_by(Household.id.desc()).limit(1)
    return (await session.execute(stmt)).scalar_one()


# ---- login ---------------------------------------------------------------------------------------


async def test_first_login_creates_a_resident_and_second_finds_them(client):
    r = await client.post("/api/v1/auth/wechat", json={"code": "newcomer-first-login"})
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["new_user"] is True
    assert first["user"]["roles"] == ["resident"]
    assert first["token_type"] == "bearer" and first["access_token"]
    assert first["expires_in"] == 7 * 24 * 3600

    r = await client.post("/api/v1/auth/wechat", json={"code": "newcomer-first-login"})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["new_user"] is False
    assert second["user"]["id"] == first["user"]["id"]

    # both tokens work and name the same person
    for token in (first["access_token"], second["access_token"]):
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["id"] == first["user"]["id"]
        assert me.json()["compound_id"] is None and me.json()["roles"] == ["resident"] and me.json()["grants"] == []


async def test_demo_user_login_brings_their_roles(api):
    login = await api.login("demo-member")
    assert login["new_user"] is False
    assert login["user"]["name"] == "张伟"
    assert login["user"]["roles"] == ["resident", "party_member"]
    assert (await api.login("demo-street"))["user"]["roles"] == ["resident", "street_admin"]


async def test_invalid_code_is_401_in_chinese(client):
    r = await client.post("/api/v1/auth/wechat", json={"code": "invalid-code-123"})
    body = error(r, 401, "invalid_code")
    assert CHINESE.search(body["detail"]), body


async def test_rate_limited_login_is_429(client):
    r = await client.post("/api/v1/auth/wechat", json={"code": "ratelimit-please"})
    body = error(r, 429, "login_rate_limited")
    assert CHINESE.search(body["detail"])
    assert r.headers.get("retry-after") == "60"


async def test_login_needs_a_code(client):
    for body in ({}, {"code": ""}, {"code": "   "}, {"code": "x" * 129}):
        error(await client.post("/api/v1/auth/wechat", json=body), 422, "invalid_input")


# ---- tokens --------------------------------------------------------------------------------------


async def test_missing_token_is_not_authenticated(client):
    error(await client.get("/api/v1/me"), 401, "not_authenticated")
    error(await client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401, "not_authenticated")
    error(await client.get("/api/v1/me", headers={"Authorization": "Bearer"}), 401, "not_authenticated")


async def test_forged_tokens_are_invalid(api, app):
    user_id = (await api.login("demo-resident"))["user"]["id"]
    settings = app.state.settings
    exp = int((clock.now() + timedelta(days=1)).timestamp())
    forged = {
        "garbage": "not-a-jwt",
        "wrong secret": jwt.encode({"sub": str(user_id), "exp": exp}, "someone-elses-secret", algorithm="HS256"),
        "alg none": _b64({"alg": "none", "typ": "JWT"}) + "." + _b64({"sub": str(user_id), "exp": exp}) + ".",
        "signature stripped": api.tokens["demo-resident"].rsplit(".", 1)[0] + ".",
        "tampered sub": _swap_payload(api.tokens["demo-resident"], {"sub": "1", "exp": exp}),
        "no exp": jwt.encode({"sub": str(user_id)}, settings.jwt_secret, algorithm="HS256"),
        "sub not a number": jwt.encode({"sub": "admin", "exp": exp}, settings.jwt_secret, algorithm="HS256"),
        "user does not exist": create_access_token(settings, 987654321)[0],
    }
    for label, token in forged.items():
        r = await api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        body = error(r, 401)
        assert body["error"] == "invalid_token", f"{label}: {body}"
    # the real one still works
    assert (await api.ok("GET", "/api/v1/me", "demo-resident"))["id"] == user_id


def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def _swap_payload(token: str, claims: dict) -> str:
    """Keep the header and signature of a real token, replace its claims."""
    header, _, signature = token.split(".")
    other = jwt.encode(claims, "x", algorithm="HS256").split(".")[1]
    return f"{header}.{other}.{signature}"


async def test_token_expires_after_its_ttl(api, app):
    await api.login("demo-resident")
    ttl = app.state.settings.jwt_ttl_seconds
    clock.advance(timedelta(seconds=ttl - 60))
    assert (await api.get("/api/v1/me", "demo-resident")).status_code == 200
    clock.advance(timedelta(seconds=61))
    body = error(await api.get("/api/v1/me", "demo-resident"), 401, "token_expired")
    assert CHINESE.search(body["detail"])
    # logging in again gives a fresh token
    api.tokens.clear()
    assert (await api.get("/api/v1/me", "demo-resident")).status_code == 200


# ---- GET /me ---------------------------------------------------------------------------------


async def test_me_shows_profile_and_grants(api, session):
    c1 = await compound_id(session, "锦华苑")
    me = await api.ok("GET", "/api/v1/me", "demo-resident")
    assert me["name"] == "王秀兰" and me["phone"] == "13800000001"
    assert me["compound_id"] == c1 and me["compound_name"] == "锦华苑"
    assert me["household_id"] and re.fullmatch(r"\d号楼\d单元\d0\d", me["room"]), me["room"]
    assert me["roles"] == ["resident"] and me["grants"] == []

    dispatcher = await api.ok("GET", "/api/v1/me", "demo-dispatcher")
    assert dispatcher["roles"] == ["resident", "dispatcher"]
    assert dispatcher["grants"] == [{"role": "dispatcher", "scope_type": "compound", "scope_id": c1}]


# ---- PATCH /me -------------------------------------------------------------------------------


async def test_new_user_binds_to_compound_and_household(api, session):
    login = await api.login("newcomer-binds")
    assert login["new_user"]
    c1 = await compound_id(session, "锦华苑")
    household = await household_of(session, c1)

    me = await api.ok(
        "PATCH",
        "/api/v1/me",
        "newcomer-binds",
        json={"name": " 新居民 ", "phone": "13912345678", "compound_id": c1, "household_id": household},
    )
    assert me["name"] == "新居民" and me["phone"] == "13912345678"
    assert me["compound_id"] == c1 and me["compound_name"] == "锦华苑"
    # the household is a claim until verified (住户认证, tests/people/test_verification.py)
    assert me["household_id"] is None and me["room"] is None and me["household_status"] == "pending"
    assert me["verification"]["household_id"] == household and me["verification"]["room"]
    assert me == await api.ok("GET", "/api/v1/me", "newcomer-binds")

    # now they can place a wish in their compound
    wish = await api.ok(
        "POST", "/api/v1/wishes", "newcomer-binds", status=201, json={"title": "想学用手机挂号", "category": "skills"}
    )
    assert wish["compound_id"] == c1

    # moving to another compound forgets the old household
    c2 = await compound_id(session, "翠湖花园")
    moved = await api.ok("PATCH", "/api/v1/me", "newcomer-binds", json={"compound_id": c2})
    assert moved["compound_id"] == c2 and moved["household_id"] is None and moved["room"] is None
    assert moved["household_status"] == "none" and moved["verification"] is None, "the claim is withdrawn"
    assert moved["name"] == "新居民", "fields not sent are kept"


async def test_new_user_cannot_place_a_wish_before_binding(api):
    await api.login("newcomer-unbound")
    r = await api.post("/api/v1/wishes", "newcomer-unbound", json={"title": "想要拐杖", "category": "goods"})
    error(r, 409, "compound_required")


async def test_household_needs_a_compound_first(api, session):
    await api.login("newcomer-no-compound")
    household = await household_of(session, await compound_id(session, "锦华苑"))
    r = await api.patch("/api/v1/me", "newcomer-no-compound", json={"household_id": household})
    error(r, 409, "compound_required")


async def test_mainland_mobile_numbers_only(api):
    await api.login("newcomer-phone")
    for phone in ("12345678901", "1381234567", "138123456789", "+8613812345678", "1381234567a", "", "02088886666"):
        r = await api.patch("/api/v1/me", "newcomer-phone", json={"phone": phone})
        body = error(r, 422, "invalid_input")
        assert "手机号" in body["detail"] and body["fields"][0]["field"] == "phone", body
    me = await api.ok("PATCH", "/api/v1/me", "newcomer-phone", json={"phone": " 19912345678 "})
    assert me["phone"] == "19912345678"


async def test_name_is_checked(api):
    await api.login("newcomer-name")
    for name in ("", "   ", "长" * 21):
        body = error(await api.patch("/api/v1/me", "newcomer-name", json={"name": name}), 422, "invalid_input")
        assert "姓名" in body["detail"] and body["fields"][0]["field"] == "name", body


async def test_unknown_compound_is_404(api):
    await api.login("newcomer-404")
    body = error(await api.patch("/api/v1/me", "newcomer-404", json={"compound_id": 999999}), 404, "compound_not_found")
    assert CHINESE.search(body["detail"])
    error(await api.patch("/api/v1/me", "newcomer-404", json={"compound_id": "锦华苑"}), 422, "invalid_input")


async def test_household_of_another_compound_is_422_and_nothing_changes(api, session):
    await api.login("newcomer-wrong-house")
    c1, c2 = await compound_id(session, "锦华苑"), await compound_id(session, "翠湖花园")
    elsewhere = await household_of(session, c2)
    r = await api.patch(
        "/api/v1/me", "newcomer-wrong-house", json={"name": "王五", "compound_id": c1, "household_id": elsewhere}
    )
    error(r, 422, "household_not_in_compound")
    me = await api.ok("GET", "/api/v1/me", "newcomer-wrong-house")
    assert me["compound_id"] is None and me["name"] == "", "a refused PATCH changes nothing"

    error(
        await api.patch("/api/v1/me", "newcomer-wrong-house", json={"compound_id": c1, "household_id": 99999999}),
        404,
        "household_not_found",
    )


async def test_demo_resident_cannot_take_a_household_of_another_compound(api, session):
    c2 = await compound_id(session, "翠湖花园")
    r = await api.patch("/api/v1/me", "demo-resident", json={"household_id": await household_of(session, c2)})
    error(r, 422, "household_not_in_compound")
