"""The migration that brought 住户认证: a binding the register vouches for (a resident row linked to
the account) stays, verified; any other binding becomes a pending claim and loses the household."""

from __future__ import annotations

import asyncio
from datetime import datetime

from alembic import command
from sqlalchemy import text

from backend.kernel.db import create_engine
from backend.migrate import alembic_config

BEFORE = "3da38b68c554"  # main's head before the verification migration

TREE = [
    "INSERT INTO street (id, name) VALUES (1, '幸福街道')",
    "INSERT INTO community (id, street_id, name) VALUES (1, 1, '和谐社区')",
    "INSERT INTO compound (id, community_id, name, address) VALUES (1, 1, '锦华苑', '幸福路88号')",
    "INSERT INTO grid (id, community_id, name) VALUES (1, 1, '第一网格')",
    "INSERT INTO building (id, compound_id, grid_id, name) VALUES (1, 1, 1, '1号楼')",
    "INSERT INTO unit (id, building_id, name) VALUES (1, 1, '1单元')",
    "INSERT INTO household (id, unit_id, building_id, compound_id, grid_id, room) VALUES (1, 1, 1, 1, 1, '101')",
    "INSERT INTO household (id, unit_id, building_id, compound_id, grid_id, room) VALUES (2, 1, 1, 1, 1, '102')",
]


async def test_existing_bindings_are_verified_only_where_the_register_vouches(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'before.db'}"
    await asyncio.to_thread(command.upgrade, alembic_config(url), BEFORE)
    engine = create_engine(url)
    at = datetime(2026, 11, 1, 8, 0)
    async with engine.begin() as conn:
        for stmt in TREE:
            await conn.execute(text(stmt))
        for uid, openid, household in ((1, "o-owner", 1), (2, "o-stranger", 1), (3, "o-unbound", None)):
            await conn.execute(
                text(
                    'INSERT INTO "user" (id, openid, name, compound_id, household_id, created_at) '
                    "VALUES (:id, :openid, '某人', 1, :household, :at)"
                ),
                {"id": uid, "openid": openid, "household": household, "at": at},
            )
        await conn.execute(
            text(
                "INSERT INTO resident (household_id, name, relation, user_id, created_at, updated_at) "
                "VALUES (1, '王秀兰', '户主', 1, :at, :at)"
            ),
            {"at": at},
        )
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
    async with engine.connect() as conn:
        users = dict((await conn.execute(text('SELECT id, household_id FROM "user" ORDER BY id'))).all())
        claims = (
            await conn.execute(
                text("SELECT user_id, household_id, status, method FROM residentverification ORDER BY user_id")
            )
        ).all()
        versions = set((await conn.execute(text('SELECT token_version FROM "user"'))).scalars())
    await engine.dispose()
    assert users == {1: 1, 2: None, 3: None}
    assert [tuple(c) for c in claims] == [(1, 1, "verified", "register"), (2, 1, "pending", None)]
    assert versions == {0}
