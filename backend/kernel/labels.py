"""Chinese labels of the request fields, and Chinese messages for request validation errors (422).

One central table instead of a label on every schema: ``LABELS`` maps a field or parameter name, as
it appears in the OpenAPI spec, to the word a resident or an office worker would use. A test checks
that every request-model field and parameter of the spec has one, so a new field without a label
fails the suite. ``message(error)`` turns one pydantic error into a sentence that names the field
("标题不能为空", "评分不能大于5"); the machine-readable ``type`` stays in the 422 body's ``fields``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

LABELS: dict[str, str] = {
    "accuracy": "定位精度",
    "action": "操作",
    "activity_id": "活动编号",
    "address": "住址",
    "airing_id": "晾晒编号",
    "amount": "金额（分）",
    "application_id": "报名编号",
    "appraisal_id": "评议结果编号",
    "assignee_id": "承接方",
    "assignee_kind": "承接方类型",
    "at": "时间",
    "available": "是否可接单",
    "batch_id": "清单批次",
    "brand_name": "合伙人品牌名称",
    "building_id": "楼栋",
    "capacity": "名额",
    "care_tags": "关爱标签",
    "category": "类别",
    "checked_in_at": "签到时间",
    "claim_id": "认领编号",
    "claimant_id": "认领方",
    "claimant_kind": "认领方类型",
    "client_id": "本地编号",
    "closes_at": "截止时间",
    "code": "登录凭证",
    "comment": "评价内容",
    "community_id": "社区",
    "compound_id": "小区",
    "contact": "联系人",
    "contact_id": "联系人",
    "cost": "所需积分",
    "cursor": "分页位置",
    "cycle_days": "走访周期（天）",
    "deadline": "报名截止时间",
    "decision": "审核结果",
    "department_id": "承办部门",
    "description": "描述",
    "due_date": "完成期限",
    "due_working_days": "办理时限（工作日）",
    "end_at": "结束时间",
    "entries": "名单",
    "event": "操作",
    "evidence": "成效说明",
    "file": "文件",
    "findings": "走访发现",
    "grid_id": "网格",
    "half": "半年",
    "household_id": "住户",
    "id": "编号",
    "issue_id": "事件编号",
    "item_id": "事项编号",
    "items": "事项",
    "key": "是否重点项目",
    "kind": "类型",
    "lat": "纬度",
    "latitude": "纬度",
    "leader_id": "队长",
    "limit": "每页条数",
    "line_id": "评议项",
    "lng": "经度",
    "location": "地点",
    "longitude": "经度",
    "member_id": "党员",
    "membership_id": "入队申请编号",
    "milestone_id": "里程碑编号",
    "mine": "只看我的",
    "reviewed": "是否已评",
    "upcoming": "只看未结束的活动",
    "my_community": "只看我所在社区",
    "minutes": "会议纪要",
    "new_projects": "新增计划项目",
    "progress": "进度",
    "project_id": "项目编号",
    "project_ids": "计划内项目",
    "score": "评分",
    "service_minutes": "服务时长（分钟）",
    "mode": "合作方式",
    "name": "姓名",
    "needs": "需求内容",
    "note": "备注",
    "notification_id": "消息编号",
    "offer_id": "兑换项目编号",
    "opens_at": "开始时间",
    "opportunity_id": "机会清单编号",
    "order_id": "订单编号",
    "organiser": "组织方",
    "outbox_id": "消息编号",
    "outcome": "走访结果",
    "owner_id": "提供方或提出方",
    "owner_kind": "所属方类型",
    "partner": "合伙人",
    "partner_id": "合伙人",
    "people_met": "见到的人",
    "period": "时段",
    "phone": "手机号",
    "photos": "照片",
    "pitch": "报名说明",
    "place": "地点",
    "q": "搜索内容",
    "quantity": "数量",
    "rating": "评分",
    "ratings": "评议打分",
    "reason": "理由",
    "redemption_id": "兑换编号",
    "registration_id": "报到申请编号",
    "relation": "与户主关系",
    "resident_id": "居民",
    "residents": "居民",
    "results": "订阅结果",
    "role": "队内角色",
    "satisfied": "是否满意",
    "scope": "范围",
    "series_id": "系列活动",
    "services": "服务内容",
    "share_phone": "公开手机号",
    "signup_closes_at": "报名截止时间",
    "skills": "技能",
    "source": "来源",
    "source_id": "来源编号",
    "start_at": "开始时间",
    "station": "社工站",
    "status": "状态",
    "street_id": "街道",
    "supervisor_id": "督办人",
    "tag": "关爱标签",
    "task_id": "任务编号",
    "team_id": "志愿服务队",
    "text": "内容",
    "title": "标题",
    "undertaker": "承办方",
    "unit": "单位",
    "urgency": "紧急程度",
    "user_id": "用户",
    "visited_at": "走访时间",
    "visits": "走访记录",
    "weight": "权重",
    "wish_id": "心愿编号",
    "within_days": "天数",
    "work_unit": "工作单位",
    "voice": "语音",
    "voice_seconds": "语音时长",
    "exp": "链接有效期",
    "sig": "链接签名",
    # 住户认证 (issue 12)
    "verification_id": "住户认证编号",
    "correction_reason": "更正原因",
    # co-governance (backend/proposals, backend/deliberation): 社区提案、党群议事日
    "encouraged": "鼓励类清单",
    "negative": "负面清单",
    "level": "提案层级",
    "problem": "问题",
    "solution": "解决办法",
    "will_undertake": "是否愿意承接",
    "undertaking": "承接方式",
    "estimated_cost": "预计费用（元）",
    "organisation_name": "单位名称",
    "proposal_id": "提案编号",
    "none_applies": "负面清单自查",
    "signer_name": "签名人",
    "photo": "照片",
    "negative_codes": "负面清单条目",
    "to_level": "转交层级",
    "executor": "责任人",
    "task": "任务",
    "due": "完成时限",
    "report": "完成情况",
    "meeting_date": "议事日",
    "meeting_id": "会议编号",
    "merged_into_id": "合并到的议题",
    "date": "日期",
    "convener_id": "召集人",
    "agenda_item_ids": "议题",
    "topics": "新增议题",
    "votes_for": "赞成票",
    "votes_against": "反对票",
    "abstained": "弃权票",
    "follow_up": "后续办理",
    "owner": "责任人",
    "funding": "资金来源",
    "ref_id": "关联事项编号",
    "year": "年度",
    "questions": "测评题目",
    "target_id": "测评对象",
    "answers": "测评答案",
    "contacts": "联系安排",
    "place_kind": "联系点类型",
    "place_id": "联系点",
    "checkins": "签到记录",
    "weights": "考核权重",
    "indicators": "考核指标",
    "flag_stars": "夺旗所需星数",
    "target": "达标值",
    "star": "摘星值",
    "value": "指标值",
    "entry_id": "填报编号",
    "campaign_id": "测评编号",
}

BODY = "请求内容"
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_LOCATIONS = ("body", "query", "path", "header", "cookie")


def label_of(loc: Sequence[Any]) -> str:
    """``("body", "residents", 0, "name")`` → 居民第1项的姓名; an unknown name stays as it is."""
    parts: list[str] = []
    for part in loc:
        if part in _LOCATIONS and not parts:
            continue
        if isinstance(part, int):
            parts.append(f"第{part + 1}项")
        else:
            parts.append(("的" if parts else "") + LABELS.get(str(part), str(part)))
    return "".join(parts) or BODY


def field_of(loc: Sequence[Any]) -> str:
    """The machine-readable path: ``residents.0.name``."""
    return ".".join(str(p) for p in loc if p not in _LOCATIONS) or "body"


def _expected(ctx: Mapping[str, Any]) -> str:
    text = str(ctx.get("expected", ""))
    return text.replace("' or '", "、").replace("', '", "、").replace("'", "") or "允许的值"


def _custom(label: str, msg: str) -> str:
    """A validator's own message (``ValueError("请输入11位中国大陆手机号")``), if it is Chinese."""
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return f"{label}：{msg}" if _CJK_RE.search(msg) else f"{label}不符合要求"


