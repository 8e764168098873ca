"""Work units (机关企事业单位) as partners of kind work_unit, read from Party members' free-text
work unit: exact and near-duplicate names are merged into one partner, and each member is linked
to it (WorkUnitMember). Idempotent: a second run links new members and merges nothing twice.

Near-duplicates: the same name once full-width forms, spaces and punctuation are folded
(`区税务局 ` = `区税务局`), once the place prefix (山东省 / 东营市 / 东营区) and the company suffix
(有限公司 → 公司) are set aside, or two long names a typo apart (similarity ≥ 0.88). Every merge
is returned so that a person can review it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.org.models import Community, Compound
from backend.partners.models import Partner, WorkUnitMember
from backend.partners.service import name_key
from backend.partners.state import PARTNER, PartnerKind, PartnerStatus
from backend.people.models import MemberProfile

PREFIXES = ("山东省", "东营市", "东营区", "东营")
SUFFIXES = (("有限责任公司", "公司"), ("股份有限公司", "公司"), ("有限公司", "公司"))
SIMILAR = 0.88


def cluster_key(name: str) -> str:
    key = name_key(name)
    for prefix in PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix) :]
            break
    for long, short in SUFFIXES:
        if key.endswith(long):
            key = key[: -len(long)] + short
            break
    return re.sub(r"^(市|区)(?=.{3,})", "", key)


def clusters(names: Counter) -> dict[str, list[str]]:
    """cluster key → the raw names merged under it (most frequent first)."""
    by_key: dict[str, Counter] = defaultdict(Counter)
    for raw, n in names.items():
        by_key[cluster_key(raw)][raw] += n
    keys = sorted(by_key, key=lambda k: (-sum(by_key[k].values()), k))
    merged: dict[str, Counter] = {}
    for key in keys:
        home = next(
            (k for k in merged if min(len(k), len(key)) >= 5 and SequenceMatcher(None, k, key).ratio() >= SIMILAR), None
        )
        if home is None:
            merged[key] = Counter(by_key[key])
        else:
            merged[home].update(by_key[key])
    return {
        k: [raw for raw, _ in sorted(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))] for k, c in merged.items()
    }


async def _members(session: AsyncSession) -> list[tuple[int, str, int | None, int | None]]:
    """(user, work unit, community, street) of every member with a work unit."""
    rows = await session.execute(
        select(MemberProfile.user_id, MemberProfile.work_unit, Community.id, Community.street_id)
        .join(User, User.id == MemberProfile.user_id)
        .outerjoin(Compound, Compound.id == User.compound_id)
        .outerjoin(Community, Community.id == Compound.community_id)
        .where(MemberProfile.work_unit != "")
        .order_by(MemberProfile.user_id)
    )
    return [tuple(r) for r in rows.all()]


async def merge_work_units(
    session: AsyncSession, *, actor_id: int | None, street_ids: set[int] | None = None
) -> list[dict]:
    """Create or reuse one work-unit partner per cluster of names and link the members to it.
    Returns one entry per partner: its name, the names merged into it and the members linked."""
    members = [m for m in await _members(session) if m[2] is not None and (street_ids is None or m[3] in street_ids)]
    groups = clusters(Counter(m[1].strip() for m in members))
    raw_to_key = {raw: key for key, raws in groups.items() for raw in raws}
    existing = {
        (p.street_id, cluster_key(p.name)): p
        for p in (await session.execute(select(Partner).where(Partner.kind == PartnerKind.work_unit))).scalars()
    }
    links = {w.user_id: w for w in (await session.execute(select(WorkUnitMember))).scalars()}
    report: dict[int, dict] = {}
    for user_id, raw, community_id, street_id in members:
        key = raw_to_key[raw.strip()]
        partner = existing.get((street_id, key))
        if partner is None:
            name = groups[key][0]
            partner = Partner(
                kind=PartnerKind.work_unit,
                name=name,
                name_key=name_key(name),
                community_id=community_id,
                street_id=street_id,
                status=PartnerStatus.filed,  # a work unit whose members report in is recognised
            )
            session.add(partner)
            await session.flush()
            await PARTNER.record(
                session, partner, "created", actor_id=actor_id, from_status=None, note="由党员工作单位整理"
            )
            existing[(street_id, key)] = partner
        entry = report.setdefault(
            partner.id, {"partner_id": partner.id, "name": partner.name, "merged": set(), "members": 0}
        )
        entry["merged"].add(raw)
        entry["members"] += 1
        link = links.get(user_id)
        if link is None:
            session.add(WorkUnitMember(user_id=user_id, partner_id=partner.id, source_name=raw[:60]))
        elif link.partner_id != partner.id or link.source_name != raw[:60]:
            link.partner_id, link.source_name = partner.id, raw[:60]
    await session.flush()
    return [
        {**e, "merged": sorted(e["merged"], key=lambda n: (n != e["name"], n))}
        for e in sorted(report.values(), key=lambda e: e["partner_id"])
    ]
