"""What became of an adopted item's follow-up (跟踪项目实施): the wish, grid issue or proposal it
turned into lives in a package above this one, so those packages' readers are registered here
(backend/proposals/flow.py does it) and the nine steps ask them, one query per kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation.models import AgendaItem


@dataclass(frozen=True)
class Progress:
    kind: str
    ref_id: int
    status_label: str
    finished: bool


# kind → reader(session, ids) → {id: (status label, finished)}
Reader = Callable[[AsyncSession, set[int]], Awaitable[dict[int, tuple[str, bool]]]]
READERS: dict[str, Reader] = {}
KIND_NOUNS = {"wish": "心愿", "issue": "网格事件", "proposal": "提案"}


def register(kind: str, reader: Reader) -> None:
    READERS[kind] = reader


def ref_of(item: AgendaItem) -> tuple[str, int] | None:
    f = item.follow_up or {}
    kind, ref_id = f.get("kind"), f.get("ref_id")
    if kind in READERS and isinstance(ref_id, int):
        return kind, ref_id
    return None


async def progress(session: AsyncSession, items: Iterable[AgendaItem]) -> dict[int, Progress]:
    """The progress of each item's linked follow-up, by item id (items without one are left out)."""
    refs = {i.id: r for i in items if (r := ref_of(i)) is not None}
    by_kind: dict[str, set[int]] = {}
    for kind, ref_id in refs.values():
        by_kind.setdefault(kind, set()).add(ref_id)
    found = {kind: await READERS[kind](session, ids) for kind, ids in by_kind.items()}
    out = {}
    for item_id, (kind, ref_id) in refs.items():
        label, finished = found[kind].get(ref_id, ("已删除", False))
        out[item_id] = Progress(kind, ref_id, label, finished)
    return out
