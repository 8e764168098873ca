"""/docs and /redoc load with no network: every script, style sheet and icon they reference is served
by the app itself, and answers 200."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.refs.append(value)


def refs_of(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    # URLs inside the inline scripts (url: '/openapi.json', SwaggerUIBundle's oauth2RedirectUrl …)
    parser.refs += re.findall(r"""['"]((?:https?:)?//[^'"]+|/[a-z][^'"\s]*\.(?:js|css|json|png))['"]""", html)
    return parser.refs


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_reference_only_same_origin_assets_that_answer(client, page):
    r = await client.get(page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "cdn.jsdelivr.net" not in html and "fonts.googleapis.com" not in html and "unpkg.com" not in html
    refs = refs_of(html)
    scripts = [u for u in refs if urlparse(u).path.endswith(".js")]
    assert scripts, "the page loads its script"
    for ref in refs:
        url = urlparse(urljoin("http://test" + page, ref))
        assert url.netloc == "test", f"{page} references {ref}, not on this server"
        asset = await client.get(url.path)
        assert asset.status_code == 200, (ref, asset.status_code)
        assert len(asset.content) > 0
    for script in scripts:
        body = (await client.get(script)).content
        assert len(body) > 100_000, script  # the real bundle, not a stub


async def test_swagger_ui_finds_the_spec(client):
    html = (await client.get("/docs")).text
    assert "/openapi.json" in html
    assert (await client.get("/openapi.json")).status_code == 200
    assert (await client.get("/docs/oauth2-redirect")).status_code == 200
