"""Uploads: photos (JPEG, PNG, WebP, re-encoded without EXIF) and voice notes (MP3, AAC, M4A, at most
60 s), recognised by their content; served back only through signed, short-lived URLs."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from backend.auth.deps import CurrentUser
from backend.files import media, service
from backend.files.signing import SignedUrl, Signer
from backend.kernel.clock import utcnow
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import DomainError, InvalidInput, NotFound, PayloadTooLarge

router = APIRouter(prefix="/api/v1", tags=["files"])
serving = APIRouter(tags=["files"])


class UploadOut(BaseModel):
    url: SignedUrl = Field(description="a signed URL to show the file with (valid UPLOAD_URL_TTL_SECONDS)")
    ref: str = Field(description="what to send in photos / voice fields: /uploads/<name>")
    content_type: str
    size: int
    kind: str = Field(description="photo | voice")
    duration_ms: int | None = Field(description="voice notes: the recording's length")


class LinkRefused(DomainError):
    status_code = 403
    code = "link_invalid"


@router.post(
    "/uploads",
    status_code=201,
    response_model=UploadOut,
    summary="Upload a photo or a voice note (any logged-in user, UPLOAD_DAILY_QUOTA a day); returns its ref "
    "for photos / voice fields and a signed URL",
)
async def upload(file: UploadFile, settings: SettingsDep, session: SessionDep, principal: CurrentUser) -> UploadOut:
    limit = settings.upload_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"图片不能超过 {limit // (1024 * 1024)} MB", code="file_too_large")
    if not data:
        raise InvalidInput("上传的文件是空的", code="empty_file")
    await service.check_quota(session, principal.id, settings.upload_daily_quota)
    try:
        prepared = await anyio.to_thread.run_sync(lambda: media.prepare(data, voice_max_bytes=settings.voice_max_bytes))
    except media.MediaRefused as exc:
        raise InvalidInput(exc.detail, code=exc.code) from exc
    stored = await service.store(session, settings, principal.id, prepared)
    ref = f"/uploads/{stored.name}"
    return UploadOut(
        url=ref,
        ref=ref,
        content_type=stored.content_type,
        size=stored.size,
        kind=stored.kind,
        duration_ms=stored.duration_ms,
    )


NamePath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}\.(jpg|png|webp|mp3|aac|m4a)$")]


@serving.get(
    "/uploads/{name}",
    response_class=FileResponse,
    summary="An uploaded file, through the signed URL a response carried (no login: <image> sends no header)",
)
async def serve(
    request: Request,
    name: NamePath,
    settings: SettingsDep,
    exp: Annotated[str | None, Query(max_length=12)] = None,
    sig: Annotated[str | None, Query(max_length=64)] = None,
) -> FileResponse:
    signer: Signer = request.app.state.upload_signer
    ok = signer.valid(f"/uploads/{name}", exp, sig)
    if ok is None:
        raise LinkRefused("图片或语音链接无效，请刷新页面后再看", code="link_invalid")
    if ok is False:
        raise LinkRefused("图片或语音链接已过期，请刷新页面后再看", code="link_expired")
    path = anyio.Path(settings.upload_dir) / name
    if not await path.is_file():
        raise NotFound("文件不存在或已删除", code="upload_not_found")
    left = max(0, int(exp or 0) - int(utcnow().timestamp()))
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": f"private, max-age={left}"}
    ext = name.rsplit(".", 1)[1]
    return FileResponse(str(path), media_type=media.CONTENT_TYPES[ext], headers=headers)
