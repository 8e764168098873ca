"""Accounts: the user for a WeChat openid, created as a new resident on first login; revoking a
user's tokens (logout, a role grant removed)."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.org.models import RoleGrant


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


async def revoke_tokens(session: AsyncSession, user: User) -> None:
    """Every token issued so far is refused from now on (401 token_revoked)."""
    user.token_version = (user.token_version or 0) + 1
    await session.flush()


async def remove_grant(session: AsyncSession, user_id: int, role: str, scope_type: str, scope_id: int) -> bool:
    """Take a role grant away; the holder's tokens are revoked so the role ends at once. Whether
    there was such a grant."""
    result = await session.execute(
        delete(RoleGrant).where(
            RoleGrant.user_id == user_id,
            RoleGrant.role == role,
            RoleGrant.scope_type == scope_type,
            RoleGrant.scope_id == scope_id,
        )
    )
    if result.rowcount == 0:
        return False
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(token_version=User.token_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    return True
