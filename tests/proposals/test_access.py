# ruff: noqa: E501 - the matrix is a wide table on purpose
"""Organisation proposals by a partner's contact: only the contact of that partner may propose for
it, and only while it is active; the proposal names the partner. The shared matrix
(tests/test_role_matrix.py) calls POST /proposals as the core demo roles; this one adds
demo-partner (contact of 鲁味坊餐馆). Each call runs in a savepoint rolled back afterwards."""

from __future__ import annotations

import pytest

from backend.auth.tokens import create_access_token
from backend.org.models import Compound
from backend.partners.models import Partner
from tests.proposals.targets import organisation_body, partner_objects
from tests.support.matrix import PREFIX, assert_error_shape

CALLERS = {"partner": "demo-partner", "resident": "demo-resident", "member": "demo-member", "admin": "demo-admin"}
NEW, OUT = "201", "403 out_of_scope"

# fmt: off
MATRIX = [
    # method  path          partner of the body       partner  resident  member  admin
    ("POST",  "/proposals", "partner_own",            NEW,     OUT,      OUT,    OUT),
    ("POST",  "/proposals", "partner_c1",             OUT,     OUT,      OUT,    OUT),
]
# fmt: on


@pytest.mark.parametrize(
    ("method", "path", "target", "expected"),
    [pytest.param(m, p, t, dict(zip(CALLERS, cells, strict=True)), id=f"{m} {p} [{t}]") for m, p, t, *cells in MATRIX],
)
async def test_only_a_partners_contact_proposes_for_it(api, app, session, method, path, target, expected):
    ids = await partner_objects(session)
    conn = app.state.test_connection
    wrong = []
    for caller, want in expected.items():
        code = CALLERS[caller]
        api.tokens[code] = create_access_token(app.state.settings, ids[code])[0]
        savepoint = await conn.begin_nested()
        try:
            r = await api.call(method, PREFIX + path, code, json=organisation_body(ids[target]))
        finally:
            await savepoint.rollback()
        got = str(r.status_code)
        if 400 <= r.status_code < 500:
            got += " " + assert_error_shape(r)["error"]
        if got != want:
            wrong.append(f"  as {caller}: expected {want}, got {got} {r.text[:200]}")
    assert not wrong, f"{method} {path} [{target}]\n" + "\n".join(wrong)


async def test_the_proposal_names_the_partner_and_follows_its_lifecycle(api, app, session):
    ids = await partner_objects(session)
    api.tokens["demo-partner"] = create_access_token(app.state.settings, ids["demo-partner"])[0]
    p = await api.ok(
        "POST", "/api/v1/proposals", "demo-partner", status=201, json=organisation_body(ids["partner_own"])
    )
    partner = await session.get(Partner, ids["partner_own"])
    compound = await session.get(Compound, p["compound_id"])
    assert p["kind"] == "organisation" and p["organisation_name"] == "鲁味坊餐馆" == partner.name
    assert compound.community_id == partner.community_id and p["status"] == "draft" and p["viewer_is_proposer"]
    # a name of its own is not taken: the proposal names the partner it is filed for
    other = await api.ok(
        "POST",
        "/api/v1/proposals",
        "demo-partner",
        status=201,
        json=organisation_body(ids["partner_own"], organisation_name="别的单位"),
    )
    assert other["organisation_name"] == "鲁味坊餐馆" and other["partner_id"] == ids["partner_own"]
    # and it stays the partner's: an edit may not rename it
    r = await api.patch(f"/api/v1/proposals/{other['id']}", "demo-partner", json={"organisation_name": "别的单位"})
    assert r.status_code == 422 and r.json()["error"] == "partner_name_fixed"
    edited = await api.ok(
        "PATCH", f"/api/v1/proposals/{other['id']}", "demo-partner", json={"title": "爱心午餐（每周三）"}
    )
    assert edited["title"] == "爱心午餐（每周三）" and edited["organisation_name"] == "鲁味坊餐馆"
    submitted = await api.ok("POST", f"/api/v1/proposals/{p['id']}/submit", "demo-partner", json={"none_applies": True})
    assert submitted["status"] == "submitted"

    # only organisation proposals name a partner; an inactive partner cannot propose
    r = await api.post(
        "/api/v1/proposals", "demo-partner", json=organisation_body(ids["partner_own"], kind="individual")
    )
    assert r.status_code == 422 and r.json()["error"] == "partner_only_for_organisation"
    r = await api.post("/api/v1/proposals", "demo-partner", json=organisation_body(999999))
    assert r.status_code == 404 and r.json()["error"] == "partner_not_found"
    partner.status = "suspended"
    await session.commit()
    r = await api.post("/api/v1/proposals", "demo-partner", json=organisation_body(ids["partner_own"]))
    assert r.status_code == 409 and r.json()["error"] == "partner_not_active"
    # without a partner, an organisation proposal is still a registered Party member's (a work unit's)
    r = await api.post(
        "/api/v1/proposals", "demo-partner", json=organisation_body(None, organisation_name="鲁味坊餐馆")
    )
    assert r.status_code == 403 and r.json()["error"] == "not_eligible"
