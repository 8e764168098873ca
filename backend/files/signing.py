"""Short-lived signed URLs for uploads: the mini-program's <image> and audio players cannot send an
Authorization header, so every response carrying a photo or a voice note carries
``/uploads/<name>?exp=<unix time>&sig=<HMAC of path and expiry>`` instead, valid for
UPLOAD_URL_TTL_SECONDS (one hour by default); the bare path is refused.

Rows store the upload's reference, ``/uploads/<name>`` (what UploadOut.ref is). Response schemas
declare ``SignedUrl`` / ``SignedUrls`` and the URL is signed when the response is serialised, with
the key of the running app, which ``SigningMiddleware`` puts into the request's context.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated

from pydantic import PlainSerializer
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.kernel.clock import utcnow
from backend.kernel.validation import UPLOAD_REF_RE

ROUND_SECONDS = 300  # expiries fall on 5-minute marks: the same photo keeps one URL for a while (caches)


@dataclass(frozen=True)
class Signer:
    key: bytes
    ttl_seconds: int

    @classmethod
    def from_secret(cls, secret: str, ttl_seconds: int) -> Signer:
        return cls(hashlib.sha256(b"happyhome-uploads\x00" + secret.encode()).digest(), ttl_seconds)

    def signature(self, path: str, expires: int) -> str:
        return hmac.new(self.key, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()[:32]

    def url(self, ref: str, now: float | None = None) -> str:
        now = utcnow().timestamp() if now is None else now
        expires = math.ceil((now + self.ttl_seconds) / ROUND_SECONDS) * ROUND_SECONDS
        return f"{ref}?exp={expires}&sig={self.signature(ref, expires)}"

    def valid(self, path: str, expires: str | None, sig: str | None, now: float | None = None) -> bool | None:
        """True: signed and in time; False: signed but expired; None: no or a wrong signature."""
        if not expires or not sig or not expires.isdigit() or len(expires) > 12:
            return None
        if not hmac.compare_digest(self.signature(path, int(expires)), sig):
            return None
        now = utcnow().timestamp() if now is None else now
        return int(expires) >= now


_signer: ContextVar[Signer | None] = ContextVar("upload_signer", default=None)


def sign(ref: str) -> str:
    """The signed URL of one of our upload references; anything else (an older row's external
    link) as it is."""
    signer = _signer.get()
    if signer is None or not UPLOAD_REF_RE.fullmatch(ref):
        return ref
    return signer.url(ref)


def sign_all(refs: list[str]) -> list[str]:
    return [sign(r) for r in refs]


SignedUrl = Annotated[str, PlainSerializer(sign, return_type=str)]
SignedUrls = Annotated[list[str], PlainSerializer(sign_all, return_type=list[str])]


class SigningMiddleware:
    """Makes the app's signer the current one for each request (pure ASGI: same task, same context)."""

    def __init__(self, app: ASGIApp, *, signer: Signer) -> None:
        self.app = app
        self.signer = signer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _signer.set(self.signer)
        try:
            await self.app(scope, receive, send)
        finally:
            _signer.reset(token)