_SIMPLE = {
    "missing": "缺少{label}",
    "int_parsing": "{label}应为整数",
    "int_type": "{label}应为整数",
    "int_from_float": "{label}应为整数",
    "float_parsing": "{label}应为数字",
    "float_type": "{label}应为数字",
    "decimal_parsing": "{label}应为数字",
    "finite_number": "{label}应为有限的数字",
    "bool_parsing": "{label}应为 true 或 false",
    "bool_type": "{label}应为 true 或 false",
    "string_type": "{label}应为文字",
    "string_unicode": "{label}应为文字",
    "list_type": "{label}应为列表",
    "tuple_type": "{label}应为列表",
    "set_type": "{label}应为列表",
    "dict_type": "{label}格式不对",
    "model_type": "{label}格式不对",
    "model_attributes_type": "{label}格式不对",
    "datetime_parsing": "{label}应为带时区的时间，如 2026-01-31T09:00:00+08:00",
    "datetime_type": "{label}应为带时区的时间，如 2026-01-31T09:00:00+08:00",
    "datetime_from_date_parsing": "{label}应为带时区的时间，如 2026-01-31T09:00:00+08:00",
    "timezone_aware": "{label}须带时区，如 +08:00",
    "date_parsing": "{label}应为日期，如 2026-01-31",
    "date_type": "{label}应为日期，如 2026-01-31",
    "date_from_datetime_parsing": "{label}应为日期，如 2026-01-31",
    "uuid_parsing": "{label}应为 UUID",
    "uuid_type": "{label}应为 UUID",
    "url_parsing": "{label}应为网址",
    "url_scheme": "{label}应为 http(s) 网址",
    "json_invalid": "请求内容不是有效的 JSON",
    "json_type": "请求内容不是有效的 JSON",
    "extra_forbidden": "不认识的字段：{label}",
    "none_required": "{label}应为空",
    "bytes_type": "{label}应为文件",
    "value_error": "",
    "assertion_error": "",
}


