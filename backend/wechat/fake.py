"""A fake WeChat HTTP server for tests and local runs, as strict as the real one.

It answers the endpoints the project uses with WeChat's shapes (HTTP 200 with an
``{"errcode": N, "errmsg": "..."}`` body for errors) and WeChat's rules, each with its real
errcode (docs/wechat.md has the table and the test of each row):

- ``cgi-bin/token``: only a declared appid (40013) with its secret (40125); tokens last 7200 s,
  an expired one answers 42001, an unknown one 40001, a missing one 41001.
- ``sns/jscode2session``: a code the fake minted (``POST /_codes``, as ``wx.login`` would) is good
  once, for 5 minutes, for the app it was minted for: reused 40163, unknown or expired 40029.
- ``cgi-bin/message/subscribe/send``: unknown openid 40003, undeclared template 40037, a page
  that the mini-program does not have 41030, a data key the template does not declare (or a
  value over WeChat's limits) 47003, no subscription credit left 43101.
- ``wxa/business/getuserphonenumber``: a phone code the fake minted (``POST /_phone_codes``) is
  good once: unknown 40029, reused 40163.
- ``wxa/msg_sec_check``: 87014 for risky content (text containing 违禁).

Templates and pages are declared when the fake is built: by default the project's own template
table (backend/notify/templates.py, as ``dev-<name>`` — what the backend sends while the fake is
on) and the pages of miniprogram/app.json; ``POST /_templates`` / ``POST /_pages`` add more.

**Dev allowance** (on unless ``{"dev_codes": false}`` is posted to ``/_control``): a *dev code*,
words joined by hyphens (the first in lowercase) such as the documented demo codes (``demo-resident``) or a test's
``newcomer-x``, is taken as a fresh ``wx.login`` code of the user of that name each time it is
used; it logs in as openid ``fake-openid-<code>``, and such openids are known users. A real
``wx.login`` code (32 letters and digits, mixed case, no hyphen) can never look like one. Dev codes
starting with ``invalid`` answer 40029 and with ``ratelimit`` 45011. Phone codes
``phone-<11 digits>`` give that number.

Control routes (dev and test only: the app mounts the fake only then, and requires the
``FAKE_WECHAT_TOKEN`` as ``Authorization: Bearer …`` when it is mounted on the main port):

- ``GET /_sent`` / ``DELETE /_sent``: accepted subscribe messages (with their data) / clear them.
- ``GET /_stats``: counters (``tokens_issued``, ``logins``, ``sends_accepted``, ``text_checks``,
  ``duplicates_suppressed``, ``phone_numbers``).
- Subscribe sends carrying an ``X-Idempotency-Key`` header are accepted once per key: a repeat
  (a worker re-sending after a crash) is answered with the first msgid and not recorded again.
  Real WeChat has no such thing; the project's worker logs when it re-sends in doubt.
- ``GET /_control`` / ``POST /_control``: switches, any subset of
  ``{"fail_next": N, "errcode": E}`` (the next N subscribe sends answer errcode E),
  ``{"fail_next": N, "http_status": 500}`` (… answer HTTP 500 instead),
  ``{"latency_ms": M}`` (every WeChat endpoint sleeps M ms first),
  ``{"enforce_credits": false}`` (sends need no credit: load tests only),
  ``{"dev_codes": false}`` (no dev allowance: only minted codes log in),
  ``{"invalidate_tokens": true}`` (every issued access token becomes invalid → 40001),
  ``{"expire_tokens": true}`` (every issued access token expires → 42001).
- ``POST /_codes`` ``{"user": "alice"}`` (openid ``fake-openid-alice``) or ``{"openid": "o…"}``,
  optional ``"appid"`` and ``"expires_in"`` (≤ 300 s): a fresh login code, as ``wx.login`` gives
  the mini-program.
- ``POST /_phone_codes`` ``{"phone": "13800000000"}``: a fresh code for
  ``getuserphonenumber``, as ``<button open-type="getPhoneNumber">`` gives.
- ``GET /_credits`` / ``POST /_credits`` ``{"openid", "template_id", "count"}``: add ``count``
  one-time subscription credits (as if the user tapped "allow" ``count`` times).
- ``POST /_users`` ``{"openid"}``: a user WeChat knows without a login here.
- ``POST /_apps`` ``{"appid", "secret"}``, ``POST /_templates`` ``{"template_id", "keys"}``,
  ``POST /_pages`` ``{"pages": [...]}``: declare more (kept across ``/_reset``).
- ``POST /_reset``: forget everything but the declarations.

All state lives on the app instance (``app.state.wechat``), so several fakes can coexist.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
import re
import secrets
import socket
import string
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from backend.kernel.settings import DEV_WECHAT_APPID, DEV_WECHAT_SECRET

TOKEN_EXPIRES_IN = 7200
CODE_EXPIRES_IN = 300  # wx.login codes and phone codes live 5 minutes
FIRST_MSGID = 2_000_000_001

MINIPROGRAM_STATES = frozenset({"developer", "trial", "formal"})
LANGS = frozenset({"zh_CN", "en_US", "zh_HK", "zh_TW"})

#: a dev code: words joined by hyphens, the first in lowercase (demo-resident, newcomer-x, world-wA-1f2e)
DEV_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(?:-[A-Za-z0-9_]+)+$")
DEV_OPENID_PREFIX = "fake-openid-"
DEV_PHONE_CODE_RE = re.compile(r"^phone-(1[3-9]\d{9})$")
_CODE_ALPHABET = string.ascii_letters + string.digits

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DATA_KEY_RE = re.compile(r"^([a-z_]+?)(\d*)$")
_NUMBER_RE = re.compile(r"^\d+(\.\d+)?$")
_PHONE_RE = re.compile(r"^[0-9+\-() ]+$")
_ASCII_PRINTABLE_RE = re.compile(r"^[\x21-\x7e]+$")
_DATE_FORMAT = "%Y年%m月%d日"
_DATETIME_FORMAT = "%Y年%m月%d日 %H:%M"


def project_pages(app_json: Path | None = None) -> frozenset[str]:
    """The pages of the mini-program (miniprogram/app.json, subpackages included)."""
    path = app_json or Path(__file__).resolve().parents[2] / "miniprogram" / "app.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    pages = set(spec.get("pages", []))
    for sub in spec.get("subpackages", spec.get("subPackages", [])):
        root = sub.get("root", "").strip("/")
        pages.update(f"{root}/{p}" for p in sub.get("pages", []))
    return frozenset(pages)


@dataclass
class FakeWeChatConfig:
    """What the fake was told about the mini-program: kept across ``/_reset``."""

    apps: dict[str, str]  # appid -> secret
    templates: dict[str, tuple[str, ...]]  # template id -> data keys
    pages: set[str]
    control_token: str | None = None


@dataclass
class Code:
    openid: str
    appid: str | None  # None: any declared app (dev codes)
    expires_at: float
    used: bool = False


@dataclass
class FakeWeChatState:
    """Everything one fake remembers (``/_reset`` starts a new one)."""

    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # token -> (appid, expires_at)
    codes: dict[str, Code] = field(default_factory=dict)
    phone_codes: dict[str, tuple[str, float, bool]] = field(default_factory=dict)  # code -> (phone, exp, used)
    users: set[str] = field(default_factory=set)  # openids WeChat knows (logged in or registered)
    sent: list[dict[str, Any]] = field(default_factory=list)
    next_msgid: int = FIRST_MSGID
    fail_next: int = 0
    fail_errcode: int = -1
    fail_http_status: int | None = None
    latency_ms: int = 0
    enforce_credits: bool = True
    dev_codes: bool = True
    credits: dict[tuple[str, str], int] = field(default_factory=dict)
    idempotency: dict[str, int] = field(default_factory=dict)  # X-Idempotency-Key -> msgid
    stats: dict[str, int] = field(
        default_factory=lambda: {
            "tokens_issued": 0,
            "logins": 0,
            "sends_accepted": 0,
            "text_checks": 0,
            "duplicates_suppressed": 0,
            "phone_numbers": 0,
        }
    )

    def control_view(self) -> dict[str, Any]:
        return {
            "fail_next": self.fail_next,
            "errcode": self.fail_errcode,
            "http_status": self.fail_http_status,
            "latency_ms": self.latency_ms,
            "enforce_credits": self.enforce_credits,
            "dev_codes": self.dev_codes,
        }

    def knows(self, openid: str) -> bool:
        if openid in self.users:
            return True
        return self.dev_codes and openid.startswith(DEV_OPENID_PREFIX) and is_dev_code(openid[len(DEV_OPENID_PREFIX) :])


def is_dev_code(code: str) -> bool:
    return bool(DEV_CODE_RE.match(code))


def mint_code(length: int = 32) -> str:
    """A code shaped like WeChat's: letters and digits, never a dev code."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length - 1)) + secrets.choice(string.ascii_uppercase)


