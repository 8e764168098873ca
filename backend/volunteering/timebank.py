"""The time bank (以服务换服务): service hours become credits in a double-entry ledger.

Every movement writes two entries that sum to zero and moves both balances in the same
transaction; `balance` is only ever changed by `transfer`, by a relative UPDATE, so a balance is
always the sum of its entries. The debit is a compare-and-set (`balance >= amount`), backed by a
CHECK constraint, so no account but the bank's issuance account ever goes below zero, however
many redemptions run at once. Both rows are updated in id order, so two transfers between the
same accounts queue up instead of deadlocking on PostgreSQL.

Rate: 1 hour of service = 10 credits (`credits_for`)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from backend.directory.models import User
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.partners import service as partners_service
from backend.partners.models import Partner
from backend.partners.state import PartnerStatus
from backend.volunteering import notifications
from backend.volunteering.models import CreditAccount, CreditEntry, CreditMovement, Offer, Redemption
from backend.volunteering.state import REDEMPTION, RedemptionStatus

CREDITS_PER_HOUR = 10
ISSUANCE = "issuance"
MOVEMENT_LABELS = {"service": "志愿服务", "correction": "时长更正", "redemption": "兑换", "refund": "退回"}


def credits_for(minutes: int) -> int:
    return max(0, minutes) * CREDITS_PER_HOUR // 60


async def account(session: AsyncSession, owner_kind: str, owner_id: int) -> CreditAccount:
    """The account of an owner, opened on first use (two first uses at once: one insert wins)."""
    stmt = select(CreditAccount).where(CreditAccount.owner_kind == owner_kind, CreditAccount.owner_id == owner_id)
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is not None:
        return found
    try:
        async with session.begin_nested():
            row = CreditAccount(owner_kind=owner_kind, owner_id=owner_id)
            session.add(row)
        return row
    except IntegrityError:
        return (await session.execute(stmt)).scalar_one()


async def transfer(
    session: AsyncSession,
    source: CreditAccount,
    target: CreditAccount,
    amount: int,
    *,
    kind: str,
    ref: tuple[str, int],
    note: str = "",
    actor_id: int | None = None,
) -> CreditMovement | None:
    """Move `amount` credits from `source` to `target`: one movement, two entries. Conflict when
    the source (not the issuance account) has too few credits."""
    if amount < 0:
        raise ValueError("amount must be positive; swap the accounts")
    if amount == 0:
        return None
    for acct in sorted((source, target), key=lambda a: a.id):
        delta = -amount if acct is source else amount
        stmt = update(CreditAccount).where(CreditAccount.id == acct.id).values(balance=CreditAccount.balance + delta)
        if acct is source and acct.owner_kind != ISSUANCE:
            stmt = stmt.where(CreditAccount.balance >= amount)
        row = (
            await session.execute(stmt.returning(CreditAccount.balance).execution_options(synchronize_session=False))
        ).first()
        if row is None:
            raise Conflict(f"积分不足：需要 {amount} 积分", code="insufficient_credits")
        set_committed_value(acct, "balance", row[0])
    movement = CreditMovement(kind=kind, ref_type=ref[0], ref_id=ref[1], note=note[:200], actor_id=actor_id)
    session.add(movement)
    await session.flush()
    session.add_all(
        [
            CreditEntry(movement_id=movement.id, account_id=source.id, amount=-amount, at=movement.at),
            CreditEntry(movement_id=movement.id, account_id=target.id, amount=amount, at=movement.at),
        ]
    )
    await session.flush()
    return movement


async def credit_service(
    session: AsyncSession, user_id: int, minutes_before: int, minutes_after: int, *, kind: str, ref, note, actor_id
):
    """Credits for service time: the difference between the credits for the old and the new minutes
    (a first check-out: from 0; a correction: up or down)."""
    delta = credits_for(minutes_after) - credits_for(minutes_before)
    bank = await account(session, ISSUANCE, 0)
    mine = await account(session, "user", user_id)
    if delta > 0:
        await transfer(session, bank, mine, delta, kind=kind, ref=ref, note=note, actor_id=actor_id)
    elif delta < 0:
        await transfer(session, mine, bank, -delta, kind=kind, ref=ref, note=note, actor_id=actor_id)


async def statement(session: AsyncSession, acct: CreditAccount, *, cursor: int | None, limit: int) -> list:
    """The account's entries, newest first: (entry, movement)."""
    stmt = (
        select(CreditEntry, CreditMovement)
        .join(CreditMovement, CreditMovement.id == CreditEntry.movement_id)
        .where(CreditEntry.account_id == acct.id)
    )
    if cursor is not None:
        stmt = stmt.where(CreditEntry.id < cursor)
    return list((await session.execute(stmt.order_by(CreditEntry.id.desc()).limit(limit + 1))).all())


