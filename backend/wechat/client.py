"""The project's only gateway to WeChat, built on wechatpy (synchronous, ``requests``).

All calls (access token, ``sns/jscode2session``, ``cgi-bin/message/subscribe/send``,
``wxa/business/getuserphonenumber``, ``wxa/msg_sec_check``) go to ``api_base``:
``https://api.weixin.qq.com/`` in production, the fake server (``backend.wechat.fake``) in tests
and local runs.  wechatpy runs in a worker thread via ``run_in_threadpool``; every failure
surfaces as :class:`WeChatError`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import redis
import requests
from starlette.concurrency import run_in_threadpool
from wechatpy import WeChatClient
from wechatpy.client.api import WeChatWxa
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

T = TypeVar("T")

DEFAULT_API_BASE = "https://api.weixin.qq.com/"

#: errcodes meaning "the access token is invalid / expired": refresh once and retry once.
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
#: errcodes worth retrying later (busy, rate limited); ``None`` (HTTP 5xx, network) is transient too.
TRANSIENT_ERRCODES = frozenset({-1, 45009, 45011})
#: msg_sec_check: the content is risky.
RISKY_CONTENT_ERRCODE = 87014


class WeChatError(Exception):
    """A failed WeChat call.

    ``errcode`` is WeChat's errcode, or ``None`` when WeChat could not be reached or answered
    with HTTP 5xx / a non-JSON body / too late.
    """

    def __init__(self, errcode: int | None, errmsg: str) -> None:
        super().__init__(errcode, errmsg)
        self.errcode = errcode
        self.errmsg = errmsg

    @property
    def transient(self) -> bool:
        """True if retrying later may succeed (network, 5xx, ``-1``, rate limits)."""
        return self.errcode is None or self.errcode in TRANSIENT_ERRCODES

    def __str__(self) -> str:
        return f"WeChat error {self.errcode}: {self.errmsg}"


class _TimeoutSession(requests.Session):
    """A ``requests.Session`` with a default timeout.

    wechatpy's token fetch (``_fetch_access_token``) passes no timeout at all.
    """

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        return super().request(method, url, *args, **kwargs)


class _GatewayWxa(WeChatWxa):
    """``WeChatWxa`` whose ``API_BASE_URL`` is set per instance (by ``_GatewayClient``)."""

    def code_to_session(self, js_code: str) -> dict[str, Any]:
        """Like wechatpy's, but without fetching an access token first (the endpoint needs none).

        ``access_token=None`` stops wechatpy from adding one; ``requests`` drops ``None`` params.
        """
        return self._get(
            "sns/jscode2session",
            params={
                "appid": self.appid,
                "secret": self.secret,
                "js_code": js_code,
                "grant_type": "authorization_code",
                "access_token": None,
            },
        )

    def send_subscribe_message_full(
        self,
        user_id: str,
        template_id: str,
        data: Mapping[str, Any],
        page: str | None = None,
        miniprogram_state: str = "formal",
        lang: str = "zh_CN",
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """wechatpy 1.8.18's ``send_subscribe_message`` cannot send ``miniprogram_state``/``lang``.

        ``idempotency_key`` goes in an ``X-Idempotency-Key`` header: WeChat ignores it, the fake
        WeChat accepts each key once (a re-send after a crash is answered with the first msgid)."""
        body: dict[str, Any] = {
            "touser": user_id,
            "template_id": template_id,
            "data": dict(data),
            "miniprogram_state": miniprogram_state,
            "lang": lang,
        }
        if page:
            body["page"] = page
        if idempotency_key:
            return self._post(
                "cgi-bin/message/subscribe/send", data=body, headers={"X-Idempotency-Key": idempotency_key}
            )
        return self._post("cgi-bin/message/subscribe/send", data=body)

    def get_user_phone_number(self, code: str) -> dict[str, Any]:
        """``wxa/business/getuserphonenumber`` (the code of ``<button open-type="getPhoneNumber">``);
        wechatpy 1.8.18 has no method for it. The access token is added by wechatpy."""
        return self._post("wxa/business/getuserphonenumber", data={"code": code})


class _GatewayClient(WeChatClient):
    """``WeChatClient`` pointed at ``api_root`` (which ends with ``/``), with bounded retries.

    wechatpy's own ``auto_retry`` re-fetches the token and recurses on 40001/40014/42001 without
    any bound, so it is switched off; :class:`WeChatGateway` retries once itself.
    """

    wxa: _GatewayWxa = _GatewayWxa()  # wechatpy's __new__ instantiates it per client

    def __init__(self, appid: str, secret: str, api_root: str, session: SessionStorage, timeout: float):
        super().__init__(appid, secret, session=session, timeout=timeout, auto_retry=False)
        self.api_root = api_root
        self.API_BASE_URL = f"{api_root}cgi-bin/"
        self.wxa.API_BASE_URL = api_root
        self._http = _TimeoutSession(timeout)
        self._token_lock = threading.Lock()

    def fetch_access_token(self) -> dict[str, Any]:
        return self._fetch_access_token(
            url=f"{self.api_root}cgi-bin/token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )

    @property
    def access_token(self) -> str:
        """The stored token, fetched if absent/near expiry; one fetch at a time per process."""
        with self._token_lock:
            token: str = super().access_token
            return token

    def current_token(self) -> str | None:
        """The stored token, without fetching."""
        token: str | None = self.session.get(self.access_token_key)
        return token

    def refresh_access_token(self, stale: str | None) -> None:
        """Fetch a new token unless another thread/process already replaced ``stale``."""
        with self._token_lock:
            current = self.current_token()
            if current is not None and current != stale:
                return
            self.session.delete(self.access_token_key)
            self.fetch_access_token()


def _normalize_data(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Accept ``{"thing1": "x"}`` or ``{"thing1": {"value": "x"}}``; send the latter."""
    out: dict[str, dict[str, str]] = {}
    for key, item in data.items():
        value = item["value"] if isinstance(item, Mapping) else item
        out[key] = {"value": str(value)}
    return out


