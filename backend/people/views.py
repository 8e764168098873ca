"""The caller's profile as /me shows it: their compound, the household they are verified for and
their latest claim to one (住户认证)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.directory import service as directory_service
from backend.directory.models import ContactView
from backend.org import service as org_service
from backend.people import schemas, service
from backend.people.state import SHOWN, VERIFICATION, VerificationStatus


async def me_out(session: AsyncSession, principal: Principal) -> schemas.MeOut:
    user = principal.user
    compound_name = None
    if user.compound_id is not None:
        compound_name = (await org_service.compound_names(session, [user.compound_id])).get(user.compound_id)
    claim = await service.latest_claim(session, user.id)
    if claim is not None and claim.status not in SHOWN:
        claim = None
    labels = await org_service.household_labels(
        session, {h for h in (user.household_id, claim.household_id if claim else None) if h is not None}
    )
    if user.household_id is not None:
        status = "verified"
    elif claim is not None and claim.status == VerificationStatus.pending:
        status = "pending"
    else:
        status = "none"
    return schemas.MeOut(
        id=user.id,
        name=user.name,
        phone=user.phone,
        compound_id=user.compound_id,
        compound_name=compound_name,
        household_id=user.household_id,
        room=labels[user.household_id]["label"] if user.household_id is not None else None,
        household_status=status,
        verification=claim_out(claim, labels) if claim is not None else None,
        roles=principal.roles,
        grants=[schemas.GrantOut(role=g.role, scope_type=g.scope_type, scope_id=g.scope_id) for g in principal.grants],
    )


def claim_out(claim, labels: dict[int, dict]) -> schemas.ClaimOut:
    return schemas.ClaimOut(
        id=claim.id,
        household_id=claim.household_id,
        room=labels.get(claim.household_id, {}).get("label", ""),
        status=claim.status,
        status_label=VERIFICATION.label(claim.status),
        method=claim.method,
        reason=claim.reason,
        created_at=claim.created_at,
        decided_at=claim.decided_at,
    )


async def contact_views_out(session: AsyncSession, rows: list[ContactView]) -> list[schemas.ContactViewOut]:
    """Two lookups whatever the number of rows: the people named, the rooms."""
    users = await directory_service.users_by_id(session, [i for r in rows for i in (r.viewer_id, r.subject_id)])
    labels = await org_service.household_labels(session, {r.household_id for r in rows if r.household_id})
    return [
        schemas.ContactViewOut(
            id=r.id,
            viewer_id=r.viewer_id,
            viewer_name=users[r.viewer_id].name if r.viewer_id in users else "",
            household_id=r.household_id,
            room=labels[r.household_id]["label"] if r.household_id in labels else None,
            subject_name=directory_service.mask_name(users[r.subject_id].name) if r.subject_id in users else None,
            reason=r.reason,
            reason_label=directory_service.CONTACT_REASONS.get(r.reason, r.reason),
            wish_id=r.wish_id,
            at=r.at,
        )
        for r in rows
    ]
