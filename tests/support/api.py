"""Calling the API as demo users, and checking the error shape of a refusal."""

from __future__ import annotations

import httpx


class Api:
    """Logs in demo users through the real WeChat login and calls the API as them."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client
        self.tokens: dict[str, str] = {}

    async def login(self, code: str) -> dict:
        r = await self.client.post("/api/v1/auth/wechat", json={"code": code})
        assert r.status_code == 200, r.text
        self.tokens[code] = r.json()["access_token"]
        return r.json()

    async def headers(self, who: str | None) -> dict:
        if who is None:
            return {}
        if who not in self.tokens:
            await self.login(who)
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def call(self, method: str, path: str, who: str | None = None, **kwargs) -> httpx.Response:
        headers = {**(await self.headers(who)), **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def get(self, path, who=None, **kw):
        return await self.call("GET", path, who, **kw)

    async def post(self, path, who=None, **kw):
        return await self.call("POST", path, who, **kw)

    async def patch(self, path, who=None, **kw):
        return await self.call("PATCH", path, who, **kw)

    async def ok(self, method: str, path: str, who: str | None = None, status: int = 200, **kwargs) -> dict:
        r = await self.call(method, path, who, **kwargs)
        assert r.status_code == status, f"{method} {path} as {who}: {r.status_code} {r.text}"
        return r.json()


def error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, f"expected {status}, got {r.status_code} {r.text}"
    body = r.json()
    assert {"error", "detail"} <= body.keys() and body["detail"], body
    if code is not None:
        assert body["error"] == code, body
    return body
