"""WeChatGateway (wechatpy) against the fake WeChat server over a real socket: the gateway's own
mechanics (retries, timeouts, the shared token, field limits). What the fake answers like WeChat is
tests/wechat/test_parity.py; here credits are not enforced."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import redis

from backend.kernel.settings import DEV_WECHAT_APPID, DEV_WECHAT_SECRET
from backend.wechat.client import WeChatError, WeChatGateway
from backend.wechat.fake import create_fake_wechat_app, run_fake_wechat_in_thread, validate_data_value

REDIS_URL = "redis://127.0.0.1:6379/15"
TEMPLATE = "tmpl-wish-update"
DATA = {"thing1": {"value": "心愿已认领"}, "time2": {"value": "2019年10月1日 15:01"}}
PAGE = "pages/wish/detail/detail?id=42"
APPS = {"wx-test-app": "test-secret"}
TEMPLATES = {TEMPLATE: ("thing1", "time2")}


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    base_url, stop = run_fake_wechat_in_thread(apps=APPS, templates=TEMPLATES)
    yield base_url
    stop()


@pytest.fixture
async def fake(fake_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on the fake's test endpoints; the fake starts each test reset, without credits."""
    async with httpx.AsyncClient(base_url=fake_url, trust_env=False) as client:
        (await client.post("/_reset")).raise_for_status()
        (await client.post("/_control", json={"enforce_credits": False})).raise_for_status()
        yield client


@pytest.fixture
def gateway(fake_url: str, fake: httpx.AsyncClient) -> Iterator[WeChatGateway]:
    gw = WeChatGateway("wx-test-app", "test-secret", api_base=fake_url, timeout=2.0)
    yield gw
    gw.close()


async def stats(fake: httpx.AsyncClient) -> dict[str, int]:
    return (await fake.get("/_stats")).json()


