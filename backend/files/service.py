"""Storing uploads, the daily quota, attaching them where they are used, and sweeping orphans.

An upload is an orphan until a photo or voice field refers to it (``attach``, called by the
services that save such fields); orphans older than ``ORPHAN_AFTER`` are deleted by the sweeper
(backend/worker.py), files and rows."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import anyio
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.files.media import Media
from backend.files.models import Upload
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.errors import InvalidInput, TooManyRequests
from backend.kernel.settings import Settings

log = logging.getLogger("backend.files")
ORPHAN_AFTER = timedelta(days=1)
SWEEP_BATCH = 500


def day_start(now: datetime) -> datetime:
    """Midnight in Asia/Shanghai of ``now``'s day, as an aware datetime."""
    local = now.astimezone(SHANGHAI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


async def check_quota(session: AsyncSession, user_id: int, quota: int) -> None:
    if quota <= 0:
        return
    count = await session.scalar(
        select(func.count()).where(Upload.user_id == user_id, Upload.created_at >= day_start(utcnow()))
    )
    if (count or 0) >= quota:
        raise TooManyRequests(f"今天已上传 {quota} 个文件，请明天再传", code="upload_quota")


async def store(session: AsyncSession, settings: Settings, user_id: int, media: Media) -> Upload:
    name = f"{secrets.token_hex(16)}.{media.ext}"
    directory = anyio.Path(settings.upload_dir)
    await directory.mkdir(parents=True, exist_ok=True)
    await (directory / name).write_bytes(media.data)
    upload = Upload(
        name=name,
        user_id=user_id,
        kind=media.kind,
        content_type=media.content_type,
        size=len(media.data),
        duration_ms=media.duration_ms,
    )
    session.add(upload)
    await session.flush()
    return upload


def name_of(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


async def attach(session: AsyncSession, refs: Iterable[str], *, strict: bool = True) -> set[str]:
    """Mark the uploads these references name as in use; returns the references that exist. With
    ``strict``, a reference to no upload of this service is a 422."""
    wanted = {name_of(r): r for r in refs}
    if not wanted:
        return set()
    found = set((await session.execute(select(Upload.name).where(Upload.name.in_(wanted)))).scalars())
    missing = [wanted[n] for n in wanted if n not in found]
    if missing and strict:
        raise InvalidInput(f"找不到上传的文件 {missing[0]}，请重新上传", code="unknown_upload")
    if found:
        await session.execute(
            update(Upload).where(Upload.name.in_(found), Upload.attached_at.is_(None)).values(attached_at=utcnow())
        )
    return {wanted[n] for n in found}


async def sweep_orphans(session: AsyncSession, settings: Settings) -> int:
    """Delete uploads nothing refers to that are older than a day (a batch per run)."""
    cutoff = utcnow() - ORPHAN_AFTER
    rows = (
        await session.execute(
            select(Upload.id, Upload.name)
            .where(Upload.attached_at.is_(None), Upload.created_at < cutoff)
            .order_by(Upload.created_at)
            .limit(SWEEP_BATCH)
        )
    ).all()
    if not rows:
        return 0
    gone = (
        await session.execute(
            delete(Upload)
            .where(Upload.id.in_([i for i, _ in rows]), Upload.attached_at.is_(None))  # not attached meanwhile
            .returning(Upload.name)
        )
    ).scalars()
    directory = anyio.Path(settings.upload_dir)
    names = list(gone)
    for name in names:
        try:
            await (directory / name).unlink(missing_ok=True)
        except OSError:
            log.warning("could not delete orphaned upload %s", name)
    return len(names)


async def attach_voice(session: AsyncSession, ref: str, claimed_seconds: int | None) -> int:
    """Attach a voice note; returns its length in whole seconds (1–60): the file's own, read at
    upload, else what the recorder said."""
    await attach(session, [ref])
    duration = await session.scalar(select(Upload.duration_ms).where(Upload.name == name_of(ref)))
    seconds = round(duration / 1000) if duration else (claimed_seconds or 1)
    return max(1, min(60, seconds))
