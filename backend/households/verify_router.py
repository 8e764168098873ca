"""住户认证 over HTTP: the resident verifies their pending claim with the WeChat phone number; the
household's building chief or grid worker approve or refuse claims in their queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from backend.auth.deps import CurrentUser, GridWorker
from backend.households import verification
from backend.households.schemas import VerificationOut, VerificationRejectIn
from backend.households.scope import RegisterScope, scope_of
from backend.kernel.db import SessionDep
from backend.kernel.errors import InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath
from backend.people import schemas as people_schemas
from backend.people import service as people_service
from backend.people import views as people_views

router = APIRouter(prefix="/api/v1", tags=["verification"])


async def _visitor_scope(session: SessionDep, principal: GridWorker) -> RegisterScope:
    return await scope_of(session, principal)


VisitorScope = Annotated[RegisterScope, Depends(_visitor_scope)]  # building chiefs and grid workers


@router.post(
    "/me/verify-phone",
    response_model=people_schemas.MeOut,
    summary="Verify one's pending household claim with the WeChat phone number (any logged-in user)",
)
async def verify_phone(
    body: people_schemas.VerifyPhoneIn, request: Request, session: SessionDep, principal: CurrentUser
) -> people_schemas.MeOut:
    await verification.verify_phone(session, request.app.state.wechat, principal.user, body.code)
    return await people_views.me_out(session, principal)


@router.get(
    "/verifications",
    response_model=Page[VerificationOut],
    summary="Claims to the households one visits (building chiefs, grid workers)",
)
async def list_verifications(
    session: SessionDep,
    scope: VisitorScope,
    status: Annotated[str, Query(max_length=20, description="pending | verified | rejected")] = "pending",
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[VerificationOut]:
    if status not in verification.QUEUE_STATUSES:
        raise InvalidInput("status 只能是 pending、verified 或 rejected", code="invalid_status")
    rows = await verification.list_claims(session, scope, status, parse_cursor(cursor), limit)
    rows, next_cursor = page_of(rows, limit)
    return Page(items=await verification.claims_out(session, rows), next_cursor=next_cursor)


@router.post(
    "/verifications/{verification_id}/approve",
    response_model=VerificationOut,
    summary="Approve a claim: the account becomes the household's (its building chief or grid worker)",
)
async def approve(
    verification_id: IdPath, session: SessionDep, principal: GridWorker, scope: VisitorScope
) -> VerificationOut:
    claim = await people_service.get_claim(session, verification_id)
    await verification.approve(session, scope, claim, principal.id)
    return (await verification.claims_out(session, [claim]))[0]


@router.post(
    "/verifications/{verification_id}/reject",
    response_model=VerificationOut,
    summary="Refuse a claim with a reason; the resident is told (its building chief or grid worker)",
)
async def reject(
    verification_id: IdPath,
    body: VerificationRejectIn,
    session: SessionDep,
    principal: GridWorker,
    scope: VisitorScope,
) -> VerificationOut:
    claim = await people_service.get_claim(session, verification_id)
    await verification.reject(session, scope, claim, principal.id, body.reason)
    return (await verification.claims_out(session, [claim]))[0]
