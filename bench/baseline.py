"""The bare baseline for `bench/load.py`: a minimal Starlette + asyncpg app answering the wish wall
(GET /api/v1/wishes/wall) with one raw SQL statement and no ORM, no dependency injection, no
middleware and no response models.

It does the same job as the real route so that the ratio is meaningful: it checks the same HS256
bearer token (python-jose, same JWT_SECRET), finds the caller's compounds from their party_member
grants, reads one keyset page of open wishes with the requester's masked name, and answers the
same JSON shape (labels included). Whatever the real app costs beyond this is the price of the
framework, the ORM and the app's own layers.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hh_bench_100k JWT_SECRET=... \
        .venv/bin/uvicorn --app-dir bench baseline:app --workers 2 --port 8101

bench/load.py starts it itself with the same worker count as the app.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from jose import JWTError, jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.wishes.categories import CATEGORY_LABELS  # noqa: E402  (plain dicts, no ORM)
from backend.wishes.state import STATUS_LABELS  # noqa: E402

WALL_SQL = """
SELECT w.id, w.title, w.category, w.status, w.compound_id, u.name, w.created_at, w.updated_at
FROM wish w
JOIN "user" u ON u.id = w.requester_id
WHERE w.status = 'open'
  AND w.compound_id = ANY (
      SELECT g.scope_id FROM rolegrant g
      WHERE g.user_id = $1 AND g.role = 'party_member' AND g.scope_type = 'compound')
  AND ($2::int IS NULL OR w.id < $2)
ORDER BY w.id DESC
LIMIT $3
"""


def _dsn() -> str:
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hh_bench_100k")
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


def _mask(name: str | None) -> str:
    if not name:
        return "居民"
    return name[0] + "*" * max(len(name) - 1, 1)


async def wall(request: Request) -> JSONResponse:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        return _error(401, "not_authenticated", "请先登录")
    try:
        claims = jwt.decode(auth[7:], request.app.state.secret, algorithms=["HS256"], options={"verify_exp": False})
        user_id = int(claims["sub"])
        if int(claims["exp"]) <= time.time():
            return _error(401, "token_expired", "登录已过期，请重新登录")
    except (JWTError, KeyError, ValueError, TypeError):
        return _error(401, "invalid_token", "登录凭证无效，请重新登录")
    try:
        limit = int(request.query_params.get("limit", "20"))
        cursor = request.query_params.get("cursor")
        cursor = int(cursor) if cursor else None
    except ValueError:
        return _error(422, "invalid_input", "请求内容有误")
    if not 1 <= limit <= 100:
        return _error(422, "invalid_input", "请求内容有误")
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(WALL_SQL, user_id, cursor, limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = str(rows[-1]["id"])
    items = [
        {
            "id": r["id"],
            "title": r["title"],
            "category": r["category"],
            "category_label": CATEGORY_LABELS.get(r["category"], r["category"]),
            "status": r["status"],
            "status_label": STATUS_LABELS[r["status"]],
            "compound_id": r["compound_id"],
            "requester_name": _mask(r["name"]),
            "created_at": r["created_at"].isoformat(),
            "updated_at": r["updated_at"].isoformat(),
        }
        for r in rows
    ]
    return JSONResponse({"items": items, "next_cursor": next_cursor})


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    async with request.app.state.pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    return JSONResponse({"status": "ok"})


@asynccontextmanager
async def lifespan(app: Starlette):
    app.state.secret = os.environ["JWT_SECRET"]
    app.state.pool = await asyncpg.create_pool(_dsn(), min_size=2, max_size=int(os.environ.get("POOL_SIZE", "20")))
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/wishes/wall", wall),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ],
    lifespan=lifespan,
)
