"""Placing and approving wishes, and reading their timelines."""

from __future__ import annotations

NEW_WISH = {"title": "厨房水龙头漏水", "description": "关不紧，一直滴水", "category": "repair"}


async def place(api, who="demo-resident", **overrides) -> dict:
    return await api.ok("POST", "/api/v1/wishes", who, status=201, json={**NEW_WISH, **overrides})


async def approve(api, wish_id: int) -> dict:
    return await api.ok("POST", f"/api/v1/wishes/{wish_id}/review", "demo-dispatcher", json={"decision": "approve"})


async def member_id(api, code: str) -> int:
    return (await api.ok("GET", "/api/v1/me", code))["id"]


def statuses(wish: dict) -> list[str]:
    return [e["to_status"] for e in wish["events"]]
