"""The smaller ones of issue 12 item 8: LIKE wildcards in the household search, invisible and
direction-changing characters in names and titles, and rate limits that believe forwarded headers
only from TRUSTED_PROXIES, over a sliding window."""

from __future__ import annotations

import os
from urllib.parse import quote

import httpx
import pytest

from backend.app import create_app
from backend.kernel.ratelimit import RateLimiter, client_ip
from backend.kernel.settings import Settings
from backend.kernel.validation import hidden_character
from tests.support.db import make_settings

# ---- the household search ------------------------------------------------------------------------


async def test_household_search_treats_wildcards_as_text(api):
    everyone = await api.ok("GET", "/api/v1/households?limit=100", "demo-gridworker")
    assert len(everyone["items"]) > 5
    named = await api.ok("GET", f"/api/v1/households?q={quote('王')}&limit=100", "demo-gridworker")
    assert 0 < len(named["items"]) < len(everyone["items"])
    for wildcard in ("%", "_", "%%", "\\"):
        page = await api.ok("GET", f"/api/v1/households?q={quote(wildcard)}&limit=100", "demo-gridworker")
        assert page["items"] == [], wildcard


# ---- hidden characters ---------------------------------------------------------------------------

HIDDEN = {
    "right-to-left override": "李\u202e国建",
    "left-to-right embedding": "\u202a李建国",
    "first strong isolate": "李建国\u2068",
    "pop directional isolate": "李\u2069建国",
    "zero-width space": "李\u200b建国",
    "zero-width non-joiner": "李\u200c建国",
    "word joiner": "李\u2060建国",
    "byte order mark": "\ufeff李建国",
    "line separator": "李建\u2028国",
    "paragraph separator": "李\u2029建国",
    "C1 control (NEL)": "李\x85建国",
    "a lone zero-width joiner": "李\u200d建国",
}


@pytest.mark.parametrize("text", list(HIDDEN.values()), ids=list(HIDDEN))
async def test_names_and_titles_refuse_hidden_characters(api, text):
    r = await api.post("/api/v1/wishes", "demo-resident", json={"title": text, "category": "other"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_input", r.text
    assert "不可见" in r.json()["detail"] and "标题" in r.json()["detail"]
    r = await api.patch("/api/v1/me", "demo-resident", json={"name": text})
    assert r.status_code == 422 and "不可见" in r.json()["detail"], r.text


async def test_emoji_joined_by_zwj_and_plain_chinese_are_fine(api):
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert hidden_character(f"一家人{family}都好") is None
    wish = await api.ok(
        "POST",
        "/api/v1/wishes",
        "demo-resident",
        status=201,
        json={"title": "换灯泡", "description": f"谢谢{family}！\n第二行\t缩进", "category": "other"},
    )
    assert family in wish["description"]


# ---- rate limits: who the client is ----------------------------------------------------------------

PROXY = ("10.0.0.0/8", "127.0.0.1")


def test_forwarded_headers_are_ignored_unless_the_peer_is_a_trusted_proxy():
    assert client_ip("203.0.113.9", "1.2.3.4", "5.6.7.8", ()) == "203.0.113.9"
    assert client_ip("127.0.0.1", "1.2.3.4", None, ()) == "127.0.0.1"  # loopback is not trusted by itself
    assert client_ip("203.0.113.9", "1.2.3.4", None, PROXY) == "203.0.113.9"  # not from our proxy


def test_a_trusted_proxy_names_the_client_right_to_left():
    assert client_ip("10.0.0.2", "198.51.100.7", None, PROXY) == "198.51.100.7"
    # the client typed an X-Forwarded-For of its own: the proxy appended the real address after it
    assert client_ip("10.0.0.2", "1.1.1.1, 198.51.100.7", None, PROXY) == "198.51.100.7"
    # two proxies of ours in a row
    assert client_ip("10.0.0.2", "198.51.100.7, 10.0.0.5", None, PROXY) == "198.51.100.7"
    assert client_ip("10.0.0.2", "198.51.100.7:5123", None, PROXY) == "198.51.100.7"
    assert client_ip("10.0.0.2", "[2001:db8::1]:443", None, PROXY) == "2001:db8::1"
    assert client_ip("10.0.0.2", None, "198.51.100.8", PROXY) == "198.51.100.8"
    assert client_ip("10.0.0.2", "not-an-ip", None, PROXY) == "10.0.0.2"  # malformed: the proxy itself


def test_trusted_proxies_must_be_addresses():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Settings(app_env="test", trusted_proxies=["proxy.local"])


async def _logins(app, addresses: list[str]) -> list[int]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        return [
            (
                await c.post("/api/v1/auth/wechat", json={"code": "invalid-x"}, headers={"X-Forwarded-For": a})
            ).status_code
            for a in addresses
        ]


async def test_users_behind_a_trusted_proxy_get_buckets_of_their_own(db, fake_wechat, tmp_path):
    """(The test client's peer is 127.0.0.1.)"""
    url, _ = db
    spoofed = create_app(make_settings(url, fake_wechat, tmp_path, rate_login_per_minute=2))
    assert await _logins(spoofed, ["1.1.1.1", "2.2.2.2", "3.3.3.3"]) == [401, 401, 429]  # no escape by header
    proxied = create_app(
        make_settings(url, fake_wechat, tmp_path, rate_login_per_minute=2, trusted_proxies=["127.0.0.1"])
    )
    assert await _logins(proxied, ["1.1.1.1", "2.2.2.2", "3.3.3.3", "1.1.1.1", "1.1.1.1"]) == [401] * 4 + [429]
    for app in (spoofed, proxied):
        await app.state.engine.dispose()


# ---- rate limits: a sliding window -----------------------------------------------------------------


async def _sliding_window(limiter: RateLimiter, key: str) -> None:
    t0 = 1_800_000_000.0
    assert await limiter.hit(key, 2, 60, now=t0 + 59) is None
    assert await limiter.hit(key, 2, 60, now=t0 + 60) is None  # a fixed window would start afresh here…
    assert await limiter.hit(key, 2, 60, now=t0 + 61) == 58  # …and let this one through: 3 in 3 seconds
    assert await limiter.hit(key, 2, 60, now=t0 + 118) == 1  # refused calls do not count
    assert await limiter.hit(key, 2, 60, now=t0 + 119.5) is None  # the call at 59 has left the window
    assert await limiter.hit(key, 2, 60, now=t0 + 119.6) == 1


async def test_the_window_slides_in_memory():
    await _sliding_window(RateLimiter(), "login:ip:198.51.100.7")


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set")
async def test_the_window_slides_in_redis():
    limiter = RateLimiter(os.environ["TEST_REDIS_URL"])
    key = f"test:{os.getpid()}:{id(limiter)}"
    try:
        await _sliding_window(limiter, key)
    finally:
        await limiter._redis.delete(f"rl2:{key}")
        await limiter.close()
