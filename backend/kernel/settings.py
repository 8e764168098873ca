"""Application settings (pydantic-settings).

Everything comes from the environment or `.env`. In dev mode (the default) every setting has a
working default so that `make run` needs nothing; outside dev mode the app refuses to start
while a secret is missing or still a dev placeholder, and names the setting.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]  # the repository
DEV_JWT_SECRET = "dev-only-secret-do-not-use-in-production-000"
DEV_WECHAT_APPID = "wx-dev-appid"
DEV_WECHAT_SECRET = "dev-wechat-secret"


class UnsafeSettings(RuntimeError):
    """Raised at start-up when a production setting is missing or unsafe."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    app_env: Literal["dev", "prod", "test"] = "dev"
    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = f"sqlite+aiosqlite:///{ROOT / 'var' / 'happyhome.db'}"
    # PostgreSQL connections per worker process: keep db_pool_size at the concurrency one worker
    # serves (overflow connections are opened and closed per burst), and
    # (db_pool_size + db_max_overflow) × workers below the server's max_connections.
    db_pool_size: int = Field(10, ge=1, le=200)
    db_max_overflow: int = Field(10, ge=0, le=200)
    sql_echo: bool = False

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

    # co-governance (backend/proposals, backend/deliberation): 社区提案、党群议事日
    joint_proposal_min_households: int = Field(5, ge=1)  # a joint proposal's co-signing households
    proposal_notice_days: int = Field(7, ge=1)  # 公示 period of a proposal's result

    # limits (issue: district scale)
    max_body_bytes: int = 1024 * 1024
    rate_login_per_minute: int = 60  # per client address
    rate_wish_per_user_hour: int = 20
    rate_wish_per_ip_hour: int = 300

    # operations
    log_format: Literal["text", "json"] | None = None  # default: json in prod, text otherwise
    metrics_token: str | None = None

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
    def demo_enabled(self) -> bool:
        return self.demo_data if self.demo_data is not None else self.is_dev

    @property
    def effective_wechat_api_base(self) -> str:
        if self.wechat_api_base:
            return self.wechat_api_base.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}/fake-wechat"

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.app_env != "prod":
            return self
        problems = []
        if len(self.jwt_secret) < 32 or self.jwt_secret == DEV_JWT_SECRET:
            problems.append("JWT_SECRET must be set to a random string of at least 32 characters")
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
