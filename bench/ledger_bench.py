"""A 100,000-row wish ledger exported to .xlsx: prints the time and the peak memory.

    .venv/bin/python bench/ledger_bench.py [--rows 100000] [--database-url postgresql+asyncpg://…]

Builds a fresh database (SQLite file in a temp dir by default) with the migrations and the demo
data, bulk-inserts the wishes, then runs the same code path as GET /api/v1/exports/ledger
(keyset batches → openpyxl write-only in a worker thread → a temp file). Peak memory is measured
with tracemalloc (Python allocations during the export) and the process's max RSS."""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "test")  # the settings default to prod; the demo data reads them

from sqlalchemy import insert, select  # noqa: E402

from backend import demo  # noqa: E402
from backend.auth.reach import ReportScope as Scope  # noqa: E402
from backend.directory.models import User  # noqa: E402
from backend.exports import ledger  # noqa: E402
from backend.kernel.clock import utcnow  # noqa: E402
from backend.kernel.db import create_engine, make_session_factory  # noqa: E402
from backend.kernel.periods import parse_period  # noqa: E402
from backend.migrate import upgrade_head  # noqa: E402
from backend.wishes.models import Wish  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(rows: int, url: str, trace: bool = True) -> None:
    await asyncio.to_thread(upgrade_head, url)
    engine = create_engine(url)
    factory = make_session_factory(engine)
    async with factory() as session:
        await demo.load(session)
        await session.commit()
        users = (await session.execute(select(User.id, User.compound_id).where(User.compound_id.is_not(None)))).all()
        start = utcnow() - timedelta(days=20)
        t0 = time.perf_counter()
        for first in range(0, rows, 5000):
            batch = []
            for n in range(first, min(first + 5000, rows)):
                uid, cid = users[n % len(users)]
                at = start + timedelta(seconds=n * 10)
                batch.append(
                    {
                        "requester_id": uid,
                        "compound_id": cid,
                        "title": f"心愿{n}：帮忙修理水龙头",
                        "description": "",
                        "category": "repair",
                        "photos": [],
                        "status": "closed",
                        "rating": 5,
                        "auto_closed": False,
                        "version": 1,
                        "created_at": at,
                        "updated_at": at,
                        "completed_at": at,
                        "closed_at": at,
                    }
                )
            await session.execute(insert(Wish), batch)
        await session.commit()
        print(f"inserted {rows:,} wishes in {time.perf_counter() - t0:.1f} s")

    from backend.org.models import Community, Compound

    async with factory() as session:
        comms = set((await session.execute(select(Community.id))).scalars())
        cps = set((await session.execute(select(Compound.id))).scalars())
        scope = Scope("street", 1, "幸福街道", 1, comms, cps)
        period = parse_period(f"{(utcnow() - timedelta(days=40)).date()}..{(utcnow() + timedelta(days=1)).date()}")
        rss_before = rss_mb()
        if trace:
            tracemalloc.start()
        t0 = time.perf_counter()
        path, count = await ledger.write_ledger(session, "wishes", scope, period)
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        tracemalloc.stop()
    size = os.stat(path).st_size  # noqa: ASYNC240 - after the measurement
    os.unlink(path)
    await engine.dispose()
    print(f"ledger rows:        {count:,}")
    print(f"export time:        {elapsed:.2f} s ({count / elapsed:,.0f} rows/s)")
    if trace:
        print(f"peak Python memory: {peak / 2**20:.1f} MiB during the export (tracemalloc; slows the export)")
    print(f"max RSS:            {rss_before:.0f} MiB before, {rss_mb():.0f} MiB after the export")
    print(f"file size:          {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-trace", action="store_true", help="time only: tracemalloc off (it slows Python ~3x)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        asyncio.run(main(args.rows, db_url, trace=not args.no_trace))
