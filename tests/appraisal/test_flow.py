"""The 小区评议会 over HTTP on 锦华苑: an evaluation meeting for a complete quarter, checked-in
attendees rating each line once (a comment for 1–2), the branch submitting the results, the
community returning and approving them, the frozen snapshot, and a correction as a new edition."""

from __future__ import annotations

from sqlalchemy import func, select, update

from backend.appraisal.models import AppraisalRating
from backend.kernel.clock import to_shanghai, utcnow
from backend.org.models import Compound
from tests.support.api import error

M = "/api/v1/meetings"


async def _c1(session) -> int:
    return (await session.execute(select(Compound.id).where(Compound.name == "锦华苑"))).scalar_one()


async def _meeting(api, c1: int, period: str = "2026-Q3") -> dict:
    body = {"kind": "evaluation", "compound_id": c1, "date": to_shanghai(utcnow()).date().isoformat(), "period": period}
    return await api.ok("POST", M, "demo-dispatcher", status=201, json=body)


async def test_an_evaluation_meeting_rates_one_complete_quarter(api, session):
    c1 = await _c1(session)
    today = to_shanghai(utcnow()).date().isoformat()
    base = {"kind": "evaluation", "compound_id": c1, "date": today}
    r = await api.post(M, "demo-dispatcher", json={**base, "period": "2026-Q4"})
    assert "尚未结束" in error(r, 422, "period_not_complete")["detail"]
    error(await api.post(M, "demo-dispatcher", json=base), 422, "period_required")
    error(await api.post(M, "demo-dispatcher", json={**base, "period": "2026-11"}), 422, "invalid_period")
    r = await api.post(M, "demo-admin", json={**base, "compound_id": None, "community_id": 1, "period": "2026-Q3"})
    error(r, 422, "compound_required")
    error(await api.post(M, "demo-dispatcher", json={**base, "kind": "regular", "period": "2026-Q3"}), 422)
    meeting = await _meeting(api, c1)
    assert meeting["period"] == "2026-Q3" and meeting["kind_label"] == "小区评议会"
    # a meeting of another kind has no sheet
    others = await api.ok("GET", f"{M}?community_id={meeting['community_id']}", "demo-admin")
    plain = next(m for m in others["items"] if m["kind"] != "evaluation")
    error(await api.get(f"{M}/{plain['id']}/sheet", "demo-admin"), 409, "not_evaluation_meeting")


async def test_checked_in_attendees_rate_each_line_once(api, session):
    meeting = await _meeting(api, await _c1(session))
    url = f"{M}/{meeting['id']}"
    sheet = await api.ok("GET", f"{url}/sheet", "demo-resident")
    assert sheet["checked_in"] is False and sheet["can_rate"] is False
    kinds = [line["kind"] for line in sheet["lines"]]
    assert kinds.count("committee") == 1 and kinds.count("property") == 1 and "member" in kinds
    committee = next(line for line in sheet["lines"] if line["kind"] == "committee")
    assert committee["name"] == "锦华苑业主委员会"
    one = {"ratings": [{"line_id": "committee", "score": 4}]}
    error(await api.post(f"{url}/ratings", "demo-resident", json=one), 403, "not_checked_in")

    await api.ok("POST", f"{url}/attendance", "demo-resident", json={})
    await api.ok("POST", f"{url}/attendance", "demo-member", json={})
    assert (await api.ok("GET", f"{url}/sheet", "demo-resident"))["can_rate"] is True
    # a 1–2 without a comment is refused, naming the line, and nothing of the batch is kept
    low = {"ratings": [{"line_id": "committee", "score": 5}, {"line_id": sheet["lines"][-1]["line_id"], "score": 2}]}
    body = error(await api.post(f"{url}/ratings", "demo-resident", json=low), 422, "comment_required")
    assert sheet["lines"][-1]["name"] in body["detail"]
    count = select(func.count()).where(AppraisalRating.meeting_id == meeting["id"])
    assert (await session.execute(count)).scalar_one() == 0
    unknown = {"ratings": [{"line_id": "project:999999", "score": 3}]}
    error(await api.post(f"{url}/ratings", "demo-resident", json=unknown), 422, "unknown_line")
    twice = {"ratings": [{"line_id": "committee", "score": 3}, {"line_id": "committee", "score": 4}]}
    error(await api.post(f"{url}/ratings", "demo-resident", json=twice), 422, "duplicate_line")

    every = [{"line_id": line["line_id"], "score": 5, "comment": "很好"} for line in sheet["lines"]]
    every[-1] = {"line_id": every[-1]["line_id"], "score": 1, "comment": "物业维修拖延"}
    done = await api.ok("POST", f"{url}/ratings", "demo-resident", status=201, json={"ratings": every})
    assert done["rated"] == len(sheet["lines"]) and all(line["rated_by_me"] for line in done["sheet"]["lines"])
    error(await api.post(f"{url}/ratings", "demo-resident", json=one), 409, "already_rated")
    await api.ok("POST", f"{url}/ratings", "demo-member", status=201, json=one)
    assert (await session.execute(count)).scalar_one() == len(sheet["lines"]) + 1


async def _rated_meeting(api, session) -> tuple[dict, str]:
    meeting = await _meeting(api, await _c1(session))
    url = f"{M}/{meeting['id']}"
    for who, score in (("demo-resident", 5), ("demo-member", 2)):
        await api.ok("POST", f"{url}/attendance", who, json={})
        body = {
            "ratings": [{"line_id": "committee", "score": score, "comment": "账目公开不及时" if score < 3 else None}]
        }
        await api.ok("POST", f"{url}/ratings", who, status=201, json=body)
    return meeting, url


