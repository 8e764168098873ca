"""Fixed-window rate limits per user and per client address: in memory for one process, in Redis
(shared by every worker) when REDIS_URL is set. A refusal is a 429 with Retry-After."""

from __future__ import annotations

import math
import time

import redis.asyncio as aioredis
from fastapi import Depends, Request

from backend.kernel.errors import TooManyRequests


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        self._memory: dict[str, tuple[int, int]] = {}
        self._redis = None
        if redis_url:
            self._redis = aioredis.Redis.from_url(redis_url)

    async def hit(self, key: str, limit: int, window: int) -> int | None:
        """Count one hit; return seconds to wait when over the limit, else None."""
        now = time.time()
        bucket = int(now // window)
        retry_after = max(1, math.ceil((bucket + 1) * window - now))
        if self._redis is not None:
            rkey = f"rl:{key}:{bucket}"
            async with self._redis.pipeline(transaction=True) as pipe:
                count, _ = await pipe.incr(rkey).expire(rkey, window + 1).execute()
        else:
            current_bucket, count = self._memory.get(key, (bucket, 0))
            count = count + 1 if current_bucket == bucket else 1
            self._memory[key] = (bucket, count)
            if len(self._memory) > 100_000:  # forget old windows
                self._memory = {k: v for k, v in self._memory.items() if v[0] == bucket}
        return retry_after if count > limit else None

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


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
