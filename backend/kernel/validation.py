"""Shared input types: trimmed text with length limits, photo URL lists, mainland mobile numbers."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, Field, StringConstraints

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_ID = 2_147_483_647  # ids are 32-bit integers on every engine
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_chars(value: str) -> str:
    if CONTROL_RE.search(value):
        raise ValueError("不能包含控制字符")
    return value


def _photo_url(value: str) -> str:
    if not (value.startswith("https://") or value.startswith("http://") or value.startswith("/uploads/")):
        raise ValueError("照片地址须为 http(s) 链接或 /uploads/ 下的上传文件")
    return value


def _phone(value: str) -> str:
    if not PHONE_RE.match(value):
        raise ValueError("请输入11位中国大陆手机号")
    return value


def Text(min_length: int = 0, max_length: int = 500):  # noqa: N802 - reads like a type
    """Trimmed text of bounded length without control characters (newlines and tabs are fine)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_control_chars),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


PhotoUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_photo_url)
]
Photos = Annotated[list[PhotoUrl], Field(max_length=9)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_phone)]
Reason = Text(1, 200)
