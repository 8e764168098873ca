from __future__ import annotations

from pydantic import BaseModel

from backend.kernel.validation import Text


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
