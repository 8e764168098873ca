"""JWT access tokens (python-jose, HS256). A token carries the user id (`sub`) and the user's token
version (`ver`); the caller's row, loaded on every request anyway, says whether that version is
still current (logout, a removed role or the end of a household binding bump it)."""

from __future__ import annotations

from datetime import timedelta

from jose import JWTError, jwt

from backend.kernel.clock import utcnow
from backend.kernel.errors import Unauthorized
from backend.kernel.settings import Settings

ALGORITHM = "HS256"
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger `sub` names nobody (and must not reach the database)


def create_access_token(settings: Settings, user_id: int, version: int = 0) -> tuple[str, int]:
    now = utcnow()
    ttl = settings.jwt_ttl_seconds
    claims = {
        "sub": str(user_id),
        "ver": version,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl)).timestamp()),
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM), ttl


def decode_access_token(settings: Settings, token: str) -> tuple[int, int]:
    """(user id, token version); a token from before versions were carried counts as version 0."""
    try:
        # exp is checked against our own clock, so tests can move time forward.
        claims = jwt.decode(token, settings.jwt_secret, algorithms=[ALGORITHM], options={"verify_exp": False})
    except JWTError as exc:
        raise Unauthorized("登录凭证无效，请重新登录", code="invalid_token") from exc
    exp = claims.get("exp")
    sub = claims.get("sub")
    version = claims.get("ver", 0)
    if not isinstance(exp, int) or not isinstance(sub, str) or not (sub.isascii() and sub.isdigit()):
        raise Unauthorized("登录凭证无效，请重新登录", code="invalid_token")
    if len(sub) > 10 or not 0 < int(sub) <= MAX_ID or not isinstance(version, int) or isinstance(version, bool):
        raise Unauthorized("登录凭证无效，请重新登录", code="invalid_token")
    if exp <= utcnow().timestamp():
        raise Unauthorized("登录已过期，请重新登录", code="token_expired")
    return int(sub), version
