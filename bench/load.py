"""`make bench`: a realistic load on the real server and PostgreSQL, measured against a bare baseline.

    .venv/bin/python bench/load.py [--database-url URL] [--workers 2] [--duration 15] [--max-requests 30000]

What it does, all on 127.0.0.1:

1. Makes sure the database exists, is migrated and holds a seeded district (it seeds one with
   `backend.scale.seed` at --scale when the database is empty). It refuses a database named
   test*, and any host but the loopback.
2. Starts the app (`uvicorn backend.app:create_app --factory --workers N`, APP_ENV=dev,
   DEMO_DATA=0, RUN_WORKER=0, rate limits off, a random JWT_SECRET) and the baseline
   (`bench/baseline.py`: Starlette + asyncpg, the wall in one raw SQL statement, same N).
   --app-url/--baseline-url use servers already running instead (then pass --jwt-secret).
3. Looks up seeded users, wishes, open wishes, grids and households in the database and mints
   their JWTs directly (backend.auth.tokens.create_access_token, same secret): no logins.
4. Measures, from this separate process (httpx, async), each phase bounded by --duration seconds
   AND --max-requests requests:
     wall-only, closed loop at --concurrency, baseline and app alternately (--rounds times):
       the throughput ratio app/baseline;
     the mix, closed loop (saturation): 70 % reads (wall as a member, my wishes as a resident,
       wish detail as its requester, inbox, visit coverage as a grid worker when the route
       exists), 20 % writes (new wish as a resident, visit batch as a grid worker when the route
       exists), 10 % dispatch flows (candidates -> dispatch -> accept -> complete on open wishes
       looked up at start, each step counted as one request);
     the mix, open loop (paced) at --paced fractions of the saturated rate: latency measured from
       each request's scheduled start (no coordinated omission); the highest level the server
       keeps up with (nothing dropped, all answered within 1 s of the last arrival) is the
       "sustainable load";
     the baseline's wall, paced at that same total rate.
5. Prints requests/s and p50/p95/p99 per endpoint, each with its ratio to the baseline, a short
   markdown table, and writes bench/results/<YYYY-MM-DD>.json (machine, load, CPU used by the
   server, PostgreSQL backends and this load process, so a reader can see who was the bottleneck).

The load process shares the machine's cores with the servers and PostgreSQL: on a small machine
the client is part of what is measured. The JSON says how much CPU each side used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.auth.tokens import create_access_token  # noqa: E402
from backend.kernel.settings import Settings  # noqa: E402

DEFAULT_DB = "postgresql+asyncpg://postgres@127.0.0.1:5432/hh_bench_100k"
RESULTS = ROOT / "bench" / "results"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
READ_P99_GOAL_MS = 50  # every read endpoint's p99, the worst of them (issue 16)
READ_P99_GOAL = f"read p99 < {READ_P99_GOAL_MS} ms at the sustainable load (issue 16: 75 % of the saturated rate)"
READS = ("wall", "my_wishes", "wish_detail", "inbox", "coverage")
WRITES = ("new_wish", "visit_batch")
FLOW = ("candidates", "dispatch", "accept", "complete")
ENDPOINTS = READS + WRITES + FLOW
ROUTES = {
    "wall": "GET /api/v1/wishes/wall",
    "my_wishes": "GET /api/v1/wishes?mine=true",
    "wish_detail": "GET /api/v1/wishes/{id}",
    "inbox": "GET /api/v1/inbox",
    "coverage": "GET /api/v1/visits/coverage",
    "new_wish": "POST /api/v1/wishes",
    "visit_batch": "POST /api/v1/visits/batch",
    "candidates": "GET /api/v1/wishes/{id}/candidates",
    "dispatch": "POST /api/v1/wishes/{id}/dispatch",
    "accept": "POST /api/v1/orders/{id}/accept",
    "complete": "POST /api/v1/wishes/{id}/complete",
}
TITLES = ["水龙头漏水", "楼道灯不亮", "陪老人去医院复查", "周末辅导数学", "需要一根拐杖", "学用手机视频通话"]
CATEGORIES = ["repair", "repair", "elder_care", "education", "goods", "skills", "medical_escort", "other"]


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---- database: safety, seeding, fixtures ------------------------------------------------------


def pg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def check_database_url(url: str) -> tuple[str, str]:
    """Loopback PostgreSQL only, and never a test database. Returns (admin dsn, database name)."""
    from sqlalchemy import make_url

    u = make_url(url)
    if not u.drivername.startswith("postgresql"):
        sys.exit("bench needs PostgreSQL: --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/hh_bench_100k")
    if (u.host or "127.0.0.1") not in LOOPBACK:
        sys.exit(f"refusing to send traffic to {u.host}: the bench talks to 127.0.0.1 only")
    if not u.database or u.database.startswith("test") or u.database in ("postgres", "template0", "template1"):
        sys.exit(f"refusing database {u.database!r}: use a database of its own, e.g. hh_bench_100k")
    admin = u.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    return admin, u.database


async def ensure_database(url: str, *, recreate: bool = False) -> None:
    admin, name = check_database_url(url)
    conn = await asyncpg.connect(admin)
    try:
        if recreate:
            log(f"dropping database {name} (reseed)")
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            log(f"creating database {name}")
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def ensure_seeded(url: str, scale: float, *, reset: bool = False) -> dict:
    """Create, migrate and (when empty) seed the database; with reset, drop it and start again (the
    way out when it was migrated by a revision that has since been rewritten). Returns table sizes."""
    await ensure_database(url, recreate=reset)
    from alembic.util import CommandError

    from backend.migrate import upgrade_head
    from backend.scale import seed as seed_module

    try:
        await asyncio.to_thread(upgrade_head, url)
    except CommandError as exc:
        sys.exit(f"cannot migrate {url.rsplit('/', 1)[-1]} ({exc}); run again with --reseed to recreate it")
    conn = await asyncpg.connect(pg_dsn(url))
    try:
        empty = not await conn.fetchval('SELECT count(*) FROM "street"')
    finally:
        await conn.close()
    if empty or reset:
        log(f"seeding {url.rsplit('/', 1)[-1]} at scale {scale} (backend.scale.seed, which ends with VACUUM (ANALYZE))")
        started = time.monotonic()
        await seed_module.seed(url, scale=scale, seed_value=42, reset=True)
        log(f"seeded in {time.monotonic() - started:.0f}s")
    return await table_sizes(url)


async def table_sizes(url: str) -> dict:
    conn = await asyncpg.connect(pg_dsn(url))
    try:
        out = {}
        for table in ("user", "wish", "wishevent", "wish_order", "visit", "notification"):
            out[table] = await conn.fetchval(f'SELECT count(*) FROM "{table}"')
        out["open_wishes"] = await conn.fetchval("SELECT count(*) FROM wish WHERE status = 'open'")
        out["compounds"] = await conn.fetchval("SELECT count(*) FROM compound")
        out["party_members"] = await conn.fetchval(
            "SELECT count(*) FROM rolegrant WHERE role = 'party_member' AND scope_type = 'compound'"
        )
        return out
    finally:
        await conn.close()


@dataclass
class Fixtures:
    members: list[int] = field(default_factory=list)  # party members (any compound)
    members_by_compound: dict[int, list[int]] = field(default_factory=dict)
    available: set[int] = field(default_factory=set)
    dispatcher_of: dict[int, int] = field(default_factory=dict)  # compound -> dispatcher user id
    residents: list[int] = field(default_factory=list)  # users with a compound and no role
    detail: list[tuple[int, int]] = field(default_factory=list)  # (wish id, requester id)
    requesters: list[int] = field(default_factory=list)
    workers: list[tuple[int, int]] = field(default_factory=list)  # (grid worker id, grid id)
    households_of_grid: dict[int, list[int]] = field(default_factory=dict)
    open_wishes: deque = field(default_factory=deque)  # (wish id, compound id) for dispatch flows
    max_wish_id: int = 0


async def load_fixtures(url: str, rng: random.Random, sample: int = 3000) -> Fixtures:
    fx = Fixtures()
    conn = await asyncpg.connect(pg_dsn(url))
    try:
        rows = await conn.fetch(
            "SELECT g.user_id, g.scope_id, p.available FROM rolegrant g JOIN memberprofile p ON p.user_id = g.user_id "
            "WHERE g.role = 'party_member' AND g.scope_type = 'compound' ORDER BY g.id"
        )
        for r in rows:
            fx.members_by_compound.setdefault(r["scope_id"], []).append(r["user_id"])
            if r["available"]:
                fx.available.add(r["user_id"])
        fx.members = sorted({r["user_id"] for r in rows})
        for r in await conn.fetch(
            "SELECT scope_id, min(user_id) AS user_id FROM rolegrant "
            "WHERE role = 'dispatcher' AND scope_type = 'compound' GROUP BY scope_id"
        ):
            fx.dispatcher_of[r["scope_id"]] = r["user_id"]
        max_user = await conn.fetchval('SELECT max(id) FROM "user"')
        ids = [rng.randint(1, max_user) for _ in range(sample * 2)]
        fx.residents = [
            r["id"]
            for r in await conn.fetch(
                'SELECT u.id FROM "user" u WHERE u.id = ANY($1::int[]) AND u.compound_id IS NOT NULL '
                "AND NOT EXISTS (SELECT 1 FROM rolegrant g WHERE g.user_id = u.id) ORDER BY u.id",
                ids,
            )
        ][:sample]
        fx.max_wish_id = await conn.fetchval("SELECT max(id) FROM wish")
        ids = [rng.randint(1, fx.max_wish_id) for _ in range(sample)]
        fx.detail = [
            (r["id"], r["requester_id"])
            for r in await conn.fetch("SELECT id, requester_id FROM wish WHERE id = ANY($1::int[]) ORDER BY id", ids)
        ]
        fx.requesters = sorted({req for _, req in fx.detail})
        for r in await conn.fetch(
            "SELECT user_id, scope_id FROM rolegrant WHERE role = 'grid_worker' AND scope_type = 'grid' ORDER BY id"
        ):
            fx.workers.append((r["user_id"], r["scope_id"]))
        grids = sorted({g for _, g in fx.workers})
        for r in await conn.fetch(
            "SELECT grid_id, (array_agg(id ORDER BY id))[1:300] AS ids FROM household "
            "WHERE grid_id = ANY($1::int[]) GROUP BY grid_id",
            grids,
        ):
            fx.households_of_grid[r["grid_id"]] = list(r["ids"])
        fx.workers = [(w, g) for w, g in fx.workers if fx.households_of_grid.get(g)]
        await _load_open_wishes(conn, fx)
    finally:
        await conn.close()
    return fx


async def _load_open_wishes(conn, fx: Fixtures) -> None:
    dispatchable = [c for c, ms in fx.members_by_compound.items() if c in fx.dispatcher_of and fx.available & set(ms)]
    rows = await conn.fetch(
        "SELECT id, compound_id FROM wish WHERE status = 'open' AND compound_id = ANY($1::int[]) ORDER BY id",
        dispatchable,
    )
    items = [(r["id"], r["compound_id"]) for r in rows]
    random.Random(7).shuffle(items)
    fx.open_wishes = deque(items)


# ---- tokens --------------------------------------------------------------------------------------


class Tokens:
    def __init__(self, secret: str):
        self.settings = Settings(app_env="test", jwt_secret=secret)
        self.cache: dict[int, dict[str, str]] = {}

    def headers(self, user_id: int) -> dict[str, str]:
        h = self.cache.get(user_id)
        if h is None:
            token, _ = create_access_token(self.settings, user_id)
            h = self.cache[user_id] = {"authorization": f"Bearer {token}"}
        return h


# ---- recording -----------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


@dataclass
class Stats:
    lat: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    codes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    count: int = 0
    lag: list[float] = field(default_factory=list)  # paced: how late each op started (ms)
    skipped: Counter = field(default_factory=Counter)
    drain_s: float | None = None  # paced: time to finish after the last arrival

    def add(self, endpoint: str, ms: float, status: int, error: str | None = None) -> None:
        self.lat[endpoint].append(ms)
        self.codes[endpoint][status] += 1
        if error:
            self.errors[endpoint][error] += 1
        self.count += 1

    def summary(self, elapsed: float) -> dict:
        out = {}
        for ep in ENDPOINTS:
            lat = self.lat.get(ep)
            if not lat:
                continue
            codes = self.codes[ep]
            bad = sum(n for c, n in codes.items() if not 200 <= c < 300 and c != 409)
            out[ep] = {
                "route": ROUTES[ep],
                "n": len(lat),
                "errors": bad,  # 409 is an answer the flow expects under races; counted apart
                "conflicts_409": codes.get(409, 0),
                "codes": {str(c): n for c, n in sorted(codes.items())},
                "rps": round(len(lat) / elapsed, 1),
                "p50_ms": round(pct(lat, 50), 2),
                "p95_ms": round(pct(lat, 95), 2),
                "p99_ms": round(pct(lat, 99), 2),
                "max_ms": round(max(lat), 2),
                "mean_ms": round(statistics.fmean(lat), 2),
            }
            if self.errors.get(ep):
                out[ep]["error_detail"] = dict(self.errors[ep].most_common(5))
        return out


# ---- the load itself -----------------------------------------------------------------------------


class Load:
    """The operations, each one request except the dispatch flow (four)."""

    def __init__(self, fx: Fixtures, tokens: Tokens, rng: random.Random, has: set[str]):
        self.fx, self.tokens, self.rng, self.has = fx, tokens, rng, has

    async def call(
        self,
        client: httpx.AsyncClient,
        stats: Stats,
        endpoint: str,
        method: str,
        path: str,
        user: int,
        body: dict | None = None,
        started: float | None = None,
    ) -> httpx.Response | None:
        t0 = started if started is not None else time.perf_counter()
        try:
            resp = await client.request(method, path, headers=self.tokens.headers(user), json=body)
        except httpx.HTTPError as exc:
            stats.add(endpoint, (time.perf_counter() - t0) * 1000, 0, type(exc).__name__)
            return None
        ms = (time.perf_counter() - t0) * 1000
        err = None
        if not 200 <= resp.status_code < 300:
            try:
                err = resp.json().get("error", str(resp.status_code))
            except ValueError:
                err = str(resp.status_code)
        stats.add(endpoint, ms, resp.status_code, err)
        return resp

    async def wall(self, c, s, started=None):
        await self.call(c, s, "wall", "GET", "/api/v1/wishes/wall", self.rng.choice(self.fx.members), started=started)

    async def my_wishes(self, c, s, started=None):
        user = self.rng.choice(self.fx.requesters)
        await self.call(c, s, "my_wishes", "GET", "/api/v1/wishes?mine=true", user, started=started)

    async def wish_detail(self, c, s, started=None):
        wish_id, requester = self.rng.choice(self.fx.detail)
        await self.call(c, s, "wish_detail", "GET", f"/api/v1/wishes/{wish_id}", requester, started=started)

    async def inbox(self, c, s, started=None):
        await self.call(c, s, "inbox", "GET", "/api/v1/inbox", self.rng.choice(self.fx.members), started=started)

    async def coverage(self, c, s, started=None):
        worker, _ = self.rng.choice(self.fx.workers)
        await self.call(c, s, "coverage", "GET", "/api/v1/visits/coverage", worker, started=started)

    async def new_wish(self, c, s, started=None):
        body = {
            "title": self.rng.choice(TITLES),
            "description": "负载测试：请忽略",
            "category": self.rng.choice(CATEGORIES),
            "photos": [],
        }
        await self.call(c, s, "new_wish", "POST", "/api/v1/wishes", self.rng.choice(self.fx.residents), body, started)

    async def visit_batch(self, c, s, started=None):
        worker, grid = self.rng.choice(self.fx.workers)
        households = self.fx.households_of_grid[grid]
        now = datetime.now(UTC)
        visits = [
            {
                "client_id": str(uuid.uuid4()),
                "household_id": self.rng.choice(households),
                "visited_at": (now - timedelta(hours=self.rng.uniform(1, 72))).isoformat(),
                "outcome": self.rng.choice(["met", "met", "met", "not_home"]),
                "people_met": [],
                "note": "负载测试",
            }
            for _ in range(5)
        ]
        await self.call(c, s, "visit_batch", "POST", "/api/v1/visits/batch", worker, {"visits": visits}, started)

    async def flow(self, c, s, started=None):
        """candidates -> dispatch (to the best available candidate) -> accept (as that member) -> complete."""
        if not self.fx.open_wishes:
            s.skipped["flow_no_open_wish"] += 1
            return await self.wall(c, s, started)
        wish_id, compound = self.fx.open_wishes.popleft()
        dispatcher = self.fx.dispatcher_of[compound]
        resp = await self.call(
            c, s, "candidates", "GET", f"/api/v1/wishes/{wish_id}/candidates", dispatcher, None, started
        )
        if resp is None or resp.status_code != 200:
            return
        items = resp.json()["items"]
        # like a dispatcher: the best available candidate, the next one when the server answers 409
        # (a concurrent flow in the same compound may have just given that member their third order)
        ranked = [i["member_id"] for i in items if i["available"]]
        if not ranked:
            s.skipped["flow_no_available_member"] += 1
            return
        resp = None
        for member in ranked[:3]:
            body = {"member_id": member, "note": "负载测试"}
            resp = await self.call(c, s, "dispatch", "POST", f"/api/v1/wishes/{wish_id}/dispatch", dispatcher, body)
            if resp is None or resp.status_code != 409:
                break
        if resp is None or resp.status_code != 200:
            return
        order = resp.json().get("order") or {}
        resp = await self.call(c, s, "accept", "POST", f"/api/v1/orders/{order.get('id')}/accept", member)
        if resp is None or resp.status_code != 200:
            return
        body = {"note": "已上门处理完毕（负载测试）", "photos": []}
        await self.call(c, s, "complete", "POST", f"/api/v1/wishes/{wish_id}/complete", member, body)

    def mix(self) -> list[tuple[float, object, int]]:
        """(weight per operation, operation, requests per operation): 70 % reads, 20 % writes and
        10 % dispatch steps by request count (a flow is four requests, so its weight is 10 / 4)."""
        reads = [op for op in READS if op in self.has]
        writes = [op for op in WRITES if op in self.has]
        ops = [(70 / len(reads), getattr(self, op), 1) for op in reads]
        ops += [(20 / len(writes), getattr(self, op), 1) for op in writes]
        ops.append((10 / len(FLOW), self.flow, len(FLOW)))
        return ops

    def wall_only(self) -> list[tuple[float, object, int]]:
        return [(1.0, self.wall, 1)]


def _picker(ops, rng: random.Random):
    weights = [w for w, _, _ in ops]
    fns = [f for _, f, _ in ops]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)

    def pick():
        x = rng.random() * total
        for c, f in zip(cum, fns, strict=True):
            if x < c:
                return f
        return fns[-1]

    return pick


def requests_per_op(ops) -> float:
    return sum(w * k for w, _, k in ops) / sum(w for w, _, _ in ops)


def client_for(url: str, connections: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=url,
        # keepalive_expiry below uvicorn's 5 s keep-alive timeout, so that the client never reuses a
        # connection the server is closing (a RemoteProtocolError that would be the client's doing)
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=2.0),
        timeout=httpx.Timeout(30.0),
    )


async def closed_loop(url, ops, rng, concurrency: int, duration: float, max_requests: int) -> tuple[Stats, float]:
    stats = Stats()
    pick = _picker(ops, rng)
    async with client_for(url, concurrency) as client:
        start = time.perf_counter()
        deadline = start + duration

        async def user() -> None:
            while time.perf_counter() < deadline and stats.count < max_requests:
                await pick()(client, stats)

        await asyncio.gather(*(user() for _ in range(concurrency)))
        return stats, time.perf_counter() - start


async def open_loop(url, ops, rng, rate: float, duration: float, max_requests: int, max_inflight: int):
    """Operations arrive on a fixed schedule whatever the server does; a request's latency runs from
    its scheduled start. When max_inflight operations are already waiting, an arrival is dropped
    (and counted): the server did not keep up."""
    stats = Stats()
    pick = _picker(ops, rng)
    op_rate = rate / requests_per_op(ops)
    n_ops = max(1, min(int(op_rate * duration), int(max_requests / requests_per_op(ops))))
    dropped = 0
    async with client_for(url, max_inflight) as client:
        tasks: set[asyncio.Task] = set()
        start = time.perf_counter()
        for i in range(n_ops):
            at = start + i / op_rate
            delay = at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            stats.lag.append((time.perf_counter() - at) * 1000)
            if len(tasks) >= max_inflight:
                dropped += 1
                continue
            task = asyncio.create_task(pick()(client, stats, started=at))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks, timeout=60)
        elapsed = time.perf_counter() - start
    stats.skipped["dropped_arrivals"] = dropped
    # how long the server took, after the last arrival, to finish what it had been given: near
    # zero when it keeps up, growing when requests queue
    stats.drain_s = max(0.0, elapsed - (n_ops - 1) / op_rate)
    return stats, elapsed


# ---- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, cmd: list[str], env: dict, port: int, logdir: Path, cwd: Path = ROOT):
        self.name, self.cmd, self.env, self.port, self.cwd = name, cmd, env, port, cwd
        self.url = f"http://127.0.0.1:{port}"
        self.logfile = logdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        out = open(self.logfile, "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            self.cmd, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()

    async def wait_ready(self, within: float = 90) -> None:
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                if self.proc is not None and self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited: {self.logfile.read_text()[-2000:]}")
                try:
                    if (await client.get(self.url + "/readyz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready after {within}s: {self.logfile.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)  # the group this script started, by its id
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def server_env(database_url: str, secret: str, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(
        APP_ENV="dev",
        DEMO_DATA="0",
        RUN_WORKER="0",
        DATABASE_URL=database_url,
        JWT_SECRET=secret,
        RATE_WISH_PER_IP_HOUR="0",
        RATE_WISH_PER_USER_HOUR="0",
        RATE_LOGIN_PER_MINUTE="0",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra or {})
    return env


def app_server(
    database_url: str,
    secret: str,
    workers: int,
    logdir: Path,
    port: int | None = None,
    pool_size: int = 20,
    root: Path | None = None,
) -> Server:
    port = port or free_port()
    py = sys.executable
    cmd = [py, "-m", "uvicorn", "backend.app:create_app", "--factory", "--workers", str(workers)]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"]
    # a fixed pool of the baseline's size, so neither side opens and closes connections per burst
    pool = {"DB_POOL_SIZE": str(pool_size), "DB_MAX_OVERFLOW": "0"}
    if root is not None:  # --app-root: another checkout's backend (e.g. `git archive main`), this venv
        pool["PYTHONPATH"] = str(root)
    return Server("app", cmd, server_env(database_url, secret, pool), port, logdir, cwd=root or ROOT)


def baseline_server(database_url: str, secret: str, workers: int, logdir: Path, pool_size: int = 20) -> Server:
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "bench"), "baseline:app"]
    cmd += ["--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--no-access-log", "--log-level", "warning"]
    return Server("baseline", cmd, server_env(database_url, secret, {"POOL_SIZE": str(pool_size)}), port, logdir)


# ---- CPU accounting ------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> tuple[int, float] | None:
    """(process group, cpu seconds) of a process, from /proc."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / TICK


