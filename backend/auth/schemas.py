from __future__ import annotations

from pydantic import BaseModel

from backend.kernel.validation import Id, Phone, Text


class WeChatLoginIn(BaseModel):
    code: Text(1, 64)


class UserBrief(BaseModel):
    id: int
    name: str
    roles: list[str]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    user: UserBrief
    new_user: bool


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
