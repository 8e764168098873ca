"""`GET /list-items/{id}/matches`: candidates for an item, ranked, each with its reasons in plain
words (as the candidate ranking of wishes does).

For a need or a project: open resources, recognised partners' services and the skills of Party
members who report in to the community's compounds. For a resource: open needs and projects.
Score: the same category (3), words in common between the item and the candidate (up to 3,
by shared two-character runs, so 理发 matches 老人理发), the same community (1)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.lists.models import ListItem
from backend.lists.state import ItemStatus
from backend.org.models import Compound
from backend.partners.models import Partner
from backend.partners.state import RECOGNISED
from backend.people import service as people_service

LIMIT = 10


def _grams(text: str) -> set[str]:
    text = "".join(ch for ch in text if ch.isalnum())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _overlap(item_text: str, other: str) -> tuple[float, list[str]]:
    """(0..3, the shared runs) — how much of the candidate's words the item shares."""
    mine, theirs = _grams(item_text), _grams(other)
    if not mine or not theirs:
        return 0.0, []
    shared = mine & theirs
    return 3.0 * len(shared) / min(len(mine), len(theirs)), sorted(shared)[:3]


def _scored(item: ListItem, *, category: str | None, text: str, community_id: int | None) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    if category and category == item.category:
        score += 3
        reasons.append(f"类别相同：{category}")
    words, shared = _overlap(f"{item.title}{item.description}{item.category}", text)
    if words >= 0.75:
        score += min(words, 3.0)
        reasons.append(f"内容相近：{'、'.join(shared)}")
    if community_id == item.community_id:
        score += 1
        reasons.append("同一社区")
    return score, reasons


async def _items(session, item: ListItem) -> list[dict]:
    kinds = ("need", "project") if item.kind == "resource" else ("resource",)
    rows = await session.execute(
        select(ListItem)
        .where(ListItem.kind.in_(kinds), ListItem.status == ItemStatus.open, ListItem.id != item.id)
        .order_by(ListItem.id.desc())
        .limit(500)
    )
    out = []
    for other in rows.scalars():
        score, reasons = _scored(
            item, category=other.category, text=f"{other.title}{other.description}", community_id=other.community_id
        )
        out.append({"kind": "list_item", "id": other.id, "title": other.title, "score": score, "reasons": reasons})
    return out


async def _partners(session, item: ListItem) -> list[dict]:
    rows = await session.execute(select(Partner).where(Partner.status.in_(RECOGNISED)).order_by(Partner.id).limit(500))
    out = []
    for p in rows.scalars():
        score, reasons = _scored(item, category=None, text="".join(p.services) + p.name, community_id=p.community_id)
        if p.services:
            reasons = [r.replace("内容相近", "合伙人服务") for r in reasons]
        out.append({"kind": "partner", "id": p.id, "title": p.name, "score": score, "reasons": reasons})
    return out


async def _members(session, item: ListItem) -> list[dict]:
    compounds = (
        (await session.execute(select(Compound.id).where(Compound.community_id == item.community_id))).scalars().all()
    )
    out = []
    for compound_id in compounds:
        for m in await people_service.members_of_compound(session, compound_id):
            score, reasons = _scored(item, category=None, text="".join(m.skills), community_id=item.community_id)
            reasons = [r.replace("内容相近", "党员技能") for r in reasons]
            name = directory_service.mask_name(m.name)
            out.append(
                {"kind": "member", "id": m.id, "title": f"{name}（{m.work_unit}）", "score": score, "reasons": reasons}
            )
    return out


async def matches(session: AsyncSession, item: ListItem) -> list[dict]:
    """Ranked candidates with a reason beyond "the same community" (which alone matches nothing)."""
    found = await _items(session, item)
    if item.kind != "resource":
        found += await _partners(session, item) + await _members(session, item)
    useful = [c for c in found if any(not r.startswith("同一社区") for r in c["reasons"])]
    useful.sort(key=lambda c: (-c["score"], c["kind"], c["id"]))
    return [{**c, "score": round(c["score"], 2)} for c in useful[:LIMIT]]
