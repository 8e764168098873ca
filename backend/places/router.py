"""The organisation tree as clients see it: finding a compound (anyone logged in), the tree
(admins), the street departments that answer whistles, a building's location (the register's
keepers). It lives above auth and issues, which
the tree package itself sits below."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from backend.auth.deps import Admin, CurrentUser, GridReader
from backend.households.scope import scope_of
from backend.issues import service as issues_service
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, NotFound
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath
from backend.org import service
from backend.org.models import Building
from backend.org.schemas import BuildingLocationIn, BuildingRef

router = APIRouter(prefix="/api/v1/org", tags=["org"])


class CompoundOut(BaseModel):
    id: int
    name: str
    address: str
    community_id: int
    community_name: str


class TreeOut(BaseModel):
    streets: list[dict]


@router.get("/compounds", response_model=Page[CompoundOut], summary="Find a compound by name (any logged-in user)")
async def compounds(
    session: SessionDep,
    _: CurrentUser,
    q: Annotated[str | None, Query(max_length=30)] = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[CompoundOut]:
    rows = await service.search_compounds(session, q, parse_cursor(cursor), limit)
    rows, next_cursor = page_of(rows, limit, key=lambda r: r[0].id)
    return Page(
        items=[
            CompoundOut(id=c.id, name=c.name, address=c.address, community_id=c.community_id, community_name=n)
            for c, n in rows
        ],
        next_cursor=next_cursor,
    )


@router.get(
    "/tree", response_model=TreeOut, summary="The organisation tree under the caller (community admin, street admin)"
)
async def tree(session: SessionDep, principal: Admin) -> TreeOut:
    streets = principal.scope_ids("street_admin", "street")
    communities = principal.scope_ids("community_admin", "community")
    return TreeOut(streets=await service.tree(session, streets, communities))


class DepartmentOut(BaseModel):
    id: int
    street_id: int
    name: str
    default_categories: list[str]


@router.get(
    "/departments",
    response_model=list[DepartmentOut],
    summary="Street departments that answer a grid's whistle, with the categories each takes by default",
)
async def departments(session: SessionDep, _: CurrentUser) -> list[DepartmentOut]:
    return [DepartmentOut(**d) for d in await issues_service.departments(session)]


@router.put(
    "/buildings/{building_id}/location",
    response_model=BuildingRef,
    summary="Set where a building is, for 导航 on the grid worker's to-do (its grid workers, building chief, admins)",
)
async def set_building_location(
    building_id: IdPath, body: BuildingLocationIn, session: SessionDep, principal: GridReader
) -> BuildingRef:
    building = await session.get(Building, building_id)
    if building is None:
        raise NotFound(f"楼栋 {building_id} 不存在", code="building_not_found")
    scope = await scope_of(session, principal)
    if building.grid_id not in scope.staff_grids and building.id not in scope.chief_buildings:
        raise Forbidden("该楼栋不在您负责的网格内", code="out_of_scope")
    building = await service.set_building_location(session, building_id, body.latitude, body.longitude)
    return BuildingRef(id=building.id, name=building.name, latitude=building.latitude, longitude=building.longitude)
