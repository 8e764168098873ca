from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from backend.kernel.validation import Id, Reason, Text
from backend.org.schemas import BuildingRef


class ResidentOut(BaseModel):
    id: int
    name: str
    relation: str
    phone: str | None = Field(description="in full for the household's grid workers and building chief, else masked")
    has_account: bool
    verified_account: bool = Field(description="linked to a WeChat account verified for this household (住户认证)")


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


# ---- 住户认证: the building chief's / grid worker's queue ---------------------------------------------


class ClaimResidentOut(BaseModel):
    id: int
    name: str
    phone_masked: str | None
    verified: bool = Field(description="has a verified account already")


class VerificationOut(BaseModel):
    id: int
    user_id: int
    user_name: str
    phone_masked: str | None = Field(description="the claimant's phone, masked")
    household_id: int
    room: str
    compound_id: int
    compound_name: str
    residents: list[ClaimResidentOut] = Field(description="who the register says lives there, phones masked")
    status: str = Field(description="pending | verified | rejected")
    status_label: str
    method: str | None = Field(description="phone | staff | register")
    reason: str | None
    created_at: datetime
    decided_at: datetime | None


class VerificationRejectIn(BaseModel):
    reason: Reason
