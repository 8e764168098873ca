"""The 小区评议会's messages: results submitted (first, resubmitted after a return, a correction) reach
the community admins who review them, in the inbox, opening the evaluation meeting's page; a return
(with its reason) and the publication reach the compound's branch. The demo's two quarters' sheets
list the compound's projects."""

from __future__ import annotations

from sqlalchemy import select

from backend.appraisal.models import Appraisal
from backend.deliberation.models import Meeting
from backend.kernel.clock import to_shanghai, utcnow
from backend.notify.models import Notification
from backend.org.models import Compound

M = "/api/v1/meetings"


async def _closed_meeting(api, session) -> dict:
    c1 = (await session.execute(select(Compound.id).where(Compound.name == "锦华苑"))).scalar_one()
    today = to_shanghai(utcnow()).date().isoformat()
    body = {"kind": "evaluation", "compound_id": c1, "date": today, "period": "2026-Q3"}
    meeting = await api.ok("POST", M, "demo-dispatcher", status=201, json=body)
    url = f"{M}/{meeting['id']}"
    await api.ok("POST", f"{url}/attendance", "demo-resident", json={})
    rating = {"ratings": [{"line_id": "committee", "score": 2, "comment": "账目公开不及时"}]}
    await api.ok("POST", f"{url}/ratings", "demo-resident", status=201, json=rating)
    await api.ok("POST", f"{url}/close", "demo-dispatcher", json={"minutes": "逐项评议"})
    return meeting


async def _inbox(api, who: str, meeting_id: int) -> list[dict]:
    """The caller's messages about this meeting, oldest first."""
    page = await api.ok("GET", "/api/v1/inbox?limit=50", who)
    return [m for m in reversed(page["items"]) if m["ref_type"] == "meeting" and m["ref_id"] == meeting_id]


async def test_submission_reaches_the_community_admins_and_the_decision_the_branch(api, session):
    meeting = await _closed_meeting(api, session)
    url, page = f"{M}/{meeting['id']}", f"pages/project/appraisal/appraisal?id={meeting['id']}"
    await api.ok("POST", f"{url}/appraisal/submit", "demo-dispatcher", json={})
    [sent] = await _inbox(api, "demo-admin", meeting["id"])
    assert sent["event"] == "appraisal_submitted" and sent["title"] == "评议结果待审核"
    assert "锦华苑2026-Q3小区评议会" in sent["body"] and "请审核后公示" in sent["body"]
    assert sent["page"] == page and not sent["read"]
    assert await _inbox(api, "demo-dispatcher", meeting["id"]) == []

    review = f"{url}/appraisal/review"
    await api.ok("POST", review, "demo-admin", json={"decision": "return", "reason": "请补充物业评价"})
    [back] = await _inbox(api, "demo-dispatcher", meeting["id"])
    assert back["event"] == "appraisal_returned" and back["title"] == "评议结果被退回"
    assert "原因：请补充物业评价" in back["body"] and back["page"] == page

    await api.ok("POST", f"{url}/appraisal/submit", "demo-dispatcher", json={})
    first, again = await _inbox(api, "demo-admin", meeting["id"])
    assert again["event"] == "appraisal_submitted" and "退回后重新提交" in again["body"]
    await api.ok("POST", review, "demo-admin", json={"decision": "approve"})
    _, published = await _inbox(api, "demo-dispatcher", meeting["id"])
    assert published["event"] == "appraisal_published" and published["title"] == "评议结果已公示"

    # a correction names its reason to the reviewers
    await api.ok("POST", f"{url}/appraisal/submit", "demo-dispatcher", json={"reason": "更正评分录入错误"})
    *_, fix = await _inbox(api, "demo-admin", meeting["id"])
    assert "第2版" in fix["body"] and "更正理由：更正评分录入错误" in fix["body"]
    # the residents hear nothing of the review
    assert await _inbox(api, "demo-resident", meeting["id"]) == []


async def test_a_refused_submission_sends_nothing(api, session):
    meeting = await _closed_meeting(api, session)
    url = f"{M}/{meeting['id']}"
    await api.ok("POST", f"{url}/appraisal/submit", "demo-dispatcher", json={})
    r = await api.post(f"{url}/appraisal/submit", "demo-dispatcher", json={})
    assert r.status_code == 409
    r = await api.post(f"{url}/appraisal/review", "demo-admin", json={"decision": "return"})
    assert r.status_code == 422
    notes = select(Notification.event).where(Notification.ref_type == "meeting", Notification.ref_id == meeting["id"])
    assert list((await session.execute(notes)).scalars()) == ["appraisal_submitted"]


async def test_the_demo_quarters_sheets_list_the_compounds_projects(api, session):
    c1 = select(Compound.id).where(Compound.name == "锦华苑").scalar_subquery()
    rows = (
        await session.execute(
            select(Meeting.id, Appraisal.id, Appraisal.status)
            .join(Appraisal, Appraisal.meeting_id == Meeting.id)
            .where(Meeting.kind == "evaluation", Meeting.compound_id == c1)
        )
    ).all()
    assert len(rows) == 2
    for meeting_id, appraisal_id, status in rows:
        sheet = await api.ok("GET", f"{M}/{meeting_id}/sheet", "demo-resident")
        projects = [line["name"] for line in sheet["lines"] if line["kind"] == "project"]
        assert "楼道照明改造" in projects and "红色议事长廊" in projects, (sheet["period"], projects)
        assert "屋顶防水维修" not in projects  # cancelled
        frozen = await api.ok("GET", f"/api/v1/appraisals/{appraisal_id}", "demo-dispatcher")
        lines = [line for line in frozen["content"]["lines"] if line["kind"] == "project"]
        assert len(lines) == len(projects) and all(line["count"] >= 3 for line in lines), status
    # the demo's messages: the pending one waits in the community admin's inbox
    pending = next(m for m, _, s in rows if s == "submitted")
    assert [m["event"] for m in await _inbox(api, "demo-admin", pending)] == ["appraisal_submitted"]
