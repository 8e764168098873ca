"""The rotating check-in code the organiser's phone shows as a QR code (scanned with wx.scanCode).

A code names the activity and a time window and is signed with HMAC-SHA256 under the app's
secret; it rotates every WINDOW and is accepted during its own window and the next one, so a
code photographed and passed round stops working within two minutes. Check-in is open from
OPENS_BEFORE the start until the end."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, InvalidInput

WINDOW = timedelta(seconds=60)
OPENS_BEFORE = timedelta(minutes=60)
_CODE = re.compile(r"^hh1\.(\d{1,10})\.(\d{1,12})\.([0-9a-f]{24})$")


def _window(at: datetime) -> int:
    return int(at.timestamp() // WINDOW.total_seconds())


def _sign(secret: str, activity_id: int, window: int) -> str:
    message = f"checkin:{activity_id}:{window}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:24]


def code_for(secret: str, activity_id: int, at: datetime | None = None) -> tuple[str, datetime]:
    """The code to show now, and when it stops being accepted."""
    window = _window(at or utcnow())
    expires = datetime.fromtimestamp((window + 2) * WINDOW.total_seconds(), tz=UTC)
    return f"hh1.{activity_id}.{window}.{_sign(secret, activity_id, window)}", expires


def verify(secret: str, activity_id: int, code: str, at: datetime | None = None) -> None:
    m = _CODE.match(code.strip())
    if not m or int(m[1]) != activity_id:
        raise InvalidInput("这不是本活动的签到码", code="invalid_code")
    window = int(m[2])
    if not hmac.compare_digest(_sign(secret, activity_id, window), m[3]):
        raise InvalidInput("签到码无效", code="invalid_code")
    now = _window(at or utcnow())
    if window not in (now, now - 1):
        raise Conflict("签到码已过期，请扫描组织者手机上的最新二维码", code="code_expired")


def require_open(start_at: datetime, end_at: datetime, at: datetime | None = None) -> None:
    now = at or utcnow()
    if now < start_at - OPENS_BEFORE:
        raise Conflict("还没到签到时间（活动开始前1小时开放）", code="checkin_not_open")
    if now > end_at:
        raise Conflict("活动已结束，不能签到", code="checkin_closed")
