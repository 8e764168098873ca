"""Lean dispatch of the hottest GET routes: the same endpoint functions and the same dependencies,
called without FastAPI's per-request machinery (route matching over every route of the app,
`solve_dependencies` with its validation and error collection, the exit stacks, the exception
middleware). A profile of the wish wall gave that machinery about a fifth of the server's CPU.

A lean route is an ordinary FastAPI route that is also named in `LEAN_ROUTES` (backend/app.py).
When the app starts, its dependency tree (FastAPI's own `Dependant`) is turned into a plan: which
dependencies to call in which order, which query and path parameters to read. A route whose tree
holds anything the plan does not handle (a body, headers, cookies, security scopes, a plain `def`,
a dependency torn down after the response, an endpoint that does not return a Response) is refused
when the app is built, so a change to a hot route cannot slip past unnoticed.

The lean path only ever answers the ordinary case, and hands everything else to the full stack
before it has sent a byte:
- parameters in their canonical form only (`limit=20`, `mine=true`); anything FastAPI would have
  to coerce or reject (`limit=020`, `limit=abc`, `mine=yes`, a repeated key) goes to FastAPI;
- any exception (401, 403, 404, a database error, a bug): the dependencies are torn down as FastAPI
  would (the request's session rolls back), and the request is served again by the full stack,
  which answers exactly as it always has. These are GET routes: a second run sees what the first
  would have, and the first left nothing behind.
So the answers are FastAPI's answers by construction; tests/perf/test_lean.py compares them, status
and body, for good and bad requests of each lean route, and shows that the lean path is taken.

Dependency overrides (tests) turn the lean path off: the full stack honours them."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin
from urllib.parse import parse_qsl

import annotated_types
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

_INT = re.compile(r"0|[1-9][0-9]{0,17}")


class LeanRouteRefused(Exception):
    """Raised when the app is built: a route named lean uses something the lean path does not handle."""


class _Fallthrough(Exception):
    """This request is the full stack's to answer."""


@dataclass(frozen=True, slots=True)
class _Param:
    name: str  # the keyword of the function
    key: str  # the query key (alias) or the path parameter's name
    in_path: bool
    parse: Callable[[str], Any]  # raises _Fallthrough on anything but the canonical form
    required: bool
    default: Any


@dataclass(slots=True)
class _Node:
    call: Callable[..., Any]
    is_generator: bool
    use_cache: bool
    request_names: list[str]
    params: list[_Param] = field(default_factory=list)
    subs: list[tuple[str | None, _Node]] = field(default_factory=list)


def _bounds(metadata: list) -> tuple[Any, Any, Any, Any]:
    ge = le = min_len = max_len = None
    for m in metadata:
        if isinstance(m, annotated_types.Ge):
            ge = m.ge
        elif isinstance(m, annotated_types.Le):
            le = m.le
        elif isinstance(m, annotated_types.MaxLen):
            max_len = m.max_length
        elif isinstance(m, annotated_types.MinLen):
            min_len = m.min_length
        else:
            raise LeanRouteRefused(f"constraint {m!r}")
    return ge, le, min_len, max_len


def _parser(annotation: Any, metadata: list, where: str) -> Callable[[str], Any]:
    """A strict parser: the values FastAPI would turn into the same Python value without a doubt."""
    args = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    kinds = [a for a in args if a is not NoneType]
    if len(kinds) != 1:
        raise LeanRouteRefused(f"{where}: type {annotation!r}")
    kind = kinds[0]
    ge, le, min_len, max_len = _bounds(metadata)
    if kind is int:
        if min_len is not None or max_len is not None:
            raise LeanRouteRefused(f"{where}: length bounds on an int")

        def parse_int(raw: str) -> int:
            if not _INT.fullmatch(raw):
                raise _Fallthrough
            value = int(raw)
            if (ge is not None and value < ge) or (le is not None and value > le):
                raise _Fallthrough
            return value

        return parse_int
    if kind is bool:
        if any(b is not None for b in (ge, le, min_len, max_len)):
            raise LeanRouteRefused(f"{where}: bounds on a bool")
        return lambda raw: {"true": True, "false": False}[raw] if raw in ("true", "false") else _refuse()
    if kind is str:
        if ge is not None or le is not None:
            raise LeanRouteRefused(f"{where}: numeric bounds on a str")

        def parse_str(raw: str) -> str:
            if not raw or (max_len is not None and len(raw) > max_len) or (min_len is not None and len(raw) < min_len):
                raise _Fallthrough
            return raw

        return parse_str
    raise LeanRouteRefused(f"{where}: type {kind!r}")


