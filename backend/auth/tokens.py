"""JWT access tokens (python-jose, HS256)."""

from __future__ import annotations

from datetime import timedelta

from jose import JWTError, jwt

from backend.kernel.clock import utcnow
from backend.kernel.errors import Unauthorized
from backend.kernel.settings import Settings

ALGORITHM = "HS256"


def create_access_token(settings: Settings, user_id: int) -> tuple[str, int]:
    now = utcnow()
    ttl = settings.jwt_ttl_seconds
    claims = {"sub": str(user_id), "iat": int(now.timestamp()), "exp": int((now + timedelta(seconds=ttl)).timestamp())}
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM), ttl


def decode_access_token(settings: Settings, token: str) -> int:
    try:
        # exp is checked against our own clock, so tests can move time forward.
        claims = jwt.decode(token, settings.jwt_secret, algorithms=[ALGORITHM], options={"verify_exp": False})
    except JWTError as exc:
        raise Unauthorized("登录凭证无效，请重新登录", code="invalid_token") from exc
    exp = claims.get("exp")
    sub = claims.get("sub")
    if not isinstance(exp, int) or not isinstance(sub, str) or not sub.isdigit():
        raise Unauthorized("登录凭证无效，请重新登录", code="invalid_token")
    if exp <= utcnow().timestamp():
        raise Unauthorized("登录已过期，请重新登录", code="token_expired")
    return int(sub)
