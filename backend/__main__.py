"""`python -m backend` (`make run`): apply migrations, load the demo data into an empty database (dev),
then serve the API (with the fake WeChat in dev), saying at each step what it is doing.

The settings default to production (backend/kernel/settings.py); this command is the developer's
one, so it runs in dev unless APP_ENV (in the environment or `.env`) says otherwise."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import time

import uvicorn
from dotenv import dotenv_values

from backend import demo
from backend.kernel.db import engine_from_settings, make_session_factory
from backend.kernel.settings import Settings, get_settings
from backend.migrate import upgrade_head
from backend.ops.middleware import configure_logging

DEMO_CODES = (
    ("demo-resident, demo-resident2", "居民（锦华苑）"),
    ("demo-member, demo-member2, demo-member3", "在职党员"),
    ("demo-dispatcher", "小区派单员（锦华苑党支部）"),
    ("demo-gridworker, demo-gridworker2", "网格员"),
    ("demo-chief", "楼栋长"),
    ("demo-admin", "社区两委（和谐社区）"),
    ("demo-department, demo-depthead", "街道职能部门（城管执法中队）"),
    ("demo-street", "街道管理员（幸福街道）"),
)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


async def _load_demo(settings: Settings) -> bool:
    engine = engine_from_settings(settings)
    try:
        async with make_session_factory(engine)() as session:
            loaded = await demo.load_if_empty(session)
            await session.commit()
        return loaded
    finally:
        await engine.dispose()


def banner(settings: Settings) -> list[str]:
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    base = f"http://{host}:{settings.port}"
    lines = [
        "",
        "幸福家园 已启动：",
        f"  接口        {base}/api/v1",
        f"  接口文档    {base}/docs （ReDoc：{base}/redoc，离线可用）",
        f"  健康检查    {base}/healthz",
    ]
    if settings.fake_wechat_enabled and not settings.wechat_api_base:
        lines += [
            f"  假微信      {base}/fake-wechat （控制接口需 Authorization: Bearer {settings.fake_wechat_token}）",
        ]
    if settings.demo_enabled:
        lines += ["", '演示登录码（POST /api/v1/auth/wechat {"code": "…"}，见 README 演示账号）：']
        lines += [f"  {codes:<42} {who}" for codes, who in DEMO_CODES]
        lines += ["  其他形如 new-resident-1 的登录码（小写字母开头、以连字符连接）登录为新居民"]
        lines += ["", "按 Ctrl+C 停止。"]
    return lines


class _Server(uvicorn.Server):
    """uvicorn, printing where everything is once it listens."""

    def __init__(self, config: uvicorn.Config, lines: list[str]) -> None:
        super().__init__(config)
        self.lines = lines

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            for line in self.lines:
                say(line)


def dev_unless_told() -> None:
    """APP_ENV=dev for this process, unless the environment or `.env` names one."""
    if "APP_ENV" not in os.environ and not dotenv_values(".env").get("APP_ENV"):
        os.environ["APP_ENV"] = "dev"
        get_settings.cache_clear()


def main() -> None:
    dev_unless_told()
    settings = get_settings()
    if settings.fake_wechat_enabled and not settings.wechat_api_base and not settings.fake_wechat_token:
        # one token for the fake WeChat's control routes, known to the app (same process) and printed below
        os.environ["FAKE_WECHAT_TOKEN"] = secrets.token_urlsafe(18)
        get_settings.cache_clear()
        settings = get_settings()
    configure_logging(settings.effective_log_format)
    started = time.perf_counter()
    say("正在迁移数据库…")
    upgrade_head(settings.database_url)
    if settings.demo_enabled:
        say("正在载入演示数据…（空数据库首次约需半分钟）")
        t0 = time.perf_counter()
        loaded = asyncio.run(_load_demo(settings))
        took = time.perf_counter() - t0
        say(f"演示数据已载入，用时 {took:.1f} 秒" if loaded else "数据库中已有数据，未重新载入演示数据")
    say(f"正在启动服务（已用 {time.perf_counter() - started:.1f} 秒）…")
    config = uvicorn.Config(
        "backend.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_level="info",
        proxy_headers=False,  # the peer is the peer: TRUSTED_PROXIES decides whose forwarded headers count
    )
    _Server(config, banner(settings)).run()


if __name__ == "__main__":
    main()
