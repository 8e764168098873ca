"""Sequential A/B of server CPU per request: the app of another checkout (--before-root) and this
one, one uvicorn worker each, the same requests one at a time, in alternating blocks.

    .venv/bin/python bench/seq_ab.py --before-root /tmp/before [--requests 400] [--rounds 3]
    .venv/bin/python bench/seq_ab.py --before-root /tmp/before --ops   # every operation of the mix

--ops measures each operation of bench/load.py's mix (reads, writes and the four-request dispatch
flow) instead of the three ratio routes, so a regression of the mixed load can be traced to the
operation that carries it.

One request at a time keeps the servers from competing with each other, so the process CPU time
each server spends per request is comparable even on a busy machine. Prints a table and writes
bench/results/<date>-seq-ab.json. Uses bench/load.py's fixtures, tokens and servers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402

ROUTES = ("wall", "my_wishes", "wish_detail")


async def block(client: httpx.AsyncClient, server: load.Server, reqs, n: int) -> dict:
    cpu0, t0 = load.group_cpu(server.proc.pid), time.perf_counter()
    lat = []
    for i in range(n):
        path, token = reqs[i % len(reqs)]
        s = time.perf_counter()
        r = await client.get(server.url + path, headers={"authorization": f"Bearer {token}"})
        lat.append((time.perf_counter() - s) * 1000)
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
    cpu = load.group_cpu(server.proc.pid) - cpu0
    return {"cpu_ms_per_request": cpu * 1000 / n, "p50_ms": statistics.median(lat), "seconds": time.perf_counter() - t0}


async def op_block(server: load.Server, ops: load.Load, op: str, n: int) -> dict:
    """n operations of the mix one at a time; CPU per request (a flow counts its requests)."""
    stats = load.Stats()
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        cpu0, t0 = load.group_cpu(server.proc.pid), time.perf_counter()
        for _ in range(n):
            await getattr(ops, op)(client, stats)
        cpu = load.group_cpu(server.proc.pid) - cpu0
    bad = {ep: dict(c) for ep, c in stats.errors.items() if c}
    assert not bad or op == "flow", (op, server.name, bad)
    lat = [ms for v in stats.lat.values() for ms in v]
    return {
        "cpu_ms_per_request": cpu * 1000 / max(stats.count, 1),
        "requests": stats.count,
        "p50_ms": statistics.median(lat),
        "seconds": time.perf_counter() - t0,
        "errors": bad,
    }


async def measure_ops(args, fx, tokens, servers, out) -> None:
    has = set(load.READS + load.WRITES)
    for op in (*load.READS, *load.WRITES, "flow"):
        by = {}
        for name, s in servers.items():
            if name == "baseline":
                continue
            by[name] = load.Load(fx, tokens, random.Random(7), has)
            await op_block(s, by[name], op, 20)  # warm-up
        out[op] = {name: [] for name in by}
        for _ in range(args.rounds):
            for name, ops in by.items():
                n = max(args.requests // (4 if op == "flow" else 1), 1)
                if op == "flow" and len(fx.open_wishes) < n:
                    sys.exit(f"{len(fx.open_wishes)} open wishes left for the flow; reseed or lower --requests")
                out[op][name].append(await op_block(servers[name], ops, op, n))
                load.log(f"{op} {name}: {out[op][name][-1]['cpu_ms_per_request']:.3f} ms CPU/request")


async def main_async(args) -> dict:
    secret = secrets.token_urlsafe(32)
    logdir = Path(tempfile.mkdtemp(prefix="hh-seq-ab-"))
    fx = await load.load_fixtures(args.database_url, random.Random(1))
    tokens = load.Tokens(secret)
    servers = {
        "before": load.app_server(args.database_url, secret, 1, logdir, pool_size=5, root=args.before_root),
        "after": load.app_server(args.database_url, secret, 1, logdir, pool_size=5),
        "baseline": load.baseline_server(args.database_url, secret, 1, logdir, pool_size=5),
    }
    out: dict = {} if args.ops else {r: {k: [] for k in servers} for r in ROUTES}
    try:
        for s in servers.values():
            s.start()
        for s in servers.values():
            await s.wait_ready()
        if args.ops:
            await measure_ops(args, fx, tokens, servers, out)
            return out
        async with httpx.AsyncClient(timeout=10) as client:
            for route in ROUTES:
                reqs = load.ratio_requests(fx, tokens, route)
                for s in servers.values():  # warm-up
                    await block(client, s, reqs, 100)
                for _ in range(args.rounds):
                    for name, s in servers.items():
                        out[route][name].append(await block(client, s, reqs, args.requests))
                        load.log(f"{route} {name}: {out[route][name][-1]['cpu_ms_per_request']:.3f} ms CPU/request")
    finally:
        for s in servers.values():
            s.stop()
    return out


def ops_table(out: dict) -> str:
    lines = ["| operation | before CPU ms/req | after | after ÷ before |", "|---|---:|---:|---:|"]
    for op, by in out.items():
        med = {k: statistics.median(b["cpu_ms_per_request"] for b in v) for k, v in by.items()}
        lines.append(f"| {op} | {med['before']:.2f} | {med['after']:.2f} | ×{med['after'] / med['before']:.2f} |")
    return "\n".join(lines)


def table(out: dict) -> str:
    if any(op in out for op in load.WRITES):
        return ops_table(out)
    lines = [
        "| route | baseline CPU ms/req | before | after | after ÷ before | baseline ÷ after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for route, by in out.items():
        med = {k: statistics.median(b["cpu_ms_per_request"] for b in v) for k, v in by.items()}
        lines.append(
            f"| {load.ROUTES[route]} | {med['baseline']:.2f} | {med['before']:.2f} | {med['after']:.2f} | "
            f"×{med['after'] / med['before']:.2f} | ×{med['baseline'] / med['after']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", default=load.DEFAULT_DB)
    p.add_argument("--before-root", type=Path, required=True)
    p.add_argument("--requests", type=int, default=400)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--ops", action="store_true", help="every operation of the mix, not the three ratio routes")
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args()
    load.check_database_url(args.database_url)
    out = asyncio.run(main_async(args))
    result = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average": load.os.getloadavg(),
        "machine": load.machine_info(),
        "blocks": out,
        "table": table(out),
    }
    path = args.out or load.RESULTS / f"{datetime.now().date().isoformat()}-seq-ab.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(result["table"])


if __name__ == "__main__":
    main()
