"""Schemathesis against the app's own OpenAPI, every route, as every demo role and anonymously:
no 5xx, and every documented response matches its schema. Bounded so CI stays within minutes
(HH_FUZZ_EXAMPLES raises the number of examples per route)."""

from __future__ import annotations

import json
import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from backend.openapi_export import render
from tests.support.live import ROLES

schema = schemathesis.openapi.from_dict(json.loads(render()))
EXAMPLES = int(os.environ.get("HH_FUZZ_EXAMPLES", "6"))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)
def test_no_server_errors_and_schema_conformance(case, live):
    for who in [None, *ROLES]:
        headers = {**(case.headers or {}), **live.headers(who)}
        case.call_and_validate(
            base_url=live.base, headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )
