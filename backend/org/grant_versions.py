"""Every change to a user's role grants bumps `user.grants_version`, in the same transaction, from
one place: two session events on every SQLAlchemy Session (so on every AsyncSession too), not each
service that writes a grant. A cached Principal is keyed by (user, token_version, grants_version)
(backend/auth/deps.py), so a grant given, taken away or moved to another scope counts on the very
next request in every worker.

- `before_flush`: RoleGrant rows added, deleted or changed through the unit of work
  (`session.add(RoleGrant(...))`, `org.service.grant`, `session.delete(grant)`, `grant.scope_id = …`).
- `do_orm_execute`: statements on the rolegrant table run through a session
  (`session.execute(delete(RoleGrant).where(...))`, `update(...)`, `insert(...)`).

SQL sent past the ORM (a Core connection, asyncpg, COPY in backend/scale/seed.py) must bump the
column itself; a brand-new database has no cached principals, which is why the seed needs not.

The user table is named here, not imported: backend.directory sits above backend.org."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Delete, Insert, Update, column, event, select, table, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.orm.attributes import get_history

from backend.org.models import RoleGrant

_user = table("user", column("id"), column("grants_version"))
_grants = RoleGrant.__table__


def _bump_statement(user_ids: Any):
    """UPDATE user SET grants_version = grants_version + 1 WHERE id IN (user_ids: values or a select)."""
    return update(_user).where(_user.c.id.in_(user_ids)).values(grants_version=_user.c.grants_version + 1)


def _bump(session: Session, user_ids: Iterable[int | None]) -> None:
    ids = sorted({i for i in user_ids if i is not None})  # sorted: concurrent bumps lock rows in one order
    if ids:
        session.execute(_bump_statement(ids))


@event.listens_for(Session, "before_flush")
def _grants_flushed(session: Session, _flush_context: UOWTransaction, _instances: Any) -> None:
    touched: list[int | None] = []
    for obj in session.new:
        if isinstance(obj, RoleGrant):
            touched.append(obj.user_id)
    for obj in session.deleted:
        if isinstance(obj, RoleGrant):
            touched.extend(get_history(obj, "user_id").sum() or [obj.user_id])
    for obj in session.dirty:
        if isinstance(obj, RoleGrant) and session.is_modified(obj, include_collections=False):
            touched.extend(get_history(obj, "user_id").sum())  # the old holder and the new one
    # session.execute here does not flush again (the session is flushing); the UPDATE runs inside the
    # flush's transaction or savepoint, so a failed insert (a concurrent grant) takes the bump back too
    _bump(session, touched)


def _targets_grants(statement: Any) -> bool:
    target = getattr(statement, "table", None)
    return target is not None and getattr(target, "name", None) == _grants.name


def _inserted_user_ids(state: ORMExecuteState) -> list[Any]:
    statement: Insert = state.statement  # type: ignore[assignment]
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    ids = [row.get("user_id") for row in rows if isinstance(row, dict)]
    values = getattr(statement, "_values", None) or {}
    for key, value in values.items():
        if getattr(key, "key", key) == "user_id":
            ids.append(getattr(value, "value", value))
    for row in getattr(statement, "_multi_values", ()) or ():
        for entry in row:
            if isinstance(entry, dict):
                ids.extend(getattr(v, "value", v) for k, v in entry.items() if getattr(k, "key", k) == "user_id")
    return ids


@event.listens_for(Session, "do_orm_execute")
def _grants_executed(state: ORMExecuteState) -> None:
    statement = state.statement
    if not isinstance(statement, Insert | Update | Delete) or not _targets_grants(statement):
        return
    session = state.session
    if isinstance(statement, Insert):
        ids = [] if statement.select is not None else _inserted_user_ids(state)
        if not ids or any(not isinstance(i, int) for i in ids):  # INSERT … SELECT, or bound expressions
            raise NotImplementedError(
                "a rolegrant insert whose user ids are not plain values: bump user.grants_version"
            )
        _bump(session, ids)
        return
    if isinstance(statement, Update) and any(
        getattr(k, "key", k) == "user_id" for k in (getattr(statement, "_values", None) or {})
    ):
        raise NotImplementedError("moving role grants to another user: delete them and grant anew")
    # UPDATE / DELETE: the holders of the rows the statement matches, bumped before they change
    holders = select(_grants.c.user_id)
    if statement.whereclause is not None:
        holders = holders.where(statement.whereclause)
    session.execute(_bump_statement(holders))
