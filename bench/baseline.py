"""The bare baseline for `bench/load.py`: a minimal Starlette + asyncpg app answering the three hot
reads with raw SQL and no ORM, no dependency injection, no middleware and no response models:

- GET /api/v1/wishes/wall: one keyset page of open wishes of the caller's compounds;
- GET /api/v1/wishes?mine=true: one keyset page of the caller's own wishes;
- GET /api/v1/wishes/{id}: the detail as its requester sees it (timeline, latest order, contact,
  actions).

Each does the same job as the real route so that the ratio is meaningful: it checks the same HS256
bearer token (python-jose, same JWT_SECRET) and loads the caller and their grants with the same
statement the app's `current_principal` runs (token_version compared), runs the same statements
the app runs for that route, and answers the same JSON bytes (`bench/load.py` compares one answer
of each route with the app's before it measures). Whatever the real app costs beyond this is the
price of the framework, the ORM and the app's own layers.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hh_bench_100k JWT_SECRET=... \
        .venv/bin/uvicorn --app-dir bench baseline:app --workers 2 --port 8101

bench/load.py starts it itself with the same worker count as the app.
"""

from __future__ import annotations

import functools
import json
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

from backend.dispatch.state import ORDER  # noqa: E402  (the lifecycle tables: labels and transitions)
from backend.files.signing import Signer  # noqa: E402
from backend.kernel.validation import UPLOAD_REF_RE  # noqa: E402
from backend.wishes.categories import CATEGORY_LABELS  # noqa: E402  (plain dicts, no ORM)
from backend.wishes.state import CONTACTABLE, STATUS_LABELS, WISH  # noqa: E402

ORDER_TAKEN = {"accepted", "completed"}
# the caller and their grants, as backend.auth.deps.current_principal loads them
PRINCIPAL_SQL = """
SELECT u.token_version, g.role, g.scope_type, g.scope_id
FROM "user" u LEFT OUTER JOIN rolegrant g ON g.user_id = u.id
WHERE u.id = $1 ORDER BY g.id
"""
MINE_SQL = """
SELECT w.id, w.title, w.category, w.status, w.compound_id, u.name, w.created_at, w.updated_at
FROM wish w JOIN "user" u ON u.id = w.requester_id
WHERE w.requester_id = $1 {cursor}
ORDER BY w.id DESC
LIMIT $2
"""
DETAIL_SQL = """
SELECT w.*, u.name AS requester_name, u.phone AS requester_phone, u.household_id AS requester_household
FROM wish w JOIN "user" u ON u.id = w.requester_id WHERE w.id = $1
"""
ORDER_SQL = """
SELECT o.*, u.name AS member_name, u.phone AS member_phone, p.share_phone
FROM wish_order o JOIN "user" u ON u.id = o.member_id LEFT OUTER JOIN memberprofile p ON p.user_id = o.member_id
WHERE o.wish_id = $1 ORDER BY o.id DESC LIMIT 1
"""
EVENTS_SQL = """
SELECT e.type, e.from_status, e.to_status, e.actor_id, u.name, e.at, e.note
FROM wishevent e LEFT OUTER JOIN "user" u ON u.id = e.actor_id
WHERE e.wish_id = $1 ORDER BY e.id
"""
ROOM_SQL = """
SELECT b.name || un.name || h.room FROM household h
JOIN unit un ON un.id = h.unit_id JOIN building b ON b.id = h.building_id WHERE h.id = $1
"""

WALL_SQL = """
SELECT w.id, w.title, w.category, w.status, w.compound_id, u.name, w.created_at, w.updated_at
FROM wish w
JOIN "user" u ON u.id = w.requester_id
WHERE w.status = 'open' AND w.compound_id IN ({compounds}) AND w.requester_id <> ${requester} {cursor}
ORDER BY w.id DESC
LIMIT ${limit}
"""


@functools.lru_cache(maxsize=64)
def _wall_sql(compounds: int, with_cursor: bool) -> str:
    """The wall's statement for that many compounds, one placeholder each, as the app's IN renders
    (`= ANY($1::int[])` gets a generic plan from PostgreSQL that walks the wish table's primary key
    backwards: 7 ms instead of 0.5 on the bench data)."""
    n = compounds
    return WALL_SQL.format(
        compounds=", ".join(f"${i}" for i in range(1, n + 1)),
        requester=n + 1,
        limit=n + 2,
        cursor=f"AND w.id < ${n + 3}" if with_cursor else "",
    )


