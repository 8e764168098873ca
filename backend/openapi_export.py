"""`python -m backend.openapi_export [path]`: write the app's OpenAPI document (make openapi)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from backend.app import create_app
from backend.kernel.settings import ROOT, Settings

DEFAULT_PATH = ROOT / "openapi" / "openapi.json"


def render() -> str:
    app = create_app(
        Settings(
            app_env="test",
            database_url="sqlite+aiosqlite:///:memory:",
            wechat_api_base="http://127.0.0.1:9",
            demo_data=False,
            run_worker=False,
        )
    )
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
