"""Department sign-in (部门下沉签到): contacts, offline batches, and the sign-in rate.

- A department's contacts say which of its staff (a user with a department_staff or department_head
  grant on it) contacts which community or compound of the street; the street admin sets them.
- A sign-in is sent offline by client id with its time, place and optional location. A replay of a
  client id is answered with the row it made; a sign-in at a place not in the person's contacts is
  refused per item with a reason; the others are kept.
- The sign-in rate of a person at a place = working days (the calendar in backend/workcal: a holiday
  never counts, a 调休 Saturday does) with at least one sign-in there ÷ working days of the period up
  to today since the contact was set (a contact kept by a later PUT keeps its date; a person's own
  rate counts from their first contact). Sign-ins on a day off are kept and listed apart (`excluded.day_off`).

Staff are named in full: they sign in as officials of the street, and the rate is their assessment.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.evaluations.models import DepartmentCheckin, DepartmentContact
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.errors import InvalidInput
from backend.kernel.figures import figure
from backend.kernel.periods import Period, today_local
from backend.org.models import Community, Compound, Department, RoleGrant
from backend.workcal.service import Calendar, load_calendar

PLACE_KINDS = ("community", "compound")
MAX_AGE_DAYS = 62  # an offline sign-in older than this is refused
RATE_DEFINITION = (
    "按工作日计：有签到的工作日数 ÷ 期内自安排联系之日起截至今天的工作日数"
    "（按工作日历，法定节假日不计、调休上班日计入）；"
    "同一人同一地点同一天多次签到只计一次，休息日的签到列在「休息日签到」，不计入"
)


async def place_names(session: AsyncSession, places: set[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, int]]:
    """(kind, id) → (name, street id)."""
    out: dict[tuple[str, int], tuple[str, int]] = {}
    communities = {i for k, i in places if k == "community"}
    compounds = {i for k, i in places if k == "compound"}
    if communities:
        rows = await session.execute(
            select(Community.id, Community.name, Community.street_id).where(Community.id.in_(communities))
        )
        out |= {("community", i): (n, s) for i, n, s in rows.all()}
    if compounds:
        rows = await session.execute(
            select(Compound.id, Compound.name, Community.street_id)
            .join(Community, Community.id == Compound.community_id)
            .where(Compound.id.in_(compounds))
        )
        out |= {("compound", i): (n, s) for i, n, s in rows.all()}
    return out


async def set_contacts(session: AsyncSession, department: Department, contacts: list[dict]) -> list[DepartmentContact]:
    """Replace the department's contacts with `contacts` ({user_id, place_kind, place_id})."""
    staff = set(
        (
            await session.execute(
                select(RoleGrant.user_id).where(
                    RoleGrant.role.in_(("department_staff", "department_head")),
                    RoleGrant.scope_type == "department",
                    RoleGrant.scope_id == department.id,
                )
            )
        ).scalars()
    )
    keys = {(c["user_id"], c["place_kind"], c["place_id"]) for c in contacts}
    if len(keys) != len(contacts):
        raise InvalidInput("联系安排有重复", code="duplicate_contact")
    strangers = sorted({u for u, _, _ in keys} - staff)
    if strangers:
        raise InvalidInput(f"用户 {strangers[0]} 不是该部门的工作人员", code="not_department_staff")
    names = await place_names(session, {(k, i) for _, k, i in keys})
    for _, kind, pid in sorted(keys):
        if names.get((kind, pid), ("", None))[1] != department.street_id:
            raise InvalidInput(f"{'社区' if kind == 'community' else '小区'} {pid} 不在本街道", code="place_not_found")
    kept = await contacts_of(session, department_id=department.id)
    gone = [c.id for c in kept if (c.user_id, c.place_kind, c.place_id) not in keys]
    if gone:
        await session.execute(delete(DepartmentContact).where(DepartmentContact.id.in_(gone)))
    have = {(c.user_id, c.place_kind, c.place_id) for c in kept}
    new = [
        DepartmentContact(department_id=department.id, user_id=u, place_kind=k, place_id=i) for u, k, i in keys - have
    ]
    session.add_all(new)
    await session.flush()
    rows = [c for c in kept if c.id not in gone] + new
    return sorted(rows, key=lambda r: (r.user_id, r.place_kind, r.place_id))


