"""`python -m backend`: apply migrations, then serve the API (with the fake WeChat and demo data in dev)."""

from __future__ import annotations

import uvicorn

from backend.kernel.settings import get_settings
from backend.migrate import upgrade_head
from backend.ops.middleware import configure_logging


def main() -> None:
    settings = get_settings()
    configure_logging(settings.effective_log_format)
    upgrade_head(settings.database_url)
    uvicorn.run("backend.app:create_app", factory=True, host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
