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


class ClaimOut(BaseModel):
    """The caller's claim to a household (住户认证)."""

    id: int
    household_id: int
    room: str = Field(description="楼栋单元房号 of the household claimed")
    status: str = Field(description="pending | verified | rejected")
    status_label: str
    method: str | None = Field(description="phone (the WeChat number matched the register) | staff | register")
    reason: str | None = Field(description="why staff refused it")
    created_at: datetime
    decided_at: datetime | None


class MeOut(BaseModel):
    id: int
    name: str
    phone: str | None
    compound_id: Id | None
    compound_name: str | None
    household_id: Id | None = Field(description="the household the account is verified for (None while pending)")
    room: str | None = Field(description="its 楼栋单元房号 (None while pending)")
    household_status: str = Field(description="none | pending | verified (住户认证)")
    verification: ClaimOut | None = Field(description="the latest claim: pending, verified or rejected")
    roles: list[str]
    grants: list[GrantOut]


class VerifyPhoneIn(BaseModel):
    code: Text(1, 128) = Field(description='the code of <button open-type="getPhoneNumber">')


class MePatch(BaseModel):
    name: Text(1, 20) | None = None
    phone: Phone | None = None
    compound_id: Id | None = None
    household_id: Id | None = None


class ContactViewOut(BaseModel):
    """One view of a resident's contact details by someone else (the community admin's log)."""

    id: int
    viewer_id: int
    viewer_name: str
    household_id: int | None
    room: str | None
    subject_name: str | None = Field(description="the requester whose card was shown (masked), for a wish")
    reason: str = Field(description="wish_member | wish_dispatcher | register")
    reason_label: str
    wish_id: int | None
    at: datetime
