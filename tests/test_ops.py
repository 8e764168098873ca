"""Operations and limits: health, readiness, metrics, request ids, body size, rate limits."""

from __future__ import annotations

import httpx

from backend.app import create_app
from tests.support.db import make_settings


async def test_health_ready_and_metrics(api):
    assert (await api.ok("GET", "/healthz")) == {"status": "ok"}
    ready = await api.ok("GET", "/readyz")
    assert ready["checks"]["database"] == "ok"
    await api.ok("GET", "/api/v1/wishes?mine=true", "demo-resident")
    r = await api.get("/metrics")
    assert r.status_code == 200
    assert 'http_request_duration_seconds_count{method="GET",route="/api/v1/wishes",status="200"}' in r.text


async def test_readyz_reports_a_dead_database(fake_wechat, tmp_path):
    app = create_app(make_settings("postgresql+asyncpg://nobody@127.0.0.1:1/none", fake_wechat, tmp_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        r = await c.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["database"].startswith("error")
    await app.state.engine.dispose()


async def test_request_id_is_echoed_or_made(client):
    r = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = await client.get("/healthz")
    assert len(r.headers["x-request-id"]) == 32


async def test_oversized_body_is_refused_with_413(api):
    r = await api.post(
        "/api/v1/wishes",
        "demo-resident",
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"


async def test_login_is_rate_limited_per_client_with_retry_after(db, fake_wechat, tmp_path):
    url, _ = db
    app = create_app(make_settings(url, fake_wechat, tmp_path, rate_login_per_minute=3))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        codes = [(await c.post("/api/v1/auth/wechat", json={"code": "invalid-x"})).status_code for _ in range(3)]
        r = await c.post("/api/v1/auth/wechat", json={"code": "invalid-x"})
    assert codes == [401, 401, 401]
    assert r.status_code == 429 and r.json()["error"] == "rate_limited" and int(r.headers["retry-after"]) >= 1
    await app.state.engine.dispose()


async def test_wish_creation_is_rate_limited_per_user(app, api):
    app.state.settings.rate_wish_per_user_hour = 2
    for _ in range(2):
        await api.ok("POST", "/api/v1/wishes", "demo-resident", status=201, json={"title": "测试", "category": "other"})
    r = await api.post("/api/v1/wishes", "demo-resident", json={"title": "测试", "category": "other"})
    assert r.status_code == 429 and "Retry-After" in r.headers
    # another resident is not affected
    await api.ok("POST", "/api/v1/wishes", "demo-resident2", status=201, json={"title": "测试", "category": "other"})