def _err(errcode: int, errmsg: str) -> JSONResponse:
    """WeChat errors are HTTP 200 with an errcode body."""
    return JSONResponse({"errcode": errcode, "errmsg": errmsg})


def _bad_control(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


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


def validate_subscribe_body(body: Any, config: FakeWeChatConfig, state: FakeWeChatState) -> tuple[int, str] | None:
    """Validate a ``subscribe/send`` body as WeChat does; return ``(errcode, errmsg)`` on failure."""
    if not isinstance(body, dict):
        return 47001, "data format error"
    touser = body.get("touser")
    if not isinstance(touser, str) or not touser or not state.knows(touser):
        return 40003, "invalid openid"
    template_id = body.get("template_id")
    if not isinstance(template_id, str) or template_id not in config.templates:
        return 40037, "invalid template_id"
    page = body.get("page")
    if page is not None:
        if not isinstance(page, str) or page.split("?", 1)[0].lstrip("/") not in config.pages:
            return 41030, "invalid page"
    state_ = body.get("miniprogram_state", "formal")
    if state_ not in MINIPROGRAM_STATES:
        return 47003, "argument invalid! miniprogram_state"
    lang = body.get("lang", "zh_CN")
    if lang not in LANGS:
        return 47003, "argument invalid! lang"
    data = body.get("data")
    if not isinstance(data, dict) or not data:
        return 47003, "argument invalid! data is empty"
    declared = config.templates[template_id]
    for key, item in data.items():
        if key not in declared:
            return 47003, f"argument invalid! data.{key} is not a field of the template"
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, str):
            return 47003, f"argument invalid! data.{key}.value must be a string"
        problem = validate_data_value(key, value)
        if problem is not None:
            return 47003, f"argument invalid! data.{key}.value: {problem}"
    return None


