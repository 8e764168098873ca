"""Periodic sweeps: remind members of offers about to expire, expire unanswered offers, flag
overdue orders, auto-close unconfirmed completed wishes, the grid issues' clocks, the project tasks'
clocks (75% reminder, escalation when late) and the June/December review reminders, store the visit
facts of closed months for coverage (visits/month_facts.py), and delete uploads
nothing has referred to for a day. (The
WeChat outbox has its own worker: backend/notify/worker.py.) Started in-process by `make run`
(dev); `python -m backend.worker` runs it on its own.

Each sweep runs in a transaction of its own: one that fails is rolled back and logged, and the
others' work stays committed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from backend.deliberation import meetings as deliberation_meetings
from backend.files import service as files_service
from backend.flows import sweeps as wish_sweeps
from backend.issues import sweep as issue_sweep
from backend.kernel.db import SessionFactory, engine_from_settings, make_session_factory
from backend.kernel.settings import Settings, get_settings
from backend.projects import tasks as project_tasks
from backend.proposals import service as proposals_service
from backend.visits import month_facts
from backend.wishes import service as wishes_service

log = logging.getLogger("backend.worker")

Sweep = Callable[[AsyncSession, Settings], Awaitable[int | dict[str, int]]]


async def _remind(session: AsyncSession, settings: Settings) -> int:
    return await wish_sweeps.remind_expiring_offers(session, timedelta(hours=settings.notify_offer_reminder_hours))


async def _expire(session: AsyncSession, settings: Settings) -> int:
    return await wish_sweeps.expire_due_offers(session)


async def _overdue(session: AsyncSession, settings: Settings) -> int:
    return await wish_sweeps.flag_overdue_orders(session)


async def _auto_close(session: AsyncSession, settings: Settings) -> int:
    return await wishes_service.auto_close_due(session, timedelta(days=settings.confirm_ttl_days))


async def _issues(session: AsyncSession, settings: Settings) -> dict[str, int]:
    return await issue_sweep.sweep(session, settings)


async def _uploads(session: AsyncSession, settings: Settings) -> int:
    return await files_service.sweep_orphans(session, settings)


async def _deliberation_days(session: AsyncSession, settings: Settings) -> int:
    return await deliberation_meetings.plan_deliberation_days(session, settings)


async def _meeting_reminders(session: AsyncSession, settings: Settings) -> int:
    return await deliberation_meetings.remind_due(session)


async def _proposals_closed(session: AsyncSession, settings: Settings) -> int:
    return await proposals_service.close_due(session)


async def _project_tasks(session: AsyncSession, settings: Settings) -> dict[str, int]:
    return await project_tasks.sweep_tasks(session, settings)


async def _project_reviews(session: AsyncSession, settings: Settings) -> int:
    return await project_tasks.sweep_reviews(session, settings)


async def _visit_months(session: AsyncSession, settings: Settings) -> int:
    return await month_facts.fill_closed_months(session, settings)


# name → sweep, in the order they run; a result that is a dict is reported as name_key
SWEEPS: dict[str, Sweep] = {
    "offers_reminded": _remind,
    "offers_expired": _expire,
    "orders_overdue": _overdue,
    "wishes_auto_closed": _auto_close,
    "issues": _issues,
    "uploads_orphaned": _uploads,
    "deliberation_days_planned": _deliberation_days,
    "meetings_reminded": _meeting_reminders,
    "proposals_closed": _proposals_closed,
    "project_tasks": _project_tasks,
    "project_reviews_due": _project_reviews,
    "visit_months_stored": _visit_months,
}


async def run_sweep(session_factory: SessionFactory, settings: Settings, name: str, sweep: Sweep) -> dict[str, int]:
    """One sweep in its own transaction; a failure rolls back this sweep only and is logged."""
    try:
        async with session_factory() as session:
            result = await sweep(session, settings)
            await session.commit()
    except Exception:
        log.exception("sweep %s failed; the other sweeps go on", name)
        return {f"{name}_failed": 1}
    if isinstance(result, dict):
        return {f"{name}_{k}": v for k, v in result.items()}
    return {name: result}


async def sweep_once(
    session_factory: SessionFactory, settings: Settings, sweeps: dict[str, Sweep] | None = None
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, sweep in (sweeps or SWEEPS).items():
        counts.update(await run_sweep(session_factory, settings, name, sweep))
    return counts


async def run_forever(session_factory: SessionFactory, settings: Settings) -> None:
    while True:
        result = await sweep_once(session_factory, settings)
        if any(result.values()):
            log.info("sweep: %s", result)
        await asyncio.sleep(settings.worker_interval_seconds)


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    engine = engine_from_settings(settings)
    asyncio.run(run_forever(make_session_factory(engine), settings))


if __name__ == "__main__":
    main()
