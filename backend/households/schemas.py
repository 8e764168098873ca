from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from backend.kernel.validation import Id, Text
from backend.org.schemas import BuildingRef


class ResidentOut(BaseModel):
    id: int
    name: str
    relation: str
    phone: str | None = Field(description="in full for the household's grid workers and building chief, else masked")
    has_account: bool


class HouseholdOut(BaseModel):
    id: int
    label: str = Field(description="楼栋单元房号, e.g. 1号楼1单元101")
    room: str
    building_id: int
    building: BuildingRef = Field(description="the building, with its coordinates for 导航 when set")
    unit_id: int
    compound_id: int
    grid_id: int
    address: str
    care_tags: list[str]
    residents: list[ResidentOut]
    phones_masked: bool


class ResidentIn(BaseModel):
    id: Id | None = Field(None, description="an existing resident of this household (else matched by name)")
    name: Text(1, 20)
    relation: Text(0, 10) = ""
    phone: Text(0, 30) | None = Field(
        None,
        description="an 11-digit mobile or a landline with area code (and extension), e.g. 0546-8123456-801; "
        "the masked form keeps the current number",
    )


class HouseholdPut(BaseModel):
    address: Text(0, 200) = ""
    care_tags: Annotated[list[Text(1, 20)], Field(max_length=20)] = Field(default_factory=list)
    residents: Annotated[list[ResidentIn], Field(max_length=30)] = Field(default_factory=list)


class CareTagOut(BaseModel):
    tag: str
    cycle_days: int | None = Field(description="visit cycle for households with this tag, when shorter than the grid's")


class CareTagsOut(BaseModel):
    items: list[CareTagOut]
    default_cycle_days: int


class RowErrorOut(BaseModel):
    row: int = Field(description="the row number as Excel shows it")
    reason: str


class ImportOut(BaseModel):
    rows: int = Field(description="data rows read")
    imported: int = Field(description="valid rows applied")
    households: int = Field(description="households the valid rows belong to")
    households_changed: int
    residents_created: int
    residents_updated: int
    errors: list[RowErrorOut]