router = APIRouter()


async def _guard_control_routes(request: Request, call_next):
    config = _config(request)
    if config.control_token and request.url.path.rsplit("/", 1)[-1].startswith("_"):
        given = request.headers.get("authorization", "")
        expected = f"Bearer {config.control_token}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return _bad_control("the fake WeChat's control routes need Authorization: Bearer <FAKE_WECHAT_TOKEN>", 401)
    return await call_next(request)


def _state(request: Request) -> FakeWeChatState:
    state: FakeWeChatState = request.app.state.wechat
    return state


def _config(request: Request) -> FakeWeChatConfig:
    config: FakeWeChatConfig = request.app.state.wechat_config
    return config


async def _begin(request: Request) -> FakeWeChatState:
    """The state a WeChat request works on (taken before any latency, so a request
    still sleeping across a ``/_reset`` cannot leak into the fresh state)."""
    s = _state(request)
    if s.latency_ms > 0:
        await asyncio.sleep(s.latency_ms / 1000)
    return s


def _token_error(s: FakeWeChatState, request: Request) -> JSONResponse | None:
    token = request.query_params.get("access_token", "")
    if not token:
        return _err(41001, "access_token missing")
    issued = s.tokens.get(token)
    if issued is None:
        return _err(40001, "invalid credential, access_token is invalid or not latest")
    if issued[1] <= time.time():
        return _err(42001, "access_token expired")
    return None


def _app_error(request: Request) -> JSONResponse | None:
    q, config = request.query_params, _config(request)
    appid, secret = q.get("appid", ""), q.get("secret", "")
    if appid not in config.apps:
        return _err(40013, "invalid appid")
    if not hmac.compare_digest(secret.encode(), config.apps[appid].encode()):
        return _err(40125, "invalid appsecret")
    return None


