"""The platform: migrations match the models, the committed OpenAPI matches the app, production
refuses unsafe settings, and `python -m backend` (what `make run` starts) keeps data across restarts."""

from __future__ import annotations

import json
import os

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend.kernel.settings import Settings, UnsafeSettings
from backend.models import metadata
from backend.openapi_export import DEFAULT_PATH, render
from tests.support.live import free_port, start_backend, stop_backend


async def test_migrations_match_models(db):
    _, engine = db

    def diff(connection):
        ctx = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(ctx, metadata)

    async with engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == [], f"models and migrations differ; run alembic revision --autogenerate: {changes}"


def test_committed_openapi_matches_the_app():
    committed = DEFAULT_PATH.read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(render()), "openapi/openapi.json is stale: run `make openapi`"


def test_every_route_states_a_summary():
    spec = json.loads(render())
    missing = [f"{m.upper()} {p}" for p, ops in spec["paths"].items() for m, op in ops.items() if not op.get("summary")]
    assert missing == []


@pytest.mark.parametrize(
    "overrides, named",
    [
        ({}, "JWT_SECRET"),
        ({"jwt_secret": "short"}, "JWT_SECRET"),
        ({"jwt_secret": "Zt8q-vL2xW9rN4mK7pB1cY6hJ3dF0sGa"}, "WECHAT_APPID"),
        (
            {
                "jwt_secret": "Zt8q-vL2xW9rN4mK7pB1cY6hJ3dF0sGa",
                "wechat_appid": "wx123",
                "wechat_secret": "s" * 32,
                "fake_wechat": True,
            },
            "FAKE_WECHAT",
        ),
    ],
)
def test_production_refuses_unsafe_settings(overrides, named, monkeypatch):
    for var in ("JWT_SECRET", "WECHAT_APPID", "WECHAT_SECRET", "FAKE_WECHAT"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(UnsafeSettings) as err:
        Settings(app_env="prod", _env_file=None, **overrides)
    assert named in str(err.value)


def test_production_with_real_settings_starts_without_fake():
    s = Settings(
        app_env="prod",
        _env_file=None,
        jwt_secret="Zt8q-vL2xW9rN4mK7pB1cY6hJ3dF0sGa",
        wechat_appid="wx1234567890",
        wechat_secret="s" * 32,
    )
    assert not s.fake_wechat_enabled and s.effective_wechat_api_base == "https://api.weixin.qq.com"


def test_make_run_serves_demo_and_keeps_data_across_restarts(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "WECHAT_", "APP_ENV"))},
        "APP_ENV": "dev",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
    }
    base = f"http://127.0.0.1:{port}"
    proc = start_backend(env)
    try:
        # the in-process fake WeChat answers the real login path over the socket
        token = httpx.post(f"{base}/api/v1/auth/wechat", json={"code": "demo-resident"}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{base}/docs").status_code == 200
        wish = httpx.post(
            f"{base}/api/v1/wishes", headers=auth, json={"title": "重启后还在吗", "category": "other"}
        ).json()
        compounds = httpx.get(f"{base}/api/v1/org/compounds?limit=100", headers=auth).json()["items"]
    finally:
        stop_backend(proc)
    proc = start_backend(env)
    try:
        token = httpx.post(f"{base}/api/v1/auth/wechat", json={"code": "demo-resident"}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        again = httpx.get(f"{base}/api/v1/wishes/{wish['id']}", headers=auth)
        assert again.status_code == 200 and again.json()["title"] == "重启后还在吗"
        # demo data was not loaded a second time
        assert httpx.get(f"{base}/api/v1/org/compounds?limit=100", headers=auth).json()["items"] == compounds
    finally:
        stop_backend(proc)
