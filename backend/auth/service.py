"""Accounts: the user for a WeChat openid, created as a new resident on first login."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.kernel.clock import utcnow


async def login_openid(session: AsyncSession, openid: str, unionid: str | None) -> tuple[User, bool]:
    """The user for this openid, created as a new resident on first login."""
    user = (await session.execute(select(User).where(User.openid == openid))).scalar_one_or_none()
    created = False
    if user is None:
        user = User(openid=openid, unionid=unionid)
        try:
            async with session.begin_nested():
                session.add(user)
        except IntegrityError:
            # Two first logins raced; the other one created the account.
            user = (await session.execute(select(User).where(User.openid == openid))).scalar_one()
        else:
            created = True
    user.last_login_at = utcnow()
    await session.flush()
    return user, created
