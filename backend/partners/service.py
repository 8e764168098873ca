"""The rules of partners: applying, filing (recognition), contacts, lists, the street's brand.
Every status change goes through `backend.partners.state.PARTNER`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.org import service as org_service
from backend.org.models import Community, Compound, RoleGrant
from backend.partners.models import Partner, PartnerBrand, PartnerEvent
from backend.partners.state import PARTNER, RECOGNISED, PartnerStatus

DEFAULT_BRAND = "幸福合伙人"
BRANDS = ("幸福合伙人", "红色合伙人", "社区合伙人")
CONTACT_ROLE = "partner_contact"
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """A name as duplicates share it: full-width folded (NFKC), without spaces or punctuation
    (brackets included, their content kept: 区税务局（一分局） → 区税务局一分局)."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", name)).lower()[:60]


async def community_of(session: AsyncSession, community_id: int) -> Community:
    community = await session.get(Community, community_id)
    if community is None:
        raise InvalidInput(f"社区 {community_id} 不存在", code="community_not_found")
    return community


async def create_partner(
    session: AsyncSession,
    *,
    kind: str,
    name: str,
    contact: str,
    services: list[str],
    community_id: int,
    applicant_id: int | None,
) -> Partner:
    community = await community_of(session, community_id)
    key = name_key(name)
    clash = await session.execute(
        select(Partner.id).where(Partner.community_id == community_id, Partner.kind == kind, Partner.name_key == key)
    )
    if clash.first() is not None:
        raise Conflict(f"本社区已有名为「{name}」的合伙人", code="partner_exists")
    partner = Partner(
        kind=kind,
        name=name,
        name_key=key,
        contact=contact,
        services=services,
        community_id=community_id,
        street_id=community.street_id,
        applicant_id=applicant_id,
        status=PartnerStatus.applied,
    )
    session.add(partner)
    await session.flush()
    await PARTNER.record(session, partner, "created", actor_id=applicant_id, from_status=None)
    return partner


async def get_partner(session: AsyncSession, partner_id: int, *, for_update: bool = False) -> Partner:
    stmt = select(Partner).where(Partner.id == partner_id)
    if for_update:
        stmt = stmt.with_for_update()
    partner = (await session.execute(stmt)).scalar_one_or_none()
    if partner is None:
        raise NotFound(f"合伙人 {partner_id} 不存在", code="partner_not_found")
    return partner


async def partners_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Partner]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {p.id: p for p in (await session.execute(select(Partner).where(Partner.id.in_(wanted)))).scalars()}


def require_recognised(partner: Partner, what: str) -> None:
    """Only a filed or active partner may act (offer, claim, organise)."""
    if partner.status not in RECOGNISED:
        raise Conflict(
            f"合伙人「{partner.name}」当前状态为「{PARTNER.label(partner.status)}」，不能{what}",
            code="partner_not_recognised",
        )


async def transition(
    session: AsyncSession, partner: Partner, event: str, *, actor_id: int, reason: str | None
) -> Partner:
    if event == "suspended" and not reason:
        raise InvalidInput("暂停合作须说明理由", code="reason_required")
    values: dict = {}
    if event == "filed":
        values["filed_at"] = utcnow()
    if event == "suspended":
        values["suspend_reason"] = reason
    await PARTNER.apply(session, partner, event, actor_id=actor_id, note=reason, values=values)
    if event == "filed" and partner.applicant_id is not None:
        await org_service.grant(session, partner.applicant_id, CONTACT_ROLE, "partner", partner.id)
    return partner


async def file_partner(session: AsyncSession, partner: Partner, *, actor_id: int, note: str) -> Partner:
    """Filing from an accepted application (the recognition); a partner already filed stays so."""
    if partner.status == PartnerStatus.applied:
        await PARTNER.apply(session, partner, "filed", actor_id=actor_id, note=note, values={"filed_at": utcnow()})
        if partner.applicant_id is not None:
            await org_service.grant(session, partner.applicant_id, CONTACT_ROLE, "partner", partner.id)
    return partner


async def add_contact(session: AsyncSession, partner: Partner, user_id: int, *, actor_id: int) -> Partner:
    user = await session.get(User, user_id)
    if user is None:
        raise InvalidInput(f"用户 {user_id} 不存在", code="user_not_found")
    await org_service.grant(session, user_id, CONTACT_ROLE, "partner", partner.id)
    await PARTNER.record(session, partner, "contact_added", actor_id=actor_id, note=user.name)
    return partner


async def contacts_of(session: AsyncSession, partner_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = set(partner_ids)
    out: dict[int, list[int]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = await session.execute(
        select(RoleGrant.scope_id, RoleGrant.user_id)
        .where(RoleGrant.role == CONTACT_ROLE, RoleGrant.scope_type == "partner", RoleGrant.scope_id.in_(ids))
        .order_by(RoleGrant.id)
    )
    for pid, uid in rows.all():
        out[pid].append(uid)
    return out


async def list_partners(
    session: AsyncSession,
    *,
    community_ids: set[int],
    street_ids: set[int],
    partner_ids: set[int],
    applicant_id: int,
    kind: str | None,
    status: str | None,
    cursor: int | None,
    limit: int,
) -> list[Partner]:
    """A keyset page of the partners the caller may see (newest first): of the communities and
    streets they administer, those they are a contact of, and their own applications."""
    reach = [Partner.applicant_id == applicant_id]
    if community_ids:
        reach.append(Partner.community_id.in_(community_ids))
    if street_ids:
        reach.append(Partner.street_id.in_(street_ids))
    if partner_ids:
        reach.append(Partner.id.in_(partner_ids))
    stmt = select(Partner)
    stmt = stmt.where(or_(*reach))
    if kind:
        stmt = stmt.where(Partner.kind == kind)
    if status:
        stmt = stmt.where(Partner.status == status)
    if cursor is not None:
        stmt = stmt.where(Partner.id < cursor)
    return list((await session.execute(stmt.order_by(Partner.id.desc()).limit(limit + 1))).scalars())


async def events_of(session: AsyncSession, partner_id: int) -> list[tuple[PartnerEvent, str | None]]:
    stmt = (
        select(PartnerEvent, User.name)
        .outerjoin(User, User.id == PartnerEvent.actor_id)
        .where(PartnerEvent.partner_id == partner_id)
        .order_by(PartnerEvent.id)
    )
    return [(e, n) for e, n in (await session.execute(stmt)).all()]


async def brand_of(session: AsyncSession, street_id: int | None) -> str:
    if street_id is None:
        return DEFAULT_BRAND
    row = await session.get(PartnerBrand, street_id)
    return row.brand_name if row else DEFAULT_BRAND


async def set_brand(session: AsyncSession, street_id: int, brand_name: str, *, actor_id: int) -> str:
    row = await session.get(PartnerBrand, street_id)
    if row is None:
        session.add(PartnerBrand(street_id=street_id, brand_name=brand_name, updated_by=actor_id))
    else:
        row.brand_name, row.updated_by, row.updated_at = brand_name, actor_id, utcnow()
    await session.flush()
    return brand_name


async def street_of_user(session: AsyncSession, user: User) -> int | None:
    if user.compound_id is None:
        return None
    row = await session.execute(
        select(Community.street_id)
        .join(Compound, Compound.community_id == Community.id)
        .where(Compound.id == user.compound_id)
    )
    return row.scalar_one_or_none()