# --- WeChat endpoints -------------------------------------------------------------------


@router.get("/cgi-bin/token")
async def get_token(request: Request) -> Response:
    s = await _begin(request)
    q = request.query_params
    if q.get("grant_type") != "client_credential":
        return _err(40002, "invalid grant_type")
    if (problem := _app_error(request)) is not None:
        return problem
    token = secrets.token_urlsafe(48)
    s.tokens[token] = (q["appid"], time.time() + TOKEN_EXPIRES_IN)
    s.stats["tokens_issued"] += 1
    return JSONResponse({"access_token": token, "expires_in": TOKEN_EXPIRES_IN})


@router.get("/sns/jscode2session")
async def jscode2session(request: Request) -> Response:
    s = await _begin(request)
    q = request.query_params
    if (problem := _app_error(request)) is not None:
        return problem
    if q.get("grant_type") != "authorization_code":
        return _err(40002, "invalid grant_type")
    code = q.get("js_code", "")
    if not code:
        return _err(41008, "missing code")
    minted = s.codes.get(code)
    if minted is not None:
        if minted.used:
            return _err(40163, "code been used")
        if minted.expires_at <= time.time() or (minted.appid not in (None, q["appid"])):
            return _err(40029, "invalid code")
        minted.used = True
        openid = minted.openid
    elif s.dev_codes and is_dev_code(code):
        if code.startswith("invalid"):
            return _err(40029, "invalid code")
        if code.startswith("ratelimit"):
            return _err(45011, "api minute-quota reach limit  mustslower  retry next minute")
        openid = f"{DEV_OPENID_PREFIX}{code}"
    else:
        return _err(40029, "invalid code")
    s.users.add(openid)
    s.stats["logins"] += 1
    session_key = base64.b64encode(secrets.token_bytes(16)).decode("ascii")
    return JSONResponse({"openid": openid, "session_key": session_key})


@router.post("/cgi-bin/message/subscribe/send")
async def subscribe_send(request: Request) -> Response:
    config = _config(request)
    # The body is read before the latency: like WeChat, a send that arrived is processed even if
    # the caller has gone away meanwhile (a worker killed mid-send).
    body = await _json_body(request)
    s = await _begin(request)
    if (problem := _token_error(s, request)) is not None:
        return problem
    if s.fail_next > 0:
        s.fail_next -= 1
        if s.fail_http_status is not None:
            return JSONResponse({"errcode": -1, "errmsg": "system error"}, s.fail_http_status)
        return _err(s.fail_errcode, "injected failure")
    problem = validate_subscribe_body(body, config, s)
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


@router.post("/wxa/business/getuserphonenumber")
async def get_user_phone_number(request: Request) -> Response:
    body = await _json_body(request)
    s = await _begin(request)
    if (problem := _token_error(s, request)) is not None:
        return problem
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str) or not code:
        return _err(47001, "data format error")
    minted = s.phone_codes.get(code)
    if minted is not None:
        phone, expires_at, used = minted
        if used:
            return _err(40163, "code been used")
        if expires_at <= time.time():
            return _err(40029, "invalid code")
        s.phone_codes[code] = (phone, expires_at, True)
    elif s.dev_codes and (match := DEV_PHONE_CODE_RE.match(code)):
        phone = match.group(1)
    else:
        return _err(40029, "invalid code")
    s.stats["phone_numbers"] += 1
    appid = s.tokens[request.query_params["access_token"]][0]
    return JSONResponse(
        {
            "errcode": 0,
            "errmsg": "ok",
            "phone_info": {
                "phoneNumber": phone,
                "purePhoneNumber": phone,
                "countryCode": "86",
                "watermark": {"timestamp": int(time.time()), "appid": appid},
            },
        }
    )


@router.post("/wxa/msg_sec_check")
async def msg_sec_check(request: Request) -> Response:
    s = await _begin(request)
    if (problem := _token_error(s, request)) is not None:
        return problem
    body = await _json_body(request)
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, str):
        return _err(47001, "data format error")
    s.stats["text_checks"] += 1
    if "违禁" in content:
        return _err(87014, "risky content")
    return JSONResponse({"errcode": 0, "errmsg": "ok"})


# --- control endpoints (dev and test only) ---------------------------------------------


