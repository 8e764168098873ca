"""`make demo-loop` (scripts/demo-loop.sh, the README's walkthrough) runs as written against a live
server started as `make run` starts it."""

from __future__ import annotations

import os
import shutil
import subprocess

import httpx
import pytest

from backend.kernel.settings import ROOT
from tests.support.live import free_port as _free_port
from tests.support.live import start_backend as _start
from tests.support.live import stop_backend as _stop


@pytest.mark.skipif(shutil.which("curl") is None or shutil.which("bash") is None, reason="needs bash and curl")
def test_demo_loop_script_runs_the_core_loop(tmp_path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "WECHAT_", "APP_ENV", "FAKE_"))},
        "APP_ENV": "dev",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'loop.db'}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "RUN_WORKER": "false",
    }
    api = f"http://127.0.0.1:{port}/api/v1"
    proc = _start(env)
    try:
        run = subprocess.run(
            ["make", "--no-print-directory", "demo-loop", f"DEMO_API={api}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        out = run.stdout
        assert "✓ 闭环走完" in out and "最终状态：已完成，评分 5" in out, out
        wish = int(out.split("心愿编号 WISH=")[1].split()[0])
        token = httpx.post(f"{api}/auth/wechat", json={"code": "demo-resident"}).json()["access_token"]
        detail = httpx.get(f"{api}/wishes/{wish}", headers={"Authorization": f"Bearer {token}"}).json()
        assert detail["status"] == "closed" and detail["rating"] == 5 and detail["title"] == "厨房水龙头漏水"
        assert [e["type"] for e in detail["events"]][0] == "created"

        # against nothing, it says so and fails
        dead = subprocess.run(
            ["bash", "scripts/demo-loop.sh", f"http://127.0.0.1:{_free_port()}/api/v1"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert dead.returncode != 0 and "无法连接" in dead.stderr
    finally:
        _stop(proc)
