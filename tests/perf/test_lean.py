"""backend/kernel/lean.py serves the hottest GET routes without FastAPI's per-request machinery.
Its answers must be FastAPI's: the same status and body for good requests and bad ones, with the
lean path taking the good ones and handing the rest to the full stack."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

import pytest
from fastapi import Body, Depends, FastAPI, Header
from fastapi.responses import JSONResponse

from backend.kernel import lean
from backend.kernel.clock import clock, utcnow
from backend.kernel.responses import FastJSON
from backend.notify.schemas import InboxPage
from backend.visits.schemas import CoverageOut

SIGNED = re.compile(r"(/uploads/[^?\"]+)\?[^\"]*")  # a signed URL's expiry may tick between two calls


def _lean_of(app) -> lean.LeanRoutes:
    found = getattr(app.state, "lean", None)
    assert found is not None, "the app's middleware stack holds the lean routes"
    return found


async def _both(app, api, path: str, who: str | None):
    """The answer of the lean path (when it takes the request) and of the full stack alone."""
    first = await api.get(path, who)  # builds the middleware stack on the first call
    gate = _lean_of(app)
    before = gate.served
    with_lean = await api.get(path, who)
    took = gate.served - before
    gate.enabled = False
    try:
        without = await api.get(path, who)
    finally:
        gate.enabled = True
    del first
    return with_lean, without, took


def _body(r) -> str:
    return SIGNED.sub(r"\1", r.text)


async def test_the_lean_routes_answer_what_fastapi_answers(app, api):
    clock.freeze(utcnow())  # coverage says when it counted: the two answers of a pair at one instant
    wall = (await api.ok("GET", "/api/v1/wishes/wall?limit=1", "demo-member"))["next_cursor"]
    mine = (await api.ok("GET", "/api/v1/wishes?mine=true", "demo-resident"))["items"]
    assert wall and mine
    wish = mine[0]["id"]
    cases = [
        # (path, caller, does the lean path answer it?)
        ("/api/v1/wishes/wall", "demo-member", True),
        ("/api/v1/wishes/wall?limit=1", "demo-member", True),
        (f"/api/v1/wishes/wall?limit=2&cursor={wall}", "demo-member", True),
        ("/api/v1/wishes/wall?unknown=1", "demo-member", True),  # FastAPI ignores unknown keys too
        ("/api/v1/wishes/wall?limit=020", "demo-member", False),  # FastAPI coerces it: its answer
        ("/api/v1/wishes/wall?limit=0", "demo-member", False),  # 422
        ("/api/v1/wishes/wall?limit=101", "demo-member", False),  # 422
        ("/api/v1/wishes/wall?limit=1&limit=2", "demo-member", False),  # repeated key
        ("/api/v1/wishes/wall?cursor=", "demo-member", False),
        ("/api/v1/wishes/wall?cursor=x", "demo-member", False),  # 422 from parse_cursor
        ("/api/v1/wishes/wall?compound_id=999999", "demo-member", False),  # 403 out of scope
        ("/api/v1/wishes/wall", "demo-resident", False),  # 403 role_required
        ("/api/v1/wishes/wall", None, False),  # 401
        ("/api/v1/wishes?mine=true", "demo-resident", True),
        ("/api/v1/wishes?mine=false", "demo-resident", True),
        ("/api/v1/wishes?mine=yes", "demo-resident", False),  # FastAPI's bool rules
        ("/api/v1/wishes", "demo-dispatcher", True),
        ("/api/v1/wishes?status=open,accepted&limit=3", "demo-dispatcher", True),
        ("/api/v1/wishes?status=nonsense", "demo-dispatcher", False),  # 422 from the route
        ("/api/v1/wishes?compound_id=999999", "demo-dispatcher", False),  # 403
        (f"/api/v1/wishes/{wish}", "demo-resident", True),
        (f"/api/v1/wishes/{wish}", "demo-dispatcher", True),
        (f"/api/v1/wishes/{wish}", "demo-member", None),  # as the policy decides
        ("/api/v1/wishes/999999999", "demo-resident", False),  # 404
        ("/api/v1/wishes/0", "demo-resident", False),  # 422
        ("/api/v1/wishes/abc", "demo-resident", False),
        ("/api/v1/wishes/categories", "demo-resident", False),  # another route
        ("/api/v1/wishes/", "demo-resident", False),
        ("/api/v1/inbox", "demo-member", True),
        ("/api/v1/inbox?limit=2", "demo-admin", True),
        ("/api/v1/inbox?limit=-1", "demo-admin", False),
        ("/api/v1/inbox", None, False),
        ("/api/v1/visits/coverage", "demo-gridworker", True),
        ("/api/v1/visits/coverage?period=2026-11", "demo-admin", True),
        ("/api/v1/visits/coverage?period=2026-13", "demo-admin", False),  # 422 from the period syntax
        ("/api/v1/visits/coverage?grid_id=999999", "demo-gridworker", False),  # 403
        ("/api/v1/visits/coverage", "demo-resident", False),  # 403
    ]
    for path, who, lean_expected in cases:
        with_lean, without, took = await _both(app, api, path, who)
        label = f"{path} as {who}"
        assert with_lean.status_code == without.status_code, label
        assert _body(with_lean) == _body(without), label
        assert with_lean.headers.get("content-type") == without.headers.get("content-type"), label
        assert with_lean.headers.get("x-request-id"), label
        if lean_expected is None:
            lean_expected = with_lean.status_code == 200
        assert took == (1 if lean_expected else 0), f"{label}: lean path taken {took} times"
        if lean_expected:
            assert with_lean.status_code == 200, label


async def test_the_inbox_and_coverage_answer_their_models_bytes(api):
    for path, who, model in (
        ("/api/v1/inbox?limit=50", "demo-admin", InboxPage),
        ("/api/v1/visits/coverage", "demo-gridworker", CoverageOut),
        ("/api/v1/visits/coverage", "demo-admin", CoverageOut),
    ):
        r = await api.get(path, who)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        assert r.content == model.model_validate_json(r.content).model_dump_json().encode(), path


async def test_a_lean_answer_is_counted_under_its_route(app, api):
    await api.ok("GET", "/api/v1/wishes/wall", "demo-member")
    await api.ok("GET", "/api/v1/wishes/wall", "demo-member")
    assert _lean_of(app).served >= 1
    text = (await api.client.get("/metrics")).text
    assert re.search(r'route="/api/v1/wishes/wall",status="200"', text), "the histogram names the route"


def _app_with(endpoint: Callable) -> FastAPI:
    app = FastAPI()
    app.get("/x")(endpoint)
    return app


async def _needs_header(x_token: Annotated[str, Header()]) -> str:
    return x_token


async def _generator_after_response():
    yield 1


def _sync_dependency() -> int:
    return 1


async def _returns_a_model() -> dict:
    return {}


async def _takes_header(value: Annotated[str, Depends(_needs_header)]) -> FastJSON:
    return FastJSON({"v": value})


async def _takes_body(body: Annotated[dict, Body()]) -> FastJSON:
    return FastJSON(body)


async def _takes_request_scoped(value: Annotated[int, Depends(_generator_after_response)]) -> FastJSON:
    return FastJSON({"v": value})


async def _takes_sync(value: Annotated[int, Depends(_sync_dependency)]) -> JSONResponse:
    return JSONResponse({"v": value})


@pytest.mark.parametrize("endpoint", [_takes_header, _takes_body, _takes_request_scoped, _takes_sync, _returns_a_model])
def test_a_route_the_lean_path_cannot_serve_is_refused_when_the_app_is_built(endpoint):
    with pytest.raises(lean.LeanRouteRefused):
        lean.build(_app_with(endpoint), [endpoint])
