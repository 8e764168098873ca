"""Hot reads straight through the driver: a SELECT built once, compiled once per dialect, and run
on the request's own connection with asyncpg's `fetch`, its parameters and rows converted by the
very bind and result processors SQLAlchemy would apply. On the bench machine a prebuilt select
through an `AsyncSession` cost 0.3–0.4 ms of CPU more than through this (the ORM's compile
state, the execution context, the cursor result); for the two or three statements of a hot read
that is a large part of what separates the app from a bare asyncpg server.

Only for pure reads of columns (no ORM entities, no locks): the statement then sees what it would
see through the session, because it runs on the session's connection, inside the session's
transaction when one has begun and, before the first write, outside one exactly as the deferred
BEGIN of kernel/db.py lets any pure read run; under READ COMMITTED (the default) each statement
has its own snapshot either way. A connection set to a stricter isolation level keeps SQLAlchemy's
path, which begins the transaction first. The session is flushed first when it holds changes
(autoflush, as `session.execute` would). The engine's `before_cursor_execute` listeners still see
each statement (the statement counters of the tests, the bench's SQL capture, the deferred BEGIN's
check). On any other driver (aiosqlite) it is `session.execute`.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler

# the adapter's isolation levels under which every statement reads its own snapshot: the default
# (READ COMMITTED) and autocommit (which kernel/db.py's deferred BEGIN sets until the first write)
_OWN_SNAPSHOT = (None, "read_committed", "autocommit")


@dataclass(frozen=True, slots=True)
class _Compiled:
    compiled: SQLCompiler
    expanding: tuple[str, ...]  # the names of the expanding (IN) parameters
    results: tuple[Any, ...]  # one result processor (or None) per column
    row: type  # a named tuple of the statement's column keys


@dataclass(frozen=True, slots=True)
class _Expanded:
    """The SQL for one set of expanding-list lengths, and where each positional argument comes
    from: (parameter name, index in its list or None, constant, bind processor or None). A value
    bound in the statement itself (a literal, or a literal list) has the name None and its constant."""

    statement: str
    args: tuple[tuple[str | None, int | None, Any, Any], ...]


class DriverRead:
    """One prebuilt SELECT of plain columns; `await read.all(session, params)` gives its rows as
    named tuples (attribute access and unpacking, as SQLAlchemy's rows)."""

    def __init__(self, stmt: Select) -> None:
        self.stmt = stmt
        self._by_dialect: dict[str, _Compiled] = {}
        self._expanded: dict[tuple, _Expanded] = {}

    def _compile(self, dialect: Any) -> _Compiled:
        compiled = self.stmt.compile(dialect=dialect)
        expanding = tuple(sorted(b.key for b in compiled.binds.values() if b.expanding))
        results = tuple(column.type._cached_result_processor(dialect, None) for column in compiled._result_columns)
        keys = [column.key for column in self.stmt.selected_columns]
        entry = _Compiled(compiled, expanding, results, namedtuple("DriverRow", keys, rename=True))
        self._by_dialect[dialect.name] = entry
        return entry

    def _expand(self, entry: _Compiled, params: dict[str, Any], key: tuple) -> _Expanded:
        """Rendered by SQLAlchemy once for these list lengths; later calls only pick the values."""
        state = entry.compiled.construct_expanded_state(params)
        origin: dict[str, tuple[str, int | None]] = {}
        for name, expanded in (state.parameter_expansion or {}).items():
            for i, expanded_name in enumerate(expanded):
                origin[expanded_name] = (name, i)
        args = []
        for name in state.positiontup or ():
            base, index = origin.get(name, (name, None))
            processor = state.processors.get(name)
            if base in params:
                args.append((base, index, None, processor))
            else:  # bound in the statement: its value, taken as SQLAlchemy expanded it
                args.append((None, None, state.parameters[name], processor))
        done = self._expanded[key] = _Expanded(state.statement, tuple(args))
        return done

    async def all(self, session: AsyncSession, params: dict[str, Any]) -> list:
        bind = session.get_bind()
        if bind.dialect.driver != "asyncpg":
            return list((await session.execute(self.stmt, params)).all())
        if session.new or session.dirty or session.deleted:
            await session.flush()
        dialect = bind.dialect.name
        entry = self._by_dialect.get(dialect) or self._compile(bind.dialect)
        key = (dialect, *(len(params[name]) for name in entry.expanding if name in params))
        expanded = self._expanded.get(key) or self._expand(entry, params, key)
        args = []
        for name, index, constant, processor in expanded.args:
            if name is None:
                value = constant
            else:
                value = params[name] if index is None else params[name][index]
            args.append(processor(value) if processor else value)
        connection = await session.connection()
        adapter = (await connection.get_raw_connection()).dbapi_connection
        if adapter.isolation_level not in _OWN_SNAPSHOT:  # a snapshot to keep: SQLAlchemy's way
            return list((await session.execute(self.stmt, params)).all())
        sync = connection.sync_connection
        if sync.dispatch.before_cursor_execute:  # who watches statements (counters, the bench's capture)
            sync.dispatch.before_cursor_execute(sync, None, expanded.statement, tuple(args), None, False)
        records = await adapter.driver_connection.fetch(expanded.statement, *args)
        results, make = entry.results, entry.row._make
        if not any(results):
            return [make(record) for record in records]
        return [make([p(v) if p else v for p, v in zip(results, record, strict=True)]) for record in records]
