"""Recording the SQL statements an engine runs (the query-count guards)."""

from __future__ import annotations

from sqlalchemy import event


class Statements:
    """`with Statements(engine) as seen:` … `seen.texts`: every statement run meanwhile, in order."""

    def __init__(self, engine) -> None:
        self.engine = engine.sync_engine
        self.texts: list[str] = []

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, _conn, _cursor, statement, *_args) -> None:
        self.texts.append(" ".join(statement.split()))

    def reading(self, table: str) -> list[str]:
        """The statements that read `table` (FROM or JOIN it, by its name)."""
        words = (f"FROM {table} ", f"JOIN {table} ", f'FROM "{table}" ', f'JOIN "{table}" ')
        return [t for t in self.texts if any(w in t + " " for w in words)]
