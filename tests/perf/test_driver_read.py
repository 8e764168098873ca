"""kernel/driver_read.py: a hot read run through asyncpg directly gives exactly the rows the session
would give (the same values, the same types, aware datetimes), sees the session's own unflushed
and uncommitted changes, and on SQLite is the session's execute."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, event, select

from backend.kernel.db import LAZY_BEGIN, create_engine, make_session_factory
from backend.kernel.driver_read import DriverRead
from backend.wishes import service as wish_service
from backend.wishes.models import Wish


def _all_shapes():
    for exclude in (False, True):
        for requester in (False, True):
            for compounds in (False, True):
                for statuses in (False, True):
                    for cursor in (False, True):
                        yield exclude, requester, compounds, statuses, cursor


async def test_every_wish_page_shape_reads_the_same_rows_as_the_session(session):
    wish = (await session.execute(select(Wish).order_by(Wish.id.desc()).limit(1))).scalar_one()
    values = {
        "exclude_requester": wish.requester_id + 1,
        "requester_id": wish.requester_id,
        "compound_ids": [wish.compound_id, wish.compound_id + 1000],
        "statuses": [str(wish.status), "open"],
        "cursor": wish.id + 1,
    }
    seen = 0
    for shape in _all_shapes():
        params = {k: values[k] for k, on in zip(values, shape, strict=True) if on}
        params["page"] = 5
        stmt = wish_service._list_statement(*shape)
        expected = [tuple(r) for r in (await session.execute(stmt, params)).all()]
        rows = await DriverRead(stmt).all(session, params)
        assert [tuple(r) for r in rows] == expected
        assert [r.name for r in rows] == [r[-1] for r in expected]
        for r in rows:
            assert r.created_at.tzinfo is not None and r.created_at.utcoffset().total_seconds() == 0
        seen += len(rows)
    assert seen > 0


async def test_it_sees_the_sessions_own_changes(session):
    wish = (await session.execute(select(Wish).order_by(Wish.id.desc()).limit(1))).scalar_one()
    wish.title = "驱动直读看得见本事务的修改"
    wish.updated_at = datetime(2026, 12, 4, 1, 2, 3, tzinfo=UTC)
    read = DriverRead(select(Wish.title, Wish.updated_at).where(Wish.id == wish.id))
    rows = await read.all(session, {})
    assert [tuple(r) for r in rows] == [("驱动直读看得见本事务的修改", datetime(2026, 12, 4, 1, 2, 3, tzinfo=UTC))]


@pytest.mark.postgresql
async def test_on_asyncpg_it_goes_through_the_driver_unless_a_stricter_isolation_level_is_set(db):
    """The statement listeners see a driver read without a cursor (it skipped SQLAlchemy's execution);
    on a REPEATABLE READ engine it takes SQLAlchemy's path, which begins the transaction first."""
    url, _ = db
    if not url.startswith("postgresql"):
        pytest.skip("the driver path is asyncpg's")
    read = DriverRead(select(Wish.id).order_by(Wish.id).limit(bindparam("n")))
    for options, via_driver in (({}, True), ({"isolation_level": "REPEATABLE READ"}, False)):
        engine = create_engine(url, **options)
        cursors: list[bool] = []

        def seen(_conn, cursor, *_, into=cursors):
            into.append(cursor is None)

        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            async with make_session_factory(engine)() as s:
                s.info[LAZY_BEGIN] = True
                assert [tuple(r) for r in await read.all(s, {"n": 3})] == [
                    tuple(r) for r in (await s.execute(read.stmt, {"n": 3})).all()
                ]
            assert cursors[0] is via_driver and cursors[1] is False
        finally:
            await engine.dispose()