def group_cpu(pgid: int) -> float:
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            got = _proc_cpu(int(entry))
            if got and got[0] == pgid:
                total += got[1]
    return total


def machine_busy() -> tuple[float, float]:
    parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    vals = [int(v) for v in parts]
    idle = vals[3] + vals[4]
    return (sum(vals) - idle) / TICK, sum(vals) / TICK


class CpuMeter:
    """CPU seconds used during a phase by the server's process group, the PostgreSQL backends
    serving our database, this load process, and the whole machine (others' work included)."""

    def __init__(self, server: Server | None, database: str, pg: asyncpg.Connection):
        self.server, self.database, self.pg = server, database, pg

    async def _pg_pids(self) -> set[int]:
        rows = await self.pg.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", self.database
        )
        return {r["pid"] for r in rows}

    async def start(self) -> None:
        self.t0 = time.perf_counter()
        self.srv0 = group_cpu(self.server.proc.pid) if self.server and self.server.proc else None
        self.pids0 = {p: (_proc_cpu(p) or (0, 0.0))[1] for p in await self._pg_pids()}
        ru = resource.getrusage(resource.RUSAGE_SELF)
        self.me0 = ru.ru_utime + ru.ru_stime
        self.busy0 = machine_busy()
        self.load0 = os.getloadavg()[0]
        self.sessions0 = await self._sessions()

    async def _sessions(self) -> int:
        """Connections ever opened to our database (PostgreSQL 14+): shows pool churn."""
        try:
            return await self.pg.fetchval("SELECT sessions FROM pg_stat_database WHERE datname = $1", self.database)
        except asyncpg.PostgresError:
            return 0

    async def stop(self) -> dict:
        elapsed = time.perf_counter() - self.t0
        out = {"load_average_1m_before": round(self.load0, 2)}
        if self.srv0 is not None:
            out["server_cores"] = round((group_cpu(self.server.proc.pid) - self.srv0) / elapsed, 3)
        pg = 0.0
        for p in await self._pg_pids():
            now = _proc_cpu(p)
            if now:
                pg += now[1] - self.pids0.get(p, 0.0)
        out["postgres_backends_cores"] = round(pg / elapsed, 3)  # backends alive at the end of the phase
        out["new_db_connections"] = (await self._sessions()) - self.sessions0
        ru = resource.getrusage(resource.RUSAGE_SELF)
        out["load_client_cores"] = round((ru.ru_utime + ru.ru_stime - self.me0) / elapsed, 2)
        busy, total = machine_busy()
        ncpu = os.cpu_count() or 1
        out["machine_busy_cores"] = round((busy - self.busy0[0]) / max(total - self.busy0[1], 1e-9) * ncpu, 2)
        ours = out.get("server_cores", 0) + out["postgres_backends_cores"] + out["load_client_cores"]
        out["other_work_cores"] = round(max(out["machine_busy_cores"] - ours, 0.0), 2)  # other people's jobs
        return out


