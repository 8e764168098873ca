"""Database engine, column types and the per-request session.

One transaction per request: `get_session` opens it, the request commits once at the end
(FastAPI runs the dependency's exit right after the route function, before the response is
sent, because it is declared with scope="function"); services only `flush()`. On PostgreSQL a
request's reads before its first write run outside a transaction (`_defer_begin`): a request that
only reads sends no BEGIN and no COMMIT; the first write (or locking read) begins the transaction.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_
from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetime stored as UTC on every engine; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; use aware UTC")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def create_engine(
    url: str, *, echo: bool = False, pool_size: int = 10, max_overflow: int = 10, **kwargs: Any
) -> AsyncEngine:
    """An async engine; on PostgreSQL with a pool of `pool_size` (+ `max_overflow` per burst),
    which SQLite ignores."""
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    engine = create_async_engine(url, echo=echo, pool_size=pool_size, max_overflow=max_overflow, **kwargs)
    _ping_idle_connections(engine)
    _defer_begin_on(engine)
    return engine


def read_engine_from_settings(settings: Any) -> AsyncEngine | None:
    """The engine of DATABASE_READ_URL (None when unset: reporting reads the main database). On
    PostgreSQL its transactions are read-only (default_transaction_read_only), so a reporting
    route that tried to write would fail loudly on the primary as it would on a replica."""
    url = settings.database_read_url
    if not url:
        return None
    extra = {}
    if url.startswith("postgresql"):
        extra["connect_args"] = {"server_settings": {"default_transaction_read_only": "on"}}
    return create_engine(
        url, echo=settings.sql_echo, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow, **extra
    )


PING_AFTER_IDLE_SECONDS = 1.0


def _ping_idle_connections(engine: AsyncEngine) -> None:
    """Pessimistic disconnect handling that costs one round trip, and only for a connection that
    sat idle in the pool: a checkout runs `SELECT 1` (simple protocol, no transaction) when the connection was
    last returned more than PING_AFTER_IDLE_SECONDS ago, and a dead one is replaced (the pool
    retries the checkout on DisconnectionError). SQLAlchemy's pool_pre_ping did the same with three
    round trips (BEGIN, `;`, ROLLBACK) on every checkout. A server restart takes longer than that
    second, so every connection it killed has been idle longer and is pinged."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is not None and time.monotonic() - returned <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            await_(dbapi_connection._connection.execute("SELECT 1"))  # simple protocol, outside a transaction
        except Exception as error:  # any failure: a connection we cannot use
            raise exc.DisconnectionError(str(error)) from error


