"""A JSON response for hot routes that build their answer as plain dicts: encoded once, by orjson,
with no response-model validation on the way out. The route keeps its `response_model` (the
OpenAPI schema); tests compare these bytes with the model's own serialisation
(tests/perf/test_fast_json.py), so the answer means exactly what the model would have said.

orjson writes what pydantic writes for these values: compact separators, UTF-8 (no \\u escapes),
aware UTC datetimes with a trailing Z (OPT_UTC_Z), microseconds only when there are some."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel
from starlette.responses import Response


class FastJSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_UTC_Z)


class ModelJSON(Response):
    """A response model serialised once by pydantic itself (the route's `response_model` would
    validate the finished model again before serialising it)."""

    media_type = "application/json"

    def render(self, content: BaseModel) -> bytes:
        return content.__pydantic_serializer__.to_json(content)
