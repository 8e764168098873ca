"""Keyset pagination: `?cursor=&limit=` in, `{"items": [...], "next_cursor": ...}` out.

The cursor is the key of the last item seen — its id, or for a list ordered by several columns
the values of each, joined by dots (`encode_cursor`); the next page starts strictly after it, so
a page costs the same whatever its number. One codec for every list: `decode_cursor`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from backend.kernel.errors import InvalidInput
from backend.kernel.validation import MAX_ID

T = TypeVar("T")
MAX_LIMIT = 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


MAX_MICROS = 253_402_300_799_999_999  # 9999-12-31T23:59:59.999999Z
INVALID = "cursor 无效：请使用上一页返回的 next_cursor"


def encode_cursor(*parts: int) -> str:
    return ".".join(str(p) for p in parts)


def decode_cursor(cursor: str | None, size: int) -> tuple[int, ...] | None:
    """A cursor made by encode_cursor: `size` non-negative integers, each one a database can hold
    (the last is an id, 32-bit; the others at most microseconds before year 10000)."""
    if not cursor:
        return None
    parts = cursor.split(".")
    if len(parts) != size or not all(re.fullmatch(r"\d{1,18}", p) for p in parts):
        raise InvalidInput(INVALID, code="invalid_cursor")
    values = tuple(int(p) for p in parts)
    if values[-1] > MAX_ID or any(v > MAX_MICROS for v in values):
        raise InvalidInput(INVALID, code="invalid_cursor")
    return values


def parse_cursor(cursor: str | None) -> int | None:
    """The cursor of a list ordered by id alone."""
    values = decode_cursor(cursor, 1)
    return values[0] if values else None


def micros(value: datetime) -> int:
    """A timestamp as a cursor part."""
    return int(value.timestamp() * 1_000_000)


def from_micros(value: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=value)


CursorQ = Annotated[str | None, Query(description="next_cursor of the previous page", max_length=18)]
LimitQ = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size, 1-100")]


def page_of(rows: list, limit: int, key=lambda r: r.id) -> tuple[list, str | None]:
    """Rows were fetched with limit + 1; returns the page and the next cursor."""
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, str(key(rows[-1]))
    return rows, None