def engine_from_settings(settings: Any) -> AsyncEngine:
    """The engine the app and the worker processes use: DATABASE_URL, SQL_ECHO, DB_POOL_SIZE and
    DB_MAX_OVERFLOW from the settings."""
    return create_engine(
        settings.database_url,
        echo=settings.sql_echo,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    """SQLite: WAL, foreign keys, and BEGIN IMMEDIATE so that concurrent writers queue up on the
    busy timeout instead of failing on a read-to-write lock upgrade; also makes SAVEPOINT work."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# ---- a request that only reads pays no BEGIN / COMMIT (PostgreSQL) ------------------------------

LAZY_BEGIN = "happyhome_lazy_begin"  # session.info: this session's reads may run outside a transaction
_DEFERRED = "happyhome_deferred_begin"  # connection info: the adapter whose BEGIN is deferred
# a SELECT with any of these locks rows, or has a side effect a transaction must hold
_NOT_PURE = (
    "FOR UPDATE",
    "FOR SHARE",
    "FOR NO KEY",
    "FOR KEY SHARE",
    "NEXTVAL",
    "SETVAL",
    "LASTVAL",
    "PG_ADVISORY",
    "PG_TRY_ADVISORY",
    "SET_CONFIG",
    "PG_NOTIFY",
    "TXID_CURRENT",
    "PG_CURRENT_XACT",
)


def is_pure_read(statement: str) -> bool:
    """A plain SELECT that takes no lock and changes nothing: under READ COMMITTED it sees the same
    rows inside a transaction as outside one (each statement has its own snapshot, and before the
    first write the transaction has nothing of its own to see)."""
    if statement.lstrip()[:6].upper() != "SELECT":
        return False
    upper = statement.upper()
    return not any(word in upper for word in _NOT_PURE)


@event.listens_for(Session, "after_begin")
def _defer_begin(session: Session, _transaction: Any, connection: Any) -> None:
    """A request's session (get_session) on asyncpg at the default isolation level: the DBAPI
    connection is put in autocommit until the first statement that is not a pure read, which then
    begins the transaction as usual (see _begin_before_a_write). A request that only reads sends no
    BEGIN and no COMMIT (the adapter's commit and rollback are no-ops without a transaction); one
    that writes still runs every write, and every read after the first write, in one transaction."""
    if not session.info.get(LAZY_BEGIN) or connection.dialect.driver != "asyncpg":
        return
    adapter = connection.connection.dbapi_connection
    if getattr(adapter, "_transaction", True) is not None:  # already begun (a test's outer transaction)
        return
    if adapter.isolation_level not in (None, "read_committed") or adapter.readonly or adapter.deferrable:
        return
    adapter.autocommit = True  # isolation_level only: the connection's own setting is kept
    connection.info[_DEFERRED] = adapter


def _defer_begin_on(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _begin_before_a_write(conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, many: bool) -> None:
        if _DEFERRED not in conn.info:
            return
        if many or not is_pure_read(statement) or getattr(context, "_is_server_side", False):
            conn.info.pop(_DEFERRED).autocommit = False  # this statement begins the transaction

    @event.listens_for(engine.sync_engine, "checkin")
    def _restore(_dbapi_connection: Any, record: Any) -> None:
        adapter = record.info.pop(_DEFERRED, None)
        if adapter is not None:
            adapter.autocommit = False


SessionFactory = Callable[[], AsyncSession]


def make_session_factory(engine: AsyncEngine) -> SessionFactory:
    def factory() -> AsyncSession:
        return AsyncSession(engine, expire_on_commit=False)

    return factory


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    factory: SessionFactory = request.app.state.session_factory
    session = factory()
    session.info[LAZY_BEGIN] = True  # a request that only reads pays no BEGIN / COMMIT (_defer_begin)
    try:
        yield session
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    finally:
        await session.close()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_read_session(request: Request, main: SessionDep) -> AsyncIterator[AsyncSession]:
    """The session of a reporting route: one on DATABASE_READ_URL's engine when that is set (never
    committed: what a reporting route does is read), else the request's own session (one
    connection per request, as before)."""
    factory: SessionFactory | None = getattr(request.app.state, "read_session_factory", None)
    if factory is None:
        yield main
        return
    session = factory()
    try:
        yield session
    finally:
        await session.close()


ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]


# ---- a lost deadlock or serialisation check: replay the request once ------------------------------

RETRYABLE_SQLSTATES = {"40P01": "deadlock_detected", "40001": "serialization_failure"}
RETRY_MARKER = b"x-happyhome-retry-transaction"  # set by the error handler, never sent to the client


def retryable_sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a deadlock or serialisation failure behind ``exc`` (PostgreSQL), else None."""
    orig = getattr(exc, "orig", None)
    for candidate in (orig, getattr(orig, "__cause__", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if state in RETRYABLE_SQLSTATES:
            return state
    return None


class RetryOnConflictMiddleware:
    """The request's transaction is its unit of work: when it loses a deadlock or a serialisation
    check (the app's error handler answers 409 and marks the answer), the whole request is run once
    more on a fresh transaction (nothing of the first attempt was committed or sent: the outbox is
    in the transaction), and a second loss is the 409 ``concurrent_update`` the client sees.

    The request body is read first so that it can be replayed (the body-size limit runs outside)."""

    def __init__(self, app: Any, attempts: int = 2) -> None:
        self.app = app
        self.attempts = attempts

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body: list[dict] = []
        while True:
            message = await receive()
            body.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        for attempt in range(1, self.attempts + 1):
            if not await self._attempt(scope, body, receive, send, last=attempt == self.attempts):
                return

    async def _attempt(self, scope: Any, body: list[dict], receive: Any, send: Any, *, last: bool) -> bool:
        """Run the app once; True when it asked for a retry that this attempt swallowed."""
        pending = list(body)
        retry = False

        async def replay() -> dict:
            return pending.pop(0) if pending else await receive()

        async def relay(message: dict) -> None:
            nonlocal retry
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                marked = any(k.lower() == RETRY_MARKER for k, _ in headers)
                message["headers"] = [(k, v) for k, v in headers if k.lower() != RETRY_MARKER]
                retry = marked and not last
            if not retry:
                await send(message)

        await self.app(scope, replay, relay)
        return retry
