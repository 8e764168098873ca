"""Operations: liveness, readiness (database, and Redis when configured), Prometheus metrics."""

from __future__ import annotations

import redis.asyncio as aioredis
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from backend.kernel.context import SettingsDep
from backend.kernel.errors import NotFound, Unauthorized

router = APIRouter(tags=["ops"])


@router.get("/healthz", summary="Liveness: the process answers (public)")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: database (and Redis when configured) reachable (public)",
    responses={503: {"description": "a dependency is down"}},
)
async def readyz(request: Request, settings: SettingsDep) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        async with request.app.state.session_factory() as session:
            await session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # report, don't crash
        checks["database"] = f"error: {type(exc).__name__}"
    redis_url = settings.redis_url
    if redis_url:
        client = aioredis.Redis.from_url(redis_url, socket_timeout=2)
        try:
            await client.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
        finally:
            await client.aclose()
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics (public, or bearer METRICS_TOKEN when set; off in prod unless METRICS_ENABLED)",
    response_class=Response,
)
async def metrics(request: Request, settings: SettingsDep) -> Response:
    if not settings.metrics_served:  # prod, unless METRICS_ENABLED (which then needs METRICS_TOKEN)
        raise NotFound("没有这个接口或资源", code="not_found")
    token = settings.metrics_token
    if token and request.headers.get("authorization") != f"Bearer {token}":
        raise Unauthorized("需要监控令牌", code="metrics_token_required")
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
