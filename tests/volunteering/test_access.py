# ruff: noqa: E501 - the matrix is a wide table on purpose
"""Partner contacts see and act only for their partner; team leaders only for their team.

The shared matrix (tests/test_role_matrix.py) calls every route as the core demo roles; this one
adds the two roles of co-building — demo-partner (contact of 鲁味坊餐馆) and demo-leader (leader of
和谐社区红色先锋志愿服务队) — with the community admin beside them for contrast. Each call runs in
a savepoint rolled back afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.auth.tokens import create_access_token
from backend.directory.models import User
from tests.support.matrix import PREFIX, assert_error_shape
from tests.support.matrix import matrix_url as _url
from tests.volunteering.targets import cobuild_bodies, cobuild_objects

CALLERS = {"partner": "demo-partner", "leader": "demo-leader", "admin": "demo-admin"}
OK, NEW, NO, OUT = "200", "201", "403 role_required", "403 out_of_scope"

# fmt: off
MATRIX = [
    # method  path                                              target               partner  leader  admin
    ("GET",   "/partners/{partner_id}",                         "partner_own",       OK,      OUT,    OK),
    ("GET",   "/partners/{partner_id}",                         "partner_c1",        OUT,     OUT,    OK),
    ("POST",  "/partners/{partner_id}/transitions",             "partner_applied_c1", NO,     NO,     OK),
    ("POST",  "/timebank/offers",                               "?partner_id=partner_own", NEW, NO,   NO),
    ("POST",  "/timebank/offers",                               "?partner_id=partner_c1",  OUT, NO,   NO),
    ("POST",  "/redemptions/{redemption_id}/decide",            "redemption_own",    OK,      NO,     NO),
    ("POST",  "/redemptions/{redemption_id}/decide",            "redemption_c1",     OUT,     NO,     NO),
    ("POST",  "/team-memberships/{membership_id}/decide",       "membership_own",    OUT,     OK,     OK),
    ("POST",  "/team-memberships/{membership_id}/decide",       "membership_other",  OUT,     OUT,    OK),
    ("GET",   "/activities/{activity_id}/registrations",        "act_own",           OUT,     OK,     OK),
    ("GET",   "/activities/{activity_id}/registrations",        "act_other",         OUT,     OUT,    OK),
    ("GET",   "/activities/{activity_id}/checkin-code",         "act_own",           OUT,     OK,     OK),
    ("GET",   "/activities/{activity_id}/checkin-code",         "act_other",         OUT,     OUT,    OK),
    ("POST",  "/activities/{activity_id}/roster",               "act_own",           OUT,     OK,     OK),
    ("POST",  "/activities/{activity_id}/roster",               "act_other",         OUT,     OUT,    OK),
    ("POST",  "/registrations/{registration_id}/check-out",     "reg_own_completed", OUT,     "409 invalid_state", "409 invalid_state"),
    ("POST",  "/teams/{team_id}/join",                          "team_other",        NEW,     NEW,    NEW),
]
# fmt: on


def _body(method, path, target, ids):
    bodies = cobuild_bodies(ids)
    if path == "/timebank/offers":
        return {"json": {"partner_id": ids[target.split("=")[1]], "title": "矩阵兑换", "cost": 5}}
    make = bodies.get((method, path))
    return make() if make else {}


@pytest.mark.parametrize(
    ("method", "path", "target", "expected"),
    [pytest.param(m, p, t, dict(zip(CALLERS, cells, strict=True)), id=f"{m} {p} [{t}]") for m, p, t, *cells in MATRIX],
)
async def test_scope_of_contacts_and_leaders(api, app, session, db, method, path, target, expected):
    ids = await cobuild_objects(session)
    for code in ("demo-admin", "demo-resident"):
        ids[code] = (await session.execute(select(User.id).where(User.openid == f"fake-openid-{code}"))).scalar_one()
    url = PREFIX + path if target.startswith("?") else _url(path, target, ids)
    conn = app.state.test_connection
    wrong = []
    for caller, want in expected.items():
        code = CALLERS[caller]
        # the token login would give (no WeChat round trip: tests/auth covers login itself)
        api.tokens[code] = create_access_token(app.state.settings, ids[code])[0]
        savepoint = await conn.begin_nested()
        try:
            r = await api.call(method, url, code, **_body(method, path, target, ids))
        finally:
            await savepoint.rollback()
        got = str(r.status_code)
        if 400 <= r.status_code < 500:
            got += " " + assert_error_shape(r)["error"]
        if got != want:
            wrong.append(f"  as {caller}: expected {want}, got {got} {r.text[:200]}")
    assert not wrong, f"{method} {path} [{target}]\n" + "\n".join(wrong)
