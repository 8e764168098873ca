"""The organisation tree: finding a compound by name (anyone logged in) and the tree under an admin."""

from __future__ import annotations

import pytest


def error(r, status: int, code: str | None = None) -> dict:
    """Assert an error answer: the status, the {"error", "detail"} shape, and the code."""
    assert r.status_code == status, f"expected {status}, got {r.status_code} {r.text}"
    body = r.json()
    assert {"error", "detail"} <= body.keys(), body
    assert isinstance(body["error"], str) and isinstance(body["detail"], str) and body["detail"], body
    if code is not None:
        assert body["error"] == code, body
    return body


DEMO_LAYOUT = {
    "和谐社区": ["锦华苑", "翠湖花园"],
    "明德社区": ["阳光小区", "书香苑"],
    "滨河社区": ["金色家园", "康乐小区"],
}


async def all_pages(api, query: str, who: str = "demo-resident") -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        sep = "&" if "?" in query else "?"
        page = await api.ok("GET", query + (f"{sep}cursor={cursor}" if cursor else ""), who)
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return pages
        assert len(pages) < 50, "pagination does not end"


# ---- compounds -------------------------------------------------------------------------------


async def test_search_by_name(api):
    page = await api.ok("GET", "/api/v1/org/compounds?q=锦华", "demo-resident")
    assert [c["name"] for c in page["items"]] == ["锦华苑"]
    found = page["items"][0]
    assert found["address"] == "幸福路88号" and found["community_name"] == "和谐社区"
    assert page["next_cursor"] is None


async def test_search_matches_address_and_community(api):
    by_community = await api.ok("GET", "/api/v1/org/compounds?q=明德社区", "demo-resident")
    assert [c["name"] for c in by_community["items"]] == ["阳光小区", "书香苑"]
    by_address = await api.ok("GET", "/api/v1/org/compounds?q=滨河大道", "demo-resident")
    assert {c["name"] for c in by_address["items"]} == {"金色家园", "康乐小区"}
    # surrounding spaces are ignored
    assert (await api.ok("GET", "/api/v1/org/compounds?q=%20锦华%20", "demo-resident"))["items"][0]["name"] == "锦华苑"
    nothing = await api.ok("GET", "/api/v1/org/compounds?q=不存在的小区", "demo-resident")
    assert nothing == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("query", ["/api/v1/org/compounds?limit=2", "/api/v1/org/compounds?q=社区&limit=4"])
async def test_keyset_pages_do_not_repeat(api, query):
    pages = await all_pages(api, query)
    ids = [c["id"] for page in pages for c in page]
    assert len(ids) == len(set(ids)), f"a compound appears on two pages: {pages}"
    assert ids == sorted(ids)
    assert {c["name"] for page in pages for c in page} == {n for names in DEMO_LAYOUT.values() for n in names}
    limit = int(query.rsplit("=", 1)[1])
    assert all(len(page) == limit for page in pages[:-1]) and 0 < len(pages[-1]) <= limit


async def test_everyone_logged_in_may_search_but_not_anonymous(api):
    for who in ("demo-member", "demo-gridworker", "demo-department"):
        assert (await api.ok("GET", "/api/v1/org/compounds", who))["items"]
    error(await api.get("/api/v1/org/compounds"), 401, "not_authenticated")


async def test_bad_search_input(api):
    error(await api.get("/api/v1/org/compounds?cursor=abc", "demo-resident"), 422, "invalid_cursor")
    error(await api.get("/api/v1/org/compounds?limit=0", "demo-resident"), 422, "invalid_input")
    error(await api.get("/api/v1/org/compounds?limit=101", "demo-resident"), 422, "invalid_input")
    body = error(await api.get("/api/v1/org/compounds?q=" + "长" * 31, "demo-resident"), 422, "invalid_input")
    assert body["detail"] == "搜索内容不能超过30个字" and body["fields"][0]["field"] == "q"


async def test_like_wildcards_are_literal(api):
    for q in ("%", "_", "锦_苑"):
        page = await api.ok("GET", "/api/v1/org/compounds", "demo-resident", params={"q": q})
        assert page["items"] == [], f"no compound has {q!r} in its name, address or community"


# ---- tree ------------------------------------------------------------------------------------


def shape(tree: dict) -> dict[str, list[str]]:
    return {c["name"]: [cp["name"] for cp in c["compounds"]] for s in tree["streets"] for c in s["communities"]}


async def test_community_admin_sees_only_their_community(api):
    tree = await api.ok("GET", "/api/v1/org/tree", "demo-admin")
    assert [s["name"] for s in tree["streets"]] == ["幸福街道"]
    assert shape(tree) == {"和谐社区": ["锦华苑", "翠湖花园"]}
    community = tree["streets"][0]["communities"][0]
    assert [g["name"] for g in community["grids"]] == ["和谐社区第一网格", "和谐社区第二网格"]
    for compound in community["compounds"]:
        # 4 buildings x 2 units x 6 floors x 2 rooms in the demo
        assert compound["buildings"] == 4 and compound["households"] == 96, compound


async def test_street_admin_sees_every_community(api):
    tree = await api.ok("GET", "/api/v1/org/tree", "demo-street")
    assert [s["name"] for s in tree["streets"]] == ["幸福街道"]
    assert shape(tree) == DEMO_LAYOUT
    assert all(len(c["grids"]) == 2 for c in tree["streets"][0]["communities"])


@pytest.mark.parametrize(
    "who", ["demo-resident", "demo-member", "demo-dispatcher", "demo-gridworker", "demo-department"]
)
async def test_tree_is_for_admins_only(api, who):
    error(await api.get("/api/v1/org/tree", who), 403, "role_required")


async def test_tree_needs_login(api):
    error(await api.get("/api/v1/org/tree"), 401, "not_authenticated")
