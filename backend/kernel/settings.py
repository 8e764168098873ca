"""Application settings (pydantic-settings).

Everything comes from the environment or `.env`. Safe by default: without APP_ENV the app runs as
production, and refuses to start while a secret is missing, guessable or still a dev placeholder
(it names the setting); /docs, /redoc, /openapi.json and /metrics are off there unless enabled.
`make run` (backend/__main__.py) and the tests say APP_ENV=dev / test themselves, and in dev every
setting has a working default so that `make run` needs nothing.
"""

from __future__ import annotations

import ipaddress
import math
import zlib
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]  # the repository
DEV_JWT_SECRET = "dev-only-secret-do-not-use-in-production-000"
DEV_WECHAT_APPID = "wx-dev-appid"
DEV_WECHAT_SECRET = "dev-wechat-secret"


MIN_SECRET_BITS = 128


class UnsafeSettings(RuntimeError):
    """Raised at start-up when a production setting is missing or unsafe."""


def entropy_bits(secret: str) -> float:
    """An upper estimate of a secret's entropy from the secret itself: the smaller of length × the
    Shannon entropy of its characters (32 × ``a``: 0 bits) and its deflated size in bits (a repeated
    pattern such as ``0123456789`` × 4: ~100). ``secrets.token_urlsafe(32)`` gives ~220."""
    if not secret:
        return 0.0
    n = len(secret)
    shannon = n * -sum(c / n * math.log2(c / n) for c in Counter(secret).values())
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: no header or checksum to count
    packed = len(deflate.compress(secret.encode()) + deflate.flush()) - 2  # ~2 bytes of block framing
    return min(shannon, packed * 8.0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    app_env: Literal["dev", "prod", "test"] = "prod"  # safe by default; `make run` and the tests say dev/test
    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = f"sqlite+aiosqlite:///{ROOT / 'var' / 'happyhome.db'}"
    # reporting routes (figures, ledgers, airing reads, visit coverage) read through this one, e.g.
    # a PostgreSQL replica; empty: the main database. Its sessions run read-only transactions.
    database_read_url: str = ""
    # PostgreSQL connections per worker process: keep db_pool_size at the concurrency one worker
    # serves (overflow connections are opened and closed per burst), and
    # (db_pool_size + db_max_overflow) × workers below the server's max_connections.
    db_pool_size: int = Field(10, ge=1, le=200)
    db_max_overflow: int = Field(10, ge=0, le=200)
    sql_echo: bool = False
    # the caller's role grants kept per worker for this long (0: read them on every request). The
    # entry is keyed by the user's token_version and grants_version, both read from the user's row on
    # every request, so a logout or any grant given, taken away or re-scoped counts at once whatever
    # this says; the TTL only bounds how long an idle entry stays in memory
    principal_cache_seconds: float = Field(60.0, ge=0, le=300)

    jwt_secret: str = DEV_JWT_SECRET
    jwt_ttl_seconds: int = 7 * 24 * 3600

    wechat_appid: str = DEV_WECHAT_APPID
    wechat_secret: str = DEV_WECHAT_SECRET
    # Base URL of the WeChat API. Empty in dev means the in-process fake at /fake-wechat.
    wechat_api_base: str = ""
    fake_wechat: bool | None = None  # default: on in dev/test, off in prod
    # Bearer token for the control routes (/_sent, /_control …) of the fake mounted at /fake-wechat;
    # unset: a random one per start (`make run` prints it).
    fake_wechat_token: str | None = None
    redis_url: str | None = None

    upload_dir: Path = ROOT / "var" / "uploads"
    upload_max_bytes: int = 5 * 1024 * 1024
    upload_daily_quota: int = Field(100, ge=0)  # uploads per user per day (Asia/Shanghai); 0: no limit
    upload_url_ttl_seconds: int = Field(3600, ge=60, le=7 * 24 * 3600)  # signed URLs of photos and voice notes
    voice_max_bytes: int = Field(2 * 1024 * 1024, ge=1024)

    offer_ttl_hours: float = Field(24.0, gt=0)
    confirm_ttl_days: float = Field(7.0, gt=0)
    max_open_orders: int = 3
    order_due_days: float = Field(7.0, gt=0)  # accepted → completed within this, else the branch is told
    worker_interval_seconds: float = 30.0
    run_worker: bool | None = None  # default: on in dev
    demo_data: bool | None = None  # default: on in dev (only loads into an empty database)

    # grid work (backend/households, backend/visits)
    care_tags: list[str] = ["独居老人", "高龄", "残疾", "低保", "退役军人", "党员户", "租户"]
    care_tag_cycle_days: dict[str, int] = {"独居老人": 7, "高龄": 14, "残疾": 14}  # shorter visit cycles
    visit_cycle_days: int = Field(30, ge=1, le=366)  # a grid's default cycle (the monthly 扣门行动)
    visit_max_age_days: int = Field(30, ge=1, le=366)  # offline visits older than this are refused
    household_import_max_rows: int = Field(5000, ge=1)
    household_import_max_unzipped_bytes: int = Field(20 * 1024 * 1024, ge=1024)  # all the .xlsx's parts, inflated
    household_import_seconds: float = Field(10.0, gt=0)  # reading a sheet stops itself after this
    # a member's sight of a requester's name, phone and room ends this long after completing the order
    contact_access_days: int = Field(7, ge=1, le=365)

    # notifications (backend/notify): WeChat subscribe messages through the outbox
    # NOTIFY_TEMPLATE_IDS='{"wish_review": "<WeChat template id>", ...}' (names in backend/notify/templates.py);
    # an unset name uses "dev-<name>" while the fake WeChat is on, and is sent to the inbox only otherwise.
    notify_template_ids: dict[str, str] = Field(default_factory=dict)
    # event -> page, e.g. "pages/wish/detail/detail?id={wish_id}"
    notify_pages: dict[str, str] = Field(default_factory=dict)
    notify_miniprogram_state: Literal["developer", "trial", "formal"] = "formal"
    notify_max_attempts: int = Field(5, ge=1)
    notify_backoff_base_seconds: float = Field(10.0, ge=0)
    notify_backoff_max_seconds: float = Field(3600.0, ge=0)
    notify_batch_size: int = Field(50, ge=1)
    notify_concurrency: int = Field(8, ge=1)
    notify_poll_seconds: float = Field(1.0, gt=0)
    notify_lease_seconds: float = Field(120.0, gt=0)
    notify_offer_reminder_hours: float = Field(2.0, ge=0)

    # escalation (backend/issues, backend/workcal): 网格吹哨、街社报到 deadline clocks in working time
    work_hours: list[str] = ["08:30-12:00", "13:30-17:30"]  # Asia/Shanghai, on working days
    work_weekdays: list[int] = [0, 1, 2, 3, 4]  # Monday=0; the holiday table (workcalendarday) overrides
    issue_response_minutes_urgent: int = Field(30, ge=1)  # working minutes
    issue_response_minutes_normal: int = Field(120, ge=1)
    issue_disposal_working_days: float = Field(3.0, gt=0)  # default; per category in issuepolicy
    issue_reminder_fraction: float = Field(0.75, gt=0, lt=1)  # remind when this share of a clock is used
    issue_confirm_ttl_days: float = Field(7.0, gt=0)  # resolved, unrated: auto-confirmed (never satisfied)
    # the grid's own disposal clock: an issue the grid holds (open, or returned to it) this many
    # working days after it was raised is overdue in the backlog and the ledger (backend/stats/backlog)
    issue_grid_disposal_working_days: float = Field(5.0, gt=0)
    issue_grid_disposal_working_days_urgent: float = Field(1.0, gt=0)
    # airing (晾晒): a quarter is published only once it has ended and this many days have passed, so
    # that wishes finished late in the quarter are confirmed (confirm_ttl_days) and back-filled
    airing_window_days: float = Field(7.0, ge=0)

    # co-governance (backend/proposals, backend/deliberation): 社区提案、党群议事日
    joint_proposal_min_households: int = Field(5, ge=1)  # a joint proposal's co-signing households
    proposal_notice_days: int = Field(7, ge=1)  # 公示 period of a proposal's result
    key_projects_per_year: int = Field(4, ge=1)  # 每个小区每年落实重点项目4项以上: a plan below this is refused

    # limits (issue: district scale)
    max_body_bytes: int = 1024 * 1024
    rate_login_per_minute: int = 60  # per client address
    rate_wish_per_user_hour: int = 20
    rate_wish_per_ip_hour: int = 300
    # proxies whose X-Forwarded-For / X-Real-IP is believed (addresses or networks, e.g. ["10.0.0.0/8"]);
    # empty: the TCP peer is the client (backend/kernel/ratelimit.py)
    trusted_proxies: list[str] = []

    # operations
    log_format: Literal["text", "json"] | None = None  # default: json in prod, text otherwise
    metrics_token: str | None = None
    # /docs, /redoc and /openapi.json; /metrics (which then needs METRICS_TOKEN in prod). Default: on
    # outside prod, off in prod.
    api_docs: bool | None = None
    metrics_enabled: bool | None = None

    @property
    def effective_log_format(self) -> str:
        return self.log_format or ("json" if self.app_env == "prod" else "text")

    @property
    def is_dev(self) -> bool:
        return self.app_env == "dev"

    @property
    def fake_wechat_enabled(self) -> bool:
        return self.fake_wechat if self.fake_wechat is not None else self.app_env != "prod"

    @property
    def worker_enabled(self) -> bool:
        return self.run_worker if self.run_worker is not None else self.is_dev

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.app_env != "prod"

    @property
    def metrics_served(self) -> bool:
        return self.metrics_enabled if self.metrics_enabled is not None else self.app_env != "prod"

    @property
    def demo_enabled(self) -> bool:
        return self.demo_data if self.demo_data is not None else self.is_dev

    @property
    def effective_wechat_api_base(self) -> str:
        if self.wechat_api_base:
            return self.wechat_api_base.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}/fake-wechat"

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError as exc:
                raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an address or network") from exc
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.app_env != "prod":
            return self
        problems = []
        if len(self.jwt_secret) < 32 or self.jwt_secret == DEV_JWT_SECRET:
            problems.append("JWT_SECRET must be set to a random string of at least 32 characters")
        elif entropy_bits(self.jwt_secret) < MIN_SECRET_BITS:
            problems.append(
                f"JWT_SECRET must carry at least {MIN_SECRET_BITS} bits of entropy (it repeats too few characters); "
                "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        if self.metrics_enabled and not self.metrics_token:
            problems.append("METRICS_TOKEN must be set when METRICS_ENABLED is on in production")
        if not self.wechat_appid or self.wechat_appid == DEV_WECHAT_APPID:
            problems.append("WECHAT_APPID must be the mini-program's real appid")
        if not self.wechat_secret or self.wechat_secret == DEV_WECHAT_SECRET:
            problems.append("WECHAT_SECRET must be the mini-program's real secret")
        if self.fake_wechat:
            problems.append("FAKE_WECHAT must be off in production")
        if not self.wechat_api_base:
            self.wechat_api_base = "https://api.weixin.qq.com"
        if problems:
            raise UnsafeSettings("refusing to start with APP_ENV=prod: " + "; ".join(problems))
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