def _keyset(sql: str, cursor_param: int) -> tuple[str, str]:
    """A statement without and with the keyset condition, as the app builds it: one
    `($n IS NULL OR id < $n)` statement would get a generic plan that scans the whole table."""
    return sql.format(cursor=""), sql.format(cursor=f"AND w.id < ${cursor_param}")


def _iso(value) -> str | None:
    """Datetimes as the app's JSON shows them (pydantic: UTC with a Z)."""
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def _dsn() -> str:
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hh_bench_100k")
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


def _mask(name: str | None) -> str:
    if not name:
        return "居民"
    return name[0] + "*" * max(len(name) - 1, 1)


class Refused(Exception):
    def __init__(self, status: int, code: str, detail: str):
        self.response = _error(status, code, detail)


async def _caller(request: Request, conn) -> tuple[int, list]:
    """The bearer token checked, then the caller and their grants in one statement (token_version
    compared on the row), as the app's current_principal does."""
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        raise Refused(401, "not_authenticated", "请先登录")
    try:
        claims = jwt.decode(auth[7:], request.app.state.secret, algorithms=["HS256"], options={"verify_exp": False})
        user_id, version = int(claims["sub"]), int(claims.get("ver", 0))
        if int(claims["exp"]) <= time.time():
            raise Refused(401, "token_expired", "登录已过期，请重新登录")
    except (JWTError, KeyError, ValueError, TypeError):
        raise Refused(401, "invalid_token", "登录凭证无效，请重新登录") from None
    rows = await conn.fetch(PRINCIPAL_SQL, user_id)
    if not rows:
        raise Refused(401, "invalid_token", "账号不存在，请重新登录")
    if rows[0]["token_version"] != version:
        raise Refused(401, "token_revoked", "登录已失效，请重新登录")
    return user_id, [r for r in rows if r["role"] is not None]


def _page(request: Request) -> tuple[int, int | None]:
    try:
        limit = int(request.query_params.get("limit", "20"))
        cursor = request.query_params.get("cursor")
        cursor = int(cursor) if cursor else None
    except ValueError:
        raise Refused(422, "invalid_input", "请求内容有误") from None
    if not 1 <= limit <= 100:
        raise Refused(422, "invalid_input", "请求内容有误")
    return limit, cursor


def _summaries(rows, limit: int, name_of) -> dict:
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
            "requester_name": name_of(r["name"]),
            "created_at": _iso(r["created_at"]),
            "updated_at": _iso(r["updated_at"]),
        }
        for r in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


async def wall(request: Request) -> JSONResponse:
    try:
        limit, cursor = _page(request)
        async with request.app.state.pool.acquire() as conn:
            user_id, grants = await _caller(request, conn)
            mine = [g["scope_id"] for g in grants if g["role"] == "party_member" and g["scope_type"] == "compound"]
            if not any(g["role"] == "party_member" for g in grants):
                raise Refused(403, "role_required", "您没有执行此操作的角色权限")
            if not mine:
                rows = []
            elif cursor is None:
                rows = await conn.fetch(_wall_sql(len(mine), False), *mine, user_id, limit + 1)
            else:
                rows = await conn.fetch(_wall_sql(len(mine), True), *mine, user_id, limit + 1, cursor)
    except Refused as r:
        return r.response
    return JSONResponse(_summaries(rows, limit, _mask))


async def my_wishes(request: Request) -> JSONResponse:
    try:
        if request.query_params.get("mine") != "true":
            raise Refused(422, "invalid_input", "the baseline answers ?mine=true only")
        limit, cursor = _page(request)
        async with request.app.state.pool.acquire() as conn:
            user_id, _ = await _caller(request, conn)
            first, later = _keyset(MINE_SQL, 3)
            if cursor is None:
                rows = await conn.fetch(first, user_id, limit + 1)
            else:
                rows = await conn.fetch(later, user_id, limit + 1, cursor)
    except Refused as r:
        return r.response
    return JSONResponse(_summaries(rows, limit, lambda name: name or "我"))


def _signed(request: Request, refs) -> list[str]:
    signer = request.app.state.signer
    return [signer.url(r) if UPLOAD_REF_RE.fullmatch(r) else r for r in refs]


