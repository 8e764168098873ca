"""Keyset pagination: `?cursor=&limit=` in, `{"items": [...], "next_cursor": ...}` out.

The cursor is the opaque id of the last item seen; the next page starts strictly after it, so a
page costs the same whatever its number."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from backend.kernel.errors import InvalidInput

T = TypeVar("T")
MAX_LIMIT = 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    if not cursor.isdigit() or len(cursor) > 10 or int(cursor) > 2_147_483_647:
        raise InvalidInput("cursor 无效：请使用上一页返回的 next_cursor", code="invalid_cursor")
    return int(cursor)


CursorQ = Annotated[str | None, Query(description="next_cursor of the previous page", max_length=18)]
LimitQ = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size, 1-100")]


def page_of(rows: list, limit: int, key=lambda r: r.id) -> tuple[list, str | None]:
    """Rows were fetched with limit + 1; returns the page and the next cursor."""
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, str(key(rows[-1]))
    return rows, None