async def invariant_breaches(session: AsyncSession) -> list[str]:
    """What the ledger's invariant finds wrong: a balance unlike the sum of its entries, a balance
    below zero, a movement without exactly two entries summing to zero. Empty when sound."""
    problems = []
    sums = dict(
        (
            await session.execute(
                select(CreditEntry.account_id, func.sum(CreditEntry.amount)).group_by(CreditEntry.account_id)
            )
        ).all()
    )
    accounts = await session.execute(select(CreditAccount.id, CreditAccount.owner_kind, CreditAccount.balance))
    for acct_id, owner_kind, balance in accounts.all():
        if (sums.get(acct_id) or 0) != balance:
            problems.append(f"account {acct_id}: balance {balance} != entries {sums.get(acct_id)}")
        if balance < 0 and owner_kind != ISSUANCE:
            problems.append(f"account {acct_id}: balance {balance} < 0")
    rows = await session.execute(
        select(CreditEntry.movement_id, func.count(), func.sum(CreditEntry.amount)).group_by(CreditEntry.movement_id)
    )
    problems += [f"movement {m}: {n} entries summing to {s}" for m, n, s in rows.all() if n != 2 or s != 0]
    return problems


# ---- offers and redemptions ------------------------------------------------------------------


async def create_offer(session: AsyncSession, partner: Partner, *, title: str, description: str, cost: int) -> Offer:
    partners_service.require_recognised(partner, "发布兑换项目")
    offer = Offer(partner_id=partner.id, title=title, description=description, cost=cost)
    session.add(offer)
    await session.flush()
    return offer


async def offers(session: AsyncSession, *, partner_id: int | None, cursor: int | None, limit: int) -> list:
    """Active offers of active partners: (offer, partner name)."""
    stmt = (
        select(Offer, Partner.name)
        .join(Partner, Partner.id == Offer.partner_id)
        .where(Offer.active.is_(True), Partner.status == PartnerStatus.active)
    )
    if partner_id is not None:
        stmt = stmt.where(Offer.partner_id == partner_id)
    if cursor is not None:
        stmt = stmt.where(Offer.id < cursor)
    return list((await session.execute(stmt.order_by(Offer.id.desc()).limit(limit + 1))).all())


async def redeem(session: AsyncSession, offer_id: int, user: User) -> Redemption:
    """Credits leave the volunteer's account for the partner's at once (held until the partner
    confirms, refunded if it declines or the volunteer cancels)."""
    offer = await session.get(Offer, offer_id)
    if offer is None or not offer.active:
        raise NotFound(f"兑换项目 {offer_id} 不存在或已下架", code="offer_not_found")
    partner = await partners_service.get_partner(session, offer.partner_id)
    if partner.status != PartnerStatus.active:
        raise Conflict("该合伙人暂停合作，暂不能兑换", code="partner_not_recognised")
    redemption = Redemption(offer_id=offer.id, partner_id=partner.id, user_id=user.id, cost=offer.cost)
    session.add(redemption)
    await session.flush()
    mine = await account(session, "user", user.id)
    theirs = await account(session, "partner", partner.id)
    await transfer(
        session,
        mine,
        theirs,
        offer.cost,
        kind="redemption",
        ref=("redemption", redemption.id),
        note=offer.title,
        actor_id=user.id,
    )
    return redemption


async def get_redemption(session: AsyncSession, redemption_id: int) -> Redemption:
    row = (
        await session.execute(select(Redemption).where(Redemption.id == redemption_id).with_for_update())
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"兑换 {redemption_id} 不存在", code="redemption_not_found")
    return row


async def decide(
    session: AsyncSession, redemption: Redemption, event: str, *, actor_id: int, reason: str | None
) -> Redemption:
    if event == "declined" and not reason:
        raise InvalidInput("婉拒须说明理由", code="reason_required")
    await REDEMPTION.apply(session, redemption, event, actor_id=actor_id, note=reason, values={"reason": reason})
    if redemption.status in (RedemptionStatus.declined, RedemptionStatus.cancelled):
        theirs = await account(session, "partner", redemption.partner_id)
        mine = await account(session, "user", redemption.user_id)
        await transfer(
            session,
            theirs,
            mine,
            redemption.cost,
            kind="refund",
            ref=("redemption", redemption.id),
            note=reason or "",
            actor_id=actor_id,
        )
    await notifications.redemption_decided(session, redemption)
    return redemption
