"""What an uploaded file is, made safe to store (synchronous: run in a worker thread).

- photos (JPEG, PNG, WebP, recognised by content) are decoded and re-encoded with Pillow, so that
  nothing but the pixels and the orientation survives: no EXIF GPS position of a doorway, no
  camera serial, no comment, no trailing bytes. Pictures over ``MAX_PIXELS`` are refused;
- voice notes (MP3, AAC, M4A) are kept as recorded; their duration is read from the file
  (mutagen) and must be at most ``MAX_VOICE_MS``.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import filetype
from mutagen import MutagenError
from mutagen.aac import AAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from PIL import Image, UnidentifiedImageError

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
VOICE_TYPES = {"audio/mpeg": "mp3", "audio/aac": "aac", "audio/mp4": "m4a", "audio/m4a": "m4a"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "mp3": "audio/mpeg",
                 "aac": "audio/aac", "m4a": "audio/mp4"}  # fmt: skip
MAX_PIXELS = 40_000_000  # 8,000 × 5,000; a phone's 200 MP mode is downscaled on the phone first
MAX_VOICE_MS = 60_000
VOICE_SLACK_MS = 1_500  # recorders stop a frame or two after the limit
ORIENTATION = 0x0112
_READERS = {"mp3": MP3, "aac": AAC, "m4a": MP4}


class MediaRefused(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Media:
    kind: str  # photo | voice
    ext: str
    content_type: str
    data: bytes
    duration_ms: int | None = None


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, ext) from the content, or None."""
    guess = filetype.guess(data)
    if guess is None:
        return None
    if guess.mime in PHOTO_TYPES:
        return "photo", PHOTO_TYPES[guess.mime]
    if guess.mime in VOICE_TYPES:
        return "voice", VOICE_TYPES[guess.mime]
    return None


def clean_photo(data: bytes, ext: str) -> bytes:
    """The picture re-encoded in its own format, with only its orientation tag kept."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise MediaRefused("image_too_large", "图片像素过大，请压缩后再上传")
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:  # fmt: skip
        raise MediaRefused("unreadable_image", "图片无法读取，请重新拍摄或选择其他图片") from exc
    exif = Image.Exif()
    orientation = image.getexif().get(ORIENTATION)
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    if ext == "jpg":
        image = image if image.mode in ("RGB", "L", "CMYK") else image.convert("RGB")
        image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    elif ext == "png":
        image.save(out, "PNG", exif=exif.tobytes() if orientation else None)
    else:
        image.save(out, "WEBP", quality=90, exif=exif.tobytes() if orientation else b"")
    return out.getvalue()


def voice_duration_ms(data: bytes, ext: str) -> int:
    try:
        audio = _READERS[ext](io.BytesIO(data))
        seconds = float(audio.info.length)
    except (MutagenError, KeyError, ValueError, AttributeError, EOFError) as exc:
        raise MediaRefused("unreadable_audio", "语音无法读取，请重新录制") from exc
    if not seconds > 0:
        raise MediaRefused("unreadable_audio", "语音无法读取，请重新录制")
    return round(seconds * 1000)


def prepare(data: bytes, *, voice_max_bytes: int) -> Media:
    """The file as it will be stored, or MediaRefused with a Chinese reason."""
    found = sniff(data)
    if found is None:
        raise MediaRefused("unsupported_file_type", "只支持 JPG、PNG 或 WebP 图片，以及 MP3、AAC、M4A 语音")
    kind, ext = found
    if kind == "photo":
        return Media("photo", ext, CONTENT_TYPES[ext], clean_photo(data, ext))
    if len(data) > voice_max_bytes:
        raise MediaRefused("voice_too_large", f"语音不能超过 {voice_max_bytes // (1024 * 1024)} MB")
    duration = voice_duration_ms(data, ext)
    if duration > MAX_VOICE_MS + VOICE_SLACK_MS:
        raise MediaRefused("voice_too_long", f"语音不能超过 {MAX_VOICE_MS // 1000} 秒")
    return Media("voice", ext, CONTENT_TYPES[ext], data, min(duration, MAX_VOICE_MS))
