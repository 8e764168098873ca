"""A live server (uvicorn on a loopback port, real committing sessions) on a database of its own,
for tests that drive the API from outside: schemathesis and the lifecycle state machine."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.app import create_app
from tests.support.db import ENGINES, make_settings
from tests.support.db import prepare as _prepare
from tests.support.live import ROLES, Live, live_database, serve_in_thread


@pytest.fixture(scope="module", params=ENGINES)
def live(request, fake_wechat, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    url, drop = live_database(request.param, tmp)

    async def prepare() -> None:
        engine = await _prepare(url)
        await engine.dispose()

    asyncio.run(prepare())
    settings = make_settings(
        url, fake_wechat, tmp, rate_login_per_minute=0, rate_wish_per_user_hour=0, rate_wish_per_ip_hour=0
    )
    base, stop = serve_in_thread(create_app(settings))
    tokens = {}
    for code in ROLES:
        r = httpx.post(f"{base}/api/v1/auth/wechat", json={"code": code}, trust_env=False)
        tokens[code] = r.json()["access_token"]
    live = Live(base, tokens, url)
    try:
        yield live
    finally:
        live.http.close()
        stop()
        drop()