def _refuse() -> Any:
    raise _Fallthrough


def _plan(dependant: Dependant, where: str) -> _Node:
    call = dependant.call
    if call is None:
        raise LeanRouteRefused(f"{where}: a dependency without a call")
    target = call if inspect.isroutine(call) else getattr(call, "__call__", None)  # noqa: B004 - HTTPBearer()
    is_generator = inspect.isasyncgenfunction(target)
    if not (is_generator or inspect.iscoroutinefunction(target)):
        raise LeanRouteRefused(f"{where}: {call!r} is not async (FastAPI would run it in a thread)")
    if is_generator and dependant.scope != "function":
        raise LeanRouteRefused(f"{where}: {call!r} is torn down after the response (scope 'request')")
    unsupported = {
        "header params": dependant.header_params,
        "cookie params": dependant.cookie_params,
        "a body": dependant.body_params,
        "a websocket": dependant.websocket_param_name,
        "a Response parameter": dependant.response_param_name,
        "background tasks": dependant.background_tasks_param_name,
        "security scopes": dependant.security_scopes_param_name or dependant.own_oauth_scopes,
    }
    for what, present in unsupported.items():
        if present:
            raise LeanRouteRefused(f"{where}: {call!r} takes {what}")
    # a Request is an HTTPConnection: HTTPBearer's parameter is given the request, as FastAPI does
    request_names = [n for n in (dependant.request_param_name, dependant.http_connection_param_name) if n]
    node = _Node(call, is_generator, dependant.use_cache, request_names)
    for in_path, fields in ((True, dependant.path_params), (False, dependant.query_params)):
        for f in fields:
            info = f.field_info
            required = info.is_required()
            node.params.append(
                _Param(
                    f.name,
                    f.name if in_path else (f.alias or f.name),
                    in_path,
                    _parser(info.annotation, list(info.metadata), f"{where}: {f.name}"),
                    required,
                    None if required else info.get_default(call_default_factory=True),
                )
            )
    for sub in dependant.dependencies:
        node.subs.append((sub.name, _plan(sub, where)))
    return node


@dataclass(slots=True)
class _Lean:
    route: APIRoute
    pattern: re.Pattern[str] | None  # None: the path is matched exactly
    root: _Node


def _path_pattern(path: str) -> re.Pattern[str] | None:
    if "{" not in path:
        return None
    parts = re.split(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}", path)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts))
    return re.compile(regex)


def _api_routes(routes: Iterable[Any]) -> Iterable[APIRoute]:
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        elif hasattr(r, "original_router"):  # FastAPI's included router
            if getattr(r.include_context, "dependencies", None):
                raise LeanRouteRefused("an included router with dependencies of its own")
            yield from _api_routes(r.original_router.routes)


def build(app: FastAPI, endpoints: Iterable[Callable[..., Any]]) -> list[_Lean]:
    """The plans of the GET routes whose endpoints are `endpoints` (LeanRouteRefused if one can't be)."""
    wanted = list(endpoints)
    found: dict[Any, APIRoute] = {}
    for r in _api_routes(app.routes):
        if r.endpoint in wanted and "GET" in r.methods:
            found[r.endpoint] = r
    leans = []
    for endpoint in wanted:
        route = found.get(endpoint)
        if route is None:
            raise LeanRouteRefused(f"no GET route for {endpoint!r}")
        returns = inspect.signature(endpoint).return_annotation
        if isinstance(returns, str):
            returns = endpoint.__annotations__.get("return")
            returns = endpoint.__globals__.get(returns, returns) if isinstance(returns, str) else returns
        if not (inspect.isclass(returns) and issubclass(returns, Response)):
            raise LeanRouteRefused(f"{route.path}: the endpoint must return a Response (it is encoded once)")
        if route.status_code not in (None, 200) or route.dependencies:
            raise LeanRouteRefused(f"{route.path}: a status code or route dependencies of its own")
        leans.append(_Lean(route, _path_pattern(route.path), _plan(route.dependant, route.path)))
    return leans


