"""A fake WeChat HTTP server for tests and local runs.

It answers the endpoints the project uses with WeChat's shapes: HTTP 200 with an
``{"errcode": N, "errmsg": "..."}`` body for errors.  Extra ``/_...`` endpoints let tests inspect
and steer it:

- ``GET /_sent`` / ``DELETE /_sent``: accepted subscribe messages / clear them.
- ``GET /_stats``: counters (``tokens_issued``, ``logins``, ``sends_accepted``, ``text_checks``,
  ``duplicates_suppressed``).
- Subscribe sends carrying an ``X-Idempotency-Key`` header are accepted once per key: a repeat
  (a worker re-sending after a crash) is answered with the first msgid and not recorded again.
  Real WeChat has no such thing; the project's worker logs when it re-sends in doubt.
- ``GET /_control`` / ``POST /_control``: switches, any subset of
  ``{"fail_next": N, "errcode": E}`` (the next N subscribe sends answer errcode E),
  ``{"fail_next": N, "http_status": 500}`` (… answer HTTP 500 instead),
  ``{"latency_ms": M}`` (every WeChat endpoint sleeps M ms first),
  ``{"enforce_credits": true}`` (sends need a credit, see ``/_credits``),
  ``{"invalidate_tokens": true}`` (every issued access token becomes invalid → 40001).
- ``GET /_credits`` / ``POST /_credits`` ``{"openid", "template_id", "count"}``: add ``count``
  one-time subscription credits (as if the user tapped "allow" ``count`` times).
- ``POST /_reset``: forget everything.

All state lives on the app instance (``app.state.wechat``), so several fakes can coexist.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

TOKEN_EXPIRES_IN = 7200
FIRST_MSGID = 2_000_000_001

MINIPROGRAM_STATES = frozenset({"developer", "trial", "formal"})
LANGS = frozenset({"zh_CN", "en_US", "zh_HK", "zh_TW"})

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DATA_KEY_RE = re.compile(r"^([a-z_]+?)(\d*)$")
_NUMBER_RE = re.compile(r"^\d+(\.\d+)?$")
_PHONE_RE = re.compile(r"^[0-9+\-() ]+$")
_ASCII_PRINTABLE_RE = re.compile(r"^[\x21-\x7e]+$")
_DATE_FORMAT = "%Y年%m月%d日"
_DATETIME_FORMAT = "%Y年%m月%d日 %H:%M"


@dataclass
class FakeWeChatState:
    """Everything one fake remembers."""

    tokens: set[str] = field(default_factory=set)
    sent: list[dict[str, Any]] = field(default_factory=list)
    next_msgid: int = FIRST_MSGID
    fail_next: int = 0
    fail_errcode: int = -1
    fail_http_status: int | None = None
    latency_ms: int = 0
    enforce_credits: bool = False
    credits: dict[tuple[str, str], int] = field(default_factory=dict)
    idempotency: dict[str, int] = field(default_factory=dict)  # X-Idempotency-Key -> msgid
    stats: dict[str, int] = field(
        default_factory=lambda: {
            "tokens_issued": 0,
            "logins": 0,
            "sends_accepted": 0,
            "text_checks": 0,
            "duplicates_suppressed": 0,
        }
    )

    def control_view(self) -> dict[str, Any]:
        return {
            "fail_next": self.fail_next,
            "errcode": self.fail_errcode,
            "http_status": self.fail_http_status,
            "latency_ms": self.latency_ms,
            "enforce_credits": self.enforce_credits,
        }


def _err(errcode: int, errmsg: str) -> JSONResponse:
    """WeChat errors are HTTP 200 with an errcode body."""
    return JSONResponse({"errcode": errcode, "errmsg": errmsg})


def _bad_control(message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=400)


async def _json_body(request: Request) -> Any:
    """Parse a JSON body whatever the Content-Type (wechatpy sends none); None if unparsable."""
    raw = await request.body()
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        return None


def _parses(value: str, formats: tuple[str, ...]) -> bool:
    """True if ``value`` (or each side of a ``a~b`` range) parses in one of ``formats``."""
    parts = [p.strip() for p in value.split("~")] if "~" in value else [value]
    if len(parts) > 2:
        return False
    for part in parts:
        for fmt in formats:
            try:
                datetime.strptime(part, fmt)
                break
            except ValueError:
                continue
        else:
            return False
    return True


def validate_data_value(key: str, value: str) -> str | None:
    """Check one template field by its key prefix (``thing1`` → ``thing``); return why it is invalid."""
    match = _DATA_KEY_RE.match(key)
    kind = match.group(1) if match else key
    n = len(value)
    if n == 0:
        return "value is empty"
    if kind == "thing":
        return None if n <= 20 else "thing longer than 20 characters"
    if kind == "name":
        limit = 10 if _CJK_RE.search(value) else 20
        return None if n <= limit else f"name longer than {limit} characters"
    if kind == "phrase":
        return None if n <= 5 else "phrase longer than 5 characters"
    if kind == "character_string":
        if n > 32:
            return "character_string longer than 32 characters"
        return None if _ASCII_PRINTABLE_RE.match(value) else "character_string must be letters/digits/symbols"
    if kind == "number":
        if not _NUMBER_RE.match(value):
            return "number must be digits"
        return None if sum(c.isdigit() for c in value) <= 32 else "number longer than 32 digits"
    if kind == "phone_number":
        if n > 17:
            return "phone_number longer than 17 characters"
        return None if _PHONE_RE.match(value) else "phone_number must be digits and symbols"
    if kind == "time":
        ok = _parses(value, (_DATETIME_FORMAT, "%H:%M"))
        return None if ok else "time must look like 2019年10月1日 15:01"
    if kind == "date":
        ok = _parses(value, (_DATE_FORMAT, _DATETIME_FORMAT))
        return None if ok else "date must look like 2019年10月1日"
    return None  # a kind the fake does not know: accept


def validate_subscribe_body(body: Any) -> tuple[int, str] | None:
    """Validate a ``subscribe/send`` body; return ``(errcode, errmsg)`` on failure."""
    if not isinstance(body, dict):
        return 47001, "data format error"
    touser = body.get("touser")
    if not isinstance(touser, str) or not touser:
        return 40003, "invalid openid"
    template_id = body.get("template_id")
    if not isinstance(template_id, str) or not template_id:
        return 40037, "invalid template_id"
    page = body.get("page")
    if page is not None and not isinstance(page, str):
        return 41030, "invalid page"
    state = body.get("miniprogram_state", "formal")
    if state not in MINIPROGRAM_STATES:
        return 47003, "argument invalid! miniprogram_state"
    lang = body.get("lang", "zh_CN")
    if lang not in LANGS:
        return 47003, "argument invalid! lang"
    data = body.get("data")
    if not isinstance(data, dict) or not data:
        return 47003, "argument invalid! data is empty"
    for key, item in data.items():
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, str):
            return 47003, f"argument invalid! data.{key}.value must be a string"
        problem = validate_data_value(key, value)
        if problem is not None:
            return 47003, f"argument invalid! data.{key}.value: {problem}"
    return None


def create_fake_wechat_app() -> FastAPI:
    """Build a fresh fake WeChat server with its own state."""
    app = FastAPI(title="Fake WeChat", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.wechat = FakeWeChatState()

    def st() -> FakeWeChatState:
        state: FakeWeChatState = app.state.wechat
        return state

    async def begin() -> FakeWeChatState:
        """The state a WeChat request works on (taken before any latency, so a request
        still sleeping across a ``/_reset`` cannot leak into the fresh state)."""
        s = st()
        if s.latency_ms > 0:
            await asyncio.sleep(s.latency_ms / 1000)
        return s

    def token_ok(s: FakeWeChatState, request: Request) -> bool:
        return request.query_params.get("access_token", "") in s.tokens

    # --- WeChat endpoints -------------------------------------------------------------------

    @app.get("/cgi-bin/token")
    async def get_token(request: Request) -> Response:
        s = await begin()
        q = request.query_params
        if q.get("grant_type") != "client_credential":
            return _err(40002, "invalid grant_type")
        if not q.get("appid"):
            return _err(40013, "invalid appid")
        if not q.get("secret"):
            return _err(40125, "invalid appsecret")
        token = secrets.token_urlsafe(48)
        s.tokens.add(token)
        s.stats["tokens_issued"] += 1
        return JSONResponse({"access_token": token, "expires_in": TOKEN_EXPIRES_IN})

    @app.get("/sns/jscode2session")
    async def jscode2session(request: Request) -> Response:
        s = await begin()
        q = request.query_params
        if not q.get("appid"):
            return _err(40013, "invalid appid")
        if not q.get("secret"):
            return _err(40125, "invalid appsecret")
        if q.get("grant_type") != "authorization_code":
            return _err(40002, "invalid grant_type")
        code = q.get("js_code", "")
        if not code:
            return _err(41008, "missing code")
        if code.startswith("invalid"):
            return _err(40029, "invalid code")
        if code.startswith("ratelimit"):
            return _err(45011, "api minute-quota reach limit  mustslower  retry next minute")
        s.stats["logins"] += 1
        session_key = base64.b64encode(secrets.token_bytes(16)).decode("ascii")
        return JSONResponse({"openid": f"fake-openid-{code}", "session_key": session_key})

    @app.post("/cgi-bin/message/subscribe/send")
    async def subscribe_send(request: Request) -> Response:
        # The body is read before the latency: like WeChat, a send that arrived is processed even if
        # the caller has gone away meanwhile (a worker killed mid-send).
        body = await _json_body(request)
        s = await begin()
        if not token_ok(s, request):
            return _err(40001, "invalid credential, access_token is invalid or not latest")
        if s.fail_next > 0:
            s.fail_next -= 1
            if s.fail_http_status is not None:
                return JSONResponse({"errcode": -1, "errmsg": "system error"}, s.fail_http_status)
            return _err(s.fail_errcode, "injected failure")
        problem = validate_subscribe_body(body)
        if problem is not None:
            return _err(*problem)
        idempotency_key = request.headers.get("x-idempotency-key")
        if idempotency_key and idempotency_key in s.idempotency:
            s.stats["duplicates_suppressed"] += 1
            return JSONResponse({"errcode": 0, "errmsg": "ok", "msgid": s.idempotency[idempotency_key]})
        ledger_key = (body["touser"], body["template_id"])
        if s.enforce_credits:
            if s.credits.get(ledger_key, 0) <= 0:
                return _err(43101, "user refuse to accept the msg")
            s.credits[ledger_key] -= 1
        msgid = s.next_msgid
        s.next_msgid += 1
        s.stats["sends_accepted"] += 1
        if idempotency_key:
            s.idempotency[idempotency_key] = msgid
        s.sent.append(
            {
                "msgid": msgid,
                "touser": body["touser"],
                "template_id": body["template_id"],
                "page": body.get("page"),
                "data": body["data"],
                "miniprogram_state": body.get("miniprogram_state", "formal"),
                "lang": body.get("lang", "zh_CN"),
                "idempotency_key": idempotency_key,
                "sent_at": datetime.now(UTC).isoformat(),
            }
        )
        return JSONResponse({"errcode": 0, "errmsg": "ok", "msgid": msgid})

    @app.post("/wxa/msg_sec_check")
    async def msg_sec_check(request: Request) -> Response:
        s = await begin()
        if not token_ok(s, request):
            return _err(40001, "invalid credential, access_token is invalid or not latest")
        body = await _json_body(request)
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, str):
            return _err(47001, "data format error")
        s.stats["text_checks"] += 1
        if "违禁" in content:
            return _err(87014, "risky content")
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    # --- test endpoints ---------------------------------------------------------------------

    @app.get("/_sent")
    async def list_sent() -> list[dict[str, Any]]:
        return st().sent

    @app.delete("/_sent")
    async def clear_sent() -> dict[str, Any]:
        st().sent.clear()
        return {"ok": True}

    @app.get("/_stats")
    async def stats() -> dict[str, int]:
        return st().stats

    @app.get("/_control")
    async def get_control() -> dict[str, Any]:
        return st().control_view()

    @app.post("/_control")
    async def set_control(request: Request) -> Response:
        body = await _json_body(request)
        if not isinstance(body, dict):
            return _bad_control("body must be a JSON object")
        s = st()
        if "fail_next" in body:
            n = body["fail_next"]
            if not isinstance(n, int) or n < 0:
                return _bad_control("fail_next must be a non-negative integer")
            s.fail_next = n
            s.fail_errcode = int(body.get("errcode", -1))
            status = body.get("http_status")
            s.fail_http_status = int(status) if status is not None else None
        if "latency_ms" in body:
            s.latency_ms = max(0, int(body["latency_ms"]))
        if "enforce_credits" in body:
            s.enforce_credits = bool(body["enforce_credits"])
        if body.get("invalidate_tokens"):
            s.tokens.clear()
        return JSONResponse(s.control_view())

    @app.get("/_credits")
    async def get_credits() -> list[dict[str, Any]]:
        return [{"openid": openid, "template_id": tid, "count": count} for (openid, tid), count in st().credits.items()]

    @app.post("/_credits")
    async def add_credits(request: Request) -> Response:
        body = await _json_body(request)
        if not isinstance(body, dict):
            return _bad_control("body must be a JSON object")
        openid, tid, count = body.get("openid"), body.get("template_id"), body.get("count", 1)
        if not isinstance(openid, str) or not isinstance(tid, str) or not isinstance(count, int):
            return _bad_control("need openid (str), template_id (str), count (int)")
        credits = st().credits
        credits[(openid, tid)] = max(0, credits.get((openid, tid), 0) + count)
        return JSONResponse({"openid": openid, "template_id": tid, "count": credits[(openid, tid)]})

    @app.post("/_reset")
    async def reset() -> dict[str, Any]:
        app.state.wechat = FakeWeChatState()
        return {"ok": True}

    return app


def run_fake_wechat_in_thread(host: str = "127.0.0.1", port: int = 0) -> tuple[str, Callable[[], None]]:
    """Serve a new fake under uvicorn in a daemon thread; return ``(base_url, stop)``.

    ``port=0`` picks a free port.  Returns once the server answers HTTP.
    """
    # IPPROTO_TCP, not 0: asyncio only turns Nagle off (TCP_NODELAY) on sockets whose proto says TCP, and
    # with Nagle on, every keep-alive request waits ~40 ms for a delayed ACK (22 requests/s instead of ~1,000).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    base_url = f"http://{host}:{bound_port}"

    config = uvicorn.Config(
        create_fake_wechat_app(), log_level="warning", access_log=False, loop="asyncio", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"fake-wechat-{bound_port}", daemon=True
    )
    thread.start()

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()

    deadline = time.monotonic() + 10
    while True:
        try:
            if server.started:
                httpx.get(f"{base_url}/_control", timeout=1, trust_env=False).raise_for_status()
                break
        except httpx.HTTPError:
            pass
        if not thread.is_alive() or time.monotonic() > deadline:
            stop()
            raise RuntimeError(f"fake WeChat did not start on {base_url}")
        time.sleep(0.02)
    return base_url, stop