async def _object_body(request: Request) -> dict[str, Any] | None:
    body = await _json_body(request)
    return body if isinstance(body, dict) else None


@router.get("/_sent")
async def list_sent(request: Request) -> list[dict[str, Any]]:
    return _state(request).sent


@router.delete("/_sent")
async def clear_sent(request: Request) -> dict[str, Any]:
    _state(request).sent.clear()
    return {"ok": True}


@router.get("/_stats")
async def stats(request: Request) -> dict[str, int]:
    return _state(request).stats


@router.get("/_control")
async def get_control(request: Request) -> dict[str, Any]:
    return _state(request).control_view()


@router.post("/_control")
async def set_control(request: Request) -> Response:
    body = await _object_body(request)
    if body is None:
        return _bad_control("body must be a JSON object")
    s = _state(request)
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
    if "dev_codes" in body:
        s.dev_codes = bool(body["dev_codes"])
    if body.get("invalidate_tokens"):
        s.tokens.clear()
    if body.get("expire_tokens"):
        s.tokens = {token: (appid, 0.0) for token, (appid, _) in s.tokens.items()}
    return JSONResponse(s.control_view())


@router.post("/_codes")
async def new_code(request: Request) -> Response:
    config = _config(request)
    body = await _object_body(request)
    if body is None:
        return _bad_control("body must be a JSON object")
    openid = body.get("openid") or (f"{DEV_OPENID_PREFIX}{body['user']}" if isinstance(body.get("user"), str) else None)
    appid = body.get("appid")
    if not isinstance(openid, str) or not openid:
        return _bad_control('need {"user": "<name>"} or {"openid": "<openid>"}')
    if appid is not None and appid not in config.apps:
        return _bad_control(f"unknown appid {appid!r}: declare it with POST /_apps")
    ttl = body.get("expires_in", CODE_EXPIRES_IN)
    if not isinstance(ttl, int) or not 0 <= ttl <= CODE_EXPIRES_IN:
        return _bad_control(f"expires_in must be 0..{CODE_EXPIRES_IN} seconds")
    code = mint_code()
    _state(request).codes[code] = Code(openid=openid, appid=appid, expires_at=time.time() + ttl)
    return JSONResponse({"code": code, "openid": openid, "expires_in": ttl})


@router.post("/_phone_codes")
async def new_phone_code(request: Request) -> Response:
    body = await _object_body(request)
    phone = body.get("phone") if body else None
    if not isinstance(phone, str) or not re.fullmatch(r"1[3-9]\d{9}", phone):
        return _bad_control('need {"phone": "<11-digit mainland mobile>"}')
    code = mint_code()
    _state(request).phone_codes[code] = (phone, time.time() + CODE_EXPIRES_IN, False)
    return JSONResponse({"code": code, "phone": phone, "expires_in": CODE_EXPIRES_IN})


@router.post("/_users")
async def add_user(request: Request) -> Response:
    body = await _object_body(request)
    openid = body.get("openid") if body else None
    if not isinstance(openid, str) or not openid:
        return _bad_control('need {"openid": "<openid>"}')
    _state(request).users.add(openid)
    return JSONResponse({"openid": openid})


@router.get("/_credits")
async def get_credits(request: Request) -> list[dict[str, Any]]:
    return [
        {"openid": openid, "template_id": tid, "count": count}
        for (openid, tid), count in _state(request).credits.items()
    ]


@router.post("/_credits")
async def add_credits(request: Request) -> Response:
    body = await _object_body(request)
    if body is None:
        return _bad_control("body must be a JSON object")
    openid, tid, count = body.get("openid"), body.get("template_id"), body.get("count", 1)
    if not isinstance(openid, str) or not isinstance(tid, str) or not isinstance(count, int):
        return _bad_control("need openid (str), template_id (str), count (int)")
    credits = _state(request).credits
    credits[(openid, tid)] = max(0, credits.get((openid, tid), 0) + count)
    return JSONResponse({"openid": openid, "template_id": tid, "count": credits[(openid, tid)]})