def _translate(exc: Exception) -> WeChatError | None:
    """Map a wechatpy / requests / redis exception to :class:`WeChatError`; None if foreign."""
    if isinstance(exc, WeChatError):
        return exc
    if isinstance(exc, WeChatClientException):
        if exc.errcode is None:  # wechatpy's wrapper for raise_for_status()
            status = getattr(exc.response, "status_code", None)
            return WeChatError(None, f"WeChat answered HTTP {status}")
        try:
            code = int(exc.errcode)
        except (TypeError, ValueError):
            return WeChatError(None, f"unexpected errcode {exc.errcode!r}: {exc.errmsg}")
        return WeChatError(code, str(exc.errmsg))
    if isinstance(exc, requests.Timeout):
        return WeChatError(None, f"WeChat timed out: {exc}")
    if isinstance(exc, requests.ConnectionError):
        return WeChatError(None, f"cannot reach WeChat: {exc}")
    if isinstance(exc, requests.RequestException):  # incl. a non-JSON token response
        return WeChatError(None, f"bad WeChat response: {exc}")
    if isinstance(exc, redis.RedisError):
        return WeChatError(None, f"token storage (Redis) failed: {exc}")
    return None


def _guard(fn: Callable[[], T]) -> T:
    """Run ``fn``, turning WeChat-related exceptions into :class:`WeChatError`."""
    try:
        return fn()
    except Exception as exc:
        err = _translate(exc)
        if err is None or err is exc:
            raise
        raise err from exc


def _json_result(result: Any) -> dict[str, Any]:
    """wechatpy returns the raw ``Response`` when the body is not JSON."""
    if not isinstance(result, dict):
        raise WeChatError(None, "WeChat answered with a non-JSON body")
    return result