def _order_out(request: Request, o) -> dict | None:
    if o is None:
        return None
    return {
        "id": o["id"],
        "wish_id": o["wish_id"],
        "member_id": o["member_id"],
        "member_name": o["member_name"],
        "kind": o["kind"],
        "status": o["status"],
        "status_label": ORDER.label(o["status"]),
        "note": o["note"],
        "decline_reason": o["decline_reason"],
        "completion_note": o["completion_note"],
        "photos": _signed(request, json.loads(o["photos"])),
        **{k: _iso(o[k]) for k in ("created_at", "expires_at", "responded_at", "completed_at", "due_at", "overdue_at")},
    }


async def _contact(conn, w, o) -> dict | None:
    """联系党员: the holder's name, their phone when shared, the last call-back request."""
    if w["status"] not in CONTACTABLE or o is None or o["status"] not in ORDER_TAKEN:
        return None
    at = await conn.fetchval(
        "SELECT at FROM wishevent WHERE wish_id = $1 AND type = 'callback_requested' ORDER BY id DESC LIMIT 1", w["id"]
    )
    phone = o["member_phone"] if o["share_phone"] else None
    return {
        "member_name": o["member_name"] or "党员",
        "phone": phone,
        "can_call": phone is not None,
        "callback_requested_at": _iso(at),
    }


def _actions(w, o) -> list[str]:
    actions = [a for a, event in (("cancel", "cancelled"), ("confirm", "confirmed")) if WISH.can(w["status"], event)]
    if w["status"] in CONTACTABLE and o is not None and o["status"] in ORDER_TAKEN:
        actions.append("contact")
    return actions


def _detail_out(request: Request, w, o, events, room, contact) -> dict:
    summary = _summaries([dict(w, name=w["requester_name"])], 1, lambda name: name or "我")["items"][0]
    return {
        **summary,
        "description": w["description"],
        "photos": _signed(request, json.loads(w["photos"])),
        "voice": {"url": _signed(request, [w["voice"]])[0], "seconds": w["voice_seconds"] or 1} if w["voice"] else None,
        "requester": {
            "name": w["requester_name"] or "居民",
            "phone": w["requester_phone"],
            "room": room,
            "masked": False,
        },
        **{k: w[k] for k in ("reject_reason", "cancel_reason", "rating", "comment", "auto_closed")},
        **{k: _iso(w[k]) for k in ("accepted_at", "completed_at", "closed_at")},
        "events": [
            {
                "type": e["type"],
                "label": WISH.event_label(e["type"]),
                "from_status": e["from_status"],
                "to_status": e["to_status"],
                "actor_name": e["name"] if e["name"] or e["actor_id"] is None else "居民",
                "at": _iso(e["at"]),
                "note": e["note"],
            }
            for e in events
        ],
        "order": _order_out(request, o),
        "viewer_is_requester": True,
        "contact": contact,
        "actions": _actions(w, o),
    }


async def wish_detail(request: Request) -> JSONResponse:
    """The detail as its requester sees it (the bench asks as the requester only)."""
    try:
        wish_id = int(request.path_params["wish_id"])
        async with request.app.state.pool.acquire() as conn:
            user_id, _ = await _caller(request, conn)
            w = await conn.fetchrow(DETAIL_SQL, wish_id)
            if w is None:
                raise Refused(404, "not_found", "心愿不存在")
            if w["requester_id"] != user_id:
                raise Refused(403, "out_of_scope", "the baseline answers the requester only")
            o = await conn.fetchrow(ORDER_SQL, wish_id)
            events = await conn.fetch(EVENTS_SQL, wish_id)
            room = await conn.fetchval(ROOM_SQL, w["requester_household"]) if w["requester_household"] else None
            contact = await _contact(conn, w, o)
    except Refused as r:
        return r.response
    return JSONResponse(_detail_out(request, w, o, events, room, contact))


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    async with request.app.state.pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
    return JSONResponse({"status": "ok"})


@asynccontextmanager
async def lifespan(app: Starlette):
    app.state.secret = os.environ["JWT_SECRET"]
    app.state.signer = Signer.from_secret(app.state.secret, int(os.environ.get("UPLOAD_URL_TTL_SECONDS", "3600")))
    app.state.pool = await asyncpg.create_pool(_dsn(), min_size=2, max_size=int(os.environ.get("POOL_SIZE", "20")))
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/wishes/wall", wall),
        Route("/api/v1/wishes", my_wishes),
        Route("/api/v1/wishes/{wish_id:int}", wish_detail),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ],
    lifespan=lifespan,
)
