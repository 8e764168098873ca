"""住户认证 against the register: a pending claim (backend/people) is verified when the caller's
WeChat phone number matches a resident phone of the household, or when the household's building
chief or grid worker approves it in their queue (a refusal carries a reason; the resident is told).

The queue of a caller is the claims on the households they visit (`RegisterScope.visits`): a grid
worker's grids, a building chief's buildings. Phones in it come masked.
"""

from __future__ import annotations

import re

from sqlalchemy import false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.households.register import residents_of, verified_residents
from backend.households.schemas import ClaimResidentOut, VerificationOut
from backend.households.scope import RegisterScope
from backend.kernel.errors import Conflict, Forbidden, InvalidInput, UpstreamUnavailable
from backend.org import service as org_service
from backend.people import service as people_service
from backend.people.models import ResidentVerification
from backend.people.state import VERIFICATION, VerificationStatus
from backend.wechat.client import WeChatError

QUEUE_STATUSES = (VerificationStatus.pending, VerificationStatus.verified, VerificationStatus.rejected)


def _digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")


async def verify_phone(session: AsyncSession, wechat, user: User, code: str) -> ResidentVerification:
    """The caller's pending claim, verified when their WeChat number is a resident phone of the
    household; else 409 phone_mismatch and the claim stays pending for staff."""
    claim = await people_service.pending_claim(session, user.id)
    if claim is None:
        raise Conflict("您没有待认证的住户申请，请先在“我的”页面选择房号", code="no_pending_verification")
    try:
        info = await wechat.get_phone_number(code)
    except WeChatError as exc:
        if exc.errcode in (40029, 40163):
            raise InvalidInput("手机号授权已失效，请重新点击按钮", code="invalid_phone_code") from exc
        raise UpstreamUnavailable("微信服务暂时不可用，请稍后再试", code="wechat_unavailable") from exc
    phone = _digits(str(info.get("purePhoneNumber")))
    residents = (await residents_of(session, [claim.household_id])).get(claim.household_id, [])
    matched = next((r for r in residents if phone and _digits(r.phone) == phone), None)
    if matched is None:
        raise Conflict("您的微信手机号与该户登记的电话不一致，已提交楼栋长/网格员审核", code="phone_mismatch")
    matched.user_id = user.id
    return await people_service.verify_claim(session, claim, by_phone=phone, actor_id=user.id)


def _in_scope(scope: RegisterScope, claim: ResidentVerification, actor_id: int) -> None:
    if not scope.visits(claim.grid_id, claim.building_id):
        raise Forbidden("该住户不归您审核", code="out_of_scope")
    if claim.user_id == actor_id:
        raise Forbidden("不能审核自己的住户认证，请由同网格的其他网格员或楼栋长审核", code="own_claim")


async def approve(session: AsyncSession, scope: RegisterScope, claim: ResidentVerification, actor_id: int):
    """Staff approval: the account is bound; the register row of the same name or phone (without a
    verified account of its own) is linked to it."""
    _in_scope(scope, claim, actor_id)
    if claim.status != VerificationStatus.pending:
        raise VERIFICATION.refusal(claim.status, "approved")
    user = await session.get(User, claim.user_id)
    residents = (await residents_of(session, [claim.household_id])).get(claim.household_id, [])
    verified = await verified_residents(session, [claim.household_id])
    for r in residents:
        if r.id not in verified and (r.name == user.name or (user.phone and _digits(r.phone) == user.phone)):
            r.user_id = user.id
            break
    return await people_service.verify_claim(session, claim, by_phone=None, actor_id=actor_id)


async def reject(session: AsyncSession, scope: RegisterScope, claim: ResidentVerification, actor_id: int, reason: str):
    _in_scope(scope, claim, actor_id)
    return await people_service.reject_claim(session, claim, reason=reason, actor_id=actor_id)


# ---- the queue ---------------------------------------------------------------------------------


async def list_claims(
    session: AsyncSession, scope: RegisterScope, status: str, cursor: int | None, limit: int
) -> list[ResidentVerification]:
    parts = []
    if scope.worker_grids:
        parts.append(ResidentVerification.grid_id.in_(scope.worker_grids))
    if scope.chief_buildings:
        parts.append(ResidentVerification.building_id.in_(scope.chief_buildings))
    stmt = select(ResidentVerification).where(or_(*parts) if parts else false(), ResidentVerification.status == status)
    if cursor is not None:
        stmt = stmt.where(ResidentVerification.id < cursor)
    stmt = stmt.order_by(ResidentVerification.id.desc()).limit(limit + 1)
    return list((await session.execute(stmt)).scalars())


async def claims_out(session: AsyncSession, claims: list[ResidentVerification]) -> list[VerificationOut]:
    """The queue's items beside the register: six queries whatever their number."""
    household_ids = {c.household_id for c in claims}
    users = await directory_service.users_by_id(session, [c.user_id for c in claims])
    labels = await org_service.household_labels(session, household_ids)
    compounds = await org_service.compound_names(session, {c.compound_id for c in claims})
    people = await residents_of(session, household_ids)
    verified = await verified_residents(session, household_ids)
    return [
        VerificationOut(
            id=c.id,
            user_id=c.user_id,
            user_name=users[c.user_id].name,
            phone_masked=directory_service.mask_phone(users[c.user_id].phone),
            household_id=c.household_id,
            room=labels.get(c.household_id, {}).get("label", ""),
            compound_id=c.compound_id,
            compound_name=compounds.get(c.compound_id, ""),
            residents=[
                ClaimResidentOut(
                    id=r.id, name=r.name, phone_masked=directory_service.mask_phone(r.phone), verified=r.id in verified
                )
                for r in people.get(c.household_id, [])
            ],
            status=c.status,
            status_label=VERIFICATION.label(c.status),
            method=c.method,
            reason=c.reason,
            created_at=c.created_at,
            decided_at=c.decided_at,
        )
        for c in claims
    ]
