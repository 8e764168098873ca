"""`make bench-scale`: does latency stay flat as the district grows, and how fast is candidate ranking?

    .venv/bin/python bench/scale_curve.py [--scales 0.01,0.1,1] [--requests 300] [--members 20,200,2000]
    .venv/bin/python bench/scale_curve.py --ranking-only [--db-suffix _ranking]   # step 3 alone, on the largest scale
    .venv/bin/python bench/scale_curve.py --ranking-only --app-root /tmp/before     # another checkout's backend

1. Databases hh_bench_10k, hh_bench_100k and hh_bench_1m (10k, 100k and 1M wishes: seed scales
   0.01, 0.1 and 1) on the loopback PostgreSQL, created, migrated and seeded with
   `backend.scale.seed` when empty (the 1M seed takes several minutes; --scales 0.01,0.1 leaves
   it out). --reseed seeds again from scratch (bench/load.py writes into these databases).
2. One app server per database (uvicorn, 1 worker, same settings as bench/load.py), all running
   at once; sequential requests (one at a time) to wall (a member), my wishes (a resident with
   wishes), wish detail (its requester) and the compound's wish list (its dispatcher), taking
   the scales in turn request by request so that other work on the machine hits every scale
   alike. p50/p95/p99 per endpoint and scale, and the ratio largest/smallest.
3. Candidate ranking (GET /api/v1/wishes/{id}/candidates as the dispatcher) on the largest
   database for one compound with 20, 200 and 2,000 reported-in Party members: the compound
   gets party_member grants for existing members of other compounds (with their real order
   history) directly in the database, and they are removed again afterwards.
4. EXPLAIN (ANALYZE, BUFFERS) of every SQL statement those routes send, captured from the app
   itself (in-process, one request each), on the largest database, with the custom plan and
   the generic plan (what a prepared statement falls back to after five executions); every
   sequential scan, and every sort whose input grows with the data, is reported.

Writes bench/results/<YYYY-MM-DD>-scale.json and .md and prints the tables.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (  # noqa: E402
    RESULTS,
    ROOT,
    Tokens,
    app_server,
    check_database_url,
    ensure_seeded,
    log,
    machine_info,
    pct,
    pg_dsn,
    table_sizes,
)

SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
NAMES = {0.01: "hh_bench_10k", 0.1: "hh_bench_100k", 1.0: "hh_bench_1m"}
ENDPOINTS = ("wall", "my_wishes", "wish_detail", "compound_list")
ROUTE = {
    "wall": "GET /api/v1/wishes/wall",
    "my_wishes": "GET /api/v1/wishes?mine=true",
    "wish_detail": "GET /api/v1/wishes/{id}",
    "compound_list": "GET /api/v1/wishes (dispatcher: the compound's wishes)",
    "candidates": "GET /api/v1/wishes/{id}/candidates",
}


def db_url(scale: float, prefix: str, suffix: str = "") -> str:
    name = NAMES.get(scale) or f"hh_bench_s{str(scale).replace('.', '_')}"
    return f"{prefix}/{name}{suffix}"


# ---- who calls what ------------------------------------------------------------------------------


async def actors(url: str, rng: random.Random, n: int = 400) -> dict:
    conn = await asyncpg.connect(pg_dsn(url))
    try:
        members = [
            r["user_id"]
            for r in await conn.fetch(
                "SELECT user_id FROM rolegrant WHERE role = 'party_member' AND scope_type = 'compound' ORDER BY id"
            )
        ]
        dispatchers = [
            r["user_id"]
            for r in await conn.fetch(
                "SELECT user_id FROM rolegrant WHERE role = 'dispatcher' AND scope_type = 'compound' ORDER BY id"
            )
        ]
        top = await conn.fetchval("SELECT max(id) FROM wish")
        ids = sorted({rng.randint(1, top) for _ in range(n * 2)})
        detail = [
            (r["id"], r["requester_id"])
            for r in await conn.fetch("SELECT id, requester_id FROM wish WHERE id = ANY($1::int[]) ORDER BY id", ids)
        ][:n]
    finally:
        await conn.close()
    return {
        "wall": [(None, rng.choice(members)) for _ in range(n)],
        "my_wishes": [(None, req) for _, req in rng.sample(detail, min(n, len(detail)))],
        "wish_detail": detail,
        "compound_list": [(None, rng.choice(dispatchers)) for _ in range(n)],
    }


def path_of(endpoint: str, wish_id: int | None) -> str:
    return {
        "wall": "/api/v1/wishes/wall",
        "my_wishes": "/api/v1/wishes?mine=true",
        "wish_detail": f"/api/v1/wishes/{wish_id}",
        "compound_list": "/api/v1/wishes",
    }[endpoint]


def summary(lat: list[float], codes: dict) -> dict:
    return {
        "n": len(lat),
        "p50_ms": round(pct(lat, 50), 2),
        "p95_ms": round(pct(lat, 95), 2),
        "p99_ms": round(pct(lat, 99), 2),
        "max_ms": round(max(lat), 2),
        "codes": {str(k): v for k, v in sorted(codes.items())},
    }


async def timed_get(client: httpx.AsyncClient, path: str, headers: dict) -> tuple[float, int]:
    t0 = time.perf_counter()
    resp = await client.get(path, headers=headers)
    return (time.perf_counter() - t0) * 1000, resp.status_code


# ---- 2. the curve --------------------------------------------------------------------------------


async def curve(servers: dict, tokens: Tokens, who: dict, requests: int, rng: random.Random) -> dict:
    """Two passes over the same callers and wishes: "first touch" (each row read for the first time
    in this run: PostgreSQL may have to fetch its pages from the OS or disk) and "repeat" (the same
    requests again: what the plans cost once the working set is cached). The plans decide the
    second; shared_buffers against the database size decides the gap between the two."""
    clients = {s: httpx.AsyncClient(base_url=srv.url, timeout=30) for s, srv in servers.items()}
    out: dict = {ep: {} for ep in ENDPOINTS}
    try:
        for s in servers:  # open connections and pools; not counted
            for _ in range(5):
                await timed_get(clients[s], "/readyz", {})
        for ep in ENDPOINTS:
            for phase in ("first_touch", "repeat"):
                lat = {s: [] for s in servers}
                codes = {s: {} for s in servers}
                for i in range(requests):
                    order = list(servers)
                    rng.shuffle(order)
                    for s in order:
                        wish_id, user = who[s][ep][i % len(who[s][ep])]
                        ms, code = await timed_get(clients[s], path_of(ep, wish_id), tokens.headers(user))
                        lat[s].append(ms)
                        codes[s][code] = codes[s].get(code, 0) + 1
                for s in servers:
                    out[ep].setdefault(s, {})[phase] = summary(lat[s], codes[s])
                line = ", ".join(
                    f"{s}: p50 {out[ep][s][phase]['p50_ms']} p95 {out[ep][s][phase]['p95_ms']}" for s in servers
                )
                log(f"{ep} ({phase.replace('_', ' ')}): {line}")
    finally:
        for c in clients.values():
            await c.aclose()
    return out


# ---- 3. candidate ranking --------------------------------------------------------------------------


async def pick_compound(conn) -> tuple[int, int, int]:
    """The compound with the most members of its own; one of its wishes whose requester has a
    household; its dispatcher."""
    cid = await conn.fetchval(
        "SELECT scope_id FROM rolegrant WHERE role = 'party_member' AND scope_type = 'compound' "
        "GROUP BY scope_id ORDER BY count(*) DESC, scope_id LIMIT 1"
    )
    wish_id = await conn.fetchval(
        'SELECT w.id FROM wish w JOIN "user" u ON u.id = w.requester_id '
        "WHERE w.compound_id = $1 AND w.status = 'open' AND u.household_id IS NOT NULL ORDER BY w.id DESC LIMIT 1",
        cid,
    )
    if wish_id is None:
        wish_id = await conn.fetchval("SELECT max(id) FROM wish WHERE compound_id = $1", cid)
    dispatcher = await conn.fetchval(
        "SELECT min(user_id) FROM rolegrant WHERE role = 'dispatcher' AND scope_type = 'compound' AND scope_id = $1",
        cid,
    )
    return cid, wish_id, dispatcher


async def set_members(conn, compound: int, n: int, added: list[int]) -> dict:
    """Give the compound n reported-in members: its own first, then members of other compounds
    (busiest histories first is not needed: they are taken in id order, deterministic)."""
    if added:
        await conn.execute("DELETE FROM rolegrant WHERE id = ANY($1::int[])", added)
        added.clear()
    own = await conn.fetchval(
        "SELECT count(*) FROM rolegrant WHERE role = 'party_member' AND scope_type = 'compound' AND scope_id = $1",
        compound,
    )
    need = max(0, n - own)
    if need:
        rows = await conn.fetch(
            "WITH pick AS ("
            "  SELECT DISTINCT g.user_id FROM rolegrant g JOIN memberprofile p ON p.user_id = g.user_id "
            "  WHERE g.role = 'party_member' AND g.scope_type = 'compound' AND g.scope_id <> $1 "
            "  AND NOT EXISTS (SELECT 1 FROM rolegrant x WHERE x.user_id = g.user_id AND x.role = 'party_member' "
            "                  AND x.scope_type = 'compound' AND x.scope_id = $1) "
            "  ORDER BY g.user_id LIMIT $2) "
            "INSERT INTO rolegrant (user_id, role, scope_type, scope_id, created_at) "
            "SELECT user_id, 'party_member', 'compound', $1, now() FROM pick RETURNING id",
            compound,
            need,
        )
        added.extend(r["id"] for r in rows)
    await conn.execute("ANALYZE rolegrant")
    total = await conn.fetchval(
        "SELECT count(*) FROM rolegrant WHERE role = 'party_member' AND scope_type = 'compound' AND scope_id = $1",
        compound,
    )
    orders = await conn.fetchval(
        "SELECT count(*) FROM wish_order o WHERE o.member_id IN (SELECT user_id FROM rolegrant "
        "WHERE role = 'party_member' AND scope_type = 'compound' AND scope_id = $1)",
        compound,
    )
    return {"members": total, "own": own, "borrowed": len(added), "their_orders": orders}


async def candidates(url: str, server, tokens: Tokens, levels: list[int], requests: int, seconds: float) -> dict:
    conn = await asyncpg.connect(pg_dsn(url))
    added: list[int] = []
    out: dict = {}
    try:
        compound, wish_id, dispatcher = await pick_compound(conn)
        log(f"candidates: compound {compound}, wish {wish_id}, dispatcher {dispatcher}")
        headers = tokens.headers(dispatcher)
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            # levels up then down, half the requests each way, so drift hits every level alike
            for n in levels + levels[::-1]:
                info = await set_members(conn, compound, n, added)
                lat, codes = [], {}
                size = 0
                until = time.perf_counter() + seconds / 2  # each pass: half the requests or half the time
                for i in range(requests // 2 + 5):
                    if i >= 15 and time.perf_counter() > until:
                        break
                    t0 = time.perf_counter()
                    resp = await client.get(f"/api/v1/wishes/{wish_id}/candidates", headers=headers)
                    ms = (time.perf_counter() - t0) * 1000
                    if i >= 5:
                        lat.append(ms)
                        codes[resp.status_code] = codes.get(resp.status_code, 0) + 1
                        size = len(resp.content)
                entry = out.setdefault(n, {**info, "lat": [], "codes": {}, "response_bytes": size})
                entry["lat"] += lat
                for k, v in codes.items():
                    entry["codes"][k] = entry["codes"].get(k, 0) + v
        explained = {}
        for n in levels:  # EXPLAIN the ranking's queries at every level (in-process, one request)
            await set_members(conn, compound, n, added)
            path = f"/api/v1/wishes/{wish_id}/candidates"
            captured = await capture_sql(url, tokens.settings.jwt_secret, [("candidates", path, dispatcher)])
            explained[n] = (await explain_all(url, captured))["candidates"]
        result = {}
        for n, e in out.items():
            result[str(n)] = {
                "members": e["members"],
                "own_members": e["own"],
                "borrowed_from_other_compounds": e["borrowed"],
                "their_orders": e["their_orders"],
                "response_bytes": e["response_bytes"],
                **summary(e["lat"], e["codes"]),
                "explain": explained.get(n),
            }
            log(
                f"candidates with {e['members']} members ({e['their_orders']:,} orders in their history): "
                f"p50 {result[str(n)]['p50_ms']} ms, p95 {result[str(n)]['p95_ms']} ms"
            )
        return {"compound": compound, "wish": wish_id, "levels": result}
    finally:
        if added:
            await conn.execute("DELETE FROM rolegrant WHERE id = ANY($1::int[])", added)
            await conn.execute("ANALYZE rolegrant")
        await conn.close()


# ---- 4. EXPLAIN ----------------------------------------------------------------------------------


def walk(plan: dict, depth: int = 0):
    yield plan, depth
    for child in plan.get("Plans", []):
        yield from walk(child, depth + 1)


def plan_findings(plan: dict) -> dict:
    seq, sorts, nodes = [], [], []
    for node, depth in walk(plan):
        kind = node["Node Type"]
        rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        label = kind + (f" on {node['Relation Name']}" if "Relation Name" in node else "")
        if "Index Name" in node:
            label += f" using {node['Index Name']}"
        nodes.append("  " * depth + f"{label} (rows {rows}, loops {node.get('Actual Loops', 1)})")
        if kind == "Seq Scan":
            seq.append(
                {
                    "relation": node.get("Relation Name"),
                    "rows_returned": rows,
                    "rows_removed_by_filter": node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1),
                    "filter": node.get("Filter"),
                }
            )
        if kind in ("Sort", "Incremental Sort"):
            child = node.get("Plans", [{}])[0]
            sorts.append(
                {
                    "sort_key": node.get("Sort Key"),
                    "input_rows": child.get("Actual Rows", 0) * child.get("Actual Loops", 1),
                    "method": node.get("Sort Method"),
                }
            )
    return {"seq_scans": seq, "sorts": sorts, "tree": nodes}


async def capture_sql(url: str, secret: str, calls: list[tuple[str, str, int]]) -> dict:
    """Run each request through the app in-process and capture the SQL it sends."""
    from sqlalchemy import event

    from backend.app import create_app
    from backend.kernel.settings import Settings

    settings = Settings(
        app_env="test", database_url=url, jwt_secret=secret, demo_data=False, run_worker=False, rate_wish_per_ip_hour=0
    )
    app = create_app(settings)
    captured: list[tuple[str, tuple]] = []

    @event.listens_for(app.state.engine.sync_engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        captured.append((statement, tuple(parameters or ())))

    tokens = Tokens(secret)
    out = {}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, path, user in calls:
                captured.clear()
                resp = await client.get(path, headers=tokens.headers(user))
                out[name] = {"path": path, "status": resp.status_code, "statements": list(captured)}
    finally:
        await app.state.engine.dispose()
    return out


async def explain_all(url: str, captured: dict) -> dict:
    conn = await asyncpg.connect(pg_dsn(url))
    report = {}
    try:
        for name, call in captured.items():
            stmts = []
            for sql, params in call["statements"]:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):  # the ranking is WITH m AS (…) SELECT
                    continue
                entry = {"sql": sql, "params": [str(p) for p in params]}
                for mode in ("custom", "generic"):
                    async with conn.transaction():
                        await conn.execute(
                            f"SET LOCAL plan_cache_mode = {'force_generic_plan' if mode == 'generic' else 'auto'}"
                        )
                        rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, *params)
                    raw = rows[0][0]
                    doc = (json.loads(raw) if isinstance(raw, str) else raw)[0]
                    found = plan_findings(doc["Plan"])
                    entry[mode] = {
                        "execution_ms": round(doc.get("Execution Time", 0), 3),
                        "planning_ms": round(doc.get("Planning Time", 0), 3),
                        "jit": bool(doc.get("JIT")),
                        **found,
                    }
                stmts.append(entry)
            report[name] = {"path": call["path"], "status": call["status"], "queries": len(call["statements"])}
            report[name]["selects"] = stmts
    finally:
        await conn.close()
    return report


async def explain_calls(
    url: str, rng: random.Random, compound_for_candidates: int | None
) -> list[tuple[str, str, int]]:
    conn = await asyncpg.connect(pg_dsn(url))
    try:
        # the wall of the busiest member: the compound with the most open wishes
        busiest = await conn.fetchval(
            "SELECT compound_id FROM wish WHERE status = 'open' GROUP BY compound_id ORDER BY count(*) DESC LIMIT 1"
        )
        member = await conn.fetchval(
            "SELECT min(user_id) FROM rolegrant WHERE role = 'party_member' AND scope_type = 'compound' "
            "AND scope_id = $1",
            busiest,
        )
        heavy = await conn.fetchrow(
            "SELECT requester_id, count(*) AS n FROM wish GROUP BY requester_id ORDER BY count(*) DESC LIMIT 1"
        )
        wish = await conn.fetchrow(
            "SELECT id, requester_id FROM wish WHERE status = 'closed' ORDER BY id DESC OFFSET 1000 LIMIT 1"
        )
        cid = compound_for_candidates or busiest
        dispatcher = await conn.fetchval(
            "SELECT min(user_id) FROM rolegrant WHERE role = 'dispatcher' AND scope_type = 'compound' "
            "AND scope_id = $1",
            cid,
        )
        cand_wish = await conn.fetchval("SELECT max(id) FROM wish WHERE compound_id = $1", cid)
        worker = await conn.fetchval(
            "SELECT min(user_id) FROM rolegrant WHERE role = 'grid_worker' AND scope_type = 'grid'"
        )
    finally:
        await conn.close()
    return [
        ("wall", "/api/v1/wishes/wall", member),
        ("my_wishes", "/api/v1/wishes?mine=true", heavy["requester_id"]),
        ("wish_detail", f"/api/v1/wishes/{wish['id']}", wish["requester_id"]),
        ("compound_list", "/api/v1/wishes", dispatcher),
        ("candidates", f"/api/v1/wishes/{cand_wish}/candidates", dispatcher),
        ("inbox", "/api/v1/inbox", member),
        ("coverage", "/api/v1/visits/coverage", worker),
    ]


# ---- report --------------------------------------------------------------------------------------


def markdown(result: dict) -> str:
    scales = list(result["databases"])
    load = result.get("load_average")
    lines = [
        f"Machine: {result['machine']['cores']} cores; sequential requests, 1 uvicorn worker per database, "
        f"{result['config']['requests']} requests per endpoint and scale."
        + (f" Load average (1 min) {load['start']} at the start, {load['end']} at the end." if load else ""),
        "",
    ]
    if result["curve"]:
        lines += [
            "| endpoint | "
            + " | ".join(f"{s} ({result['databases'][s]['sizes']['wish']:,} wishes) p50 / p95 ms" for s in scales)
            + f" | ratio {scales[-1]}/{scales[0]} p50 / p95 |",
            "|---|" + "---:|" * len(scales) + "---:|",
        ]
    for ep, per in result["curve"].items():
        for phase in ("first_touch", "repeat"):
            cells = [f"{per[s][phase]['p50_ms']:.1f} / {per[s][phase]['p95_ms']:.1f}" for s in scales]
            f = result["flatness"][ep][phase]
            lines.append(
                f"| {ep} ({phase.replace('_', ' ')}) | "
                + " | ".join(cells)
                + f" | ×{f['p50_ratio']} / ×{f['p95_ratio']} |"
            )
    cand = result.get("candidates")
    if cand:
        lines += [
            "",
            f"Candidate ranking on {cand['database']} (compound {cand['compound']}):",
            "",
            "| members | their orders | response | p50 ms | p95 ms | p99 ms |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for _, e in cand["levels"].items():
            lines.append(
                f"| {e['members']} | {e['their_orders']:,} | {e['response_bytes'] // 1024} KB | {e['p50_ms']} | "
                f"{e['p95_ms']} | {e['p99_ms']} |"
            )
    lines.append("")
    for g in result["goals"]:
        lines.append(f"- {'MET' if g['met'] else 'MISSED'}: {g['goal']} — {g['measured']}")
    if cand:
        lines += [
            "",
            "Candidate ranking, EXPLAIN ANALYZE per member level (custom plans; the statements over 1 ms):",
            "",
        ]
        for _, e in cand["levels"].items():
            for q in (e.get("explain") or {}).get("selects", []):
                c = q["custom"]
                if c["execution_ms"] < 1:
                    continue
                flat_sql = " ".join(q["sql"].split())
                what = flat_sql.split(" FROM ", 1)[-1].split(" WHERE ", 1)[0][:160]
                seq = "; ".join(f"Seq Scan on {x['relation']} ({x['rows_returned']:,} rows)" for x in c["seq_scans"])
                lines.append(
                    f"- {e['members']} members — FROM {what}: {c['execution_ms']} ms (generic plan "
                    f"{q['generic']['execution_ms']} ms){'; ' + seq if seq else ''}"
                )
    ex = result.get("explain")
    if ex:
        lines += ["", f"EXPLAIN ANALYZE on {ex['database']}:", ""]
        for name, rep in ex["routes"].items():
            for q in rep["selects"]:
                for mode in ("custom", "generic"):
                    for s in q[mode]["seq_scans"]:
                        if s["rows_returned"] + s["rows_removed_by_filter"] < 100:
                            continue  # an empty or tiny table: a sequential scan is the right plan
                        lines.append(
                            f"- {name} ({mode} plan): Seq Scan on {s['relation']} — {s['rows_returned']} rows kept, "
                            f"{s['rows_removed_by_filter']} removed by filter; {q[mode]['execution_ms']} ms"
                        )
                    for s in q[mode]["sorts"]:
                        if s["input_rows"] > 200:
                            lines.append(
                                f"- {name} ({mode} plan): Sort of {s['input_rows']} rows by {s['sort_key']}; "
                                f"{q[mode]['execution_ms']} ms"
                            )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> dict:
    rng = random.Random(args.seed)
    load_start = os.getloadavg()[0]  # other people's work on the machine shows here
    secret = secrets.token_urlsafe(32)
    tokens = Tokens(secret)
    logdir = Path(tempfile.mkdtemp(prefix="hh-bench-scale-"))
    dbs: dict[str, dict] = {}
    for scale in args.scales[-1:] if args.ranking_only else args.scales:
        url = db_url(scale, args.server, args.db_suffix)
        check_database_url(url)
        label = url.rsplit("/", 1)[-1]
        t0 = time.monotonic()
        sizes = await ensure_seeded(url, scale, reset=args.reseed) if not args.no_seed else await table_sizes(url)
        dbs[label] = {"url": url, "scale": scale, "sizes": sizes, "prepare_seconds": round(time.monotonic() - t0)}
        log(f"{label}: {sizes['wish']:,} wishes, {sizes['compounds']} compounds, {sizes['party_members']} members")
    servers = {}
    try:
        for label, d in dbs.items():
            servers[label] = app_server(d["url"], secret, 1, logdir, root=args.app_root)
            servers[label].start()
        for s in servers.values():
            await s.wait_ready()
        curve_out: dict = {}
        if not args.ranking_only:
            who = {label: await actors(d["url"], rng, args.requests) for label, d in dbs.items()}
            log(f"curve: {args.requests} sequential requests per endpoint and scale, scales interleaved")
            curve_out = await curve(servers, tokens, who, args.requests, rng)
        largest = list(dbs)[-1]
        cand = None
        if args.members:
            cand = await candidates(
                dbs[largest]["url"], servers[largest], tokens, args.members, args.cand_requests, args.cand_seconds
            )
            cand["database"] = largest
    finally:
        for s in servers.values():
            s.stop()
    explain = None
    if not args.no_explain and not args.ranking_only:
        largest = list(dbs)[-1]
        calls = await explain_calls(dbs[largest]["url"], rng, cand["compound"] if cand else None)
        captured = await capture_sql(dbs[largest]["url"], secret, calls)
        explain = {"database": largest, "routes": await explain_all(dbs[largest]["url"], captured)}
        for name, rep in explain["routes"].items():
            seqs = sorted(
                {s["relation"] for q in rep["selects"] for m in ("custom", "generic") for s in q[m]["seq_scans"]}
            )
            slow = max((q["custom"]["execution_ms"] for q in rep["selects"]), default=0)
            log(f"explain {name}: {rep['queries']} queries, slowest {slow} ms, seq scans: {', '.join(seqs) or 'none'}")

    labels = list(dbs)
    core = ("wall", "my_wishes", "wish_detail")
    flat: dict = {}
    for ep, per in curve_out.items():
        for phase in ("first_touch", "repeat"):
            a, b = per[labels[0]][phase], per[labels[-1]][phase]
            flat.setdefault(ep, {})[phase] = {
                "p50_ratio": round(b["p50_ms"] / a["p50_ms"], 2),
                "p95_ratio": round(b["p95_ms"] / a["p95_ms"], 2),
            }

    def is_flat(phase: str) -> bool:
        return all(
            curve_out[ep][labels[-1]][phase][k]
            <= max(curve_out[ep][labels[0]][phase][k] * 1.5, curve_out[ep][labels[0]][phase][k] + 2)
            for ep in core
            for k in ("p50_ms", "p95_ms")
        )

    goals = [
        {
            "goal": f"flat latency from {labels[0]} to {labels[-1]}, {phase.replace('_', ' ')} "
            "(p50 and p95 within ×1.5 or +2 ms)",
            "met": is_flat(phase),
            "measured": "; ".join(
                f"{ep} p50 ×{flat[ep][phase]['p50_ratio']} p95 ×{flat[ep][phase]['p95_ratio']}" for ep in core
            ),
        }
        for phase in ("repeat", "first_touch")
        if curve_out
    ]
    if cand:
        for members, bound in ((200, 20), (2000, 50)):  # issue 16: 2,000 members p95 < 50 ms, 200 still < 20
            at = next((e for e in cand["levels"].values() if e["members"] >= members), None)
            if at:
                goals.append(
                    {
                        "goal": f"candidate ranking p95 < {bound} ms at {members:,} members",
                        "met": at["p95_ms"] < bound,
                        "measured": f"{at['members']} members on {cand['database']}: p95 {at['p95_ms']} ms "
                        f"(p50 {at['p50_ms']} ms)",
                    }
                )
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "config": {
            "requests": args.requests,
            "cand_requests": args.cand_requests,
            "cand_seconds": args.cand_seconds,
            "members": args.members,
        },
        "databases": {k: {kk: vv for kk, vv in v.items() if kk != "url"} for k, v in dbs.items()},
        "curve": curve_out,
        "flatness": flat,
        "candidates": cand,
        "explain": explain,
        "goals": goals,
        "load_average": {"start": round(load_start, 2), "end": round(os.getloadavg()[0], 2)},
        "server_logs": str(logdir),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="0.01,0.1,1", help="seed scales: 0.01 = 10k wishes, 1 = 1M wishes")
    p.add_argument("--server", default=SERVER, help="PostgreSQL on the loopback; databases hh_bench_<size>")
    p.add_argument("--requests", type=int, default=300, help="sequential requests per endpoint and scale")
    p.add_argument("--members", default="20,200,2000", help="candidate ranking: members of the compound")
    p.add_argument("--cand-requests", type=int, default=200, help="requests per member level")
    p.add_argument("--cand-seconds", type=float, default=30, help="at most this long per member level")
    p.add_argument(
        "--ranking-only",
        action="store_true",
        help="only step 3 (candidate ranking, with its EXPLAIN) on the largest of --scales: no curve, no route EXPLAIN",
    )
    p.add_argument(
        "--db-suffix", default="", help="append to the database names (hh_bench_1m_mine): a database of your own"
    )
    p.add_argument(
        "--app-root",
        type=Path,
        default=None,
        help="serve (and EXPLAIN) another checkout's backend, e.g. `git archive main | tar -x -C /tmp/before`",
    )
    p.add_argument("--reseed", action="store_true", help="drop, recreate and seed every database")
    p.add_argument("--no-seed", action="store_true")
    p.add_argument("--no-explain", action="store_true")
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--out", type=Path, default=None, help="default bench/results/<YYYY-MM-DD>-scale.json")
    p.add_argument("--report", type=Path, help="only print (and rewrite the .md of) an earlier results .json")
    args = p.parse_args()
    if args.report:
        table = markdown(json.loads(args.report.read_text()))
        args.report.with_suffix(".md").write_text(table + "\n")
        print(table)
        return
    if args.app_root:
        # the in-process EXPLAIN (capture_sql) must send that checkout's SQL too: backend modules not
        # imported yet (all but the token and settings modules bench/load.py needs) come from there
        import backend  # noqa: PLC0415

        args.app_root = args.app_root.resolve()
        backend.__path__.insert(0, str(args.app_root / "backend"))
    args.scales = [float(x) for x in args.scales.split(",") if x.strip()]
    args.members = [int(x) for x in args.members.split(",") if x.strip()]
    result = asyncio.run(main_async(args))
    out = args.out or RESULTS / f"{datetime.now().date().isoformat()}-scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
    table = markdown(result)
    out.with_suffix(".md").write_text(table + "\n")
    print()
    print(table)
    print()
    log(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
