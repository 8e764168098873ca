"""Issue events as messages: to the department on the clock, its head and the street when it
escalates, and the grid that raised the issue when it moves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.issues.models import GridIssue
from backend.issues.state import CATEGORIES, GRID_REMINDED, ISSUE, URGENCIES
from backend.notify import service as notify_service
from backend.org.models import Department

DEPARTMENT_ROLES = ("department_staff", "department_head")


def title_of(issue: GridIssue) -> str:
    text = issue.description.strip().split("\n", 1)[0]
    return text if len(text) <= 30 else text[:29] + "…"


async def department_of(session: AsyncSession, department_id: int | None) -> Department | None:
    return await session.get(Department, department_id) if department_id else None


async def grid_people(session: AsyncSession, issue: GridIssue) -> list[int]:
    """Who raised the issue and the grid's workers."""
    workers = await directory_service.holders_of(session, ["grid_worker"], "grid", issue.grid_id)
    return sorted({issue.raised_by, *workers})


async def escalation_recipients(session: AsyncSession, issue: GridIssue, level: int) -> list[int]:
    """Level 1: the department's head; level 2: the street's leadership (street admins)."""
    dept = await department_of(session, issue.department_id)
    if dept is None:
        return []
    if level == 1:
        heads = await directory_service.holders_of(session, ["department_head"], "department", dept.id)
        if heads:
            return heads
    return await directory_service.holders_of(session, ["street_admin"], "street", dept.street_id)


async def _recipients_and_extra(session: AsyncSession, issue: GridIssue, event: str) -> tuple[str, list[int], dict]:
    """Which message an event sends, to whom, with which extra params; ("", [], {}) for none."""
    if event in ("grid_overdue", "grid_escalated"):
        return await _grid_clock_message(session, issue, event)
    to_department = await directory_service.holders_of(session, DEPARTMENT_ROLES, "department", issue.department_id)
    if event == "whistled":
        extra = {"urgency": URGENCIES[issue.urgency], "due": issue.response_due_at}
        return "issue_whistled", to_department, extra
    if event == "reopened":
        return "issue_reopened", to_department, {"due": issue.response_due_at}
    if event in ("response_reminder", "disposal_reminder"):
        response = event == "response_reminder"
        extra = {
            "clock": "响应" if response else "处置",
            "due": issue.response_due_at if response else issue.disposal_due_at,
        }
        return "issue_deadline_near", to_department, extra
    if event == "escalated":
        users = await escalation_recipients(session, issue, issue.escalation_level)
        return "issue_escalated", users, {"level": issue.escalation_level}
    if event in ("responded", "resolved", "returned"):
        return "issue_progress", await grid_people(session, issue), {"status": ISSUE.label(issue.status)}
    return "", [], {}


async def _grid_clock_message(session: AsyncSession, issue: GridIssue, event: str) -> tuple[str, list[int], dict]:
    """A hazard or dispute the grid holds past its own clock: its grid worker, then the community admin."""
    if issue.category not in GRID_REMINDED:
        return "", [], {}
    extra = {"category": CATEGORIES[issue.category]}
    if event == "grid_overdue":
        return "issue_grid_overdue", await grid_people(session, issue), extra
    admins = await directory_service.holders_of(session, ["community_admin"], "community", issue.community_id)
    return "issue_grid_escalated", admins, extra


async def announce(session: AsyncSession, issue: GridIssue, event: str, note: str | None, at: datetime) -> None:
    """The message an issue event sends, if any."""
    message, users, extra = await _recipients_and_extra(session, issue, event)
    if not message:
        return
    dept = await department_of(session, issue.department_id)
    params = {"issue_id": issue.id, "title": title_of(issue), "department": dept.name if dept else "", "at": at}
    params = {**params, "note": note or "", **extra}
    # a reopen goes to a department, not to a compound's notification scope (as before)
    compound = {} if message == "issue_reopened" else {"compound_id": issue.compound_id}
    await notify_service.emit(session, message, users, params, ref=("issue", issue.id), **compound)
