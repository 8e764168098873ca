"""The test databases: which engines run, the settings of a test app, migrating and seeding one."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend import demo
from backend.issues.models import IssueEvent
from backend.kernel.db import create_engine, make_session_factory
from backend.kernel.settings import Settings
from backend.migrate import upgrade_head
from backend.wishes.models import WishEvent

PG_URL = os.environ.get("TEST_DATABASE_URL")

# the last demo row of each event table, by database url: tests that commit for real (the races)
# add rows after these, at the hour the suite happens to run, and they are not the demo's
DEMO_LAST_EVENT_IDS: dict[str, dict[str, int]] = {}


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


async def prepare(url: str) -> AsyncEngine:
    engine = create_engine(url)
    await asyncio.to_thread(upgrade_head, url)
    async with make_session_factory(engine)() as session:
        await demo.load(session)
        await session.commit()
        DEMO_LAST_EVENT_IDS[url] = {
            "wish": (await session.execute(select(func.max(WishEvent.id)))).scalar_one() or 0,
            "issue": (await session.execute(select(func.max(IssueEvent.id)))).scalar_one() or 0,
        }
    return engine


def make_settings(url: str, fake_wechat: str, tmp_path: Path, **overrides) -> Settings:
    return Settings(
        app_env="test",
        database_url=url,
        wechat_api_base=fake_wechat,
        demo_data=False,
        run_worker=False,
        upload_dir=tmp_path / "uploads",
        **overrides,
    )
