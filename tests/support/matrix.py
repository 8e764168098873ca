"""The role matrix's URL building and error-shape check, shared with the domain access tests."""

from __future__ import annotations

PREFIX = "/api/v1"


def matrix_url(path: str, target: str | None, ids: dict[str, int]) -> str:
    if target is None:
        return PREFIX + path
    if target.startswith("?"):
        key, _, value = target[1:].partition("=")
        return f"{PREFIX}{path}?{key}={ids.get(value, value)}"
    for part in target.split("+"):  # "a+b": two path parameters, in order
        start, end = path.index("{"), path.index("}")
        path = path[:start] + str(ids[part]) + path[end + 1 :]
    return PREFIX + path


def assert_error_shape(r) -> dict:
    body = r.json()
    assert isinstance(body, dict) and {"error", "detail"} <= body.keys(), r.text
    assert isinstance(body["error"], str) and body["error"], r.text
    assert isinstance(body["detail"], str) and body["detail"], r.text
    return body
