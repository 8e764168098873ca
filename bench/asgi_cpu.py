"""CPU per request of one app checkout in-process, driven by raw ASGI calls (no HTTP client to
measure), and of its PostgreSQL backend: python bench/asgi_cpu.py <checkout root> wall|mine <requests>
(BENCH_DATABASE_URL: a seeded bench database). Alternate two roots to compare them."""

import asyncio
import json
import os
import sys
import time

root = sys.argv[1]
route = sys.argv[2]
n = int(sys.argv[3])
sys.path.insert(0, root)
os.chdir(root)
import asyncpg  # noqa: E402

from backend.app import create_app  # noqa: E402  (the checkout given, not this one)
from backend.auth.tokens import create_access_token  # noqa: E402  (the checkout given, not this one)
from backend.kernel.settings import Settings  # noqa: E402  (the checkout given, not this one)

DB = os.environ.get("BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/hh_bench_100k")


async def main():
    settings = Settings(
        app_env="dev",
        database_url=DB,
        demo_data=False,
        run_worker=False,
        jwt_secret="x" * 40,
        rate_wish_per_ip_hour=0,
        rate_wish_per_user_hour=0,
        db_pool_size=2,
        db_max_overflow=0,
    )
    app = create_app(settings)
    conn = await asyncpg.connect(DB.replace("+asyncpg", ""))
    if route == "wall":
        users = [
            r[0]
            for r in await conn.fetch("select user_id from rolegrant where role='party_member' order by id limit 50")
        ]
        reqs = [("/api/v1/wishes/wall", u) for u in users]
    elif route == "mine":
        users = [
            r[0]
            for r in await conn.fetch(
                "select requester_id from wish group by requester_id order by requester_id limit 50"
            )
        ]
        reqs = [("/api/v1/wishes", u, b"mine=true") for u in users]
    await conn.close()
    reqs = [(r[0], create_access_token(settings, r[1], 0)[0], r[2] if len(r) > 2 else b"") for r in reqs]

    async def call(path, token, qs):
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": qs,
            "root_path": "",
            "headers": [(b"host", b"test"), (b"authorization", f"Bearer {token}".encode())],
            "client": ("127.0.0.1", 1234),
            "server": ("test", 80),
            "state": {},
        }
        sent = False

        async def receive():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.sleep(3600)

        status = []

        async def send(m):
            if m["type"] == "http.response.start":
                status.append(m["status"])

        await app(scope, receive, send)
        assert status[0] == 200, status

    async with app.router.lifespan_context(app):
        for i in range(200):
            await call(*reqs[i % len(reqs)])
        mon = await asyncpg.connect(DB.replace("+asyncpg", ""))
        pids = [
            r[0]
            for r in await mon.fetch(
                "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
            )
        ]

        def pgcpu():
            t = 0
            for pid in pids:
                try:
                    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                    t += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
                except OSError:
                    pass
            return t

        p0 = pgcpu()
        c0, t0 = time.process_time(), time.perf_counter()
        for i in range(n):
            await call(*reqs[i % len(reqs)])
        print(
            json.dumps(
                {
                    "cpu_us": (time.process_time() - c0) * 1e6 / n,
                    "pg_cpu_us": (pgcpu() - p0) * 1e6 / n,
                    "pg_backends": len(pids),
                    "wall_us": (time.perf_counter() - t0) * 1e6 / n,
                }
            )
        )
        await mon.close()


asyncio.run(main())
