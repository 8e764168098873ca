"""Shared input types: trimmed text with length limits, photo URL lists, mainland mobile numbers,
and the register's phone numbers (mobiles and landlines)."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, Field, StringConstraints

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_ID = 2_147_483_647  # ids are 32-bit integers on every engine
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that change how text looks without being seen: C1 controls, bidi embeddings, overrides
# and isolates (a name that reads backwards, a title that hides a link), zero-width characters and
# the BOM, the line and paragraph separators (a break where no newline is shown).
HIDDEN_RE = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u200c\u2060\ufeff\u2028\u2029]")
ZWJ = "\u200d"  # joins emoji (👨‍👩‍👧); anywhere else it hides


def _emoji_side(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Mn") or "\ufe00" <= char <= "\ufe0f" or char >= "\U0001f000"


def hidden_character(value: str) -> str | None:
    """The first control or invisible formatting character in ``value``, or None."""
    m = CONTROL_RE.search(value) or HIDDEN_RE.search(value)
    if m:
        return m.group()
    for i, c in enumerate(value):
        if c == ZWJ and not (0 < i < len(value) - 1 and _emoji_side(value[i - 1]) and _emoji_side(value[i + 1])):
            return c
    return None


def _no_control_chars(value: str) -> str:
    found = hidden_character(value)
    if found is not None:
        raise ValueError(f"不能包含控制字符或不可见的格式字符（U+{ord(found):04X}，如零宽字符、文字方向控制符）")
    return value


# This service's own upload references: /uploads/<32 hex>.<ext> (UploadOut.ref). Older clients send
# UploadOut.url, the same path with ?exp=…&sig=…: the query is dropped. Any other URL (another host,
# http://127.0.0.1/…, a path of ours that is not an upload) is refused.
UPLOAD_REF_RE = re.compile(r"/uploads/[0-9a-f]{32}\.(?:jpg|png|webp|mp3|aac|m4a)")
_OWN_UPLOAD = re.compile(r"/uploads/([0-9a-f]{32})\.([a-z0-9]{3,4})(?:\?[^#\s]*)?")
PHOTO_EXTS = ("jpg", "png", "webp")
VOICE_EXTS = ("mp3", "aac", "m4a")


def upload_ref(value: str, exts: tuple[str, ...] = PHOTO_EXTS, what: str = "照片") -> str:
    m = _OWN_UPLOAD.fullmatch(value)
    if m is None or m.group(2) not in exts:
        raise ValueError(f"{what}须先上传到本服务，再填写上传返回的 ref（/uploads/…），不接受其他链接")
    return f"/uploads/{m.group(1)}.{m.group(2)}"


def _photo_url(value: str) -> str:
    return upload_ref(value)


def _voice_ref(value: str) -> str:
    return upload_ref(value, VOICE_EXTS, "语音")


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
VoiceRef = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_voice_ref)
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_phone)]
Reason = Text(1, 200)


# ---- the register's phone numbers: mobiles, and landlines with area code and extension ----------

REGISTER_PHONE_MAX = 24
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x)(\d{1,6})$", re.IGNORECASE)
_AREA = re.compile(r"^(010|02\d|0[3-9]\d{2})$")


def _area_split(digits: str) -> tuple[str, str]:
    """Area code and number of a landline written without a separator: 010 and 02x are the
    three-digit codes, every other code has four digits."""
    n = 3 if digits.startswith(("010", "02")) else 4
    return digits[:n], digits[n:]


def register_phone(text: str) -> str:
    """A phone of the household register in one written form: a mobile as its 11 digits
    (`+86 138-0000-0001` → `13800000001`), a landline as area code, number and extension
    (`(0546)812 3456 转 801` → `0546-8123456-801`). Raises ValueError with a Chinese reason."""
    compact = re.sub(r"\s", "", text).replace("－", "-").replace("（", "(").replace("）", ")")
    mobile = _MOBILE.match(re.sub(r"[-()]", "", compact))
    if mobile:
        return mobile.group(1)
    ext = None
    if m := _EXTENSION.search(compact):
        ext, compact = m.group(1), compact[: m.start()].rstrip("-")
    if m := re.fullmatch(r"\((0\d{2,3})\)(.*)", compact):
        area, rest = m.group(1), m.group(2).lstrip("-")
    elif "-" in compact and compact.startswith("0"):
        area, rest = compact.split("-", 1)
    else:
        area, rest = _area_split(compact)
    pieces = rest.split("-")
    if ext is None and len(pieces) > 1 and len(pieces[-1]) <= 6 and 7 <= len("".join(pieces[:-1])) <= 8:
        ext, pieces = pieces[-1], pieces[:-1]  # 0546-8123456-801: the last group is the extension
    number = "".join(pieces)
    if _AREA.match(area) and re.fullmatch(r"[2-9]\d{6,7}", number) and (ext is None or ext.isdigit()):
        return f"{area}-{number}" + (f"-{ext}" if ext else "")
    raise ValueError(f"联系电话 {text} 既不是11位手机号，也不是带区号的固定电话（如 0546-8123456 或 0546-8123456-801）")