def message(error: Mapping[str, Any]) -> str:
    """One pydantic error (from ``RequestValidationError.errors()``) as a Chinese sentence."""
    kind = str(error.get("type", ""))
    loc = error.get("loc", ())
    ctx = error.get("ctx") or {}
    label = label_of(loc)
    if kind in ("value_error", "assertion_error"):
        return _custom(label, str(error.get("msg", "")))
    if kind == "json_invalid":
        return _SIMPLE[kind]
    if kind in _SIMPLE:
        return _SIMPLE[kind].format(label=label)
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return f"{label}不能为空" if n == 1 else f"{label}至少{n}个字"
    if kind == "string_too_long":
        return f"{label}不能超过{ctx.get('max_length')}个字"
    if kind == "string_pattern_mismatch":
        return f"{label}格式不对"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"{label}不能为空" if n == 1 else f"{label}至少{n}项"
    if kind == "too_long":
        return f"{label}最多{ctx.get('max_length')}项"
    if kind == "greater_than_equal":
        return f"{label}不能小于{ctx.get('ge')}"
    if kind == "greater_than":
        return f"{label}必须大于{ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"{label}不能大于{ctx.get('le')}"
    if kind == "less_than":
        return f"{label}必须小于{ctx.get('lt')}"
    if kind == "multiple_of":
        return f"{label}须是{ctx.get('multiple_of')}的倍数"
    if kind in ("literal_error", "enum"):
        return f"{label}应为以下之一：{_expected(ctx)}"
    return f"{label}无效"


def detail_and_fields(errors: Sequence[Mapping[str, Any]], limit: int = 5) -> tuple[str, list[dict[str, Any]]]:
    """The 422 body's ``detail`` (the first ``limit`` messages) and ``fields`` (every error, with its
    machine-readable ``field`` path and pydantic ``type``)."""
    fields = []
    seen: list[str] = []
    for error in errors:
        text = message(error)
        loc = error.get("loc", ())
        fields.append({"field": field_of(loc), "label": label_of(loc), "message": text, "type": error.get("type")})
        if text not in seen:
            seen.append(text)
    detail = "；".join(seen[:limit]) or "请求内容有误"
    if len(seen) > limit:
        detail += f"（等{len(seen)}处问题）"
    return detail, fields
