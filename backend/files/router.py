"""Photo uploads: jpeg, png or webp recognised by their content, at most UPLOAD_MAX_BYTES."""

from __future__ import annotations

import secrets

import anyio
import filetype
from fastapi import APIRouter, UploadFile
from pydantic import BaseModel

from backend.auth.deps import CurrentUser
from backend.kernel.context import SettingsDep
from backend.kernel.errors import InvalidInput, PayloadTooLarge

router = APIRouter(prefix="/api/v1", tags=["files"])
ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class UploadOut(BaseModel):
    url: str
    content_type: str
    size: int


@router.post(
    "/uploads",
    status_code=201,
    response_model=UploadOut,
    summary="Upload a photo (any logged-in user); returns a URL to use in photos fields",
)
async def upload(file: UploadFile, settings: SettingsDep, _: CurrentUser) -> UploadOut:
    limit = settings.upload_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"图片不能超过 {limit // (1024 * 1024)} MB", code="file_too_large")
    if not data:
        raise InvalidInput("上传的文件是空的", code="empty_file")
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED:
        raise InvalidInput("只支持 JPG、PNG 或 WebP 图片", code="unsupported_file_type")
    name = f"{secrets.token_hex(16)}.{ALLOWED[kind.mime]}"
    directory = anyio.Path(settings.upload_dir)
    await directory.mkdir(parents=True, exist_ok=True)
    await (directory / name).write_bytes(data)
    return UploadOut(url=f"/uploads/{name}", content_type=kind.mime, size=len(data))
