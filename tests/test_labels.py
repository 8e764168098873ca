"""Every 422 is in Chinese and names the field by its Chinese label; the labels cover the whole API."""

from __future__ import annotations

import re

from backend.kernel.labels import LABELS, label_of, message

CJK = re.compile(r"[\u3400-\u9fff]")


def request_fields(spec: dict) -> dict[str, set[str]]:
    """Every parameter and every property of every request body schema (followed through $ref,
    arrays and unions): name → where it appears."""
    schemas = spec["components"]["schemas"]
    found: dict[str, set[str]] = {}

    def walk(schema, seen: frozenset, where: str) -> None:
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(schemas[name], seen | {name}, name)
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key, []):
                walk(sub, seen, where)
        for key in ("items", "additionalProperties"):
            walk(schema.get(key), seen, where)
        for prop, sub in schema.get("properties", {}).items():
            found.setdefault(prop, set()).add(where)
            walk(sub, seen, where)

    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for param in op.get("parameters", []):
                found.setdefault(param["name"], set()).add(f"{method.upper()} {path}")
            for content in op.get("requestBody", {}).get("content", {}).values():
                walk(content.get("schema", {}), frozenset(), f"{method.upper()} {path}")
    return found


async def test_every_request_field_has_a_chinese_label(client):
    spec = (await client.get("/openapi.json")).json()
    fields = request_fields(spec)
    assert len(fields) > 40 and {"title", "rating", "phone", "visited_at"} <= set(fields)
    missing = {name: sorted(where)[:3] for name, where in fields.items() if name not in LABELS}
    assert not missing, f"add these to backend/kernel/labels.py LABELS: {missing}"
    assert all(CJK.search(label) for label in LABELS.values())


async def test_422_detail_is_chinese_and_names_the_field(api):
    r = await api.post("/api/v1/wishes", "demo-resident", json={"title": "x" * 41, "category": "repair"})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_input" and body["detail"] == "标题不能超过40个字"
    assert body["fields"] == [
        {"field": "title", "label": "标题", "message": "标题不能超过40个字", "type": "string_too_long"}
    ]

    r = await api.post("/api/v1/wishes", "demo-resident", json={"description": "水管漏水"})
    assert r.json()["detail"] == "缺少类别" and r.json()["fields"][0]["type"] == "missing"

    r = await api.post("/api/v1/wishes", "demo-resident", json={"title": "", "category": "repair"})
    assert r.status_code == 422 and "请说说需要什么帮助" in r.json()["detail"]

    r = await api.get("/api/v1/wishes?limit=0", "demo-resident")
    assert r.json()["detail"] == "每页条数不能小于1" and r.json()["fields"][0]["type"] == "greater_than_equal"

    r = await api.post("/api/v1/auth/wechat", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"] == "请求内容不是有效的 JSON"


def test_messages_by_error_type():
    def m(kind, loc=("body", "rating"), **ctx):
        return message({"type": kind, "loc": loc, "msg": "x", "ctx": ctx})

    assert m("less_than_equal", le=5) == "评分不能大于5"
    assert m("greater_than_equal", ge=1) == "评分不能小于1"
    assert m("int_parsing") == "评分应为整数"
    assert (
        m("literal_error", loc=("body", "decision"), expected="'approve' or 'reject'")
        == "审核结果应为以下之一：approve、reject"
    )
    assert m("string_too_long", loc=("body", "title"), max_length=40) == "标题不能超过40个字"
    assert m("too_long", loc=("body", "photos"), max_length=9) == "照片最多9项"
    assert m("some_new_pydantic_type") == "评分无效"
    assert message(
        {"type": "value_error", "loc": ("body", "phone"), "msg": "Value error, 请输入11位中国大陆手机号"}
    ) == ("手机号：请输入11位中国大陆手机号")
    assert message({"type": "value_error", "loc": ("body", "phone"), "msg": "Value error, bad"}) == "手机号不符合要求"
    assert label_of(("body", "residents", 0, "name")) == "居民第1项的姓名"
    assert label_of(("body",)) == "请求内容"