class _Call:
    """One request's dependency values, FastAPI's way: each dependency once (unless use_cache is
    off), sub-dependencies first, generators torn down in reverse order."""

    __slots__ = ("request", "values", "cache", "exits")

    def __init__(self, request: Request, values: dict[tuple[bool, str], Any]) -> None:
        self.request = request
        self.values = values
        self.cache: dict[Any, Any] = {}
        self.exits: list[Any] = []

    async def solve(self, node: _Node) -> Any:
        if node.use_cache and node.call in self.cache:
            return self.cache[node.call]
        kwargs: dict[str, Any] = {}
        for name, sub in node.subs:
            value = await self.solve(sub)
            if name is not None:
                kwargs[name] = value
        for p in node.params:
            kwargs[p.name] = self.values[(p.in_path, p.key)]
        for name in node.request_names:
            kwargs[name] = self.request
        if node.is_generator:
            gen = node.call(**kwargs)
            value = await gen.__anext__()
            self.exits.append(gen)
        else:
            value = await node.call(**kwargs)
        self.cache[node.call] = value
        return value

    async def close(self, exc: BaseException | None) -> None:
        """Tear the generators down: on success run on past their yield (the session commits), else
        throw the exception in (the session rolls back). The first failure of a clean teardown is raised."""
        failure: BaseException | None = None
        while self.exits:
            gen = self.exits.pop()
            try:
                if exc is None and failure is None:
                    await gen.__anext__()
                else:
                    await gen.athrow(exc or failure)
            except StopAsyncIteration:
                continue
            except Exception as e:  # the thrown exception coming back, or a failed commit
                if exc is None and failure is None:
                    failure = e
                continue
            raise RuntimeError(f"dependency {gen!r} yielded twice")
        if failure is not None:
            raise failure


def _values(lean: _Lean, path_match: re.Match[str] | None, query_string: bytes) -> dict[tuple[bool, str], Any]:
    """Every parameter of the route's tree, parsed strictly up front (nothing is called before)."""
    query: dict[str, str] = {}
    if query_string:
        for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
            if key in query:
                raise _Fallthrough  # repeated: FastAPI's rule (the last one) is FastAPI's to apply
            query[key] = value
    values: dict[tuple[bool, str], Any] = {}
    stack = [lean.root]
    while stack:
        node = stack.pop()
        for p in node.params:
            raw = path_match.group(p.key) if p.in_path and path_match is not None else query.get(p.key)
            if raw is None:
                if p.required:
                    raise _Fallthrough
                values[(p.in_path, p.key)] = p.default
            else:
                values[(p.in_path, p.key)] = p.parse(raw)
        stack.extend(sub for _, sub in node.subs)
    return values


class LeanRoutes:
    """Pure ASGI, the innermost middleware: serves the lean routes' ordinary requests itself and
    passes everything else (and every request it could not finish) to the app."""

    def __init__(self, app: ASGIApp, *, fastapi_app: FastAPI, plans: list[_Lean]) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self.exact: dict[str, _Lean] = {}
        self.patterns: list[_Lean] = []
        for lean in plans:
            if lean.pattern is None:
                self.exact[lean.route.path] = lean
            else:
                self.patterns.append(lean)
        self.served = 0  # requests the lean path answered (tests read it)
        self.enabled = True  # tests compare the answers with and without
        fastapi_app.state.lean = self

    def _match(self, path: str) -> tuple[_Lean, re.Match[str] | None] | None:
        lean = self.exact.get(path)
        if lean is not None:
            return lean, None
        for lean in self.patterns:
            m = lean.pattern.fullmatch(path)  # type: ignore[union-attr]
            if m is not None:
                return lean, m
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        found = self._match(scope["path"])
        if found is None or not self.enabled or self.fastapi_app.dependency_overrides:
            await self.app(scope, receive, send)
            return
        lean, path_match = found
        try:
            values = _values(lean, path_match, scope.get("query_string", b""))
        except _Fallthrough:
            await self.app(scope, receive, send)
            return
        response = await self._serve(lean, scope, receive, path_match, values)
        if response is None:
            await self.app(scope, receive, send)  # the full stack answers, as it always has
            return
        self.served += 1
        await response(scope, receive, send)

    async def _serve(self, lean: _Lean, scope: Scope, receive: Receive, path_match, values) -> Response | None:
        scope["route"] = lean.route  # the metrics and access log name the route as FastAPI does
        scope["endpoint"] = lean.route.endpoint
        scope["path_params"] = path_match.groupdict() if path_match is not None else {}
        call = _Call(Request(scope, receive), values)
        try:
            response = await call.solve(lean.root)
            if not isinstance(response, Response):
                raise _Fallthrough
        except BaseException as exc:  # a cancelled request closes its session too
            try:
                await call.close(exc)
            except Exception:  # noqa: S110 - the full stack serves this request and meets it again
                pass
            if not isinstance(exc, Exception):
                raise
            return None
        try:
            await call.close(None)  # the session commits before the answer goes out, as under FastAPI
        except Exception:
            return None
        return response
