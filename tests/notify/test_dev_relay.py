"""make run mounts the fake WeChat on the app itself. In the WeChat app a user's "allow" goes to
WeChat; here the subscriptions route relays it to the mounted fake, so that under make run the
messages of a subscribed user are delivered (the fake still refuses a user who did not allow)."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import create_app
from backend.auth.tokens import create_access_token
from backend.directory.models import User
from tests.support.db import make_settings


async def test_a_tap_reaches_the_mounted_fake(db, tmp_path):
    url, engine = db
    app = create_app(make_settings(url, "", tmp_path))  # no WeChat base: the fake is mounted at /fake-wechat
    async with engine.connect() as conn:
        outer = await conn.begin()
        app.state.session_factory = lambda: AsyncSession(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            # a WeChat login would go through the mounted fake over the network: make the token here
            async with app.state.session_factory() as session:
                user = User(openid="fake-openid-relay-tester", name="测试居民")
                session.add(user)
                await session.commit()
            token = {"Authorization": f"Bearer {create_access_token(app.state.settings, user.id)[0]}"}
            ids = (await client.get("/api/v1/notifications/templates?action=create_wish", headers=token)).json()
            tid = ids["template_ids"][0]
            answer = {"results": {tid: "accept"}}
            r = await client.post("/api/v1/notifications/subscriptions", json=answer, headers=token)
            assert r.status_code == 200, r.text
            rejected = {"results": {ids["template_ids"][-1]: "reject"}} if len(ids["template_ids"]) > 1 else None
            if rejected:
                await client.post("/api/v1/notifications/subscriptions", json=rejected, headers=token)
        credits = app.state.fake_wechat.state.wechat.credits
        assert credits == {("fake-openid-relay-tester", tid): 1}
        await outer.rollback()
    await app.state.engine.dispose()
    app.state.wechat.close()
