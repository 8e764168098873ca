"""Agenda items and meetings as the API shows them; the nine steps (九步议事法) derived from data."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.deliberation import followups, meetings, policy, schemas
from backend.deliberation.models import AgendaItem, Meeting, MeetingAttendance
from backend.deliberation.state import AGENDA, KIND_LABELS, MEETING, OUTCOME_LABELS, SOURCE_LABELS, AgendaStatus
from backend.directory import service as directory_service

A = AgendaStatus


def item_out(item: AgendaItem) -> schemas.AgendaItemOut:
    return schemas.AgendaItemOut(
        **item.model_dump(
            include={
                "id",
                "community_id",
                "compound_id",
                "text",
                "meeting_date",
                "status",
                "source",
                "meeting_id",
                "merged_into_id",
                "decline_reason",
                "outcome",
                "votes_for",
                "votes_against",
                "abstained",
                "outcome_note",
                "follow_up",
                "defer_count",
                "decided_at",
                "done_at",
                "created_at",
            }
        ),
        status_label=AGENDA.label(item.status),
        source_label=SOURCE_LABELS.get(item.source, item.source),
        outcome_label=OUTCOME_LABELS.get(item.outcome) if item.outcome else None,
        flagged=item.flagged_at is not None,
    )


def meeting_out(m: Meeting, convener_name: str | None, attendance: int) -> schemas.MeetingOut:
    return schemas.MeetingOut(
        id=m.id,
        kind=m.kind,
        kind_label=KIND_LABELS[m.kind],
        community_id=m.community_id,
        compound_id=m.compound_id,
        date=m.date,
        period=m.period,
        place=m.place,
        convener_name=convener_name,
        status=m.status,
        status_label=MEETING.label(m.status),
        attendance_count=attendance,
        reminded_at=m.reminded_at,
        closed_at=m.closed_at,
    )


async def _gathered(session: AsyncSession, m: Meeting):
    """(count, first created_at) of the agenda gathered for this meeting's month (any status)."""
    nominal = meetings.nominal_day(m.date.year, m.date.month)
    row = (
        await session.execute(
            select(func.count(), func.min(AgendaItem.created_at)).where(
                AgendaItem.community_id == m.community_id,
                (AgendaItem.meeting_id == m.id) | (AgendaItem.meeting_date == nominal),
            )
        )
    ).one()
    return row[0], row[1]


async def nine_steps(
    session: AsyncSession, m: Meeting, items: list[AgendaItem], attendance: int
) -> list[schemas.NineStep]:
    gathered, gathered_at = await _gathered(session, m)
    decided = [i for i in items if i.status in (A.decided, A.done)]
    adopted = [i for i in items if i.outcome == "adopted"]
    funded = [i for i in adopted if (i.follow_up or {}).get("funding")]
    linked = await followups.progress(session, adopted)
    tracked = [i for i in adopted if (i.follow_up or {}).get("owner") or i.id in linked]
    finished_refs = [p for p in linked.values() if p.finished]
    finished = [i for i in adopted if i.status == A.done]
    last_decided = max((i.decided_at for i in decided if i.decided_at), default=None)
    first_at = await session.scalar(
        select(func.min(MeetingAttendance.checked_in_at)).where(MeetingAttendance.meeting_id == m.id)
    )
    all_decided = bool(items) and len(decided) == len(items)
    rows = [
        (
            "organise",
            "建立议事组织",
            m.convener_id is not None,
            m.created_at,
            "召集人已明确" if m.convener_id else "尚未明确召集人",
        ),
        ("platform", "搭建议事平台", bool(m.place), m.created_at, m.place or "尚未确定议事地点"),
        ("gather", "汇总诉求清单", gathered > 0, gathered_at, f"征集议题{gathered}项"),
        ("select", "选定协商议题", bool(items), None, f"列入议程{len(items)}项"),
        ("forms", "丰富议事形式", attendance > 0, first_at, f"参会{attendance}人"),
        (
            "content",
            "规范议事内容",
            all_decided,
            last_decided if all_decided else None,
            f"已议定{len(decided)}/{len(items)}项",
        ),
        (
            "funding",
            "筹措项目资金",
            bool(adopted) and len(funded) == len(adopted),
            None,
            f"落实资金{len(funded)}/{len(adopted)}项",
        ),
        (
            "track",
            "跟踪项目实施",
            bool(adopted) and len(tracked) == len(adopted) and len(finished_refs) == len(linked),
            None,
            _track_detail(len(tracked), len(adopted), linked),
        ),
        (
            "evaluate",
            "评估反馈效果",
            m.closed_at is not None and len(finished) == len(adopted),
            m.closed_at,
            f"通过事项办结{len(finished)}/{len(adopted)}项",
        ),
    ]
    return [schemas.NineStep(key=k, name=n, done=d, at=at if d else None, detail=t) for k, n, d, at, t in rows]


def _track_detail(tracked: int, adopted: int, linked: dict[int, followups.Progress]) -> str:
    """明确责任人 x/y, then what the follow-ups that became a wish, issue or proposal are at."""
    text = f"明确责任人{tracked}/{adopted}项"
    if linked:
        done = sum(1 for p in linked.values() if p.finished)
        states = "、".join(f"{followups.KIND_NOUNS[p.kind]}{p.status_label}" for p in linked.values())
        text += f"；后续事项办结{done}/{len(linked)}项（{states}）"
    return text


async def detail(session: AsyncSession, principal: Principal, m: Meeting) -> schemas.MeetingDetail:
    items = await meetings.items_of(session, m.id)
    attendance = (await meetings.attendance_of(session, [m.id])).get(m.id, 0)
    names = await directory_service.names_of(session, [m.convener_id])
    runs = await policy.may_run(session, principal, m)
    actions = []
    if MEETING.can(m.status, "closed"):
        actions.append("check_in")
        if runs:
            actions += ["add_items", "attendance", "outcome", "close"]
    return schemas.MeetingDetail(
        **meeting_out(m, names.get(m.convener_id), attendance).model_dump(),
        minutes=m.minutes,
        items=[item_out(i) for i in items],
        steps=await nine_steps(session, m, items, attendance),
        actions=actions,
    )
