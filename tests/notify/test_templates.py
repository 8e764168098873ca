"""Every template, rendered from long Chinese input, is accepted by the fake WeChat (which rejects
values over WeChat's limits with 47003), and the registry is consistent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.notify import templates
from backend.wechat.fake import validate_data_value
from tests.support.notify import sent

LONG = "社区党员志愿者帮助独居老人更换厨房水龙头并清理下水道还顺便检查了燃气灶和热水器的安全情况" * 2
LONG_NAME = "欧阳诸葛司马上官慕容令狐皇甫长孙"
AT = datetime(2019, 10, 1, 7, 1, tzinfo=UTC)  # 15:01 in Shanghai

LONG_PARAMS = {
    "wish_id": 42,
    "order_id": 7,
    "registration_id": 3,
    "wish_title": LONG,
    "note": LONG,
    "reason": LONG,
    "member_name": LONG_NAME,
    "requester_name": LONG_NAME,
    "compound_name": LONG,
    "approved": False,
    "kind": "claim",
    "at": AT.isoformat(),
    "expires_at": AT.isoformat(),
    "since": AT.isoformat(),
    # escalation events (backend/issues)
    "issue_id": 9,
    "title": LONG,
    "department": LONG,
    "urgency": "紧急",
    "due": AT.isoformat(),
    "clock": "响应",
    "level": 2,
    "status": "已办结",
    # 住户认证 (backend/people)
    "verification_id": 5,
    "room": LONG,
    "user_name": LONG_NAME,
    "category": LONG,  # the grid's own clock (issue 13)
    # co-governance (backend/proposals, backend/deliberation)
    "proposal_id": 17,
    "proposal_title": LONG,
    "status_label": "已立项待议事",
    "meeting_id": 5,
    "community_name": LONG,
    "place": LONG,
    "item_count": 12,
    "item_id": 3,
    "item_text": LONG,
    "defer_count": 2,
    # projects (backend/projects)
    "project_title": LONG,
    "project_id": 4,
    "task_title": LONG,
    "year": 2026,
    # volunteering (backend/volunteering)
    "activity_id": 11,
    "activity_title": LONG,
    "start_at": AT.isoformat(),
    # the time bank and teams (backend/volunteering)
    "redemption_id": 9,
    "offer_title": LONG,
    "partner_name": LONG,
    "cost": 30,
    "team_id": 2,
    "team_name": LONG,
    # the 小区评议会 (backend/appraisal)
    "appraisal_id": 6,
    "period": "2026-Q3",
    "edition": 2,
    "correction": LONG,
    "resubmitted": False,
}


@pytest.mark.parametrize("event", sorted(templates.EVENTS))
async def test_each_event_renders_within_limits_and_the_fake_accepts_it(app, fake, event):
    rendered = templates.render(app.state.settings, event, LONG_PARAMS)
    template = templates.TEMPLATES[templates.EVENTS[event].template]
    assert list(rendered.data) == list(template.keys)
    for key, item in rendered.data.items():
        value = item["value"]
        assert validate_data_value(key, value) is None, (key, value)
        kind = templates.kind_of(key)
        if kind == "thing" and value not in ("无",):
            assert len(value) <= 20
        if kind == "time":
            assert value == "2019年10月1日 15:01"
        if kind == "name":
            assert value == LONG_NAME[:9] + "…"
    tap = {"openid": "fake-openid-demo-resident", "template_id": rendered.template_id, "count": 1}
    (await fake.post("/_credits", json=tap)).raise_for_status()
    result = await app.state.wechat.send_subscribe_message(
        "fake-openid-demo-resident", rendered.template_id, rendered.data, rendered.page
    )
    assert result["errcode"] == 0
    [message] = await sent(fake)
    assert message["template_id"] == f"dev-{template.name}" and message["data"] == rendered.data
    title, body = templates.inbox_text(event, LONG_PARAMS)
    assert title and body and "{" not in body


def test_fit_by_kind():
    assert templates.fit("thing1", "一二三四五六七八九十" * 3) == "一二三四五六七八九十一二三四五六七八九…"
    assert templates.fit("thing2", "  换行\n也算  空格 ") == "换行 也算 空格"
    assert templates.fit("thing3", "") == "无"
    assert templates.fit("name1", "Alexander Hamilton Jr. III") == "Alexander Hamilton …"
    assert templates.fit("name1", "张伟") == "张伟"
    assert templates.fit("phrase1", "审核未通过啦") == "审核未通过"
    assert templates.fit("time9", "2026-01-31T16:30:00+00:00") == "2026年2月1日 00:30"
    assert templates.fit("date2", AT) == "2019年10月1日"
    assert templates.fit("character_string1", "No.123 订单") == "No.123"
    assert templates.fit("number1", "共 12 件") == "12"
    with pytest.raises(ValueError):
        templates.fit("time1", "2026-01-31T16:30:00")  # naive


def test_registry():
    assert set(templates.ACTIONS) >= {"create_wish", "accept_order", "dispatch", "register_member"}
    for action, names in templates.ACTIONS.items():
        assert 1 <= len(names) <= 3, action
    used = {e.template for e in templates.EVENTS.values()}
    assert used == set(templates.TEMPLATES), "every template is used by an event"
    with pytest.raises(ValueError):
        templates.register_action("too_many", ("wish_review", "order_result", "confirm_request", "new_order"))
    with pytest.raises(ValueError):
        templates.register_event(templates.Event("x", "no_such_template", "p", lambda p: ("", ""), lambda p: {}))


def test_configured_template_ids_and_pages(app):
    settings = app.state.settings.model_copy(
        update={
            "notify_template_ids": {"wish_review": "TPL-REAL-1"},
            "notify_pages": {"wish_reviewed": "pages/mine/wish?wid={wish_id}"},
        }
    )
    rendered = templates.render(settings, "wish_reviewed", LONG_PARAMS)
    assert rendered.template_id == "TPL-REAL-1" and rendered.page == "pages/mine/wish?wid=42"
    assert templates.action_template_ids(settings, "create_wish") == [
        "TPL-REAL-1",
        "dev-order_result",
        "dev-confirm_request",
    ]
    prod_like = settings.model_copy(update={"fake_wechat": False})
    assert templates.action_template_ids(prod_like, "create_wish") == ["TPL-REAL-1"]
    assert templates.templates_by_id(prod_like) == {"TPL-REAL-1": "wish_review"}