async def test_login_returns_openid(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    result = await gateway.code_to_session("gw-abc")
    assert result["openid"] == "fake-openid-gw-abc"
    assert result["session_key"]
    # jscode2session needs no access token, so none was fetched
    assert (await stats(fake))["tokens_issued"] == 0


async def test_login_invalid_code(gateway: WeChatGateway) -> None:
    with pytest.raises(WeChatError) as info:
        await gateway.code_to_session("invalid-x")
    assert info.value.errcode == 40029
    assert not info.value.transient


async def test_login_rate_limited(gateway: WeChatGateway) -> None:
    with pytest.raises(WeChatError) as info:
        await gateway.code_to_session("ratelimit-1")
    assert info.value.errcode == 45011
    assert info.value.transient


async def test_send_is_recorded(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    result = await gateway.send_subscribe_message(
        "fake-openid-gw-abc", TEMPLATE, DATA, page=PAGE, miniprogram_state="trial"
    )
    assert result["errcode"] == 0
    sent = (await fake.get("/_sent")).json()
    assert len(sent) == 1
    msg = sent[0]
    assert msg["msgid"] == result["msgid"]
    assert msg["touser"] == "fake-openid-gw-abc"
    assert msg["template_id"] == TEMPLATE
    assert msg["page"] == PAGE
    assert msg["miniprogram_state"] == "trial"
    assert msg["data"] == DATA
    assert msg["sent_at"].endswith("+00:00")

    (await fake.delete("/_sent")).raise_for_status()
    assert (await fake.get("/_sent")).json() == []


async def test_send_accepts_plain_values(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, {"thing1": "你好"}, page=None)
    [msg] = (await fake.get("/_sent")).json()
    assert msg["data"] == {"thing1": {"value": "你好"}}
    assert msg["page"] is None


async def test_send_too_long_thing(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    with pytest.raises(WeChatError) as info:
        await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, {"thing1": "长" * 21}, page=None)
    assert info.value.errcode == 47003
    assert (await fake.get("/_sent")).json() == []


async def test_injected_failure(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    await fake.post("/_control", json={"fail_next": 1, "errcode": 45009})
    with pytest.raises(WeChatError) as info:
        await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    assert info.value.errcode == 45009
    assert info.value.transient
    # only the next one failed
    result = await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    assert result["errcode"] == 0


async def test_http_500_has_no_errcode(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    await fake.post("/_control", json={"fail_next": 1, "http_status": 500})
    with pytest.raises(WeChatError) as info:
        await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    assert info.value.errcode is None
    assert "500" in info.value.errmsg


async def test_token_invalidated_refreshes_once(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    await fake.post("/_control", json={"invalidate_tokens": True})
    result = await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    assert result["errcode"] == 0
    assert (await stats(fake))["tokens_issued"] == 2
    assert len((await fake.get("/_sent")).json()) == 2


async def test_token_error_retried_only_once(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    await fake.post("/_control", json={"fail_next": 5, "errcode": 40001})
    with pytest.raises(WeChatError) as info:
        await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    assert info.value.errcode == 40001
    assert (await fake.get("/_control")).json()["fail_next"] == 3  # two attempts, no more
    assert (await stats(fake))["tokens_issued"] == 2


async def test_credits_enforced_again(gateway: WeChatGateway, fake: httpx.AsyncClient) -> None:
    await fake.post("/_control", json={"enforce_credits": True})
    with pytest.raises(WeChatError) as info:
        await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    assert info.value.errcode == 43101
    await fake.post("/_credits", json={"openid": "fake-openid-gw-abc", "template_id": TEMPLATE, "count": 1})
    await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    with pytest.raises(WeChatError) as info:
        await gateway.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
    assert info.value.errcode == 43101


async def test_check_text(gateway: WeChatGateway) -> None:
    assert await gateway.check_text("今天天气很好") is True
    assert await gateway.check_text("这是违禁内容") is False


async def test_timeout_is_errcode_none(fake_url: str, fake: httpx.AsyncClient) -> None:
    await fake.post("/_control", json={"latency_ms": 600})
    gw = WeChatGateway("wx-test-app", "test-secret", api_base=fake_url, timeout=0.2)
    try:
        with pytest.raises(WeChatError) as info:  # the token fetch itself times out
            await gw.send_subscribe_message("fake-openid-gw-abc", TEMPLATE, DATA, page=None)
        assert info.value.errcode is None
        assert info.value.transient
    finally:
        gw.close()


async def test_unreachable_is_errcode_none() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gw = WeChatGateway("wx-test-app", "test-secret", api_base=f"http://127.0.0.1:{port}/", timeout=1.0)
    try:
        with pytest.raises(WeChatError) as info:
            await gw.code_to_session("gw-abc")
        assert info.value.errcode is None
    finally:
        gw.close()


async def test_api_base_with_path_and_trailing_slash(fake_url: str, fake: httpx.AsyncClient) -> None:
    gw = WeChatGateway("wx-test-app", "test-secret", api_base=fake_url + "/")
    try:
        assert (await gw.code_to_session("gw-xyz"))["openid"] == "fake-openid-gw-xyz"
        assert await gw.check_text("ok")
    finally:
        gw.close()


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis not reachable on 127.0.0.1:6379")
    return client


async def test_redis_shares_token(fake_url: str, fake: httpx.AsyncClient) -> None:
    client = _redis_or_skip()
    appid = f"wx-test-{uuid.uuid4().hex}"
    key = f"wechatpy:{appid}_access_token"
    await fake.post("/_apps", json={"appid": appid, "secret": "test-secret"})
    one = WeChatGateway(appid, "test-secret", api_base=fake_url, redis_url=REDIS_URL)
    two = WeChatGateway(appid, "test-secret", api_base=fake_url, redis_url=REDIS_URL)
    try:
        await one.send_subscribe_message("fake-openid-gw-a", TEMPLATE, DATA, page=None)
        await two.send_subscribe_message("fake-openid-gw-b", TEMPLATE, DATA, page=None)
        assert (await stats(fake))["tokens_issued"] == 1
        assert client.get(key) is not None
        assert 0 < client.ttl(key) <= 7200
        # a refresh by one gateway is picked up by the other
        await fake.post("/_control", json={"invalidate_tokens": True})
        await two.send_subscribe_message("fake-openid-gw-b", TEMPLATE, DATA, page=None)
        await one.send_subscribe_message("fake-openid-gw-a", TEMPLATE, DATA, page=None)
        assert (await stats(fake))["tokens_issued"] == 2
    finally:
        client.delete(key)
        client.close()
        one.close()
        two.close()


async def test_two_fakes_have_separate_state() -> None:
    apps = [create_fake_wechat_app(templates=TEMPLATES), create_fake_wechat_app(templates=TEMPLATES)]
    transports = [httpx.ASGITransport(app=app) for app in apps]
    async with (
        httpx.AsyncClient(transport=transports[0], base_url="http://a") as a,
        httpx.AsyncClient(transport=transports[1], base_url="http://b") as b,
    ):
        query = f"grant_type=client_credential&appid={DEV_WECHAT_APPID}&secret={DEV_WECHAT_SECRET}"
        token = (await a.get(f"/cgi-bin/token?{query}")).json()
        url = f"/cgi-bin/message/subscribe/send?access_token={token['access_token']}"
        body = {"touser": "fake-openid-demo-x", "template_id": TEMPLATE, "data": {"thing1": {"value": "v"}}}
        await a.post("/_credits", json={"openid": body["touser"], "template_id": TEMPLATE, "count": 1})
        sent = await a.post(url, json=body)
        assert sent.json()["errcode"] == 0
        rejected = await b.post(url, json=body)
        assert rejected.json()["errcode"] == 40001
        assert len((await a.get("/_sent")).json()) == 1
        assert (await b.get("/_sent")).json() == []


async def test_token_endpoint_errors() -> None:
    transport = httpx.ASGITransport(app=create_fake_wechat_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://f") as c:
        no_appid = await c.get("/cgi-bin/token", params={"grant_type": "client_credential", "secret": "y"})
        assert no_appid.json()["errcode"] == 40013
        no_secret = await c.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": DEV_WECHAT_APPID})
        assert no_secret.json()["errcode"] == 40125


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("thing1", "长" * 20, True),
        ("thing1", "长" * 21, False),
        ("name2", "张" * 10, True),
        ("name2", "张" * 11, False),
        ("name2", "a" * 20, True),
        ("name2", "a" * 21, False),
        ("phrase3", "已完成", True),
        ("phrase3", "已经完成了啊", False),
        ("character_string4", "WX-2024-0001", True),
        ("character_string4", "x" * 33, False),
        ("number5", "12.5", True),
        ("number5", "1" * 33, False),
        ("phone_number6", "+86 138-0000-0000", True),
        ("phone_number6", "1" * 18, False),
        ("time7", "2019年10月1日 15:01", True),
        ("time7", "2019-10-01 15:01", False),
        ("date8", "2019年10月1日", True),
        ("date8", "2019年13月1日", False),
        ("thing9", "", False),
    ],
)
def test_field_limits(key: str, value: str, ok: bool) -> None:
    assert (validate_data_value(key, value) is None) is ok
