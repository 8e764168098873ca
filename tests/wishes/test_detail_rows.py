"""The wish detail is built from two kinds of wish: the read route's row of columns
(service.wish_row, through the driver) and the ORM object the routes that change a wish hold.
Both must give the same answer, and the same refusal, to every caller."""

from __future__ import annotations

from sqlalchemy import select

from backend.auth.deps import Principal
from backend.directory.models import User
from backend.kernel.clock import clock, utcnow
from backend.kernel.errors import DomainError
from backend.org import service as org_service
from backend.wishes import service, views
from backend.wishes.models import Wish

CALLERS = ("demo-resident", "demo-resident2", "demo-member", "demo-member2", "demo-dispatcher", "demo-admin")


async def _detail(session, principal: Principal, wish) -> str:
    try:
        return (await views.detail(session, principal, wish)).model_dump_json()
    except DomainError as exc:
        return f"{exc.status_code} {exc.code}"


async def test_the_detail_of_a_row_is_the_detail_of_the_orm_wish(session):
    clock.freeze(utcnow())  # the contact window and signed URLs read the clock: one instant for both
    ids = (await session.execute(select(Wish.id).order_by(Wish.id))).scalars().all()
    assert len(ids) > 20, "the demo has wishes in many states"
    seen = {"answers": 0, "refusals": 0}
    for code in CALLERS:
        user = (await session.execute(select(User).where(User.openid == f"fake-openid-{code}"))).scalar_one()
        principal = Principal.of(user, await org_service.grants_of(session, user.id))
        for wish_id in ids:
            from_row = await _detail(session, principal, await service.wish_row(session, wish_id))
            from_orm = await _detail(session, principal, await service.get_wish(session, wish_id))
            assert from_row == from_orm, f"wish {wish_id} as {code}"
            seen["refusals" if from_row[0].isdigit() else "answers"] += 1
    assert seen["answers"] > 50 and seen["refusals"] > 50, seen
