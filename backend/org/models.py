"""The organisation tree: street → community → compound, with grids beside compounds
(they do not always nest), buildings, units and households, street departments, and the role
grants people hold on its nodes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.kernel.clock import utcnow
from backend.kernel.db import UTCDateTime


class Street(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)


class Community(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    street_id: int = Field(foreign_key="street.id", index=True)
    name: str = Field(max_length=60)


class Compound(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=60, index=True)
    address: str = Field(default="", max_length=200)


class Grid(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=60)


class Building(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="compound.id", index=True)
    grid_id: int = Field(foreign_key="grid.id", index=True)
    name: str = Field(max_length=30)
    # where the building's entrance is (GCJ-02, as wx.openLocation takes it); None until set
    latitude: float | None = None
    longitude: float | None = None


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    building_id: int = Field(foreign_key="building.id", index=True)
    name: str = Field(max_length=30)


class Household(SQLModel, table=True):
    """One dwelling. compound_id and grid_id copy the building's so that scope filters need no joins."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    building_id: int = Field(foreign_key="building.id", index=True)
    compound_id: int = Field(foreign_key="compound.id", index=True)
    grid_id: int = Field(foreign_key="grid.id", index=True)
    room: str = Field(max_length=20)


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    street_id: int = Field(foreign_key="street.id", index=True)
    name: str = Field(max_length=60)


class RoleGrant(SQLModel, table=True):
    """A role held on one node: scope_type is street, community, compound, grid, building or department."""

    __table_args__ = (
        UniqueConstraint("user_id", "role", "scope_type", "scope_id"),
        Index("ix_rolegrant_role_scope", "role", "scope_type", "scope_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=30)
    scope_type: str = Field(max_length=20)
    scope_id: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
