"""Demo grid work: a register for every household, grid workers and a building chief, three
months of door-to-door visits recorded through the real batch service, some overdue households,
and findings of each kind (needs became pending wishes, hazards and disputes open grid issues,
suggestions agenda items). Called at the end of backend.demo.load().

Logins added (dev, fake WeChat): `demo-gridworker2` (grid worker of 和谐社区第二网格) and
`demo-chief` (楼栋长 of 锦华苑 1号楼, in 和谐社区第一网格, which `demo-gridworker` covers).
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.households.models import HouseholdProfile, HouseholdTag, Resident
from backend.households.scope import RegisterScope
from backend.kernel.clock import SHANGHAI, clock
from backend.org import service as org_service
from backend.org.models import Building, Compound, Grid, Household, RoleGrant
from backend.visits import sync
from backend.visits.models import GridVisitCycle
from backend.visits.schemas import VisitIn

SEED = 20261205
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["桂兰", "福生", "秀英", "德胜", "玉珍", "长林", "淑芬", "建华", "美玲", "志刚", "小雨", "子涵", "浩然", "欣怡"]
DAYS_BACK = 80
WORKERS = {
    # grid index (demo order) → (login code or None, name, phone)
    0: ("demo-gridworker", None, None),  # exists already
    1: ("demo-gridworker2", "钱进", "13700000006"),
    2: (None, "褚海燕", "13700000007"),
    3: (None, "卫国强", "13700000008"),
    4: (None, "蒋丽华", "13700000009"),
    5: (None, "沈明", "13700000010"),
}
CHIEF = ("demo-chief", "冯秀英", "13700000011")
NEEDS = [
    ("elder_care", "老人独居，想请志愿者每周上门陪聊一次。"),
    ("repair", "卫生间水管渗水，老人自己修不了。"),
    ("skills", "老人想学用手机挂号和视频通话。"),
    ("medical_escort", "下周要去医院复查，子女在外地，需要有人陪同。"),
    ("goods", "家里的轮椅坏了，想借用或添置一台。"),
    ("education", "孩子放学后无人辅导作业，希望有党员帮忙辅导。"),
]
HAZARDS = [
    "楼道堆放纸箱和旧家具，堵塞消防通道。",
    "电动车在楼道内充电，飞线拉到窗外。",
    "单元门口台阶破损，老人出入容易绊倒。",
    "厨房燃气软管老化开裂，已提醒居民暂停使用。",
    "楼顶水箱盖缺失，存在坠落隐患。",
]
DISPUTES = [
    "楼上楼下因漏水问题发生争执，需要调解。",
    "邻里因公共区域停放自行车产生矛盾。",
    "楼上夜间噪音扰民，双方多次争吵。",
]
SUGGESTIONS = [
    "建议在小区增设老年人休息座椅。",
    "建议增加小区夜间照明，主干道太暗。",
    "建议设置快递集中存放点，减少楼道堆放。",
    "建议在小区开展防诈骗宣传讲座。",
]


def _name(rng: random.Random, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


async def load(session: AsyncSession) -> dict:
    rng = random.Random(SEED)
    saved = clock.offset
    try:
        register = await _register(session, rng)
        workers = await _workers(session)
        visits = await _visits(session, rng, register, workers)
    finally:
        clock.offset = saved
    return {"residents": register["residents"], **visits}


async def _register(session: AsyncSession, rng: random.Random) -> dict:
    households = list((await session.execute(select(Household).order_by(Household.id))).scalars())
    labels = await org_service.household_labels(session, [h.id for h in households])
    addresses = dict((await session.execute(select(Compound.id, Compound.address))).all())
    bound: dict[int, list[User]] = defaultdict(list)
    for user in (await session.execute(select(User).where(User.household_id.is_not(None)).order_by(User.id))).scalars():
        bound[user.household_id].append(user)
    members = set((await session.execute(select(RoleGrant.user_id).where(RoleGrant.role == "party_member"))).scalars())
    residents: list[Resident] = []
    tags: list[HouseholdTag] = []
    profiles: list[HouseholdProfile] = []
    tag_of: dict[int, set[str]] = {}
    for h in households:
        people: list[tuple[str, str, str | None, int | None]] = []  # name, relation, phone, user id
        for i, user in enumerate(bound.get(h.id, [])):
            people.append((user.name or _name(rng), "户主" if i == 0 else "家属", user.phone, user.id))
        alone = False
        if not people:
            size = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
            surname = rng.choice(SURNAMES)
            alone = size == 1
            relations = ["本人"] if alone else ["户主", "配偶", "子女", "子女"]
            for relation in relations[:size]:
                name = _name(rng, surname if relation != "配偶" else None)
                while name in {p[0] for p in people}:
                    name = _name(rng, surname)
                people.append((name, relation, _phone(rng) if relation != "子女" or rng.random() < 0.5 else None, None))
        for name, relation, phone, user_id in people:
            residents.append(Resident(household_id=h.id, name=name, relation=relation, phone=phone, user_id=user_id))
        wanted: set[str] = set()
        if alone and rng.random() < 0.6:
            wanted.add("独居老人")
        if rng.random() < 0.08:
            wanted.add("高龄")
        if rng.random() < 0.03:
            wanted.add("残疾")
        if rng.random() < 0.04:
            wanted.add("低保")
        if rng.random() < 0.03:
            wanted.add("退役军人")
        if any(uid in members for *_, uid in people):
            wanted.add("党员户")
        if not alone and rng.random() < 0.07:
            wanted.add("租户")
        tag_of[h.id] = wanted
        tags += [HouseholdTag(household_id=h.id, tag=t) for t in sorted(wanted)]
        profiles.append(HouseholdProfile(household_id=h.id, address=addresses[h.compound_id] + labels[h.id]["label"]))
    session.add_all(residents)
    session.add_all(tags)
    session.add_all(profiles)
    await session.flush()
    return {"households": households, "tags": tag_of, "bound": set(bound), "residents": len(residents)}


async def _user(session: AsyncSession, code: str | None, name: str, phone: str) -> User:
    user = User(openid=f"fake-openid-{code}" if code else None, name=name, phone=phone)
    session.add(user)
    await session.flush()
    return user


async def _workers(session: AsyncSession) -> dict:
    grids = list((await session.execute(select(Grid).order_by(Grid.id))).scalars())
    by_grid: dict[int, int] = {}
    for index, grid in enumerate(grids):
        code, name, phone = WORKERS.get(index, (None, f"网格员{index + 1}", "13700000099"))
        if name is None:
            user = (await session.execute(select(User).where(User.openid == f"fake-openid-{code}"))).scalar_one()
        else:
            user = await _user(session, code, name, phone)
        await org_service.grant(session, user.id, "grid_worker", "grid", grid.id)
        by_grid[grid.id] = user.id
    first = grids[0]
    building = (
        await session.execute(
            select(Building).where(Building.grid_id == first.id).order_by(Building.compound_id, Building.id).limit(1)
        )
    ).scalar_one()
    chief = await _user(session, *CHIEF)
    await org_service.grant(session, chief.id, "building_chief", "building", building.id)
    # one grid keeps a shorter cycle than the default month
    session.add(GridVisitCycle(grid_id=grids[-1].id, cycle_days=21))
    await session.flush()
    return {"grid": by_grid, "chief": (chief.id, building.id), "grids": grids}


def _local(days_ago: int, hour: float) -> datetime:
    today = (clock.now() - clock.offset).astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days_ago) + timedelta(hours=hour)


async def _visits(session: AsyncSession, rng: random.Random, register: dict, workers: dict) -> dict:
    households: list[Household] = register["households"]
    chief_id, chief_building = workers["chief"]
    # one unit in the first and the last grid has been left alone for six weeks: overdue households
    grids = workers["grids"]
    neglected = {max(h.unit_id for h in households if h.grid_id == g.id) for g in (grids[0], grids[-1])}
    plan: dict[tuple[int, int], list[tuple[Household, int, float, str]]] = defaultdict(list)  # (worker, upload)
    for h in households:
        weekly = "独居老人" in register["tags"][h.id]
        days_ago = DAYS_BACK - rng.randrange(0, 7 if weekly else 28)
        while days_ago >= 1:
            skipped = rng.random() < 0.06 or (h.unit_id in neglected and days_ago < 45)
            if weekly and days_ago < 12 and rng.random() < 0.3:  # a few care visits are late
                skipped = True
            outcome = rng.choices(["met", "not_home", "refused", "moved"], [76, 20, 3, 1])[0]
            if not skipped:
                worker = workers["grid"][h.grid_id]
                if h.building_id == chief_building and rng.random() < 0.5:
                    worker = chief_id
                # phones upload when there is signal: every third evening
                plan[(worker, days_ago - days_ago % 3)].append((h, days_ago, rng.uniform(9, 18), outcome))
            if not skipped and outcome == "not_home":
                days_ago -= rng.randint(2, 5)  # knock again in a few days
            else:
                days_ago -= rng.randint(5, 7) if weekly else rng.randint(22, 29)
    needs_left = {c: 2 for c in {h.compound_id for h in households}}
    counts = defaultdict(int)
    for (worker, upload), visits in sorted(plan.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
        items = []
        for h, days_ago, hour, outcome in sorted(visits, key=lambda v: (-v[1], v[2])):
            findings = []
            if outcome == "met" and rng.random() < 0.05:
                kind = rng.choices(["need", "hazard", "dispute", "suggestion"], [3, 3, 2, 3])[0]
                if kind == "need" and (needs_left[h.compound_id] <= 0 or h.id in register["bound"]):
                    kind = "suggestion"
                if kind == "need":
                    needs_left[h.compound_id] -= 1
                    category, text = rng.choice(NEEDS)
                    findings.append({"kind": "need", "text": text, "category": category})
                else:
                    pool = {"hazard": HAZARDS, "dispute": DISPUTES, "suggestion": SUGGESTIONS}[kind]
                    findings.append({"kind": kind, "text": rng.choice(pool)})
            items.append(
                VisitIn(
                    client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    household_id=h.id,
                    visited_at=_local(days_ago, hour),
                    outcome=outcome,
                    people_met=["户主"] if outcome == "met" else [],
                    note={"met": "入户走访，了解近况", "not_home": "敲门无人应答，已留联系卡"}.get(outcome, ""),
                    findings=findings,
                )
            )
        clock.offset = timedelta(0)
        clock.offset = _local(upload, 19.5) - clock.now()  # the evening upload, after the rounds
        scope = RegisterScope(
            worker_grids=frozenset(g for g, w in workers["grid"].items() if w == worker),
            chief_buildings=frozenset({chief_building} if worker == chief_id else ()),
        )
        for start in range(0, len(items), 200):
            results = await sync.record_batch(
                session, worker_id=worker, scope=scope, items=items[start : start + 200], max_age=timedelta(days=30)
            )
            for r in results:
                counts[r.status] += 1
                for f in r.follow_ups:
                    counts[f["type"]] += 1
    return {
        "visits": counts["created"],
        "wishes": counts["wish"],
        "issues": counts["issue"],
        "agenda": counts["agenda_item"],
    }
