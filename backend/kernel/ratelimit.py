"""Sliding-window rate limits per user and per client address: in memory for one process, in Redis
(shared by every worker) when REDIS_URL is set. A refusal is a 429 with Retry-After.

A sliding window (the times of the calls let through in the last ``window`` seconds) has no edge
to burst across: a fixed window lets ``2 × limit`` calls through around the turn of a window.

The client address is the TCP peer's. Forwarded headers (``X-Forwarded-For``, ``X-Real-IP``) are
believed only when the peer is one of TRUSTED_PROXIES (addresses or networks): the address is
then the right-most one in X-Forwarded-For that is not itself a trusted proxy. Anything else
could be typed by the client, and a proxy not listed would put every user behind it into one
bucket. (The servers run uvicorn without its own proxy-header handling, so the peer is the peer.)
"""

from __future__ import annotations

import ipaddress
import math
import secrets
import time
from collections import deque
from functools import lru_cache

import redis.asyncio as aioredis
from fastapi import Depends, Request

from backend.kernel.errors import TooManyRequests

MAX_KEYS = 100_000


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        self._memory: dict[str, tuple[int, deque[float]]] = {}
        self._redis = None
        if redis_url:
            self._redis = aioredis.Redis.from_url(redis_url)

    async def hit(self, key: str, limit: int, window: int, now: float | None = None) -> int | None:
        """Count one call; return seconds to wait when ``limit`` calls were let through in the last
        ``window`` seconds (the call is then not counted), else None."""
        now = time.time() if now is None else now
        if self._redis is not None:
            return await self._hit_redis(key, limit, window, now)
        _, times = self._memory.get(key) or (window, deque())
        while times and times[0] <= now - window:
            times.popleft()
        if len(times) >= limit:
            return max(1, math.ceil(times[0] + window - now))
        times.append(now)
        self._memory[key] = (window, times)
        if len(self._memory) > MAX_KEYS:  # forget the keys with no call inside their window
            self._memory = {k: (w, t) for k, (w, t) in self._memory.items() if t and t[-1] > now - w}
        return None

    async def _hit_redis(self, key: str, limit: int, window: int, now: float) -> int | None:
        rkey = f"rl2:{key}"
        member = f"{now:.6f}:{secrets.token_hex(4)}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(rkey, 0, now - window)
            pipe.zadd(rkey, {member: now})
            pipe.zcard(rkey)
            pipe.zrange(rkey, 0, 0, withscores=True)
            pipe.expire(rkey, window + 1)
            _, _, count, oldest, _ = await pipe.execute()
        if count <= limit:
            return None
        await self._redis.zrem(rkey, member)  # a refused call does not count
        first = oldest[0][1] if oldest else now
        return max(1, math.ceil(first + window - now))

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


@lru_cache(maxsize=64)
def _networks(trusted: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(t.strip(), strict=False) for t in trusted if t.strip())


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(peer: str | None, forwarded_for: str | None, real_ip: str | None, trusted: tuple[str, ...]) -> str:
    """The client's address as the rules of the module docstring say."""
    if not peer:
        return "unknown"
    networks = _networks(trusted)
    peer_ip = _ip(peer)
    if peer_ip is None or not any(peer_ip in n for n in networks):
        return peer
    hops = [h for h in (forwarded_for or "").split(",") if h.strip()]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            return peer  # a malformed chain: the proxy's own address
        if not any(ip in n for n in networks):
            return str(ip)
    real = _ip(real_ip or "")
    return str(real) if real is not None and not hops else peer


def client_address(request: Request) -> str:
    settings = request.app.state.settings
    headers = request.headers
    return client_ip(
        request.client.host if request.client else None,
        headers.get("x-forwarded-for"),
        headers.get("x-real-ip"),
        tuple(settings.trusted_proxies),
    )


async def enforce(request: Request, key: str, allowed: int, window: int) -> None:
    """Count one call under `key`; 429 with Retry-After when over `allowed` per `window` seconds."""
    if allowed <= 0:
        return
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = await limiter.hit(key, allowed, window)
    if wait is not None:
        raise TooManyRequests(
            f"操作过于频繁，请 {wait} 秒后再试", code="rate_limited", headers={"Retry-After": str(wait)}
        )


def per_client(action: str, setting: str, window: int):
    """Dependency: at most settings.<setting> calls of `action` per client address per window."""

    async def check(request: Request) -> None:
        allowed = getattr(request.app.state.settings, setting)
        await enforce(request, f"{action}:ip:{client_address(request)}", allowed, window)

    return Depends(check)
