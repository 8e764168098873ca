"""The one source of "now". Always aware UTC. Tests move it forward with `clock.advance()`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta(0)
        self.frozen: datetime | None = None  # tests only: time stands still at this moment

    def now(self) -> datetime:
        if self.frozen is not None:
            return self.frozen
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        if self.frozen is not None:
            self.frozen += delta
        self.offset += delta

    def freeze(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("naive datetime")
        self.frozen = at.astimezone(UTC)

    def reset(self) -> None:
        self.offset = timedelta(0)
        self.frozen = None


clock = Clock()


def utcnow() -> datetime:
    return clock.now()


def to_shanghai(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(SHANGHAI)
