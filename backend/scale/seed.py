"""`python -m backend.scale.seed --scale 1`: fill PostgreSQL with one synthetic district.

At SCALE=1 (DOMAIN.md's development zone): 56 communities, 263 compounds, ~150,000 households,
~300,000 resident accounts, 4,500 Party members with work units and skills, ~7,800 grid workers and
building chiefs, 1,000,000 historical wishes in realistic states with consistent timelines and
orders, 2,000,000 visits. Deterministic for a given --seed; bulk-loaded with COPY in batches.
The database must be migrated and empty (the command migrates it; --reset truncates first).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg

from backend.demo import core as demo
from backend.dispatch import ranking
from backend.kernel.settings import get_settings
from backend.migrate import upgrade_head
from backend.people.models import MEMBER_TOTALS_SQL
from backend.wishes.categories import CATEGORIES

# names and work units as in the demo data, plus a few more units for a whole district
WORK_UNITS = [*demo.WORK_UNITS, "市自来水公司", "区民政局"]
SKILLS = sorted({s for c in CATEGORIES for s in c["skills"]})
CATEGORY_CODES = [c["code"] for c in CATEGORIES]
TITLES = {
    "elder_care": ["陪老人散步", "上门理发", "陪老人聊天"],
    "education": ["需要一个新书包", "周末辅导数学", "需要课外书"],
    "repair": ["水龙头漏水", "楼道灯不亮", "下水道堵了", "门锁坏了"],
    "medical_escort": ["陪同去医院复查", "帮忙取药"],
    "goods": ["需要一根拐杖", "冬天需要厚被子", "需要一台旧电脑"],
    "skills": ["学用手机视频通话", "咨询遗嘱怎么写"],
    "other": ["帮忙搬家具", "帮忙办理证件"],
}
# final status -> share of historical wishes
STATUS_MIX = [
    ("closed", 0.80),
    ("auto_closed", 0.05),
    ("cancelled", 0.05),
    ("rejected", 0.03),
    ("open", 0.02),
    ("pending_review", 0.01),
    ("dispatched", 0.01),
    ("accepted", 0.015),
    ("completed", 0.015),
]
RECENT = {"open", "pending_review", "dispatched", "accepted", "completed"}

TABLE_COLUMNS = {
    "street": ["id", "name"],
    "community": ["id", "street_id", "name"],
    "compound": ["id", "community_id", "name", "address"],
    "grid": ["id", "community_id", "name"],
    "building": ["id", "compound_id", "grid_id", "name"],
    "unit": ["id", "building_id", "name"],
    "household": ["id", "unit_id", "building_id", "compound_id", "grid_id", "room"],
    "department": ["id", "street_id", "name"],
    "user": ["id", "openid", "name", "phone", "compound_id", "household_id", "created_at"],
    "rolegrant": ["id", "user_id", "role", "scope_type", "scope_id", "created_at"],
    "memberprofile": ["user_id", "work_unit", "skills", "available", "updated_at"],
    "wish": [
        "id",
        "requester_id",
        "compound_id",
        "title",
        "description",
        "category",
        "photos",
        "status",
        "reject_reason",
        "cancel_reason",
        "rating",
        "comment",
        "auto_closed",
        "version",
        "created_at",
        "updated_at",
        "reviewed_at",
        "accepted_at",
        "completed_at",
        "closed_at",
    ],
    "wishevent": ["id", "wish_id", "type", "from_status", "to_status", "actor_id", "at", "note"],
    "wish_order": [
        "id",
        "wish_id",
        "member_id",
        "compound_id",
        "kind",
        "status",
        "dispatched_by",
        "photos",
        "created_at",
        "expires_at",
        "responded_at",
        "completed_at",
        "decline_reason",
        "completion_note",
    ],
    "visit": [
        "id",
        "client_id",
        "household_id",
        "grid_id",
        "compound_id",
        "worker_id",
        "visited_at",
        "outcome",
        "people_met",
        "note",
        "created_at",
    ],
}
SEQUENCED = [
    "street",
    "community",
    "compound",
    "grid",
    "building",
    "unit",
    "household",
    "department",
    "user",
    "rolegrant",
    "wish",
    "wishevent",
    "wish_order",
    "visit",
]


def pg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


class Loader:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn
        self.counts: dict[str, int] = {}

    async def copy(self, table: str, rows: list[tuple]) -> None:
        if not rows:
            return
        await self.conn.copy_records_to_table(table, records=rows, columns=TABLE_COLUMNS[table])
        self.counts[table] = self.counts.get(table, 0) + len(rows)


def log(msg: str) -> None:
    print(f"[seed {time.strftime('%H:%M:%S')}] {msg}", flush=True)


async def seed(
    database_url: str, *, scale: float = 1.0, seed_value: int = 42, reset: bool = False, now: datetime | None = None
) -> dict[str, int]:
    rng = random.Random(seed_value)
    now = now or datetime.now(UTC)
    conn = await asyncpg.connect(pg_dsn(database_url))
    try:
        if reset:
            await conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in TABLE_COLUMNS) + " RESTART IDENTITY CASCADE")
        if await conn.fetchval('SELECT count(*) FROM "street"'):
            raise SystemExit("the database already holds data: use --reset to replace it")
        loader = Loader(conn)
        async with conn.transaction():
            await _load(loader, rng, scale, now)
            for table in SEQUENCED:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT COALESCE(max(id), 0) + 1 FROM "{table}"), false)'
                )
            log("member totals from the order history")
            await conn.execute(MEMBER_TOTALS_SQL)
            log("members' live and recent counts, as of now (what every change to an order recounts)")
            refresh = ranking.REFRESH_ALL.compile(dialect=pg_asyncpg.dialect()).construct_expanded_state(
                ranking.times(now)
            )
            await conn.execute(refresh.statement, *refresh.positional_parameters)
        # VACUUM, not only ANALYZE: the visibility map lets index-only scans skip the heap, and
        # autovacuum does not start on the fresh tables in the middle of the first measurements.
        log("VACUUM (ANALYZE)")
        await conn.execute("VACUUM (ANALYZE)")
        return loader.counts
    finally:
        await conn.close()


def _name(rng: random.Random) -> str:
    return rng.choice(demo.SURNAMES) + rng.choice(demo.GIVEN)


async def _load(loader: Loader, rng: random.Random, scale: float, now: datetime) -> None:
    n_communities = max(2, round(56 * scale))
    n_compounds = max(4, round(263 * scale))
    n_households = max(200, round(150_000 * scale))
    n_members = max(20, round(4_500 * scale))
    n_chiefs = max(20, round(7_800 * scale))
    n_wishes = max(500, round(1_000_000 * scale))
    n_visits = max(1_000, round(2_000_000 * scale))
    t0 = time.monotonic()

    # --- places --------------------------------------------------------------------------
    n_streets = max(1, math.ceil(n_communities / 7))
    await loader.copy("street", [(i, f"第{i}街道") for i in range(1, n_streets + 1)])
    await loader.copy(
        "department",
        [
            (d + 1, 1 + d % n_streets, name)
            for d, name in enumerate(
                n for _ in range(n_streets) for n in ["城管执法中队", "市场监管所", "住建办", "民政办"]
            )
        ],
    )
    communities = [(i, 1 + (i - 1) % n_streets, f"幸福{i}社区") for i in range(1, n_communities + 1)]
    await loader.copy("community", communities)
    compounds = [(i, 1 + (i - 1) % n_communities, f"第{i}小区", f"幸福大道{i}号") for i in range(1, n_compounds + 1)]
    await loader.copy("compound", compounds)
    grids, grid_of_compound = [], {}
    for cid, community_id, *_ in compounds:
        grid_of_compound[cid] = []
        for k in range(2):
            gid = len(grids) + 1
            grids.append((gid, community_id, f"第{cid}小区{k + 1}号网格"))
            grid_of_compound[cid].append(gid)
    await loader.copy("grid", grids)
    per_compound = math.ceil(n_households / n_compounds)
    buildings_per_compound = max(2, round(per_compound / 48))
    buildings, units, households = [], [], []
    household_ids_by_compound: dict[int, list[int]] = {}
    for cid, *_ in compounds:
        household_ids_by_compound[cid] = []
        for b in range(buildings_per_compound):
            bid = len(buildings) + 1
            gid = grid_of_compound[cid][0 if b < buildings_per_compound / 2 else 1]
            buildings.append((bid, cid, gid, f"{b + 1}号楼"))
            for u in range(3):
                uid = len(units) + 1
                units.append((uid, bid, f"{u + 1}单元"))
                for r in range(16):
                    if len(household_ids_by_compound[cid]) >= per_compound:
                        break
                    hid = len(households) + 1
                    households.append((hid, uid, bid, cid, gid, f"{r // 2 + 1}0{r % 2 + 1}"))
                    household_ids_by_compound[cid].append(hid)
    await loader.copy("building", buildings)
    await loader.copy("unit", units)
    await loader.copy("household", households)
    log(f"places: {n_compounds} compounds, {len(buildings)} buildings, {len(households)} households")

    # --- people ----------------------------------------------------------------------------
    users, residents_by_compound = [], {cid: [] for cid, *_ in compounds}
    joined = now - timedelta(days=1200)
    for hid, _uid, _bid, cid, _gid, _room in households:
        for _ in range(2):
            uid = len(users) + 1
            users.append(
                (
                    uid,
                    f"fake-openid-seed-{uid}",
                    _name(rng),
                    "1" + rng.choice("3578") + f"{rng.randrange(10**9):09d}",
                    cid,
                    hid,
                    joined,
                )
            )
            residents_by_compound[cid].append(uid)
    for start in range(0, len(users), 50_000):
        await loader.copy("user", users[start : start + 50_000])
    grants, profiles = [], []
    members_by_compound: dict[int, list[int]] = {cid: [] for cid, *_ in compounds}
    compound_ids = [c[0] for c in compounds]
    for i in range(n_members):
        cid = compound_ids[i % n_compounds]
        uid = rng.choice(residents_by_compound[cid])
        if uid in members_by_compound[cid]:
            continue
        members_by_compound[cid].append(uid)
        grants.append((len(grants) + 1, uid, "party_member", "compound", cid, joined))
        profiles.append(
            (
                uid,
                rng.choice(WORK_UNITS),
                json.dumps(rng.sample(SKILLS, 2), ensure_ascii=False),
                rng.random() > 0.1,
                joined,
            )
        )
    dispatchers = {}
    for cid in compound_ids:
        uid = residents_by_compound[cid][0]
        dispatchers[cid] = uid
        grants.append((len(grants) + 1, uid, "dispatcher", "compound", cid, joined))
    workers_by_grid: dict[int, list[int]] = {}
    for gid, _community_id, _ in grids:
        cid = (gid + 1) // 2
        workers_by_grid[gid] = []
        for k in range(2):
            uid = residents_by_compound[cid][1 + k + (gid % 2) * 2]
            workers_by_grid[gid].append(uid)
            grants.append((len(grants) + 1, uid, "grid_worker", "grid", gid, joined))
    chiefs_needed = max(0, n_chiefs - 2 * len(grids))
    chiefs: set[tuple[int, int]] = set()
    for i in range(chiefs_needed):
        b = buildings[i % len(buildings)]
        uid = rng.choice(residents_by_compound[b[1]])
        while (uid, b[0]) in chiefs:  # one grant per person and building; no repeat, same stream
            uid = rng.choice(residents_by_compound[b[1]])
        chiefs.add((uid, b[0]))
        grants.append((len(grants) + 1, uid, "building_chief", "building", b[0], joined))
    for community_id, *_ in communities:
        uid = residents_by_compound[compound_ids[(community_id - 1) % n_compounds]][5]
        grants.append((len(grants) + 1, uid, "community_admin", "community", community_id, joined))
    await loader.copy("rolegrant", grants)
    await loader.copy("memberprofile", profiles)
    log(f"people: {len(users)} users, {len(profiles)} Party members, {len(grants)} role grants")

    # --- wishes, their events and orders ----------------------------------------------------
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    wish_id = event_id = order_id = 0
    batch_w, batch_e, batch_o = [], [], []

    async def flush() -> None:
        await loader.copy("wish", batch_w)
        await loader.copy("wishevent", batch_e)
        await loader.copy("wish_order", batch_o)
        batch_w.clear(), batch_e.clear(), batch_o.clear()

    h = timedelta(hours=1)
    for _ in range(n_wishes):
        wish_id += 1
        final = rng.choices(statuses, weights)[0]
        cid = compound_ids[rng.randrange(n_compounds)]
        requester = rng.choice(residents_by_compound[cid])
        members = members_by_compound[cid] or [dispatchers[cid]]
        member = rng.choice(members)
        category = rng.choice(CATEGORY_CODES)
        created = now - (
            timedelta(hours=rng.uniform(1, 96)) if final in RECENT else timedelta(days=rng.uniform(8, 1095))
        )
        t = created
        events = [("created", None, "pending_review", requester, t, None)]
        w = dict(
            status="pending_review",
            reject_reason=None,
            cancel_reason=None,
            rating=None,
            comment=None,
            auto_closed=False,
            reviewed_at=None,
            accepted_at=None,
            completed_at=None,
            closed_at=None,
        )
        order = None

        def step(kind, frm, to, actor, dt, note=None):
            nonlocal t
            t = min(t + dt, now - timedelta(minutes=1))
            events.append((kind, frm, to, actor, t, note))  # noqa: B023 - called in this iteration only
            w["status"] = to  # noqa: B023
            return t

        if final == "pending_review":
            pass
        elif final == "rejected":
            w["reviewed_at"] = step(
                "rejected", "pending_review", "rejected", dispatchers[cid], 3 * h, "不属于微心愿范围"
            )
            w["reject_reason"] = "不属于微心愿范围"
        else:
            w["reviewed_at"] = step("approved", "pending_review", "open", dispatchers[cid], rng.uniform(0.5, 6) * h)
            if final == "cancelled":
                w["closed_at"] = step("cancelled", "open", "cancelled", requester, 5 * h, "家人已经帮忙解决了")
                w["cancel_reason"] = "家人已经帮忙解决了"
            elif final != "open":
                if rng.random() < 0.5 or final == "dispatched":
                    offered = step("dispatched", "open", "dispatched", dispatchers[cid], rng.uniform(0.2, 4) * h)
                    order = [member, "dispatch", "offered", dispatchers[cid], offered, offered + 24 * h, None, None]
                    if final != "dispatched":
                        w["accepted_at"] = step("accepted", "dispatched", "accepted", member, rng.uniform(0.2, 8) * h)
                        order[2], order[6] = "accepted", w["accepted_at"]
                else:
                    w["accepted_at"] = step("claimed", "open", "accepted", member, rng.uniform(0.5, 30) * h)
                    order = [member, "claim", "accepted", None, w["accepted_at"], None, w["accepted_at"], None]
                if w["status"] == "accepted":
                    step("contact_disclosed", "accepted", "accepted", member, timedelta(seconds=1))
                if final in ("completed", "closed", "auto_closed"):
                    w["completed_at"] = step(
                        "completed", "accepted", "completed", member, rng.uniform(2, 72) * h, "已上门处理完毕"
                    )
                    order[2], order[7] = "completed", w["completed_at"]
                    if final == "closed":
                        w["rating"] = rng.choices([5, 4, 3, 2, 1], [70, 20, 6, 2, 2])[0]
                        w["comment"] = "谢谢党员同志！"
                        w["closed_at"] = step("confirmed", "completed", "closed", requester, rng.uniform(1, 72) * h)
                    elif final == "auto_closed":
                        w["auto_closed"] = True
                        w["closed_at"] = step(
                            "auto_closed",
                            "completed",
                            "closed",
                            None,
                            7 * 24 * h,
                            "居民超时未确认，系统自动关闭（不计入满意度）",
                        )
        title = rng.choice(TITLES[category])
        batch_w.append(
            (
                wish_id,
                requester,
                cid,
                title,
                "",
                category,
                "[]",
                w["status"],
                w["reject_reason"],
                w["cancel_reason"],
                w["rating"],
                w["comment"],
                w["auto_closed"],
                len(events),
                created,
                t,
                w["reviewed_at"],
                w["accepted_at"],
                w["completed_at"],
                w["closed_at"],
            )
        )
        for kind, frm, to, actor, at, note in events:
            event_id += 1
            batch_e.append((event_id, wish_id, kind, frm, to, actor, at, note))
        if order is not None:
            order_id += 1
            m, kind, status, by, at, expires, responded, completed = order
            batch_o.append(
                (
                    order_id,
                    wish_id,
                    m,
                    cid,
                    kind,
                    status,
                    by,
                    "[]",
                    at,
                    expires,
                    responded,
                    completed,
                    None,
                    "已上门处理完毕" if completed else None,
                )
            )
        if len(batch_w) >= 20_000:
            await flush()
            if wish_id % 100_000 == 0:
                log(f"wishes: {wish_id}/{n_wishes} ({time.monotonic() - t0:.0f}s)")
    await flush()
    log(f"wishes: {wish_id} with {event_id} events and {order_id} orders")

    # --- visits ---------------------------------------------------------------------------
    batch_v = []
    hh = households
    for vid in range(1, n_visits + 1):
        hid, _u, _b, cid, gid, _room = hh[rng.randrange(len(hh))]
        at = now - timedelta(days=rng.uniform(0, 365))
        outcome = rng.choices(["met", "not_home", "refused", "moved"], [75, 20, 3, 2])[0]
        batch_v.append(
            (
                vid,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                hid,
                gid,
                cid,
                rng.choice(workers_by_grid[gid]),
                at,
                outcome,
                "[]",
                "",
                at,
            )
        )
        if len(batch_v) >= 50_000:
            await loader.copy("visit", batch_v)
            batch_v.clear()
            if vid % 500_000 == 0:
                log(f"visits: {vid}/{n_visits} ({time.monotonic() - t0:.0f}s)")
    await loader.copy("visit", batch_v)
    log(f"visits: {n_visits}; done loading in {time.monotonic() - t0:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reset", action="store_true", help="truncate the tables first")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL")
    args = parser.parse_args()
    url = args.database_url or get_settings().database_url
    if not url.startswith("postgresql"):
        sys.exit("seed-district needs PostgreSQL: set DATABASE_URL=postgresql+asyncpg://…")
    upgrade_head(url)
    started = time.monotonic()
    counts = asyncio.run(seed(url, scale=args.scale, seed_value=args.seed, reset=args.reset))
    log(f"finished in {time.monotonic() - started:.0f}s: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