# ---- wrk: the ratio phases -------------------------------------------------------------------------

# Each wrk thread reads the request list (one "PATH TOKEN" a line), starts at its own offset and
# goes round it; `done` prints one JSON line that run_wrk parses. Status errors are answers
# outside 2xx/3xx.
WRK_LUA = r"""
local reqs = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do
    local path, token = line:match("^(%S+) (%S+)$")
    reqs[#reqs + 1] = wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
  end
  i = math.random(#reqs) - 1
end
request = function()
  i = i % #reqs + 1
  return reqs[i]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"status_errors":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""
RATIO_ROUTES = ("wall", "my_wishes", "wish_detail")


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def ensure_wrk() -> str:
    """wrk from Debian's packages; installed when missing (these machines run the bench as root)."""
    found = wrk_binary()
    if found:
        return found
    log("wrk not found: apt-get install -y wrk")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
    found = wrk_binary()
    if not found:
        sys.exit("wrk is needed for the ratio phases (apt-get install wrk), or pass --ratio-client python")
    return found


def ratio_requests(fx: Fixtures, tokens: Tokens, route: str, n: int = 200) -> list[tuple[str, str]]:
    """The requests of a ratio phase, the same list for the app and the baseline: the wall as
    members, my wishes as residents who have wishes, a wish's detail as its requester."""

    def token(user_id: int) -> str:
        return tokens.headers(user_id)["authorization"][7:]

    if route == "wall":
        return [("/api/v1/wishes/wall", token(m)) for m in fx.members[:n]]
    if route == "my_wishes":
        return [("/api/v1/wishes?mine=true", token(r)) for r in fx.requesters[:n]]
    return [(f"/api/v1/wishes/{w}", token(r)) for w, r in fx.detail[:n]]


