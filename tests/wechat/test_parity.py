"""The fake WeChat behaves like WeChat: one test per row of the table in docs/wechat.md, each through
wechatpy (WeChatGateway) over a real socket, as the backend talks to WeChat."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from backend.kernel.settings import DEV_WECHAT_APPID, DEV_WECHAT_SECRET, Settings
from backend.notify import templates
from backend.wechat.client import WeChatError, WeChatGateway
from backend.wechat.fake import create_fake_wechat_app, project_pages, run_fake_wechat_in_thread

APPID, SECRET = "wx-parity-app", "parity-secret"
TEMPLATE = "tmpl-parity"
DATA = {"thing1": {"value": "心愿已认领"}, "time2": {"value": "2019年10月1日 15:01"}}
PAGE = "pages/wish/detail/detail?id=42"
USER = "fake-openid-parity-user"


@pytest.fixture(scope="module")
def fake_url() -> Iterator[str]:
    base_url, stop = run_fake_wechat_in_thread(apps={APPID: SECRET}, templates={TEMPLATE: ("thing1", "time2")})
    yield base_url
    stop()


@pytest.fixture
async def fake(fake_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fake_url, trust_env=False) as client:
        (await client.post("/_reset")).raise_for_status()
        yield client


@pytest.fixture
def gateway(fake_url: str, fake: httpx.AsyncClient) -> Iterator[WeChatGateway]:
    gw = WeChatGateway(APPID, SECRET, api_base=fake_url, timeout=2.0)
    yield gw
    gw.close()


async def errcode(call) -> int | None:
    with pytest.raises(WeChatError) as info:
        await call
    return info.value.errcode


async def credit(fake: httpx.AsyncClient, openid: str = USER, template_id: str = TEMPLATE, count: int = 1) -> None:
    r = await fake.post("/_credits", json={"openid": openid, "template_id": template_id, "count": count})
    r.raise_for_status()


async def mint(fake: httpx.AsyncClient, **body) -> str:
    r = await fake.post("/_codes", json=body)
    r.raise_for_status()
    return r.json()["code"]


async def stats(fake: httpx.AsyncClient) -> dict[str, int]:
    return (await fake.get("/_stats")).json()


# ---- access token ------------------------------------------------------------------------------


async def test_token_is_issued_to_the_declared_app_only(fake_url, fake, gateway):
    await credit(fake)
    assert (await gateway.send_subscribe_message(USER, TEMPLATE, DATA))["errcode"] == 0
    assert (await stats(fake))["tokens_issued"] == 1


async def test_wrong_appid_is_40013(fake_url, fake):
    gw = WeChatGateway("wx-not-declared", SECRET, api_base=fake_url, timeout=2.0)
    try:
        assert await errcode(gw.send_subscribe_message(USER, TEMPLATE, DATA)) == 40013
        assert await errcode(gw.code_to_session("demo-resident")) == 40013
    finally:
        gw.close()


async def test_wrong_secret_is_40125(fake_url, fake):
    gw = WeChatGateway(APPID, "not-the-secret", api_base=fake_url, timeout=2.0)
    try:
        assert await errcode(gw.send_subscribe_message(USER, TEMPLATE, DATA)) == 40125
        assert await errcode(gw.code_to_session("demo-resident")) == 40125
    finally:
        gw.close()
    assert (await stats(fake))["tokens_issued"] == 0


async def test_expired_token_is_42001_and_refreshed(fake, gateway):
    await credit(fake, count=2)
    await gateway.send_subscribe_message(USER, TEMPLATE, DATA)
    (await fake.post("/_control", json={"expire_tokens": True})).raise_for_status()
    assert (await gateway.send_subscribe_message(USER, TEMPLATE, DATA))["errcode"] == 0
    assert (await stats(fake))["tokens_issued"] == 2
    assert len((await fake.get("/_sent")).json()) == 2


async def test_expired_token_answer(fake, fake_url):
    token = (
        await fake.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": APPID, "secret": SECRET})
    ).json()
    await fake.post("/_control", json={"expire_tokens": True})
    url = f"/cgi-bin/message/subscribe/send?access_token={token['access_token']}"
    assert (await fake.post(url, json={"touser": USER})).json()["errcode"] == 42001
    assert (await fake.post("/cgi-bin/message/subscribe/send", json={})).json()["errcode"] == 41001


async def test_invalid_token_is_40001_and_refreshed(fake, gateway):
    await credit(fake, count=2)
    await gateway.send_subscribe_message(USER, TEMPLATE, DATA)
    await fake.post("/_control", json={"invalidate_tokens": True})
    assert (await gateway.send_subscribe_message(USER, TEMPLATE, DATA))["errcode"] == 0
    assert (await stats(fake))["tokens_issued"] == 2


# ---- login (wx.login → jscode2session) ---------------------------------------------------------


async def test_minted_code_logs_in_once_then_40163(fake, gateway):
    code = await mint(fake, user="alice")
    assert len(code) == 32 and "-" not in code
    assert (await gateway.code_to_session(code))["openid"] == "fake-openid-alice"
    assert await errcode(gateway.code_to_session(code)) == 40163


async def test_unknown_code_is_40029(fake, gateway):
    assert await errcode(gateway.code_to_session("0a3BcDeFgHiJkLmNoPqRsTuVwXyZ0123")) == 40029
    assert await errcode(gateway.code_to_session("NotADevCode")) == 40029
    assert await errcode(gateway.code_to_session("invalid-x")) == 40029


async def test_expired_code_is_40029(fake, gateway):
    code = (await fake.post("/_codes", json={"user": "late", "expires_in": 0})).json()["code"]
    assert await errcode(gateway.code_to_session(code)) == 40029


async def test_code_minted_for_another_app_is_40029(fake, gateway):
    await fake.post("/_apps", json={"appid": "wx-other", "secret": "other-secret"})
    code = await mint(fake, user="bob", appid="wx-other")
    assert await errcode(gateway.code_to_session(code)) == 40029


async def test_demo_codes_are_a_dev_allowance(fake, gateway):
    for _ in range(2):  # each use is a fresh wx.login of the demo user
        assert (await gateway.code_to_session("demo-resident"))["openid"] == "fake-openid-demo-resident"
    (await fake.post("/_control", json={"dev_codes": False})).raise_for_status()
    assert await errcode(gateway.code_to_session("demo-resident")) == 40029
    assert (await gateway.code_to_session(await mint(fake, user="carol")))["openid"] == "fake-openid-carol"


async def test_login_rate_limit_is_45011(gateway):
    with pytest.raises(WeChatError) as info:
        await gateway.code_to_session("ratelimit-1")
    assert info.value.errcode == 45011 and info.value.transient


# ---- subscribe messages ------------------------------------------------------------------------


async def test_send_with_a_credit_is_recorded_with_its_contents(fake, gateway):
    await credit(fake)
    result = await gateway.send_subscribe_message(USER, TEMPLATE, DATA, page=PAGE, miniprogram_state="trial")
    [msg] = (await fake.get("/_sent")).json()
    assert msg["msgid"] == result["msgid"] and msg["touser"] == USER and msg["page"] == PAGE
    assert msg["data"] == DATA and msg["miniprogram_state"] == "trial"


async def test_no_credit_is_43101(fake, gateway):
    assert await errcode(gateway.send_subscribe_message(USER, TEMPLATE, DATA)) == 43101
    await credit(fake)
    await gateway.send_subscribe_message(USER, TEMPLATE, DATA)
    assert await errcode(gateway.send_subscribe_message(USER, TEMPLATE, DATA)) == 43101  # one tap, one message
    assert len((await fake.get("/_sent")).json()) == 1


async def test_unknown_openid_is_40003(fake, gateway):
    await credit(fake, openid="o-never-logged-in")
    assert await errcode(gateway.send_subscribe_message("o-never-logged-in", TEMPLATE, DATA)) == 40003
    # a user who logged in with a real (minted) code is known
    openid = (await gateway.code_to_session(await mint(fake, openid="o-real-user")))["openid"]
    await credit(fake, openid=openid)
    assert (await gateway.send_subscribe_message(openid, TEMPLATE, DATA))["errcode"] == 0


async def test_unknown_template_is_40037(fake, gateway):
    await credit(fake, template_id="tmpl-nobody-declared")
    assert await errcode(gateway.send_subscribe_message(USER, "tmpl-nobody-declared", DATA)) == 40037


async def test_undeclared_data_key_is_47003(fake, gateway):
    await credit(fake)
    assert await errcode(gateway.send_subscribe_message(USER, TEMPLATE, {**DATA, "thing9": "多余"})) == 47003
    assert await errcode(gateway.send_subscribe_message(USER, TEMPLATE, {"thing1": "长" * 21})) == 47003
    assert (await fake.get("/_sent")).json() == []


async def test_page_the_miniprogram_lacks_is_41030(fake, gateway):
    await credit(fake)
    assert await errcode(gateway.send_subscribe_message(USER, TEMPLATE, DATA, page="pages/nowhere/nowhere")) == 41030
    assert await errcode(gateway.send_subscribe_message(USER, TEMPLATE, DATA, page="pages/wish/detail?id=1")) == 41030


def test_the_project_declares_its_templates_and_pages():
    """The fake as the app mounts it knows every template of backend/notify/templates.py and every
    page of app.json."""
    fake = create_fake_wechat_app(templates=templates.wechat_declarations())
    config = fake.state.wechat_config
    assert config.apps == {DEV_WECHAT_APPID: DEV_WECHAT_SECRET}
    for name, template in templates.TEMPLATES.items():
        assert config.templates[f"dev-{name}"] == template.keys
    assert config.pages == project_pages() and "pages/wish/detail/detail" in config.pages
    settings = Settings(app_env="test")
    for event, spec in templates.EVENTS.items():  # every page an event opens exists
        assert spec.page.split("?")[0] in config.pages, event
        assert (
            templates.page_for(settings, event, {k: 1 for k in re.findall(r"{(\w+)}", spec.page)}).split("?")[0]
            in config.pages
        )


# ---- phone number (getuserphonenumber) ---------------------------------------------------------


async def test_phone_code_gives_the_number_once(fake, gateway):
    code = (await fake.post("/_phone_codes", json={"phone": "13912345678"})).json()["code"]
    info = await gateway.get_phone_number(code)
    assert info["phoneNumber"] == info["purePhoneNumber"] == "13912345678" and info["countryCode"] == "86"
    assert info["watermark"]["appid"] == APPID and info["watermark"]["timestamp"] > 0
    assert await errcode(gateway.get_phone_number(code)) == 40163


async def test_unknown_phone_code_is_40029(fake, gateway):
    assert await errcode(gateway.get_phone_number("0a3BcDeFgHiJkLmNoPqRsTuVwXyZ0123")) == 40029
    assert (await gateway.get_phone_number("phone-13800000000"))["purePhoneNumber"] == "13800000000"  # dev allowance
    await fake.post("/_control", json={"dev_codes": False})
    assert await errcode(gateway.get_phone_number("phone-13800000000")) == 40029


# ---- content check -----------------------------------------------------------------------------


async def test_risky_text_is_87014(gateway):
    assert await gateway.check_text("今天天气很好") is True
    assert await gateway.check_text("这是违禁内容") is False


# ---- control routes ----------------------------------------------------------------------------


async def test_control_routes_need_the_token_on_the_main_port(tmp_path):
    from backend.app import create_app

    settings = Settings(
        app_env="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        wechat_api_base="",
        fake_wechat_token="t0ken-for-the-test",
        demo_data=False,
        run_worker=False,
        upload_dir=tmp_path / "uploads",
    )
    app = create_app(settings)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            for method, path in (("GET", "/_sent"), ("POST", "/_control"), ("POST", "/_reset"), ("POST", "/_codes")):
                r = await c.request(method, f"/fake-wechat{path}", json={})
                assert r.status_code == 401, (path, r.text)
            ok = await c.get("/fake-wechat/_sent", headers={"Authorization": "Bearer t0ken-for-the-test"})
            assert ok.status_code == 200 and ok.json() == []
            # WeChat's own endpoints need no token (the backend calls them like WeChat)
            r = await c.get("/fake-wechat/sns/jscode2session", params={"appid": "x", "secret": "y", "js_code": "z"})
            assert r.json()["errcode"] == 40013
    finally:
        app.state.wechat.close()
        await app.state.engine.dispose()


def test_no_fake_in_production():
    from backend.kernel.settings import UnsafeSettings

    with pytest.raises(UnsafeSettings, match="FAKE_WECHAT"):
        Settings(
            app_env="prod",
            jwt_secret="x" * 40,
            wechat_appid="wx-real",
            wechat_secret="real-secret",
            fake_wechat=True,
        )
