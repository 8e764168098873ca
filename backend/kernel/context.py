"""The request context routes depend on: the settings of the running app.

Routes take `settings: SettingsDep` instead of reading `request.app.state.settings`, so the one
place that knows where settings live is here (tests build apps with their own Settings)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from backend.kernel.settings import Settings


async def app_settings(request: Request) -> Settings:
    # async: FastAPI runs a plain `def` dependency in a worker thread, a thread hop per request
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