class WeChatGateway:
    """Async facade over wechatpy for the mini-program APIs the project uses."""

    def __init__(
        self,
        appid: str,
        secret: str,
        api_base: str = DEFAULT_API_BASE,
        redis_url: str | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.appid = appid
        self.api_base = api_base.rstrip("/") + "/"
        self._redis: redis.Redis | None = None
        storage: SessionStorage
        if redis_url:
            self._redis = redis.Redis.from_url(redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
            storage = RedisStorage(self._redis, prefix="wechatpy")
        else:
            storage = MemoryStorage()
        self._client = _GatewayClient(appid, secret, self.api_base, storage, timeout)

    # --- sync core (runs in a worker thread) ------------------------------------------------

    def _with_token(self, fn: Callable[[], Any]) -> dict[str, Any]:
        """Call ``fn``; on an invalid/expired token refresh it once and call once more."""
        stale = _guard(lambda: self._client.access_token)
        try:
            return _json_result(_guard(fn))
        except WeChatError as err:
            if err.errcode not in TOKEN_ERRCODES:
                raise
        _guard(lambda: self._client.refresh_access_token(stale))
        return _json_result(_guard(fn))

    # --- public async API -------------------------------------------------------------------

    async def code_to_session(self, code: str) -> dict[str, Any]:
        """Exchange a ``wx.login()`` code: ``{"openid", "session_key", ["unionid"]}``.

        Raises :class:`WeChatError` (40029 invalid code, 45011 rate limited, …).
        """
        result = _json_result(await run_in_threadpool(_guard, lambda: self._client.wxa.code_to_session(code)))
        if not result.get("openid"):
            raise WeChatError(None, "jscode2session answered without openid")
        return result

    async def send_subscribe_message(
        self,
        openid: str,
        template_id: str,
        data: Mapping[str, Any],
        page: str | None = None,
        miniprogram_state: str = "formal",
        lang: str = "zh_CN",
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Send one subscribe message; returns ``{"errcode": 0, "errmsg": "ok", "msgid": N}``.

        ``data`` values may be plain strings or ``{"value": ...}``.  Raises :class:`WeChatError`
        (43101 no subscription credit, 47003 bad field, 45009 rate limited, ``None`` network/5xx…).
        ``idempotency_key``: see ``_GatewayWxa.send_subscribe_message_full``.
        """
        body = _normalize_data(data)

        def send() -> dict[str, Any]:
            return self._client.wxa.send_subscribe_message_full(
                openid, template_id, body, page, miniprogram_state, lang, idempotency_key
            )

        return await run_in_threadpool(self._with_token, send)

    async def get_phone_number(self, code: str) -> dict[str, Any]:
        """Exchange a phone-number code for the user's number: WeChat's ``phone_info``,
        ``{"phoneNumber", "purePhoneNumber", "countryCode", "watermark": {"timestamp", "appid"}}``.

        Raises :class:`WeChatError` (40029 invalid code, 40163 code used, ``None`` network/5xx…)."""

        def exchange() -> dict[str, Any]:
            return self._client.wxa.get_user_phone_number(code)

        result = await run_in_threadpool(self._with_token, exchange)
        info = result.get("phone_info")
        if not isinstance(info, dict) or not info.get("purePhoneNumber"):
            raise WeChatError(None, "getuserphonenumber answered without phone_info")
        return info

    async def check_text(self, content: str) -> bool:
        """``wxa/msg_sec_check``: True if acceptable, False if risky (87014); else WeChatError."""

        def check() -> dict[str, Any]:
            return self._client.wxa.check_text_security(content)

        try:
            await run_in_threadpool(self._with_token, check)
        except WeChatError as err:
            if err.errcode == RISKY_CONTENT_ERRCODE:
                return False
            raise
        return True

    def close(self) -> None:
        """Release the HTTP session and the Redis connection pool."""
        self._client._http.close()
        if self._redis is not None:
            self._redis.close()