async def contacts_of(session: AsyncSession, *, department_id: int | None = None, user_id: int | None = None):
    stmt = select(DepartmentContact)
    if department_id is not None:
        stmt = stmt.where(DepartmentContact.department_id == department_id)
    if user_id is not None:
        stmt = stmt.where(DepartmentContact.user_id == user_id)
    return list((await session.execute(stmt.order_by(DepartmentContact.id))).scalars())


async def contacts_of_departments(session: AsyncSession, department_ids: list[int]) -> list[DepartmentContact]:
    if not department_ids:
        return []
    stmt = select(DepartmentContact).where(DepartmentContact.department_id.in_(department_ids))
    return list((await session.execute(stmt.order_by(DepartmentContact.id))).scalars())


def _refusal(item: dict, contacts: dict[tuple[str, int], DepartmentContact], now) -> str | None:
    contact = contacts.get((item["place_kind"], item["place_id"]))
    if contact is None:
        return "不是您联系的社区或小区"
    if item["at"] > now + timedelta(minutes=10):
        return "签到时间晚于当前时间"
    if item["at"] < now - timedelta(days=MAX_AGE_DAYS):
        return f"签到时间早于{MAX_AGE_DAYS}天前，请联系街道补录"
    if item["at"].astimezone(SHANGHAI).date() < since(contact):
        return "签到时间早于安排联系的日期"
    return None


async def _existing(session: AsyncSession, user_id: int, client_ids: list[str]) -> dict[str, DepartmentCheckin]:
    if not client_ids:
        return {}
    rows = await session.execute(
        select(DepartmentCheckin).where(
            DepartmentCheckin.user_id == user_id, DepartmentCheckin.client_id.in_(client_ids)
        )
    )
    return {r.client_id: r for r in rows.scalars()}


async def _insert(session: AsyncSession, row: DepartmentCheckin) -> DepartmentCheckin | None:
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same client id from a concurrent replay
        return None
    return row


async def batch(session: AsyncSession, user_id: int, items: list[dict]) -> list[dict]:
    """Each item → {client_id, result: accepted | duplicate | refused, reason, checkin_id}."""
    contacts = {(c.place_kind, c.place_id): c for c in await contacts_of(session, user_id=user_id)}
    seen = await _existing(session, user_id, [i["client_id"] for i in items])
    now = utcnow()
    out = []
    for item in items:
        found = seen.get(item["client_id"])
        if found is not None:
            out.append({"client_id": item["client_id"], "result": "duplicate", "reason": None, "checkin_id": found.id})
            continue
        reason = _refusal(item, contacts, now)
        if reason is not None:
            out.append({"client_id": item["client_id"], "result": "refused", "reason": reason, "checkin_id": None})
            continue
        row = DepartmentCheckin(
            client_id=item["client_id"],
            user_id=user_id,
            department_id=contacts[(item["place_kind"], item["place_id"])].department_id,
            place_kind=item["place_kind"],
            place_id=item["place_id"],
            at=item["at"],
            day=item["at"].astimezone(SHANGHAI).date(),
            latitude=item.get("latitude"),
            longitude=item.get("longitude"),
        )
        kept = await _insert(session, row)
        if kept is None:
            again = (await _existing(session, user_id, [item["client_id"]]))[item["client_id"]]
            out.append({"client_id": item["client_id"], "result": "duplicate", "reason": None, "checkin_id": again.id})
            continue
        seen[item["client_id"]] = kept
        out.append({"client_id": item["client_id"], "result": "accepted", "reason": None, "checkin_id": kept.id})
    return out


