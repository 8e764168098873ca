"""Safe by default (issue 12 item 7): without APP_ENV the app is production and refuses what
production must not run with; `make run` and the tests say dev / test themselves."""

from __future__ import annotations

import os
import secrets

import httpx
import pytest

from backend import __main__ as run
from backend.app import create_app
from backend.kernel.settings import Settings, UnsafeSettings, entropy_bits

REAL = {"wechat_appid": "wx1234567890abcdef", "wechat_secret": secrets.token_hex(16)}


@pytest.fixture
def bare_env(monkeypatch, tmp_path):
    """No APP_ENV, no secrets in the environment, no .env in the working directory."""
    for var in ("APP_ENV", "JWT_SECRET", "WECHAT_APPID", "WECHAT_SECRET", "FAKE_WECHAT", "METRICS_ENABLED"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    run.get_settings.cache_clear()


def test_without_app_env_the_app_is_production_and_refuses_dev_secrets(bare_env):
    with pytest.raises(UnsafeSettings) as err:
        Settings(_env_file=None)
    assert "APP_ENV=prod" in str(err.value) and "JWT_SECRET" in str(err.value)


def test_a_secret_of_32_times_a_is_refused_a_random_one_is_not(bare_env):
    with pytest.raises(UnsafeSettings) as err:
        Settings(_env_file=None, jwt_secret="a" * 32, **REAL)
    assert "128 bits" in str(err.value)
    for weak in ("ab" * 20, "0123456789" * 4):
        with pytest.raises(UnsafeSettings):
            Settings(_env_file=None, jwt_secret=weak, **REAL)
    strong = secrets.token_urlsafe(32)
    assert entropy_bits(strong) >= 128
    assert Settings(_env_file=None, jwt_secret=strong, **REAL).app_env == "prod"
    assert Settings(_env_file=None, jwt_secret=secrets.token_hex(32), **REAL).app_env == "prod"


def prod_app(tmp_path, **overrides):
    settings = Settings(
        _env_file=None,
        app_env="prod",
        jwt_secret=secrets.token_urlsafe(32),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'prod.db'}",
        upload_dir=tmp_path / "uploads",
        **REAL,
        **overrides,
    )
    return create_app(settings)


async def statuses(app, *paths, headers=None) -> list[int]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        return [(await c.get(p, headers=headers or {})).status_code for p in paths]


DOCS = ("/docs", "/redoc", "/openapi.json")


async def test_production_serves_no_docs_and_no_metrics_unless_enabled(bare_env):
    app = prod_app(bare_env)
    assert await statuses(app, *DOCS, "/metrics") == [404, 404, 404, 404]
    app = prod_app(bare_env, api_docs=True)
    assert await statuses(app, *DOCS) == [200, 200, 200]


async def test_production_metrics_need_their_token(bare_env):
    with pytest.raises(UnsafeSettings) as err:
        prod_app(bare_env, metrics_enabled=True)
    assert "METRICS_TOKEN" in str(err.value)
    token = secrets.token_urlsafe(24)
    app = prod_app(bare_env, metrics_enabled=True, metrics_token=token)
    assert await statuses(app, "/metrics") == [401]
    assert await statuses(app, "/metrics", headers={"Authorization": f"Bearer {token}"}) == [200]


def test_make_run_is_dev_unless_told(bare_env, monkeypatch):
    run.dev_unless_told()
    assert os.environ["APP_ENV"] == "dev" and run.get_settings().is_dev
    monkeypatch.delenv("APP_ENV")
    (bare_env / ".env").write_text("APP_ENV=prod\n")
    run.dev_unless_told()
    assert "APP_ENV" not in os.environ  # .env's word stands


def test_tests_run_as_test():
    assert os.environ["APP_ENV"] == "test" and run.get_settings().app_env == "test"
