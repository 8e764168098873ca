"""What a visit finds becomes work, linked back to the visit: a need → a micro-wish the compound's
dispatcher reviews; a hazard or a dispute → an open grid issue; a suggestion → the agenda of the
monthly deliberation day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from backend.deliberation.models import AgendaItem
from backend.deliberation.service import next_deliberation_day
from backend.directory.models import User
from backend.households.models import Resident
from backend.issues.models import GridIssue
from backend.kernel.clock import SHANGHAI, utcnow
from backend.org.models import Grid, Household
from backend.visits.models import VisitFinding
from backend.wishes.models import Wish
from tests.support.demo import households_of_grid, user_id
from tests.support.photos import uploaded
from tests.support.visits import visit

G1 = "和谐社区第一网格"


async def test_a_need_becomes_a_wish_the_dispatcher_reviews(api, session):
    # a household whose residents have no account (an elderly couple without WeChat)
    household = (await households_of_grid(session, G1, without_users=True))[0]
    head = (
        (await session.execute(select(Resident).where(Resident.household_id == household).order_by(Resident.id)))
        .scalars()
        .first()
    )
    item = visit(
        household,
        findings=[
            {"kind": "need", "text": "老人腿脚不便，想要一根带防滑脚垫的拐杖。家里没人会网购。", "category": "goods"}
        ],
    )
    body = await api.ok("POST", "/api/v1/visits/batch", "demo-gridworker", json={"visits": [item]})
    result = body["results"][0]
    assert result["status"] == "created"
    (follow_up,) = result["follow_ups"]
    assert (follow_up["kind"], follow_up["type"]) == ("need", "wish")

    # the compound's dispatcher finds it among the wishes to review, filed by the grid worker
    pending = await api.ok("GET", "/api/v1/wishes?status=pending_review&limit=100", "demo-dispatcher")
    assert follow_up["id"] in [w["id"] for w in pending["items"]]
    wish = await api.ok("GET", f"/api/v1/wishes/{follow_up['id']}", "demo-dispatcher")
    assert wish["status"] == "pending_review" and wish["category"] == "goods"
    assert wish["title"] == "老人腿脚不便，想要一根带防滑脚垫的拐杖"
    assert wish["events"][0]["type"] == "created" and wish["events"][0]["actor_name"] == "孙丽"
    reviewed = await api.ok(
        "POST", f"/api/v1/wishes/{follow_up['id']}/review", "demo-dispatcher", json={"decision": "approve"}
    )
    assert reviewed["status"] == "open"

    row = await session.get(Wish, follow_up["id"])
    requester = await session.get(User, row.requester_id)
    assert row.filed_by == await user_id(session, "demo-gridworker")
    assert (requester.household_id, requester.name, requester.openid) == (household, head.name, None)
    await session.refresh(head)
    assert head.user_id == requester.id  # the resident is linked to the account the wish was filed for
    finding = (await session.execute(select(VisitFinding).where(VisitFinding.visit_id == result["id"]))).scalar_one()
    assert finding.wish_id == row.id

    # a second need for the same household reuses that account
    again = visit(household, findings=[{"kind": "need", "text": "想学用手机视频通话", "category": "skills"}])
    body = await api.ok("POST", "/api/v1/visits/batch", "demo-gridworker", json={"visits": [again]})
    second = await session.get(Wish, body["results"][0]["follow_ups"][0]["id"])
    assert second.requester_id == requester.id


async def test_a_need_for_a_named_resident_and_for_a_household_with_an_account(api, session):
    bound = (
        await session.execute(
            select(User).where(User.openid == "fake-openid-demo-resident2")  # 李建国 lives in 锦华苑
        )
    ).scalar_one()
    hh = await session.get(Household, bound.household_id)
    if hh.grid_id != (await session.execute(select(Grid.id).where(Grid.name == G1))).scalar_one():
        worker = "demo-gridworker2"
    else:
        worker = "demo-gridworker"
    body = await api.ok(
        "POST",
        "/api/v1/visits/batch",
        worker,
        json={
            "visits": [visit(hh.id, findings=[{"kind": "need", "text": "楼道灯坏了需要维修", "category": "repair"}])]
        },
    )
    wish = await session.get(Wish, body["results"][0]["follow_ups"][0]["id"])
    assert wish.requester_id == bound.id  # the account already bound to the household

    # naming a resident files the wish for that resident
    household = (await households_of_grid(session, G1, without_users=True))[1]
    residents = (
        (await session.execute(select(Resident).where(Resident.household_id == household).order_by(Resident.id)))
        .scalars()
        .all()
    )
    target = residents[-1]
    item = visit(household, findings=[{"kind": "need", "text": "需要陪同去医院复查", "resident_id": target.id}])
    body = await api.ok("POST", "/api/v1/visits/batch", "demo-gridworker", json={"visits": [item]})
    wish = await session.get(Wish, body["results"][0]["follow_ups"][0]["id"])
    requester = await session.get(User, wish.requester_id)
    assert requester.name == target.name and wish.category == "other"


async def test_hazards_disputes_and_suggestions(api, session):
    household = (await households_of_grid(session, G1))[5]
    at = utcnow() - timedelta(hours=1)
    ref = await uploaded(api, "demo-gridworker")
    never_arrived = "/uploads/0123456789abcdef0123456789abcdef.jpg"  # taken offline, its upload lost
    item = visit(
        household,
        at=at,
        findings=[
            {"kind": "hazard", "text": "电动车在楼道内充电", "photos": [ref, never_arrived]},
            {"kind": "dispute", "text": "楼上楼下因漏水发生争执"},
            {"kind": "suggestion", "text": "建议增设快递柜"},
        ],
    )
    body = await api.ok("POST", "/api/v1/visits/batch", "demo-gridworker", json={"visits": [item]})
    refs = body["results"][0]["follow_ups"]
    assert [(r["kind"], r["type"]) for r in refs] == [
        ("hazard", "issue"),
        ("dispute", "issue"),
        ("suggestion", "agenda_item"),
    ]
    h = await session.get(Household, household)
    hazard, dispute = (await session.get(GridIssue, refs[0]["id"]), await session.get(GridIssue, refs[1]["id"]))
    assert (hazard.category, hazard.status, hazard.grid_id, hazard.compound_id) == (
        "hazard",
        "open",
        h.grid_id,
        h.compound_id,
    )
    assert hazard.photos == [ref] and hazard.household_id == household
    assert (dispute.category, dispute.status) == ("dispute", "open")
    agenda = await session.get(AgendaItem, refs[2]["id"])
    grid = await session.get(Grid, h.grid_id)
    assert agenda.community_id == grid.community_id and agenda.status == "proposed"
    assert agenda.meeting_date == next_deliberation_day(at) and agenda.meeting_date.day == 10

    # the household's history shows the visit with what each finding became
    history = await api.ok("GET", f"/api/v1/households/{household}/visits", "demo-gridworker")
    latest = next(v for v in history["items"] if v["id"] == body["results"][0]["id"])
    assert latest["worker_name"] == "孙丽" and latest["outcome_label"] == "见到居民"
    assert [(f["kind_label"], f["follow_up"]["id"], f["follow_up_status"]) for f in latest["findings"]] == [
        ("安全隐患", refs[0]["id"], "open"),
        ("矛盾纠纷", refs[1]["id"], "open"),
        ("意见建议", refs[2]["id"], "proposed"),  # the agenda item's status
    ]
    for cursor in ("999999999999999999.1", "1.99999999999", "abc", "1"):
        r = await api.get(f"/api/v1/households/{household}/visits?cursor={cursor}", "demo-gridworker")
        assert r.status_code == 422 and r.json()["error"] == "invalid_cursor", r.text


def test_the_deliberation_day_is_the_next_tenth_in_shanghai():
    def at(*args):
        return datetime(*args, tzinfo=SHANGHAI)

    assert next_deliberation_day(at(2026, 11, 9, 23, 0)) == date(2026, 11, 10)
    assert next_deliberation_day(at(2026, 11, 10, 8, 0)) == date(2026, 12, 10)
    assert next_deliberation_day(at(2026, 12, 15)) == date(2027, 1, 10)
    # 2026-11-09 17:00 UTC is already the 10th in Shanghai
    assert next_deliberation_day(datetime(2026, 11, 9, 17, 0, tzinfo=UTC)) == date(2026, 12, 10)


async def test_history_pages_latest_first(api, session):
    household = (await households_of_grid(session, G1))[7]
    now = utcnow()
    items = [visit(household, at=now - timedelta(days=d, hours=1)) for d in (3, 1, 2, 5, 4)]
    await api.ok("POST", "/api/v1/visits/batch", "demo-gridworker", json={"visits": items})
    seen, cursor = [], None
    while True:
        url = f"/api/v1/households/{household}/visits?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = await api.ok("GET", url, "demo-admin")  # admins read the history too
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    times = [v["visited_at"] for v in seen]
    assert times == sorted(times, reverse=True) and len({v["id"] for v in seen}) == len(seen)
    assert {i["client_id"] for i in items} <= {v["client_id"] for v in seen}
