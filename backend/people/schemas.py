from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from backend.kernel.validation import Id, Phone, Reason, Text

Skill = Text(1, 20)
Skills = Annotated[list[Skill], Field(max_length=20)]


class RegisterIn(BaseModel):
    work_unit: Text(1, 60)
    skills: Skills = Field(default_factory=list)
    compound_id: Id


class RejectIn(BaseModel):
    reason: Reason


class RegistrationOut(BaseModel):
    id: int
    user_id: int
    user_name: str
    compound_id: Id
    work_unit: str
    skills: list[str]
    status: str
    reason: str | None
    created_at: datetime
    decided_at: datetime | None


class MemberOut(BaseModel):
    user_id: int
    name: str
    work_unit: str
    skills: list[str]
    available: bool
    share_phone: bool = Field(description="residents whose wishes the member holds may call them")
    compound_ids: list[int]


class MemberPatch(BaseModel):
    skills: Skills | None = None
    available: bool | None = None
    work_unit: Text(1, 60) | None = None
    share_phone: bool | None = None


class GrantOut(BaseModel):
    role: str
    scope_type: str
    scope_id: int


class MeOut(BaseModel):
    id: int
    name: str
    phone: str | None
    compound_id: Id | None
    compound_name: str | None
    household_id: Id | None
    room: str | None
    roles: list[str]
    grants: list[GrantOut]


class MePatch(BaseModel):
    name: Text(1, 20) | None = None
    phone: Phone | None = None
    compound_id: Id | None = None
    household_id: Id | None = None