async def test_results_are_reviewed_then_published_frozen_and_corrected_as_a_new_edition(api, session):
    meeting, url = await _rated_meeting(api, session)
    error(await api.post(f"{url}/appraisal/submit", "demo-dispatcher", json={}), 409, "meeting_not_closed")
    await api.ok("POST", f"{url}/close", "demo-dispatcher", json={"minutes": "逐项评议"})
    error(await api.post(f"{url}/appraisal/submit", "demo-admin", json={}), 403, "role_required")
    first = await api.ok("POST", f"{url}/appraisal/submit", "demo-dispatcher", json={})
    assert first["status"] == "submitted" and first["edition"] == 1
    error(await api.post(f"{url}/appraisal/submit", "demo-dispatcher", json={}), 409, "appraisal_pending")
    # not yet published: hidden from residents, listed for the staff
    error(await api.get(f"/api/v1/appraisals/{first['id']}", "demo-resident"), 404, "appraisal_not_found")
    c1 = meeting["compound_id"]
    listed = await api.ok("GET", f"/api/v1/appraisals?compound_id={c1}&period=2026-Q3", "demo-resident")
    assert first["id"] not in [a["id"] for a in listed["items"]]
    staff = await api.ok("GET", f"/api/v1/appraisals?compound_id={c1}&period=2026-Q3", "demo-dispatcher")
    assert first["id"] in [a["id"] for a in staff["items"]]

    review = f"{url}/appraisal/review"
    error(await api.post(review, "demo-dispatcher", json={"decision": "approve"}), 403, "role_required")
    error(await api.post(review, "demo-admin", json={"decision": "return"}), 422, "reason_required")
    back = await api.ok("POST", review, "demo-admin", json={"decision": "return", "reason": "请补充物业评价"})
    assert back["status"] == "returned" and back["review_reason"] == "请补充物业评价"
    again = await api.ok("POST", f"{url}/appraisal/submit", "demo-dispatcher", json={})
    assert again["id"] == first["id"] and again["status"] == "submitted"
    published = await api.ok("POST", review, "demo-admin", json={"decision": "approve"})
    assert published["status"] == "published" and published["published_at"]

    seen = await api.ok("GET", f"/api/v1/appraisals/{first['id']}", "demo-resident")
    committee = next(line for line in seen["content"]["lines"] if line["line_id"] == "committee")
    assert committee["count"] == 2 and committee["mean"] == 3.5
    assert committee["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert committee["good"]["numerator"] == 1 and committee["good"]["denominator"] == 2
    assert [c["comment"] for c in committee["comments"]] == ["账目公开不及时"]
    assert committee["comments"][0]["rater"] == "张*"  # 张伟, masked
    assert "张伟" not in str(seen["content"]["lines"][-2:])

    # the data under it changes; the snapshot does not
    await session.execute(update(AppraisalRating).where(AppraisalRating.meeting_id == meeting["id"]).values(score=1))
    await session.execute(update(Compound).where(Compound.id == c1).values(name="锦华苑（改名）"))
    assert await api.ok("GET", f"/api/v1/appraisals/{first['id']}", "demo-resident") == seen
    live = await api.ok("GET", f"{url}/sheet", "demo-resident")
    assert live["compound_name"] == "锦华苑（改名）"

    # a correction is a new edition; the old one stays readable, marked superseded once approved
    error(await api.post(f"{url}/appraisal/submit", "demo-dispatcher", json={}), 422, "reason_required")
    fix = await api.ok("POST", f"{url}/appraisal/submit", "demo-dispatcher", json={"reason": "更正评分录入错误"})
    assert fix["edition"] == 2 and fix["supersedes_id"] == first["id"] and fix["id"] != first["id"]
    assert (await api.ok("GET", f"/api/v1/appraisals/{first['id']}", "demo-resident"))["status"] == "published"
    await api.ok("POST", review, "demo-admin", json={"decision": "approve"})
    old = await api.ok("GET", f"/api/v1/appraisals/{first['id']}", "demo-resident")
    assert old["status"] == "superseded" and old["content"] == seen["content"]
    new = await api.ok("GET", f"/api/v1/appraisals/{fix['id']}", "demo-resident")
    new_committee = next(line for line in new["content"]["lines"] if line["line_id"] == "committee")
    assert new["status"] == "published" and new_committee["mean"] == 1.0
    assert new["content"]["compound_name"] == "锦华苑（改名）"
    listed = await api.ok("GET", f"/api/v1/appraisals?compound_id={c1}&period=2026-Q3", "demo-resident")
    ids = [a["id"] for a in listed["items"]]
    assert fix["id"] in ids and first["id"] in ids
    # ratings are closed once results are submitted
    r = await api.post(f"{url}/ratings", "demo-resident", json={"ratings": [{"line_id": "committee", "score": 3}]})
    error(r, 409, "ratings_closed")


async def test_the_demo_holds_two_quarters_one_published_one_awaiting_review(api, session):
    c1 = await _c1(session)
    listed = await api.ok("GET", f"/api/v1/appraisals?compound_id={c1}", "demo-admin")
    statuses = {a["period"]: a["status"] for a in listed["items"]}
    assert sorted(statuses.values()) == ["published", "submitted"], statuses
    public = await api.ok("GET", f"/api/v1/appraisals?compound_id={c1}", "demo-resident")
    assert [a["status"] for a in public["items"]] == ["published"]
    detail = await api.ok("GET", f"/api/v1/appraisals/{public['items'][0]['id']}", "demo-resident")
    assert detail["content"]["raters"] >= 3 and all(line["count"] >= 3 for line in detail["content"]["lines"])