def working_days(calendar: Calendar, period: Period, today: date) -> list[date]:
    days, day = [], period.first_day
    last = min(period.end_day, today + timedelta(days=1))
    while day < last:
        if calendar.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def since(contact: DepartmentContact) -> date:
    """The first local day a contact counts."""
    return contact.created_at.astimezone(SHANGHAI).date()


def day_key(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def rate_of(workdays: list[date], rows: list[DepartmentCheckin]) -> dict:
    signed = {r.day for r in rows}
    work = set(workdays)
    return figure(
        "签到率",
        "day",
        {
            "signed": [day_key(d) for d in work & signed],
            "missed": [day_key(d) for d in work - signed],
        },
        ["signed"],
        RATE_DEFINITION,
        excluded={"day_off": [day_key(d) for d in signed - work]},
    )


def _from(workdays: list[date], first: date | None) -> list[date]:
    return [d for d in workdays if first is None or d >= first]


async def checkins_in(session: AsyncSession, department_ids: list[int], period: Period) -> list[DepartmentCheckin]:
    if not department_ids:
        return []
    stmt = select(DepartmentCheckin).where(
        DepartmentCheckin.department_id.in_(department_ids),
        DepartmentCheckin.day >= period.first_day,
        DepartmentCheckin.day < period.end_day,
    )
    return list((await session.execute(stmt.order_by(DepartmentCheckin.id))).scalars())


async def calendar_for(session: AsyncSession, settings, period: Period) -> Calendar:
    return await load_calendar(session, settings, period.start, days=(period.end_day - period.first_day).days + 2)


async def summary(session: AsyncSession, settings, department: Department, period: Period) -> dict:
    calendar = await calendar_for(session, settings, period)
    workdays = working_days(calendar, period, today_local())
    contacts = await contacts_of(session, department_id=department.id)
    rows = await checkins_in(session, [department.id], period)
    by_place: dict[tuple, list[DepartmentCheckin]] = defaultdict(list)
    by_person: dict[int, list[DepartmentCheckin]] = defaultdict(list)
    for r in rows:
        by_place[(r.user_id, r.place_kind, r.place_id)].append(r)
        by_person[r.user_id].append(r)
    people = sorted({c.user_id for c in contacts} | set(by_person))
    names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(people)))).all()) if people else {}
    places = await place_names(session, {(c.place_kind, c.place_id) for c in contacts} | {k[1:] for k in by_place})
    contact_since = {(c.user_id, c.place_kind, c.place_id): since(c) for c in contacts}
    person_since: dict[int, date] = {}
    for (u, _, _), day in contact_since.items():
        person_since[u] = min(day, person_since.get(u, day))
    keys = sorted(set(contact_since) | set(by_place))
    place_rows = [
        {
            "user_id": u,
            "user_name": names.get(u, ""),
            "place_kind": k,
            "place_id": i,
            "place_name": places.get((k, i), ("", 0))[0],
            "contact": (u, k, i) in contact_since,
            "since": contact_since.get((u, k, i)),
            "signin_rate": rate_of(_from(workdays, contact_since.get((u, k, i))), by_place.get((u, k, i), [])),
            "checkins": [{"id": r.id, "at": r.at, "day": r.day} for r in by_place.get((u, k, i), [])],
        }
        for u, k, i in keys
    ]
    person_rows = [
        {
            "user_id": u,
            "user_name": names.get(u, ""),
            "signin_rate": rate_of(_from(workdays, person_since.get(u)), by_person.get(u, [])),
        }
        for u in people
    ]
    return {
        "department_id": department.id,
        "department_name": department.name,
        "period": {"label": period.label, "start": period.start, "end": period.end},
        "working_days": [d.isoformat() for d in workdays],
        "people": person_rows,
        "places": place_rows,
    }
