"""The one place where notifications are defined: WeChat templates, events, and subscribe actions.

- A **template** is a WeChat subscribe-message template (chosen in the mini-program admin console),
  known here by a logical name; its WeChat id comes from `NOTIFY_TEMPLATE_IDS` (settings).
  Credits are kept per user and logical template.
- An **event** is something that happened (wish reviewed, order dispatched …). It names its
  template, its default page (overridable with `NOTIFY_PAGES`), its inbox text and how its params
  fill the template's fields. Services emit events with `notify.service.emit(...)`.
- An **action** is a tap in the mini-program before which it asks for subscriptions
  (`wx.requestSubscribeMessage`, at most 3 templates).

Later features (escalation, visits …) add theirs at the end of this file with `register_template`,
`register_event` and `register_action`, and emit them from their services.

Field values are fitted to WeChat's limits by the key's kind (`thing1` → thing): thing ≤ 20
characters ending in "…", name ≤ 10 Chinese characters (20 letters), phrase ≤ 5, time as
`2019年10月1日 15:01` in Asia/Shanghai.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.kernel.clock import SHANGHAI

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Template:
    name: str
    title: str  # the template's title in WeChat's library, for admins
    keys: tuple[str, ...]  # its data keys, e.g. ("thing1", "phrase2", "time3")


@dataclass(frozen=True)
class Event:
    name: str
    template: str
    page: str  # mini-program page with {param} placeholders
    inbox: Callable[[Params], tuple[str, str]]  # (title, body) of the inbox item, full length
    data: Callable[[Params], dict[str, Any]]  # template key -> raw value (fitted to the limits later)


TEMPLATES: dict[str, Template] = {}
EVENTS: dict[str, Event] = {}
ACTIONS: dict[str, tuple[str, ...]] = {}


def register_template(template: Template) -> Template:
    if template.name in TEMPLATES and TEMPLATES[template.name] != template:
        raise ValueError(f"template {template.name!r} registered twice")
    TEMPLATES[template.name] = template
    return template


def register_event(event: Event) -> Event:
    if event.template not in TEMPLATES:
        raise ValueError(f"event {event.name!r}: unknown template {event.template!r}")
    if event.name in EVENTS and EVENTS[event.name] != event:
        raise ValueError(f"event {event.name!r} registered twice")
    EVENTS[event.name] = event
    return event


def register_action(name: str, templates: tuple[str, ...]) -> None:
    if len(templates) > 3:
        raise ValueError("wx.requestSubscribeMessage takes at most 3 templates")
    unknown = [t for t in templates if t not in TEMPLATES]
    if unknown:
        raise ValueError(f"action {name!r}: unknown templates {unknown}")
    ACTIONS[name] = templates


# ---- configuration ------------------------------------------------------------------------


def template_id(settings: Any, name: str) -> str | None:
    """The WeChat id of a logical template; `dev-<name>` while the fake WeChat is on; else None
    (not configured: messages of that template go to the inbox only)."""
    configured = settings.notify_template_ids.get(name)
    if configured:
        return configured
    return f"dev-{name}" if settings.fake_wechat_enabled else None


def templates_by_id(settings: Any) -> dict[str, str]:
    """WeChat template id -> logical name, for the configured templates."""
    out: dict[str, str] = {}
    for name in TEMPLATES:
        tid = template_id(settings, name)
        if tid is not None:
            out.setdefault(tid, name)
    return out


def action_template_ids(settings: Any, action: str) -> list[str]:
    ids = [template_id(settings, name) for name in ACTIONS[action]]
    return [tid for tid in ids if tid]


def page_for(settings: Any, event: str, params: Params) -> str:
    pattern = settings.notify_pages.get(event) or EVENTS[event].page
    return pattern.format_map(dict(params))


# ---- rendering to WeChat's field limits ---------------------------------------------------

_KEY_RE = re.compile(r"^([a-z_]+?)(\d*)$")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE_RE = re.compile(r"\s+")
ELLIPSIS = "…"


def kind_of(key: str) -> str:
    match = _KEY_RE.match(key)
    return match.group(1) if match else key


def clip(value: str, limit: int, *, ellipsis: bool = True) -> str:
    if len(value) <= limit:
        return value
    return value[: limit - 1] + ELLIPSIS if ellipsis else value[:limit]


def _clean(value: Any) -> str:
    return _SPACE_RE.sub(" ", str(value if value is not None else "")).strip()


def as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("naive datetime in notification params")
    return parsed


def wechat_time(value: Any) -> str:
    """`2019年10月1日 15:01` in Asia/Shanghai."""
    local = as_datetime(value).astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def wechat_date(value: Any) -> str:
    local = as_datetime(value).astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日"


def fit(key: str, value: Any) -> str:
    """One template field value, fitted to WeChat's limit for the key's kind."""
    kind = kind_of(key)
    if kind == "time":
        return wechat_time(value)
    if kind == "date":
        return wechat_date(value)
    text = _clean(value)
    if kind == "thing":
        return clip(text or "无", 20)
    if kind == "name":
        text = text or "未填写"
        return clip(text, 10 if _CJK_RE.search(text) else 20)
    if kind == "phrase":
        return clip(text or "无", 5, ellipsis=False)
    if kind == "character_string":
        text = "".join(c for c in text if "!" <= c <= "~")
        return clip(text or "-", 32, ellipsis=False)
    if kind == "number":
        digits = "".join(c for c in text if c.isdigit())
        return (digits or "0")[:32]
    if kind == "phone_number":
        return clip(text or "-", 17, ellipsis=False)
    return text or "无"


@dataclass(frozen=True)
class Rendered:
    template_id: str | None
    page: str
    data: dict[str, dict[str, str]]


def render(settings: Any, event: str, params: Params) -> Rendered:
    """The WeChat message for an event: template id, page, and data fitted to the limits.
    Raises KeyError/ValueError when the params do not fit the event (a bug: dead-lettered)."""
    spec = EVENTS[event]
    template = TEMPLATES[spec.template]
    raw = spec.data(params)
    if set(raw) != set(template.keys):
        raise ValueError(f"event {event}: fields {sorted(raw)} do not match template {template.name}")
    data = {key: {"value": fit(key, raw[key])} for key in template.keys}
    return Rendered(template_id(settings, template.name), page_for(settings, event, params), data)


def inbox_text(event: str, params: Params) -> tuple[str, str]:
    title, body = EVENTS[event].inbox(params)
    return clip(title, 60), clip(body, 600)


def local_time(value: Any) -> str:
    """A datetime param for inbox text."""
    return wechat_time(value)


def _name(value: Any, fallback: str) -> str:
    return _clean(value) or fallback


# ---- the core loop ------------------------------------------------------------------------

register_template(Template("wish_review", "心愿审核结果通知", ("thing1", "phrase2", "thing3", "time4")))
register_template(Template("order_result", "接单结果通知", ("thing1", "phrase2", "name3", "thing4", "time5")))
register_template(Template("confirm_request", "服务完成确认提醒", ("thing1", "name2", "time3", "thing4")))
register_template(Template("new_order", "新派单提醒", ("thing1", "thing2", "time3")))
register_template(Template("offer_reminder", "派单即将超时提醒", ("thing1", "time2", "thing3")))
register_template(Template("order_cancelled", "心愿取消通知", ("thing1", "thing2", "time3")))
register_template(Template("decline_alert", "党员婉拒通知", ("thing1", "name2", "thing3", "time4")))
register_template(Template("expiry_alert", "派单超时通知", ("thing1", "name2", "time3", "thing4")))
register_template(Template("overdue_alert", "订单逾期提醒", ("thing1", "name2", "time3", "thing4")))
register_template(Template("registration_result", "党员报到审核结果", ("thing1", "phrase2", "thing3", "time4")))
register_template(Template("callback_request", "居民回电请求", ("thing1", "name2", "time3", "thing4")))

WISH_PAGE = "pages/wish/detail/detail?id={wish_id}"
ORDER_PAGE = "pages/wish/detail/detail?id={wish_id}"  # orders are shown on their wish


def _reviewed_inbox(p: Params) -> tuple[str, str]:
    if p["approved"]:
        return "心愿已通过审核", f"您的心愿「{p['wish_title']}」已通过审核，正在等待党员接单。"
    return "心愿未通过审核", f"您的心愿「{p['wish_title']}」未通过审核。原因：{p.get('reason') or '无'}"


register_event(
    Event(
        "wish_reviewed",
        "wish_review",
        WISH_PAGE,
        _reviewed_inbox,
        lambda p: {
            "thing1": p["wish_title"],
            "phrase2": "通过" if p["approved"] else "未通过",
            "thing3": p.get("reason") or ("已发布到心愿墙，等待党员接单" if p["approved"] else "无"),
            "time4": p["at"],
        },
    )
)

register_event(
    Event(
        "order_dispatched",
        "new_order",
        ORDER_PAGE,
        lambda p: (
            "您有新的派单",
            f"小区党支部把心愿「{p['wish_title']}」派给了您，请在{local_time(p['expires_at'])}前接单或婉拒。"
            + (f"留言：{p['note']}" if p.get("note") else ""),
        ),
        lambda p: {
            "thing1": p["wish_title"],
            "thing2": p.get("note") or "请在截止时间前接单或婉拒",
            "time3": p["expires_at"],
        },
    )
)

register_event(
    Event(
        "offer_expiring",
        "offer_reminder",
        ORDER_PAGE,
        lambda p: (
            "派单即将超时",
            f"心愿「{p['wish_title']}」的派单将于{local_time(p['expires_at'])}超时，请尽快接单或婉拒。",
        ),
        lambda p: {"thing1": p["wish_title"], "time2": p["expires_at"], "thing3": "派单即将超时，请尽快接单或婉拒"},
    )
)


def _accepted_inbox(p: Params) -> tuple[str, str]:
    verb = "认领" if p.get("kind") == "claim" else "接单"
    member = _name(p.get("member_name"), "党员")
    return f"党员已{verb}", f"党员{member}已{verb}您的心愿「{p['wish_title']}」，会尽快与您联系。"


register_event(
    Event(
        "order_accepted",
        "order_result",
        WISH_PAGE,
        _accepted_inbox,
        lambda p: {
            "thing1": p["wish_title"],
            "phrase2": "已认领" if p.get("kind") == "claim" else "已接单",
            "name3": _name(p.get("member_name"), "党员"),
            "thing4": "党员会尽快与您联系",
            "time5": p["at"],
        },
    )
)

register_event(
    Event(
        "order_declined",
        "order_result",
        WISH_PAGE,
        lambda p: (
            "派单被婉拒",
            f"被派单的党员暂时无法办理您的心愿「{p['wish_title']}」，小区党支部会为您重新安排。",
        ),
        lambda p: {
            "thing1": p["wish_title"],
            "phrase2": "已婉拒",
            "name3": _name(p.get("member_name"), "党员"),
            "thing4": "小区党支部会为您重新安排",
            "time5": p["at"],
        },
    )
)

register_event(
    Event(
        "order_declined_dispatcher",
        "decline_alert",
        WISH_PAGE,
        lambda p: (
            "党员婉拒了派单",
            f"{_name(p.get('member_name'), '党员')}婉拒了心愿「{p['wish_title']}」，"
            f"原因：{p.get('reason') or '无'}。请重新派单。",
        ),
        lambda p: {
            "thing1": p["wish_title"],
            "name2": _name(p.get("member_name"), "党员"),
            "thing3": p.get("reason") or "无",
            "time4": p["at"],
        },
    )
)

register_event(
    Event(
        "offer_expired",
        "expiry_alert",
        WISH_PAGE,
        lambda p: (
            "派单超时未响应",
            f"{_name(p.get('member_name'), '党员')}未在时限内响应心愿「{p['wish_title']}」，"
            "心愿已退回待派单，请重新派单。",
        ),
        lambda p: {
            "thing1": p["wish_title"],
            "name2": _name(p.get("member_name"), "党员"),
            "time3": p["at"],
            "thing4": "党员超时未响应，请重新派单",
        },
    )
)

register_event(
    Event(
        "wish_completed",
        "confirm_request",
        WISH_PAGE,
        lambda p: (
            "心愿已完成，请确认",
            f"党员{_name(p.get('member_name'), '')}已完成您的心愿「{p['wish_title']}」，请确认服务结果并评价。",
        ),
        lambda p: {
            "thing1": p["wish_title"],
            "name2": _name(p.get("member_name"), "党员"),
            "time3": p["at"],
            "thing4": "请确认服务结果并评价",
        },
    )
)

register_event(
    Event(
        "wish_cancelled",
        "order_cancelled",
        ORDER_PAGE,
        lambda p: (
            "心愿已取消",
            f"居民已取消心愿「{p['wish_title']}」，您无需再办理。原因：{p.get('reason') or '无'}",
        ),
        lambda p: {"thing1": p["wish_title"], "thing2": p.get("reason") or "居民已取消", "time3": p["at"]},
    )
)

register_event(
    Event(
        "order_overdue",  # emitted by the sweep when an accepted order passes its due time
        "overdue_alert",
        WISH_PAGE,
        lambda p: (
            "订单逾期未完成",
            f"{_name(p.get('member_name'), '党员')}接下的心愿「{p['wish_title']}」已逾期未完成，请跟进。",
        ),
        lambda p: {
            "thing1": p["wish_title"],
            "name2": _name(p.get("member_name"), "党员"),
            "time3": p["since"],
            "thing4": "订单逾期未完成，请跟进",
        },
    )
)


def _registration_inbox(p: Params) -> tuple[str, str]:
    if p["approved"]:
        return "党员报到已通过", f"您在{p['compound_name']}的党员报到已通过，欢迎参与小区服务，可在心愿墙认领心愿。"
    return "党员报到未通过", f"您在{p['compound_name']}的党员报到未通过。原因：{p.get('reason') or '无'}"


register_event(
    Event(
        "registration_decided",
        "registration_result",
        "pages/member/register/register",
        _registration_inbox,
        lambda p: {
            "thing1": p["compound_name"],
            "phrase2": "通过" if p["approved"] else "未通过",
            "thing3": p.get("reason") or ("欢迎参与小区服务" if p["approved"] else "无"),
            "time4": p["at"],
        },
    )
)

register_event(
    Event(
        "callback_requested",  # the requester taps 联系党员 and the member keeps their number private
        "callback_request",
        ORDER_PAGE,
        lambda p: (
            "居民请您回电",
            f"{_name(p.get('requester_name'), '居民')}请您回电，商量心愿「{p['wish_title']}」的办理。"
            + (f"电话：{p['phone']}" if p.get("phone") else ""),
        ),
        lambda p: {
            "thing1": p["wish_title"],
            "name2": _name(p.get("requester_name"), "居民"),
            "time3": p["at"],
            "thing4": "居民请您回电，请尽快联系",
        },
    )
)

register_action("create_wish", ("wish_review", "order_result", "confirm_request"))
register_action("accept_order", ("new_order", "offer_reminder", "order_cancelled"))
register_action("dispatch", ("decline_alert", "expiry_alert", "overdue_alert"))
register_action("register_member", ("registration_result", "callback_request"))

# ---- later features: register templates, events and actions below ----------------------------

# ---- escalation (backend/issues): 网格吹哨、街社报到 --------------------------------------------

register_template(Template("issue_assigned", "事件派发通知", ("thing1", "thing2", "phrase3", "time4")))
register_template(Template("issue_deadline", "事件办理时限提醒", ("thing1", "phrase2", "time3", "thing4")))
register_template(Template("issue_escalated", "事件超时督办通知", ("thing1", "thing2", "time3", "thing4")))
register_template(Template("issue_progress", "事件办理进度通知", ("thing1", "phrase2", "thing3", "time4")))

ISSUE_PAGE = "pages/issue/detail/detail?id={issue_id}"

register_event(
    Event(
        "issue_whistled",
        "issue_assigned",
        ISSUE_PAGE,
        lambda p: (
            "网格吹哨，请报到",
            f"网格向{p['department']}吹哨（{p['urgency']}）：「{p['title']}」，请于{local_time(p['due'])}前响应。",
        ),
        lambda p: {"thing1": p["title"], "thing2": p["department"], "phrase3": p["urgency"], "time4": p["due"]},
    )
)
register_event(
    Event(
        "issue_reopened",
        "issue_assigned",
        ISSUE_PAGE,
        lambda p: (
            "事件被重新打开",
            f"网格未认可「{p['title']}」的办理结果，已退回{p['department']}重新办理，"
            f"请于{local_time(p['due'])}前响应。原因：{p.get('note') or '无'}",
        ),
        lambda p: {
            "thing1": p["title"],
            "thing2": p.get("note") or "请重新办理",
            "phrase3": "重新办理",
            "time4": p["due"],
        },
    )
)
register_event(
    Event(
        "issue_deadline_near",
        "issue_deadline",
        ISSUE_PAGE,
        lambda p: (
            f"事件即将超过{p['clock']}时限",
            f"「{p['title']}」将于{local_time(p['due'])}超过{p['clock']}时限，请尽快办理。",
        ),
        lambda p: {
            "thing1": p["title"],
            "phrase2": f"{p['clock']}将超时",
            "time3": p["due"],
            "thing4": "请尽快办理，超时将上报督办",
        },
    )
)


def _escalated_inbox(p: Params) -> tuple[str, str]:
    who = "部门负责人" if p["level"] == 1 else "街道领导"
    return (
        f"事件超时督办（{who}）",
        f"{p['department']}承办的「{p['title']}」{p.get('note') or '已超时'}，请{who}督办。",
    )


register_event(
    Event(
        "issue_escalated",
        "issue_escalated",
        ISSUE_PAGE,
        _escalated_inbox,
        lambda p: {
            "thing1": p["title"],
            "thing2": p["department"] or "承办部门",
            "time3": p["at"],
            "thing4": p.get("note") or "事件已超时，请督办",
        },
    )
)
register_event(
    Event(
        "issue_progress",
        "issue_progress",
        ISSUE_PAGE,
        lambda p: (
            f"事件{p['status']}",
            f"{p['department']}：「{p['title']}」{p['status']}。{p.get('note') or ''}".rstrip(),
        ),
        lambda p: {"thing1": p["title"], "phrase2": p["status"], "thing3": p.get("note") or "无", "time4": p["at"]},
    )
)
# ---- the grid's own clock (backend/issues/sweep.py, issue 13) ------------------------------------
register_event(
    Event(
        "issue_grid_overdue",
        "issue_deadline",
        ISSUE_PAGE,
        lambda p: (
            f"{p['category']}超过网格处置时限",
            f"「{p['title']}」（{p['category']}）已超过网格处置时限仍未处置，请尽快处置或吹哨。",
        ),
        lambda p: {
            "thing1": p["title"],
            "phrase2": "处置已超时",
            "time3": p["at"],
            "thing4": "请尽快处置或吹哨",
        },
    )
)
register_event(
    Event(
        "issue_grid_escalated",
        "issue_escalated",
        ISSUE_PAGE,
        lambda p: (
            "网格事件超时未处置（提醒社区）",
            f"「{p['title']}」（{p['category']}）在网格超时仍未处置，请社区督办。",
        ),
        lambda p: {
            "thing1": p["title"],
            "thing2": p["category"],
            "time3": p["at"],
            "thing4": "网格超时未处置，请督办",
        },
    )
)
register_action("whistle", ("issue_progress", "issue_escalated"))
register_action("department_work", ("issue_assigned", "issue_deadline", "issue_escalated"))

# ---- co-governance (backend/proposals, backend/deliberation): 社区提案、党群议事日 ----------------

register_template(Template("proposal_progress", "提案进度通知", ("thing1", "thing2", "thing3", "time4")))
register_template(Template("meeting_reminder", "会议提醒", ("thing1", "time2", "thing3", "thing4")))

register_event(
    Event(
        "proposal_step",
        "proposal_progress",
        "pages/proposal/detail/detail?id={proposal_id}",
        lambda p: (
            f"提案{p['status_label']}",
            f"您提出或联名的提案「{p['proposal_title']}」：{p['status_label']}。{p.get('note') or ''}".rstrip(),
        ),
        lambda p: {
            "thing1": p["proposal_title"],
            "thing2": p["status_label"],
            "thing3": p.get("note") or "点击查看提案进展",
            "time4": p["at"],
        },
    )
)
register_event(
    Event(
        "meeting_reminder",
        "meeting_reminder",
        "pages/proposal/meeting/meeting?id={meeting_id}",
        lambda p: (
            "党群议事日提醒",
            f"{p['community_name']}党群议事日定于{local_time(p['at'])}在{p['place']}召开，"
            f"共{p['item_count']}项议题，欢迎参加。",
        ),
        lambda p: {
            "thing1": f"{p['community_name']}党群议事日",
            "time2": p["at"],
            "thing3": p["place"],
            "thing4": f"共{p['item_count']}项议题",
        },
    )
)
register_template(Template("agenda_flag", "议题督办提醒", ("thing1", "thing2", "time3")))
register_event(
    Event(
        "agenda_flagged",
        "agenda_flag",
        "pages/proposal/meeting/meeting",
        lambda p: (
            "议题两次暂缓，请督办",
            f"议题「{p['item_text']}」已在议事日暂缓{p['defer_count']}次，请社区督办，明确下一步。",
        ),
        lambda p: {"thing1": p["item_text"], "thing2": f"已暂缓{p['defer_count']}次", "time3": p["at"]},
    )
)
# ---- projects (backend/projects): 联动执行 tasks, their clocks, the community's reviews --------------

register_template(Template("project_task", "项目任务提醒", ("thing1", "thing2", "thing3", "time4")))


PROJECT_TASKS_PAGE = "pages/project/tasks/tasks"  # the assignee's own tasks
PROJECT_PAGE = "pages/project/detail/detail?id={project_id}"
PROJECT_REVIEWS_PAGE = "pages/project/reviews/reviews?kind={kind}&year={year}"  # the community's 项目评估


def _project_event(name: str, title: str, body: str, page: str) -> Event:
    return register_event(
        Event(
            name,
            "project_task",
            page,
            lambda p: (title, body.format(**p)),
            lambda p: {"thing1": p["project_title"], "thing2": p["task_title"], "thing3": title, "time4": p["at"]},
        )
    )


_project_event(
    "project_task_assigned",
    "收到项目任务",
    "项目「{project_title}」派给您的任务「{task_title}」，请接收并按时完成。",
    PROJECT_TASKS_PAGE,
)
_project_event(
    "project_task_reminder",
    "项目任务即将到期",
    "项目「{project_title}」的任务「{task_title}」已用去四分之三的时限，请抓紧办理。",
    PROJECT_TASKS_PAGE,
)
_project_event(
    "project_task_escalated",
    "项目任务超时督办",
    "项目「{project_title}」的任务「{task_title}」已超过时限未完成，请督促承接方办理。",
    PROJECT_PAGE,  # to the assignee's head, who follows the project rather than their own tasks
)
_project_event(
    "project_review_due",
    "项目待观摩评估",
    "重点项目「{project_title}」尚未进行{task_title}，请安排评估。",
    PROJECT_REVIEWS_PAGE,
)
register_action("project_work", ("project_task",))

register_action("propose", ("proposal_progress",))
register_action("attend_meeting", ("meeting_reminder", "proposal_progress"))


# ---- 住户认证 (backend/people, backend/households): a claim to a household decided by staff ----------

register_template(Template("verification_result", "住户认证结果通知", ("thing1", "phrase2", "thing3", "time4")))


def _verification_inbox(p: Params) -> tuple[str, str]:
    if p["approved"]:
        return "住户认证已通过", f"您已认证为{p['room']}的住户，可以以这一户的名义许愿。"
    return "住户认证未通过", f"您对{p['room']}的住户认证未通过。原因：{p.get('reason') or '无'}"


register_event(
    Event(
        "verification_decided",
        "verification_result",
        "pages/verify/verify",
        _verification_inbox,
        lambda p: {
            "thing1": p["room"],
            "phrase2": "通过" if p["approved"] else "未通过",
            "thing3": p.get("reason") or ("已认证为本户居民" if p["approved"] else "无"),
            "time4": p["at"],
        },
    )
)
register_template(Template("verification_request", "住户认证审核提醒", ("thing1", "name2", "time3", "thing4")))
register_event(
    Event(
        "verification_requested",  # to the household's grid worker(s) and building chief
        "verification_request",
        "pages/grid/verifications/verifications",
        lambda p: (
            "有住户认证待审核",
            f"{_name(p.get('user_name'), '居民')}申请认证为{p['room']}的住户，请对照台账核实。",
        ),
        lambda p: {
            "thing1": p["room"],
            "name2": _name(p.get("user_name"), "居民"),
            "time3": p["at"],
            "thing4": "请对照台账核实后审核",
        },
    )
)
register_action("claim_household", ("verification_result",))


# ---- volunteering (backend/volunteering): activities and the waitlist --------------------------

register_template(Template("activity_seat", "活动报名成功通知", ("thing1", "time2", "thing3", "thing4")))
register_event(
    Event(
        "activity_promoted",
        "activity_seat",
        "pages/cobuild/activity/activity?id={activity_id}",
        lambda p: (
            "候补转为报名成功",
            f"有人取消报名，您已从候补转为「{p['activity_title']}」的正式报名，"
            f"请于{local_time(p['start_at'])}到{p.get('place') or '活动地点'}签到。",
        ),
        lambda p: {
            "thing1": p["activity_title"],
            "time2": p["start_at"],
            "thing3": p.get("place") or "见活动详情",
            "thing4": "候补已转为正式报名",
        },
    )
)
register_action("activity_signup", ("activity_seat",))


# ---- the time bank and teams (backend/volunteering): a redemption decided, a join request decided ----

register_template(Template("redemption_result", "积分兑换结果通知", ("thing1", "phrase2", "thing3", "time4")))


def _redemption_inbox(p: Params) -> tuple[str, str]:
    if p["approved"]:
        return "积分兑换成功", f"{p['partner_name']}已确认您用{p['cost']}积分兑换的「{p['offer_title']}」。"
    return (
        "积分兑换未成功",
        f"{p['partner_name']}婉拒了您的「{p['offer_title']}」兑换，{p['cost']}积分已退回。"
        f"原因：{p.get('reason') or '无'}",
    )


register_event(
    Event(
        "redemption_decided",
        "redemption_result",
        "pages/cobuild/mine/mine?tab=credits",
        _redemption_inbox,
        lambda p: {
            "thing1": p["offer_title"],
            "phrase2": "已兑换" if p["approved"] else "未兑换",
            "thing3": f"{p['partner_name']}已确认" if p["approved"] else (p.get("reason") or "积分已退回"),
            "time4": p["at"],
        },
    )
)
register_template(Template("team_join_result", "入队申请结果通知", ("thing1", "phrase2", "thing3", "time4")))
register_event(
    Event(
        "team_join_decided",
        "team_join_result",
        "pages/cobuild/activities/activities",
        lambda p: (
            "入队申请已通过" if p["approved"] else "入队申请未通过",
            f"您申请加入「{p['team_name']}」"
            + ("已获队长同意，欢迎参加队伍的志愿活动。" if p["approved"] else "未获同意，可以报名其他志愿活动。"),
        ),
        lambda p: {
            "thing1": p["team_name"],
            "phrase2": "已通过" if p["approved"] else "未通过",
            "thing3": "欢迎参加队伍的志愿活动" if p["approved"] else "可以报名其他志愿活动",
            "time4": p["at"],
        },
    )
)
register_action("redeem", ("redemption_result",))
register_action("join_team", ("team_join_result",))


# ---- the 小区评议会 (backend/appraisal): results to the community's review, and its decision -------

register_template(Template("appraisal_progress", "评议结果审核通知", ("thing1", "phrase2", "thing3", "time4")))
APPRAISAL_PAGE = "pages/project/appraisal/appraisal?id={meeting_id}"


def _appraisal_name(p: Params) -> str:
    return f"{p['compound_name']}{p['period']}小区评议会"


def _appraisal_submitted_inbox(p: Params) -> tuple[str, str]:
    if p.get("correction"):
        note = f"这是对已公示结果的更正（第{p['edition']}版），更正理由：{p['correction']}。"
    elif p.get("resubmitted"):
        note = "这是退回后重新提交的结果。"
    else:
        note = ""
    return "评议结果待审核", f"{_appraisal_name(p)}的评议结果已提交社区审核。{note}请审核后公示，或写明理由退回。"


register_event(
    Event(
        "appraisal_submitted",  # to the community admins: results (or a correction) await their review
        "appraisal_progress",
        APPRAISAL_PAGE,
        _appraisal_submitted_inbox,
        lambda p: {
            "thing1": f"{_appraisal_name(p)}评议结果",
            "phrase2": "待审核",
            "thing3": (f"更正：{p['correction']}" if p.get("correction") else "请审核后公示"),
            "time4": p["at"],
        },
    )
)
register_event(
    Event(
        "appraisal_returned",  # to the compound's branch
        "appraisal_progress",
        APPRAISAL_PAGE,
        lambda p: (
            "评议结果被退回",
            f"{_appraisal_name(p)}的评议结果被社区退回。原因：{p.get('reason') or '无'}。请核实后重新提交。",
        ),
        lambda p: {
            "thing1": f"{_appraisal_name(p)}评议结果",
            "phrase2": "已退回",
            "thing3": p.get("reason") or "请核实后重新提交",
            "time4": p["at"],
        },
    )
)
register_event(
    Event(
        "appraisal_published",  # to the compound's branch
        "appraisal_progress",
        APPRAISAL_PAGE,
        lambda p: ("评议结果已公示", f"{_appraisal_name(p)}的评议结果已通过社区审核，现已公示。"),
        lambda p: {
            "thing1": f"{_appraisal_name(p)}评议结果",
            "phrase2": "已公示",
            "thing3": p.get("reason") or "已通过社区审核",
            "time4": p["at"],
        },
    )
)
register_action("submit_appraisal", ("appraisal_progress",))


def wechat_declarations(template_ids: Mapping[str, str] | None = None) -> dict[str, tuple[str, ...]]:
    """The project's template table as the fake WeChat must know it: WeChat template id → data
    keys. ``template_ids``: NOTIFY_TEMPLATE_IDS (logical name → id); unset names are ``dev-<name>``."""
    ids = template_ids or {}
    return {ids.get(name, f"dev-{name}"): t.keys for name, t in TEMPLATES.items()}
