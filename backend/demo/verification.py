"""住户认证 in the demo: the demo accounts are verified for their households (most by the WeChat
phone, some by their building chief or grid worker, at different times), one newcomer's claim waits
in 孙丽's queue (和谐社区第一网格) and one earlier claim was refused with a reason."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.households.models import Resident
from backend.kernel.clock import utcnow
from backend.org.models import Grid, Household
from backend.people.models import ResidentVerification
from backend.people.state import VerificationStatus

SEED = 20261202
NEWCOMERS = [
    # openid code, name, phone, status, hours ago, reason
    ("demo-newcomer", "马春燕", "13800000009", VerificationStatus.pending, 3, None),
    ("demo-visitor", "赵小东", "13700008899", VerificationStatus.rejected, 150, "台账里没有这位居民，户主说不认识"),
]


async def load(session: AsyncSession) -> None:
    rng = random.Random(SEED)
    now = utcnow()
    accounts = (
        await session.execute(
            select(User, Household)
            .join(Household, Household.id == User.household_id)
            .where(User.openid.is_not(None))
            .order_by(User.id)
        )
    ).all()
    gridworker = (await session.execute(select(User.id).where(User.openid == "fake-openid-demo-gridworker"))).scalar()
    for user, h in accounts:
        created = now - timedelta(days=rng.randint(20, 200), hours=rng.uniform(0, 12))
        by_phone = rng.random() < 0.7
        session.add(
            ResidentVerification(
                **_place(user.id, h),
                status=VerificationStatus.verified,
                method="phone" if by_phone else "staff",
                decided_by=user.id if by_phone else gridworker,
                created_at=created,
                decided_at=created
                + (timedelta(minutes=rng.randint(1, 5)) if by_phone else timedelta(hours=rng.uniform(2, 40))),
            )
        )
    await _newcomers(session, rng, now, gridworker)
    await session.flush()


def _place(user_id: int, h: Household) -> dict:
    return {
        "user_id": user_id,
        "household_id": h.id,
        "compound_id": h.compound_id,
        "grid_id": h.grid_id,
        "building_id": h.building_id,
    }


async def _newcomers(session: AsyncSession, rng: random.Random, now, gridworker: int | None) -> None:
    """Claims on households of 和谐社区第一网格 whose register lists other people."""
    g1 = (await session.execute(select(Grid.id).where(Grid.name == "和谐社区第一网格"))).scalar_one()
    taken = select(User.household_id).where(User.household_id.is_not(None))
    households = list(
        (
            await session.execute(
                select(Household)
                .where(Household.grid_id == g1, Household.id.not_in(taken))
                .where(Household.id.in_(select(Resident.household_id)))
                .order_by(Household.id)
            )
        ).scalars()
    )
    for (code, name, phone, status, hours, reason), h in zip(
        NEWCOMERS, rng.sample(households, len(NEWCOMERS)), strict=True
    ):
        user = User(openid=f"fake-openid-{code}", name=name, phone=phone, compound_id=h.compound_id)
        session.add(user)
        await session.flush()
        created = now - timedelta(hours=hours, minutes=rng.randint(0, 50))
        decided = status != VerificationStatus.pending
        session.add(
            ResidentVerification(
                **_place(user.id, h),
                status=status,
                method="staff" if decided else None,
                reason=reason,
                decided_by=gridworker if decided else None,
                created_at=created,
                decided_at=created + timedelta(hours=5) if decided else None,
            )
        )
