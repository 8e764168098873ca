"""The lifecycle kit: every entity with a status declares its lifecycle once and changes status
only through `Lifecycle.apply`.

A declaration is a StrEnum of statuses, the allowed transitions as (from, event) → to, Chinese
labels for statuses and events, and the verb each event reads as in an error message. `apply`
checks the table, updates the row with a compare-and-set on its status (and its version, when the
table has one) so that of two concurrent changes exactly one wins and the other gets 409, then
writes the event row (when the entity keeps a timeline). `record` writes an event that changes
nothing (a note: created, a reminder, contact disclosed). What a viewer may do next comes from
`can` and the domain's own policy module.

    WISH = Lifecycle(noun="心愿", model=Wish, statuses=WishStatus, transitions=[...], ...)
    await WISH.apply(session, wish, "approved", actor_id=me.id)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict

SAME = object()  # record(): the event's from_status is the current status


@dataclass(frozen=True)
class Transition:
    source: str
    event: str
    target: str


@dataclass
class Lifecycle:
    """One entity's lifecycle. `model` is the SQLModel table (with `id` and `status` columns);
    `event_model` the timeline table, written with `event_fk` = the entity's id, or None when the
    entity keeps no timeline of its own; `event_values` adds columns to each event row."""

    noun: str
    model: Any
    statuses: type[StrEnum]
    transitions: Iterable[tuple[str, str, str]]
    status_labels: Mapping[str, str]
    event_labels: Mapping[str, str]
    verbs: Mapping[str, str] = field(default_factory=dict)
    note_events: frozenset[str] = frozenset()
    event_model: Any = None
    event_fk: str | None = None
    event_values: Callable[[Any], dict] | None = None
    versioned: bool = True
    touch: str | None = "updated_at"
    conflict_code: str = "invalid_state"
    changed_code: str = "state_changed"
    changed_message: str | None = None

    def __post_init__(self) -> None:
        table: dict[tuple[str, str], str] = {}
        for source, event, target in self.transitions:
            for status in (source, target):
                self.statuses(status)  # an unknown status fails at import, not at run time
            if (source, event) in table and table[(source, event)] != target:
                raise ValueError(f"{self.noun}: {event} from {source} leads to two statuses")
            table[(source, event)] = target
        missing = [s for s in self.statuses if s not in self.status_labels]
        if missing:
            raise ValueError(f"{self.noun}: statuses without a label: {missing}")
        self.table = table

    # ---- reading the table ---------------------------------------------------------------------

    def target(self, source: str, event: str) -> str | None:
        return self.table.get((source, event))

    def can(self, source: str, event: str) -> bool:
        return (source, event) in self.table

    def allowed(self, source: str, target: str, event: str) -> bool:
        return self.table.get((source, event)) == target

    def events_from(self, source: str) -> list[str]:
        return [e for (s, e) in self.table if s == source]

    def sources_of(self, event: str) -> frozenset[str]:
        """The statuses from which `event` may happen."""
        return frozenset(s for (s, e) in self.table if e == event)

    def label(self, status: str | None) -> str:
        return self.status_labels.get(status, status or "")

    def event_label(self, event: str) -> str:
        return self.event_labels.get(event, event)

    def refusal(self, status: str, event: str, code: str | None = None) -> Conflict:
        verb = self.verbs.get(event, self.event_labels.get(event, event))
        return Conflict(f"{self.noun}当前状态为「{self.label(status)}」，不能{verb}", code=code or self.conflict_code)

    # ---- changing status -------------------------------------------------------------------------

    async def apply(
        self,
        session: AsyncSession,
        obj: Any,
        event: str,
        *,
        actor_id: int | None = None,
        note: str | None = None,
        values: Mapping[str, Any] | None = None,
        conflict_code: str | None = None,
        changed_code: str | None = None,
    ) -> Any:
        """Move `obj` by `event`; returns the event row (None when there is no timeline). A note
        event keeps the status but still sets `values` by compare-and-set (a reminder's flag)."""
        source = obj.status
        target = source if event in self.note_events else self.target(source, event)
        if target is None:
            raise self.refusal(source, event, conflict_code)
        now = utcnow()
        changes: dict[str, Any] = {"status": target, **(values or {})}
        if self.touch:
            changes.setdefault(self.touch, now)
        model = self.model
        where = [model.id == obj.id, model.status == source]
        if self.versioned:
            where.append(model.version == obj.version)
            changes["version"] = obj.version + 1
        result = await session.execute(
            update(model).where(*where).values(**changes).execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            code = changed_code or (conflict_code if conflict_code not in (None, self.conflict_code) else None)
            raise Conflict(
                self.changed_message or f"{self.noun}已被他人更新，请刷新后重试", code=code or self.changed_code
            )
        for key, value in changes.items():
            set_committed_value(obj, key, value)
        return await self._event(session, obj, event, source, actor_id, note, now)

    async def record(
        self,
        session: AsyncSession,
        obj: Any,
        event: str,
        *,
        actor_id: int | None = None,
        note: str | None = None,
        from_status: Any = SAME,
        at=None,
    ) -> Any:
        """An event row alone, changing nothing on the entity (its creation, a disclosure)."""
        if event not in self.note_events:
            raise ValueError(f"{self.noun}: {event} is not a note event")
        source = obj.status if from_status is SAME else from_status
        return await self._event(session, obj, event, source, actor_id, note, at or utcnow())

    async def _event(self, session, obj, event, source, actor_id, note, at) -> Any:
        if self.event_model is None:
            await session.flush()
            return None
        row = self.event_model(
            **{self.event_fk: obj.id},
            type=event,
            from_status=source,
            to_status=obj.status,
            actor_id=actor_id,
            at=at,
            note=note,
            **(self.event_values(obj) if self.event_values else {}),
        )
        session.add(row)
        await session.flush()
        return row
