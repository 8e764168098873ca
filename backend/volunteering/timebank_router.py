"""Time bank routes: my balance and statement, partners' offers, redemptions confirmed by the partner."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, select

from backend.auth.deps import CurrentUser, PartnerContact
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath, IdQuery
from backend.partners import policy as partners_policy
from backend.partners import service as partners_service
from backend.volunteering import schemas, timebank
from backend.volunteering.models import Registration
from backend.volunteering.state import REDEMPTION

router = APIRouter(prefix="/api/v1", tags=["time bank"])


def _redemption(row, balance: int | None = None) -> schemas.RedemptionOut:
    return schemas.RedemptionOut(
        id=row.id,
        offer_id=row.offer_id,
        partner_id=row.partner_id,
        user_id=row.user_id,
        cost=row.cost,
        status=row.status,
        status_label=REDEMPTION.label(row.status),
        reason=row.reason,
        balance=balance,
    )


@router.get(
    "/timebank/me", response_model=schemas.StatementOut, summary="My credits: balance, service minutes and statement"
)
async def my_statement(
    session: SessionDep, principal: CurrentUser, cursor: CursorQ = None, limit: LimitQ = 20
) -> schemas.StatementOut:
    acct = await timebank.account(session, "user", principal.id)
    rows, next_cursor = page_of(
        await timebank.statement(session, acct, cursor=parse_cursor(cursor), limit=limit), limit, key=lambda r: r[0].id
    )
    minutes = (
        await session.execute(
            select(func.coalesce(func.sum(Registration.minutes), 0)).where(Registration.user_id == principal.id)
        )
    ).scalar_one()
    return schemas.StatementOut(
        balance=acct.balance,
        minutes=minutes,
        items=[
            schemas.EntryOut(
                id=e.id,
                amount=e.amount,
                kind=m.kind,
                kind_label=timebank.MOVEMENT_LABELS.get(m.kind, m.kind),
                note=m.note,
                at=e.at,
            )
            for e, m in rows
        ],
        next_cursor=next_cursor,
    )


@router.post(
    "/timebank/offers",
    status_code=201,
    response_model=schemas.OfferOut,
    summary="Offer a service or goods for credits (the partner's contact)",
)
async def create_offer(body: schemas.OfferCreate, session: SessionDep, principal: PartnerContact) -> schemas.OfferOut:
    partner = await partners_service.get_partner(session, body.partner_id)
    partners_policy.require_acts_for(principal, partner)
    offer = await timebank.create_offer(
        session, partner, title=body.title, description=body.description, cost=body.cost
    )
    return schemas.OfferOut(
        partner_name=partner.name, **offer.model_dump(include={"id", "partner_id", "title", "description", "cost"})
    )


@router.get(
    "/timebank/offers",
    response_model=Page[schemas.OfferOut],
    summary="What credits can buy: active partners' offers (any logged-in user)",
)
async def list_offers(
    session: SessionDep, _: CurrentUser, partner_id: IdQuery = None, cursor: CursorQ = None, limit: LimitQ = 20
) -> Page[schemas.OfferOut]:
    rows = await timebank.offers(session, partner_id=partner_id, cursor=parse_cursor(cursor), limit=limit)
    rows, next_cursor = page_of(rows, limit, key=lambda r: r[0].id)
    fields = {"id", "partner_id", "title", "description", "cost"}
    return Page(
        items=[schemas.OfferOut(partner_name=name, **o.model_dump(include=fields)) for o, name in rows],
        next_cursor=next_cursor,
    )


@router.post(
    "/timebank/offers/{offer_id}/redemptions",
    status_code=201,
    response_model=schemas.RedemptionOut,
    summary="Redeem credits for an offer; held until the partner confirms (any logged-in user)",
)
async def redeem(offer_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.RedemptionOut:
    row = await timebank.redeem(session, offer_id, principal.user)
    acct = await timebank.account(session, "user", principal.id)
    return _redemption(row, acct.balance)


@router.post(
    "/redemptions/{redemption_id}/decide",
    response_model=schemas.RedemptionOut,
    summary="Confirm a redemption, or decline it with a reason (refunded) (the partner's contact)",
)
async def decide(
    redemption_id: IdPath, body: schemas.RedemptionDecision, session: SessionDep, principal: PartnerContact
) -> schemas.RedemptionOut:
    row = await timebank.get_redemption(session, redemption_id)
    if not partners_policy.acts_for(principal, row.partner_id):
        raise Forbidden("您不是该合伙人的联系人", code="out_of_scope")
    await timebank.decide(session, row, body.decision, actor_id=principal.id, reason=body.reason)
    return _redemption(row)


@router.post(
    "/redemptions/{redemption_id}/cancel",
    response_model=schemas.RedemptionOut,
    summary="Cancel my pending redemption (refunded)",
)
async def cancel(redemption_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.RedemptionOut:
    row = await timebank.get_redemption(session, redemption_id)
    if row.user_id != principal.id:
        raise Forbidden("只能取消自己的兑换", code="not_yours")
    await timebank.decide(session, row, "cancelled", actor_id=principal.id, reason=None)
    acct = await timebank.account(session, "user", principal.id)
    return _redemption(row, acct.balance)
