"""Periodic sweeps: remind members of offers about to expire, expire unanswered offers, auto-close
unconfirmed completed wishes. (The WeChat outbox has its own worker: backend/notify/worker.py.)
Started in-process by `make run` (dev); `python -m backend.worker` runs it on its own."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from backend.kernel.db import SessionFactory, engine_from_settings, make_session_factory
from backend.kernel.settings import Settings, get_settings

log = logging.getLogger("backend.worker")


async def sweep_once(session_factory: SessionFactory, settings: Settings) -> dict[str, int]:
    from backend.dispatch import service as dispatch_service
    from backend.notify import service as notify_service
    from backend.wishes import service as wishes_service

    async with session_factory() as session:
        reminded = await notify_service.remind_expiring_offers(
            session, timedelta(hours=settings.notify_offer_reminder_hours)
        )
        expired = await dispatch_service.expire_due_offers(session)
        overdue = await dispatch_service.flag_overdue_orders(session)
        closed = await wishes_service.auto_close_due(session, timedelta(days=settings.confirm_ttl_days))
        from backend.issues import service as issues_service  # escalation clocks

        issues = await issues_service.sweep(session, settings)
        await session.commit()
    return {
        "offers_reminded": reminded,
        "offers_expired": expired,
        "orders_overdue": overdue,
        "wishes_auto_closed": closed,
        **{f"issues_{k}": v for k, v in issues.items()},
    }


async def run_forever(session_factory: SessionFactory, settings: Settings) -> None:
    while True:
        try:
            result = await sweep_once(session_factory, settings)
            if any(result.values()):
                log.info("sweep: %s", result)
        except Exception:  # keep sweeping; the next round retries
            log.exception("sweep failed")
        await asyncio.sleep(settings.worker_interval_seconds)


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    engine = engine_from_settings(settings)
    asyncio.run(run_forever(make_session_factory(engine), settings))


if __name__ == "__main__":
    main()
