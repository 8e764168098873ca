"""Wish categories and the member skills that suit each (used to rank candidates)."""

from __future__ import annotations

CATEGORIES: list[dict] = [
    {"code": "elder_care", "label": "助老", "skills": ["助老服务", "陪伴聊天", "理发", "家政"]},
    {"code": "education", "label": "助学", "skills": ["课业辅导", "心理疏导", "文体特长"]},
    {"code": "repair", "label": "维修", "skills": ["水电维修", "家电维修", "木工", "管道疏通"]},
    {"code": "medical_escort", "label": "医疗陪护", "skills": ["医疗护理", "陪诊", "驾驶"]},
    {"code": "goods", "label": "物资", "skills": ["物资采购", "驾驶", "搬运"]},
    {"code": "skills", "label": "技能", "skills": ["手机教学", "电脑", "法律咨询", "书法"]},
    {"code": "other", "label": "其他", "skills": []},
]

CATEGORY_CODES = tuple(c["code"] for c in CATEGORIES)
CATEGORY_LABELS = {c["code"]: c["label"] for c in CATEGORIES}
CATEGORY_SKILLS = {c["code"]: set(c["skills"]) for c in CATEGORIES}
ALL_SKILLS = sorted({s for c in CATEGORIES for s in c["skills"]})
