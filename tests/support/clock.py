"""Moving the application's clock to a moment in Asia/Shanghai."""

from __future__ import annotations

from datetime import datetime

from backend.kernel.clock import SHANGHAI, clock


def sh(*args) -> datetime:
    """A moment in Asia/Shanghai: sh(2026, 11, 10, 9, 30)."""
    return datetime(*args, tzinfo=SHANGHAI)


def set_now(*args) -> datetime:
    """Move the application's clock so that now is the given moment: an aware datetime, or the
    fields of one in Asia/Shanghai (set_now(2026, 11, 10, 9))."""
    target = args[0] if len(args) == 1 and isinstance(args[0], datetime) else sh(*args)
    clock.advance(target - clock.now())
    return target


def freeze_at(*args) -> datetime:
    """Stop the application's clock at the given moment (as set_now takes it): a timestamp a
    ledger test compares to the second cannot drift on a busy machine. The clock is reset after
    every test."""
    target = args[0] if len(args) == 1 and isinstance(args[0], datetime) else sh(*args)
    clock.freeze(target)
    return target
