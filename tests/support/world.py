"""A small world of its own (community, compounds, grids, workers) for figures computed by hand.

Its rows are added in the test's own transaction, so they vanish with it; tests that use it do not
depend on what the demo data holds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from backend.directory.models import User
from backend.households.models import HouseholdTag
from backend.org import service as org_service
from backend.org.models import Building, Community, Compound, Grid, Household, Unit
from backend.visits.models import Visit


@dataclass
class World:
    """Community 试验社区: compounds X and Y, grids A and B.
    A: building 1 of X (h1 h2 h3 h4 h10), building 2 of X (h5 h6), building 4 of Y (h9)
    B: building 3 of X (h7 h8)
    wA grid worker of A, cB building chief of building 2, wB grid worker of B, admin of the community."""

    community: int = 0
    compounds: dict[str, int] = field(default_factory=dict)
    grids: dict[str, int] = field(default_factory=dict)
    buildings: dict[str, int] = field(default_factory=dict)
    h: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)


async def add_visit(session, w: World, household: str, worker: str, at: datetime, outcome: str) -> None:
    h = await session.get(Household, w.h[household])
    session.add(
        Visit(
            client_id=uuid.uuid4(),
            household_id=h.id,
            grid_id=h.grid_id,
            compound_id=h.compound_id,
            worker_id=w.users[worker],
            visited_at=at,
            outcome=outcome,
        )
    )
    await session.flush()


async def build_world(session) -> World:
    w = World()
    community = Community(street_id=1, name="试验社区")
    session.add(community)
    await session.flush()
    w.community = community.id
    for name in ("X", "Y"):
        c = Compound(community_id=community.id, name=f"试验小区{name}")
        session.add(c)
        await session.flush()
        w.compounds[name] = c.id
    for name in ("A", "B"):
        g = Grid(community_id=community.id, name=f"试验网格{name}")
        session.add(g)
        await session.flush()
        w.grids[name] = g.id
    layout = {  # building → (compound, grid, households)
        "1": ("X", "A", ["h1", "h2", "h3", "h4", "h10"]),
        "2": ("X", "A", ["h5", "h6"]),
        "3": ("X", "B", ["h7", "h8"]),
        "4": ("Y", "A", ["h9"]),
    }
    for bname, (cname, gname, hs) in layout.items():
        b = Building(compound_id=w.compounds[cname], grid_id=w.grids[gname], name=f"{bname}号楼")
        session.add(b)
        await session.flush()
        w.buildings[bname] = b.id
        u = Unit(building_id=b.id, name="1单元")
        session.add(u)
        await session.flush()
        for i, key in enumerate(hs):
            h = Household(
                unit_id=u.id, building_id=b.id, compound_id=b.compound_id, grid_id=b.grid_id, room=f"{i + 1}01"
            )
            session.add(h)
            await session.flush()
            w.h[key] = h.id
    session.add(HouseholdTag(household_id=w.h["h2"], tag="独居老人"))
    tag = uuid.uuid4().hex[:8]
    people = {
        "wA": ("网格员甲", "grid_worker", "grid", w.grids["A"]),
        "cB": ("楼栋长乙", "building_chief", "building", w.buildings["2"]),
        "wB": ("网格员丙", "grid_worker", "grid", w.grids["B"]),
        "admin": ("社区丁", "community_admin", "community", community.id),
    }
    for key, (name, role, scope_type, scope_id) in people.items():
        code = f"world-{key}-{tag}"
        u = User(openid=f"fake-openid-{code}", name=name)
        session.add(u)
        await session.flush()
        await org_service.grant(session, u.id, role, scope_type, scope_id)
        w.users[key], w.codes[key] = u.id, code
    await session.commit()
    return w