@router.post("/_apps")
async def add_app(request: Request) -> Response:
    config = _config(request)
    body = await _object_body(request)
    appid, secret = (body.get("appid"), body.get("secret")) if body else (None, None)
    if not isinstance(appid, str) or not appid or not isinstance(secret, str) or not secret:
        return _bad_control("need appid (str) and secret (str)")
    config.apps[appid] = secret
    return JSONResponse({"appid": appid})


@router.get("/_templates")
async def list_templates(request: Request) -> dict[str, list[str]]:
    config = _config(request)
    return {tid: list(keys) for tid, keys in config.templates.items()}


@router.post("/_templates")
async def add_template(request: Request) -> Response:
    config = _config(request)
    body = await _object_body(request)
    tid, keys = (body.get("template_id"), body.get("keys")) if body else (None, None)
    if not isinstance(tid, str) or not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        return _bad_control("need template_id (str) and keys (list of str)")
    config.templates[tid] = tuple(keys)
    return JSONResponse({"template_id": tid, "keys": keys})


@router.get("/_pages")
async def list_pages(request: Request) -> list[str]:
    config = _config(request)
    return sorted(config.pages)


@router.post("/_pages")
async def add_pages(request: Request) -> Response:
    config = _config(request)
    body = await _object_body(request)
    pages = body.get("pages") if body else None
    if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages):
        return _bad_control("need pages (list of str)")
    config.pages.update(p.lstrip("/") for p in pages)
    return JSONResponse({"pages": sorted(config.pages)})


@router.post("/_reset")
async def reset(request: Request) -> dict[str, Any]:
    request.app.state.wechat = FakeWeChatState()
    return {"ok": True}


def create_fake_wechat_app(
    apps: Mapping[str, str] | None = None,
    templates: Mapping[str, Iterable[str]] | None = None,
    pages: Iterable[str] | None = None,
    control_token: str | None = None,
) -> FastAPI:
    """Build a fresh fake WeChat server with its own state.

    ``apps``: appid → secret (default: the dev appid and secret of backend/kernel/settings.py);
    ``templates``: template id → data keys (the project's come from
    ``backend.notify.templates.wechat_declarations()``; none declared: every template is unknown);
    ``pages``: the mini-program's pages (default: miniprogram/app.json's);
    ``control_token``: when set, the ``/_…`` routes need ``Authorization: Bearer <token>``."""
    config = FakeWeChatConfig(
        apps=dict(apps) if apps is not None else {DEV_WECHAT_APPID: DEV_WECHAT_SECRET},
        templates={k: tuple(v) for k, v in (templates or {}).items()},
        pages=set(pages if pages is not None else project_pages()),
        control_token=control_token,
    )
    app = FastAPI(title="Fake WeChat", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.wechat = FakeWeChatState()
    app.state.wechat_config = config
    app.middleware("http")(_guard_control_routes)
    app.include_router(router)
    return app


def relay_subscriptions(fake: FastAPI, openid: str, template_ids: Iterable[str]) -> None:
    """Dev only: what a tap on "allow" does on WeChat's side. In the WeChat app the user's answer
    to wx.requestSubscribeMessage goes to WeChat itself; a fake mounted beside the app never sees
    that tap, so the app relays the accepted templates it was told about (make run)."""
    state: FakeWeChatState = fake.state.wechat
    state.users.add(openid)
    for tid in template_ids:
        state.credits[(openid, tid)] = state.credits.get((openid, tid), 0) + 1


def run_fake_wechat_in_thread(
    host: str = "127.0.0.1", port: int = 0, **declarations: Any
) -> tuple[str, Callable[[], None]]:
    """Serve a new fake under uvicorn in a daemon thread; return ``(base_url, stop)``.

    ``port=0`` picks a free port; ``declarations`` go to ``create_fake_wechat_app`` (without a
    control token: the fake has a port of its own).  Returns once the server answers HTTP.
    """
    # IPPROTO_TCP, not 0: asyncio only turns Nagle off (TCP_NODELAY) on sockets whose proto says TCP, and
    # with Nagle on, every keep-alive request waits ~40 ms for a delayed ACK (22 requests/s instead of ~1,000).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    base_url = f"http://{host}:{bound_port}"

    config = uvicorn.Config(
        create_fake_wechat_app(**declarations), log_level="warning", access_log=False, loop="asyncio", lifespan="off"
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