async def run_wrk(url: str, reqs: list[tuple[str, str]], args) -> tuple[dict, float]:
    """One wrk run; returns its figures and the CPU seconds wrk used (a waited-for child)."""
    workdir = Path(tempfile.mkdtemp(prefix="hh-wrk-"))
    (workdir / "script.lua").write_text(WRK_LUA)
    (workdir / "requests.txt").write_text("".join(f"{p} {t}\n" for p, t in reqs))
    cmd = [args.wrk, f"-t{args.wrk_threads}", f"-c{args.wrk_connections}", f"-d{args.wrk_duration}s"]
    cmd += ["--timeout", "10s", "-s", str(workdir / "script.lua"), url, "--", str(workdir / "requests.txt")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    line = next((x for x in out.decode().splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures: {out.decode()[-1500:]} {err.decode()[-1500:]}")
    return json.loads(line[8:]), cpu


async def wrk_phase(name: str, server, url: str, reqs, args, meter_pg, database: str) -> dict:
    meter = CpuMeter(server, database, meter_pg)
    await meter.start()
    w, wrk_cpu = await run_wrk(url, reqs, args)
    cpu = await meter.stop()
    seconds = w["duration_us"] / 1e6
    cpu["load_client_cores"] = round(wrk_cpu / seconds, 3)  # wrk's own, not this process's
    ours = cpu.get("server_cores", 0) + cpu["postgres_backends_cores"] + cpu["load_client_cores"]
    cpu["other_work_cores"] = round(max(cpu["machine_busy_cores"] - ours, 0.0), 2)
    rps = w["requests"] / seconds
    out = {
        "client": f"wrk -t{args.wrk_threads} -c{args.wrk_connections} -d{args.wrk_duration}s",
        "target": server.name if server else url,
        "mode": "closed",
        "seconds": round(seconds, 2),
        "requests": w["requests"],
        "rps": round(rps, 1),
        "errors": w["status_errors"] + w["socket_errors"],
        **{k: round(w[f"{k[:-3]}_us"] / 1000, 2) for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")},
        "cpu": cpu,
        "cpu_ms_per_request": {
            "server": round(cpu["server_cores"] * 1000 / rps, 3) if "server_cores" in cpu and rps else None,
            "postgres": round(cpu["postgres_backends_cores"] * 1000 / rps, 3) if rps else None,
            "load_client": round(cpu["load_client_cores"] * 1000 / rps, 3) if rps else None,
        },
    }
    log(
        f"{name} (wrk): {out['requests']} requests in {out['seconds']}s = {out['rps']}/s, errors {out['errors']}, "
        f"p50 {out['p50_ms']} p99 {out['p99_ms']} ms, CPU ms/request server {out['cpu_ms_per_request']['server']} "
        f"pg {out['cpu_ms_per_request']['postgres']} wrk {out['cpu_ms_per_request']['load_client']}, "
        f"others {cpu['other_work_cores']} cores, load {cpu['load_average_1m_before']}"
    )
    return out


def _same_json(a, b, path: str = "") -> list[str]:
    """Where two JSON answers differ, signed URLs (their expiry) aside."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = list(dict.fromkeys([*a, *b]))
        return [d for k in keys for d in _same_json(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items against {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _same_json(x, y, f"{path}[{i}]")]
    if isinstance(a, str) and isinstance(b, str) and "sig=" in a and a.split("?")[0] == b.split("?")[0]:
        return []
    return [] if a == b else [f"{path}: {a!r} against {b!r}"]


async def check_same_answers(app_url: str, base_url: str, lists: dict[str, list[tuple[str, str]]]) -> dict:
    """Before measuring: the baseline must answer what the app answers, for a few requests of
    each ratio route (otherwise the ratio compares different work)."""
    out = {}
    async with httpx.AsyncClient(timeout=10) as client:
        for route, reqs in lists.items():
            diffs: list[str] = []
            for path, token in reqs[:5]:
                h = {"authorization": f"Bearer {token}"}
                a, b = await client.get(app_url + path, headers=h), await client.get(base_url + path, headers=h)
                if a.status_code != b.status_code:
                    diffs.append(f"{path}: status {a.status_code} against {b.status_code}")
                else:
                    diffs += [f"{path}{d}" for d in _same_json(a.json(), b.json())]
            out[route] = {"checked": min(len(reqs), 5), "differences": diffs[:10]}
            log(f"same answers, {route}: " + ("yes" if not diffs else f"NO: {diffs[:3]}"))
    return out


async def run_ratio_phases(app, base, app_url, base_url, fx, tokens, args, meter_pg, dbname, before=None) -> dict:
    """For each hot route: baseline, app, baseline, app … (--rounds), with wrk; with `before` (the
    app of --before-root) baseline, before, app in turn."""
    lists = {route: ratio_requests(fx, tokens, route) for route in RATIO_ROUTES}
    same = await check_same_answers(app_url, base_url, lists)
    targets = [("baseline", base_url, base)]
    if before is not None:
        targets.append(("before", before.url, before))
        for route, check in (await check_same_answers(before.url, base_url, lists)).items():
            same[f"{route} (before)"] = check
    targets.append(("app", app_url, app))
    for reqs in lists.values():  # warm them all (not measured)
        for _, url, _ in targets:
            await run_wrk(url, reqs, argparse.Namespace(**{**vars(args), "wrk_duration": 2}))
    phases: dict[str, dict] = {}
    for route, reqs in lists.items():
        for r in range(args.rounds):
            for target, url, server in targets:
                name = f"{target}_{route}_wrk_{r + 1}"
                phases[name] = await wrk_phase(name, server, url, reqs, args, meter_pg, dbname)
    return {"phases": phases, "same_answers": same, "routes": {r: ratio_of(phases, r) for r in RATIO_ROUTES}}


def _agg(runs: list[dict]) -> dict:
    secs = sum(r["seconds"] for r in runs)
    reqs = sum(r["requests"] for r in runs)
    cpu = [r["cpu_ms_per_request"] for r in runs]

    def mean(key: str) -> float | None:
        vals = [c[key] for c in cpu if c[key] is not None]
        return round(statistics.fmean(vals), 3) if vals else None

    return {
        "rps": round(reqs / secs, 1),
        "rps_per_round": [r["rps"] for r in runs],
        "server_cpu_ms_per_request": mean("server"),
        "postgres_cpu_ms_per_request": mean("postgres"),
        "client_cpu_ms_per_request": mean("load_client"),
        "p50_ms": max(r["p50_ms"] for r in runs),
        "p95_ms": max(r["p95_ms"] for r in runs),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "load_average_1m": [r["cpu"]["load_average_1m_before"] for r in runs],
        "other_work_cores": [r["cpu"]["other_work_cores"] for r in runs],
    }


def ratio_of(phases: dict[str, dict], route: str) -> dict:
    base = _agg([p for n, p in phases.items() if n.startswith(f"baseline_{route}_wrk")])
    app = _agg([p for n, p in phases.items() if n.startswith(f"app_{route}_wrk")])
    out = {"client": "wrk", "baseline": base, "app": app, "throughput_ratio": ratio(app["rps"], base["rps"])}
    out["throughput_ratio_per_round"] = [
        ratio(a, b) for a, b in zip(app["rps_per_round"], base["rps_per_round"], strict=True)
    ]
    if app["server_cpu_ms_per_request"] and base["server_cpu_ms_per_request"]:
        # baseline CPU ÷ app CPU (server + PostgreSQL): what the throughput ratio would be on idle cores
        out["server_pg_cpu_ratio"] = ratio(
            base["server_cpu_ms_per_request"] + base["postgres_cpu_ms_per_request"],
            app["server_cpu_ms_per_request"] + app["postgres_cpu_ms_per_request"],
        )
        out["server_cpu_ratio"] = ratio(base["server_cpu_ms_per_request"], app["server_cpu_ms_per_request"])
    before_runs = [p for n, p in phases.items() if n.startswith(f"before_{route}_wrk")]
    if before_runs:  # --before-root: the same figures for the older app, measured in turn with these
        b = out["before"] = _agg(before_runs)
        out["before_throughput_ratio"] = ratio(b["rps"], base["rps"])
        if b["server_cpu_ms_per_request"] and base["server_cpu_ms_per_request"]:
            out["before_server_pg_cpu_ratio"] = ratio(
                base["server_cpu_ms_per_request"] + base["postgres_cpu_ms_per_request"],
                b["server_cpu_ms_per_request"] + b["postgres_cpu_ms_per_request"],
            )
    return out


# ---- phases --------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    target: str
    mode: str  # closed | paced
    stats: Stats
    elapsed: float
    cpu: dict
    offered_rps: float | None = None

    def to_json(self) -> dict:
        total = self.stats.count
        out = {
            "target": self.target,
            "mode": self.mode,
            "seconds": round(self.elapsed, 2),
            "requests": total,
            "rps": round(total / self.elapsed, 1),
            "errors": sum(e["errors"] for e in self.stats.summary(self.elapsed).values()),
            "endpoints": self.stats.summary(self.elapsed),
            "cpu": self.cpu,
        }
        rps = total / self.elapsed if self.elapsed else 0
        if rps:
            # CPU milliseconds per request: independent of how much of the machine others were using
            out["cpu_ms_per_request"] = {
                "server": round(self.cpu.get("server_cores", 0) * 1000 / rps, 2)
                if "server_cores" in self.cpu
                else None,
                "postgres": round(self.cpu["postgres_backends_cores"] * 1000 / rps, 2),
                "load_client": round(self.cpu["load_client_cores"] * 1000 / rps, 2),
            }
        reads = [v for ep in READS for v in self.stats.lat.get(ep, [])]
        if reads:
            out["reads"] = {"n": len(reads), "p50_ms": round(pct(reads, 50), 2), "p95_ms": round(pct(reads, 95), 2)}
            out["reads"]["p99_ms"] = round(pct(reads, 99), 2)
        if self.offered_rps is not None:
            out["offered_rps"] = round(self.offered_rps, 1)
            out["achieved_ratio"] = round(total / self.elapsed / self.offered_rps, 3)
            lag = self.stats.lag
            out["client_lag_ms"] = {"p99": round(pct(lag, 99), 2), "max": round(max(lag), 2)} if lag else None
            out["drain_s"] = round(self.stats.drain_s or 0.0, 2)
            # kept up: nothing dropped, and everything answered within 1 s of the last arrival
            out["sustained"] = not self.stats.skipped.get("dropped_arrivals") and out["drain_s"] < 1.0
        if self.stats.skipped:
            out["skipped"] = dict(self.stats.skipped)
        return out


async def run_phase(name, server, url, ops, rng, args, meter_pg, database, *, rate: float | None = None) -> Phase:
    meter = CpuMeter(server, database, meter_pg)
    await meter.start()
    if rate is None:
        stats, elapsed = await closed_loop(url, ops, rng, args.concurrency, args.duration, args.max_requests)
        mode = "closed"
    else:
        stats, elapsed = await open_loop(url, ops, rng, rate, args.duration, args.max_requests, args.max_inflight)
        mode = "paced"
    cpu = await meter.stop()
    phase = Phase(name, server.name if server else url, mode, stats, elapsed, cpu, rate)
    j = phase.to_json()
    extra = f", offered {rate:.0f}/s, achieved {j['achieved_ratio']:.0%}, drain {j['drain_s']}s" if rate else ""
    log(
        f"{name}: {j['requests']} requests in {j['seconds']}s = {j['rps']}/s{extra}, errors {j['errors']}, "
        f"cores: server {cpu.get('server_cores', '?')} pg {cpu['postgres_backends_cores']} "
        f"client {cpu['load_client_cores']} others {cpu['other_work_cores']} (machine {cpu['machine_busy_cores']}), "
        f"new db connections {cpu['new_db_connections']}"
    )
    return phase


async def top_up_open_wishes(url: str, database_url: str, load: Load, fx: Fixtures, needed: int) -> int:
    """Make sure enough open wishes remain for the dispatch flows: place wishes as residents of
    dispatchable compounds and approve them as the compound's dispatcher, through the API
    (untimed, before the measured phases)."""
    missing = needed - len(fx.open_wishes)
    if missing <= 0:
        return 0
    log(f"only {len(fx.open_wishes)} open wishes left for dispatch flows: placing and approving {missing} more")
    conn = None
    by_compound: dict[int, list[int]] = {}
    try:
        conn = await asyncpg.connect(pg_dsn(database_url))
        compounds = [c for c, ms in fx.members_by_compound.items() if c in fx.dispatcher_of and fx.available & set(ms)]
        rows = await conn.fetch(
            'SELECT u.compound_id, (array_agg(u.id ORDER BY u.id))[1:50] AS ids FROM "user" u '
            "WHERE u.compound_id = ANY($1::int[]) AND NOT EXISTS (SELECT 1 FROM rolegrant g WHERE g.user_id = u.id) "
            "GROUP BY u.compound_id",
            compounds,
        )
        by_compound = {r["compound_id"]: list(r["ids"]) for r in rows}
    finally:
        if conn is not None:
            await conn.close()
    compounds = sorted(by_compound)
    sem = asyncio.Semaphore(8)
    created = 0
    async with client_for(url, 8) as client:

        async def one(i: int) -> None:
            nonlocal created
            compound = compounds[i % len(compounds)]
            resident = by_compound[compound][i // len(compounds) % len(by_compound[compound])]
            async with sem:
                body = {"title": "补充待派心愿", "description": "负载测试", "category": "repair", "photos": []}
                r = await client.post("/api/v1/wishes", json=body, headers=load.tokens.headers(resident))
                if r.status_code != 201:
                    return
                wish_id = r.json()["id"]
                r = await client.post(
                    f"/api/v1/wishes/{wish_id}/review",
                    json={"decision": "approve"},
                    headers=load.tokens.headers(fx.dispatcher_of[compound]),
                )
                if r.status_code == 200:
                    fx.open_wishes.append((wish_id, compound))
                    created += 1

        await asyncio.gather(*(one(i) for i in range(missing)))
    return created


async def routes_of(url: str) -> set[str]:
    """Which optional endpoints the running app serves (from its own /openapi.json)."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        try:
            spec = (await client.get("/openapi.json")).json()
        except (httpx.HTTPError, ValueError):
            spec = json.loads((ROOT / "openapi" / "openapi.json").read_text())
    paths = spec.get("paths", {})
    has = {"wall", "my_wishes", "wish_detail", "inbox", "new_wish"}
    if "get" in paths.get("/api/v1/visits/coverage", {}):
        has.add("coverage")
    if "post" in paths.get("/api/v1/visits/batch", {}):
        has.add("visit_batch")
    if "get" not in paths.get("/api/v1/inbox", {}):
        has.discard("inbox")
    return has


def machine_info() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["memory_gb"] = round(int(mem) / 1024 / 1024, 1)
    except OSError:
        pass
    info["python_loop_ms"] = python_loop_ms()
    return info


def python_loop_ms(n: int = 2_000_000) -> float:
    """CPU milliseconds of a fixed pure-Python loop (best of three): how fast this machine's cores
    run Python, so that CPU-per-request figures of different days can be compared (the same code
    costs what it costs on a slower core: 2026-12-03's machine took about twice 2026-11-30's)."""
    best = float("inf")
    for _ in range(3):
        t0, acc = time.process_time(), 0
        for i in range(n):
            acc += i * i % 7
        best = min(best, time.process_time() - t0)
    return round(best * 1000, 1)


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or not b:
        return None
    return round(a / b, 2)


# ---- report --------------------------------------------------------------------------------------


def fmt(v, unit="") -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.1f}{unit}" if v < 100 else f"{v:.0f}{unit}"
    return f"{v}{unit}"


def errs(e: dict) -> str:
    return f"{e['errors']}" + (f" (+{e['conflicts_409']}×409)" if e.get("conflicts_409") else "")


def ratio_markdown(result: dict) -> list[str]:
    routes = result["comparison"].get("ratio_routes")
    if not routes:
        return []
    lines = [
        "Ratio phases (client: wrk; baseline and app alternately; CPU ms per request of server / PostgreSQL / wrk):",
        "",
        "| route | baseline req/s | app req/s | throughput × | baseline CPU ms | app CPU ms | server+PG CPU × "
        "| app p50 / p99 ms | load avg |",
        "|---|---:|---:|---:|---|---|---:|---|---|",
    ]
    for route, r in routes.items():
        b, a = r["baseline"], r["app"]

        def cpu(x: dict) -> str:
            return (
                f"{fmt(x['server_cpu_ms_per_request'])} / {fmt(x['postgres_cpu_ms_per_request'])} / "
                f"{fmt(x['client_cpu_ms_per_request'])}"
            )

        loads = "–".join(
            f"{v:.1f}"
            for v in (
                min(b["load_average_1m"] + a["load_average_1m"]),
                max(b["load_average_1m"] + a["load_average_1m"]),
            )
        )
        if "before" in r:
            o = r["before"]
            lines.append(
                f"| {ROUTES[route]} (**before**) | {fmt(b['rps'])} | {fmt(o['rps'])} | "
                f"×{r['before_throughput_ratio']} | "
                f"{cpu(b)} | {cpu(o)} | ×{r.get('before_server_pg_cpu_ratio')} | {fmt(o['p50_ms'])} / "
                f"{fmt(o['p99_ms'])} | {loads} |"
            )
        lines.append(
            f"| {ROUTES[route]} | {fmt(b['rps'])} | {fmt(a['rps'])} | ×{r['throughput_ratio']} "
            f"({', '.join(f'×{x}' for x in r['throughput_ratio_per_round'])}) | {cpu(b)} | {cpu(a)} | "
            f"×{r.get('server_pg_cpu_ratio')} | {fmt(a['p50_ms'])} / {fmt(a['p99_ms'])} | {loads} |"
        )
    same = result["comparison"].get("same_answers", {})
    bad = {k: v["differences"] for k, v in same.items() if v["differences"]}
    lines += ["", "Same answers from both servers: " + ("yes" if not bad else f"NO {bad}"), ""]
    return lines


def markdown(result: dict) -> str:
    cmp_ = result["comparison"]
    if "app_mix_closed" not in result["phases"]:
        return "\n".join(ratio_markdown(result))
    lines = ratio_markdown(result) + [
        f"Machine: {result['machine']['cores']} cores ({result['machine'].get('cpu', '?')}; "
        f"a 2M-step Python loop {result['machine'].get('python_loop_ms', '?')} ms), "
        f"{result['config']['workers']} uvicorn workers, database {result['database']['name']} "
        f"({result['database']['sizes']['wish']:,} wishes), client concurrency {result['config']['concurrency']}, "
        f"{result['config']['duration']} s per phase.",
        "",
        "| phase | endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | × baseline |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    base_sat = cmp_["baseline_wall_closed"]
    lines.append(
        f"| wall only, saturated | **baseline** wall | {fmt(base_sat['rps'])} | {fmt(base_sat['p50_ms'])} | "
        f"{fmt(base_sat['p95_ms'])} | {fmt(base_sat['p99_ms'])} | {base_sat['errors']} | 1 |"
    )
    app_sat = cmp_["app_wall_closed"]
    lines.append(
        f"| wall only, saturated | app wall | {fmt(app_sat['rps'])} | {fmt(app_sat['p50_ms'])} | "
        f"{fmt(app_sat['p95_ms'])} | {fmt(app_sat['p99_ms'])} | {app_sat['errors']} | "
        f"throughput ×{fmt(cmp_['wall_throughput_ratio'])}, p50 ×{fmt(ratio(app_sat['p50_ms'], base_sat['p50_ms']))} |"
    )
    for pname in result["phases"]:
        phase = result["phases"][pname]
        if not pname.startswith("app_mix"):
            continue
        base = cmp_["baseline_wall_paced"] if phase["mode"] == "paced" else base_sat
        label = "mix, saturated" if phase["mode"] == "closed" else f"mix, paced {phase['offered_rps']:.0f}/s"
        for ep, e in phase["endpoints"].items():
            rel = f"p50 ×{fmt(ratio(e['p50_ms'], base['p50_ms']))}, p99 ×{fmt(ratio(e['p99_ms'], base['p99_ms']))}"
            lines.append(
                f"| {label} | {ep} | {fmt(e['rps'])} | {fmt(e['p50_ms'])} | {fmt(e['p95_ms'])} | {fmt(e['p99_ms'])} | "
                f"{errs(e)} | {rel} |"
            )
        vs = (
            f"throughput ×{fmt(ratio(phase['rps'], base_sat['rps']))} of the baseline wall's"
            if label.startswith("mix, saturated")
            else ("sustained" if phase.get("sustained") else f"NOT sustained (drain {phase.get('drain_s')} s)")
        )
        reads = phase.get("reads", {})
        lines.append(
            f"| {label} | **all** (reads: p50/p95/p99) | {fmt(phase['rps'])} | {fmt(reads.get('p50_ms'))} | "
            f"{fmt(reads.get('p95_ms'))} | {fmt(reads.get('p99_ms'))} | {phase['errors']} | {vs} |"
        )
    bp = cmp_.get("baseline_wall_paced")
    if bp:
        lines.append(
            f"| wall only, paced {fmt(bp['offered_rps'])}/s | **baseline** wall | {fmt(bp['rps'])} | "
            f"{fmt(bp['p50_ms'])} | {fmt(bp['p95_ms'])} | {fmt(bp['p99_ms'])} | {bp['errors']} | 1 |"
        )
    lines.append("")
    for g in result["goals"]:
        lines.append(f"- {'MET' if g['met'] else 'MISSED'}: {g['goal']} — {g['measured']}")
    levels = [
        f"{p['offered_rps']:.0f}/s → {p['reads']['p99_ms']:.0f} ms"
        + ("" if p.get("sustained", True) else " (not sustained)")
        for n, p in result["phases"].items()
        if n.startswith("app_mix_paced") and p.get("reads")
    ]
    if levels:
        lines.append(f"- read p99 (all read endpoints together) by paced level: {', '.join(levels)}")
    return "\n".join(lines)


# ---- main ----------------------------------------------------------------------------------------


def ratio_only_result(args, dbname: str, sizes: dict, ratio_run: dict | None, app, base) -> dict:
    """--ratio-only: the wrk ratio phases and nothing else (quick before/after comparisons)."""
    if ratio_run is None:
        sys.exit("--ratio-only needs --ratio-client wrk")
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "config": {
            "workers": args.workers,
            "rounds": args.rounds,
            "ratio_client": "wrk",
            "wrk": f"-t{args.wrk_threads} -c{args.wrk_connections} -d{args.wrk_duration}s",
            "app_command": " ".join(app.cmd) if app else args.app_url,
            "baseline_command": " ".join(base.cmd) if base else args.baseline_url,
        },
        "database": {"name": dbname, "sizes": sizes},
        "phases": {},
        "ratio_phases": ratio_run["phases"],
        "comparison": {"ratio_routes": ratio_run["routes"], "same_answers": ratio_run["same_answers"]},
        "goals": [],
    }


async def main_async(args: argparse.Namespace) -> dict:
    rng = random.Random(args.seed)
    admin_dsn, dbname = check_database_url(args.database_url)
    if args.no_seed:
        sizes = await table_sizes(args.database_url)
    else:
        sizes = await ensure_seeded(args.database_url, args.scale, reset=args.reseed)
    log(f"database {dbname}: " + ", ".join(f"{k}={v:,}" for k, v in sizes.items()))
    secret = args.jwt_secret or secrets.token_urlsafe(32)
    logdir = Path(tempfile.mkdtemp(prefix="hh-bench-"))
    fx = await load_fixtures(args.database_url, rng)
    log(
        f"fixtures: {len(fx.members)} members, {len(fx.residents)} residents, {len(fx.detail)} wishes for detail, "
        f"{len(fx.workers)} grid workers, {len(fx.open_wishes)} open wishes for dispatch flows"
    )
    app = base = None
    if args.app_url:
        app_url = args.app_url
    else:
        app = app_server(args.database_url, secret, args.workers, logdir, pool_size=args.pool_size, root=args.app_root)
        app.start()
        app_url = app.url
    if args.baseline_url:
        base_url = args.baseline_url
    else:
        base = baseline_server(args.database_url, secret, args.workers, logdir, pool_size=args.pool_size)
        base.start()
        base_url = base.url
    before = None
    if args.before_root:
        before = app_server(
            args.database_url, secret, args.workers, logdir, pool_size=args.pool_size, root=args.before_root
        )
        before.name = "before"
        before.start()
    meter_pg = await asyncpg.connect(pg_dsn(args.database_url))
    phases: dict[str, Phase] = {}
    try:
        for s in (app, base, before):
            if s:
                await s.wait_ready()
        log(f"app at {app_url}, baseline at {base_url} ({args.workers} workers each); server logs in {logdir}")
        has = await routes_of(app_url)
        missing = sorted(set(READS + WRITES) - has)
        if missing:
            log(f"routes not served by this app, left out of the mix: {', '.join(missing)}")
        tokens = Tokens(secret)
        load = Load(fx, tokens, rng, has)
        mix = load.mix()
        log("warm-up (not measured)")
        for url, ops in ((app_url, mix), (base_url, load.wall_only())):
            await closed_loop(url, ops, rng, args.concurrency, 3, 3000)

        # 1. the ratio phases, saturated: baseline and app alternately, so that drift from other
        #    work on the machine hits both; with wrk (a compiled client) unless told otherwise
        if args.ratio_client == "wrk":
            ratio_run = await run_ratio_phases(
                app, base, app_url, base_url, fx, tokens, args, meter_pg, dbname, before=before
            )
            wall_rps = ratio_run["routes"]["wall"]["app"]["rps"]
        else:
            ratio_run = None
            for r in range(args.rounds):
                for target, url, server in (("baseline", base_url, base), ("app", app_url, app)):
                    name = f"{target}_wall_closed_{r + 1}"
                    phases[name] = await run_phase(name, server, url, load.wall_only(), rng, args, meter_pg, dbname)
            wall_rps = max(p.stats.count / p.elapsed for n, p in phases.items() if n.startswith("app_wall"))
        # enough open wishes for the flows of the mixed phases: the mix runs slower than the wall
        # alone, and a flow is one operation in 37 (four of the requests in 100)
        per_phase = min(wall_rps * args.duration, args.max_requests) * 0.10 / len(FLOW)
        needed = math.ceil(per_phase * (1 + len(args.paced)) * 1.5) + 20
        if args.ratio_only:
            return ratio_only_result(args, dbname, sizes, ratio_run, app, base)
        if app:
            await top_up_open_wishes(app_url, args.database_url, load, fx, min(needed, args.max_open_top_up))
        # 2. the mix, saturated
        phases["app_mix_closed"] = await run_phase("app_mix_closed", app, app_url, mix, rng, args, meter_pg, dbname)
        saturated = phases["app_mix_closed"].stats.count / phases["app_mix_closed"].elapsed
        # 3. the mix, paced at fractions of the saturated rate
        sustainable = None
        for frac in args.paced:
            name = f"app_mix_paced_{round(frac * 100)}"
            phases[name] = await run_phase(name, app, app_url, mix, rng, args, meter_pg, dbname, rate=saturated * frac)
            j = phases[name].to_json()
            if j["sustained"]:
                sustainable = name
        # 4. the baseline's wall at the same paced rate
        ref_rate = phases[sustainable].offered_rps if sustainable else saturated * min(args.paced)
        phases["baseline_wall_paced"] = await run_phase(
            "baseline_wall_paced", base, base_url, load.wall_only(), rng, args, meter_pg, dbname, rate=ref_rate
        )
    finally:
        await meter_pg.close()
        for s in (app, base, before):
            if s:
                s.stop()

    pj = {name: p.to_json() for name, p in phases.items()}

    def wall_of(prefix: str) -> dict:
        runs = [pj[n] for n in pj if n.startswith(prefix)]
        lat = [v for n in pj if n.startswith(prefix) for v in phases[n].stats.lat["wall"]]
        secs = sum(r["seconds"] for r in runs)
        reqs = sum(r["requests"] for r in runs)
        cpu = [r["cpu_ms_per_request"] for r in runs if r.get("cpu_ms_per_request")]
        return {
            "server_cpu_ms_per_request": round(statistics.fmean(c["server"] or 0 for c in cpu), 2) if cpu else None,
            "postgres_cpu_ms_per_request": round(statistics.fmean(c["postgres"] for c in cpu), 2) if cpu else None,
            "rps": round(reqs / secs, 1),
            "rps_per_round": [r["rps"] for r in runs],
            "p50_ms": round(pct(lat, 50), 2),
            "p95_ms": round(pct(lat, 95), 2),
            "p99_ms": round(pct(lat, 99), 2),
            "errors": sum(r["errors"] for r in runs),
        }

    if ratio_run is not None:
        base_closed = ratio_run["routes"]["wall"]["baseline"]
        app_closed = ratio_run["routes"]["wall"]["app"]
    else:
        base_closed = wall_of("baseline_wall_closed")
        app_closed = wall_of("app_wall_closed")
    bpj = pj["baseline_wall_paced"]
    base_paced = {
        "offered_rps": bpj["offered_rps"],
        "rps": bpj["rps"],
        "errors": bpj["errors"],
        **{k: bpj["endpoints"]["wall"][k] for k in ("p50_ms", "p95_ms", "p99_ms")},
    }
    comparison = {
        "baseline_wall_closed": base_closed,
        "app_wall_closed": app_closed,
        "wall_throughput_ratio": ratio(app_closed["rps"], base_closed["rps"]),
        "wall_throughput_ratio_per_round": [
            ratio(a, b) for a, b in zip(app_closed["rps_per_round"], base_closed["rps_per_round"], strict=True)
        ],
        "baseline_wall_paced": base_paced,
        "sustainable_phase": sustainable,
        "ratio_client": args.ratio_client,
        "flow_client": "httpx (this process): the mixed phases, saturated and paced",
    }
    if ratio_run is not None:
        comparison["ratio_routes"] = ratio_run["routes"]
        comparison["same_answers"] = ratio_run["same_answers"]
    if app_closed["server_cpu_ms_per_request"] and base_closed["server_cpu_ms_per_request"]:
        # what the ratio would be if the servers alone had the cores (client and others excluded)
        comparison["wall_server_cpu_ratio"] = ratio(
            base_closed["server_cpu_ms_per_request"] + base_closed["postgres_cpu_ms_per_request"],
            app_closed["server_cpu_ms_per_request"] + app_closed["postgres_cpu_ms_per_request"],
        )
    # every endpoint figure with its ratio to the baseline wall in the same kind of phase
    for name, phase in pj.items():
        if not name.startswith("app_mix"):
            continue
        ref = base_paced if phase["mode"] == "paced" else base_closed
        for e in phase["endpoints"].values():
            e["vs_baseline"] = {
                "p50": ratio(e["p50_ms"], ref["p50_ms"]),
                "p95": ratio(e["p95_ms"], ref["p95_ms"]),
                "p99": ratio(e["p99_ms"], ref["p99_ms"]),
            }
        phase["rps_vs_baseline_wall"] = ratio(phase["rps"], base_closed["rps"])

    goals = [
        {
            "goal": "wall throughput ≥ 0.5 × baseline",
            "met": (comparison["wall_throughput_ratio"] or 0) >= 0.5,
            "measured": f"{app_closed['rps']}/s vs baseline {base_closed['rps']}/s = "
            f"×{comparison['wall_throughput_ratio']} (per round {comparison['wall_throughput_ratio_per_round']}); "
            f"server+PostgreSQL CPU per wall request: app {app_closed['server_cpu_ms_per_request']}+"
            f"{app_closed['postgres_cpu_ms_per_request']} ms, baseline {base_closed['server_cpu_ms_per_request']}+"
            f"{base_closed['postgres_cpu_ms_per_request']} ms (×{comparison.get('wall_server_cpu_ratio')})",
        }
    ]
    for route, r in (ratio_run or {}).get("routes", {}).items():
        goals.append(
            {
                "goal": f"{ROUTES[route]} throughput ≥ 0.5 × its baseline (wrk)",
                "met": (r["throughput_ratio"] or 0) >= 0.5,
                "measured": f"{r['app']['rps']}/s vs {r['baseline']['rps']}/s = ×{r['throughput_ratio']}; "
                f"server+PostgreSQL CPU ×{r.get('server_pg_cpu_ratio')}",
            }
        )
    if sustainable:
        sp = pj[sustainable]
        worst = max((sp["endpoints"][ep]["p99_ms"], ep) for ep in READS if ep in sp["endpoints"])
        goals.append(
            {
                "goal": READ_P99_GOAL,
                "met": worst[0] < READ_P99_GOAL_MS,
                "measured": f"at {sp['offered_rps']}/s ({sustainable}): all reads p99 {sp['reads']['p99_ms']} ms, "
                f"worst endpoint {worst[1]} p99 {worst[0]} ms",
            }
        )
    else:
        goals.append(
            {
                "goal": READ_P99_GOAL,
                "met": False,
                "measured": "no paced level was sustained (arrivals dropped, or the queue took over 1 s to drain)",
            }
        )
    result = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "config": {
            "workers": args.workers,
            "concurrency": args.concurrency,
            "duration": args.duration,
            "max_requests": args.max_requests,
            "paced": args.paced,
            "rounds": args.rounds,
            "max_inflight": args.max_inflight,
            "mix": {
                "reads_70": [ep for ep in READS if ep in has],
                "writes_20": [ep for ep in WRITES if ep in has],
                "dispatch_10": list(FLOW),
            },
            "app_command": " ".join(app.cmd) if app else args.app_url,
            "baseline_command": " ".join(base.cmd) if base else args.baseline_url,
        },
        "database": {"name": dbname, "sizes": sizes},
        "phases": pj,
        "ratio_phases": ratio_run["phases"] if ratio_run else {},
        "comparison": comparison,
        "goals": goals,
    }
    try:
        conn = await asyncpg.connect(pg_dsn(args.database_url))
        result["machine"]["postgres"] = await conn.fetchval("SHOW server_version")
        await conn.close()
    except (OSError, asyncpg.PostgresError):
        pass
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    p.add_argument("--scale", type=float, default=0.1, help="seed scale when the database is empty (0.1 = 100k wishes)")
    p.add_argument("--no-seed", action="store_true", help="never seed; use the database as it is")
    p.add_argument("--reseed", action="store_true", help="drop, recreate and seed the database first")
    p.add_argument("--workers", type=int, default=2, help="uvicorn workers, for the app and the baseline alike")
    p.add_argument("--concurrency", type=int, default=None, help="closed-loop virtual users (default 8 per worker)")
    p.add_argument("--duration", type=float, default=15.0, help="seconds per phase (upper bound)")
    p.add_argument("--max-requests", type=int, default=30_000, help="requests per phase (upper bound)")
    p.add_argument("--paced", default="0.25,0.5,0.75", help="paced levels as fractions of the saturated mixed rate")
    p.add_argument("--pool-size", type=int, default=20, help="database connections per worker, app and baseline alike")
    p.add_argument("--max-inflight", type=int, default=256, help="paced: arrivals beyond this are dropped")
    p.add_argument("--rounds", type=int, default=2, help="wall-only baseline/app alternations")
    p.add_argument("--max-open-top-up", type=int, default=2000, help="keep at most this many open wishes for flows")
    p.add_argument("--before-root", type=Path, help="ratio phases: also this checkout's app, in turn with ours")
    p.add_argument("--app-root", type=Path, help="run the app from this checkout (before/after comparisons)")
    p.add_argument("--app-url", help="use an app already running there (with --jwt-secret)")
    p.add_argument("--baseline-url", help="use a baseline already running there (with --jwt-secret)")
    p.add_argument("--jwt-secret", help="the servers' JWT_SECRET (default: a random one for the servers started here)")
    p.add_argument("--ratio-client", choices=("wrk", "python"), default="wrk", help="client of the ratio phases")
    p.add_argument("--ratio-only", action="store_true", help="only the wrk ratio phases (no mix)")
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--wrk-connections", type=int, default=32)
    p.add_argument("--wrk-duration", type=int, default=12, help="seconds per wrk phase")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=None, help="default bench/results/<YYYY-MM-DD>.json")
    p.add_argument("--report", type=Path, help="only print (and rewrite the .md of) an earlier results .json")
    args = p.parse_args()
    args.concurrency = args.concurrency or 8 * args.workers
    args.paced = sorted(float(x) for x in args.paced.split(",") if x.strip())
    if (args.app_url or args.baseline_url) and not args.jwt_secret:
        sys.exit("--app-url/--baseline-url need --jwt-secret (the secret those servers were started with)")
    for u in (args.app_url, args.baseline_url):
        if u and httpx.URL(u).host not in LOOPBACK:
            sys.exit(f"refusing to send traffic to {u}: the bench talks to 127.0.0.1 only")
    if args.report:  # print the table of an earlier run again
        result = json.loads(args.report.read_text())
        table = markdown(result)
        args.report.with_suffix(".md").write_text(table + "\n")
        print(table)
        return
    if args.ratio_client == "wrk":
        args.wrk = ensure_wrk()
    result = asyncio.run(main_async(args))
    out = args.out or RESULTS / f"{datetime.now().date().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    table = markdown(result)
    result_md = out.with_suffix(".md")
    result_md.write_text(table + "\n")
    print()
    print(table)
    print()
    log(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} and {result_md.name}")


if __name__ == "__main__":
    main()
