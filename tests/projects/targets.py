"""Demo rows the role matrix calls on for projects, and the bodies those routes are called with
(tests/test_role_matrix.py)."""

from __future__ import annotations

from sqlalchemy import select

from backend.kernel.clock import SHANGHAI, utcnow
from backend.org.models import Compound, Department
from backend.projects.models import Milestone, Project, ProjectTask


async def project_objects(session) -> dict[str, int]:
    async def one(stmt) -> int:
        value = (await session.execute(stmt.limit(1))).scalar_one_or_none()
        assert value is not None, f"demo data lacks {stmt}"
        return value

    ids = {"year": utcnow().astimezone(SHANGHAI).year}
    ids["project_c1"] = await one(select(Project.id).where(Project.title == "楼道照明改造"))  # in progress
    ids["project_c3"] = await one(
        select(Project.id).where(Project.title == "楼道扶手加装")
    )  # 阳光小区, from a proposal
    tasks = select(ProjectTask.id).where(ProjectTask.project_id == ids["project_c1"])
    ids["task_dept"] = await one(tasks.where(ProjectTask.assignee_kind == "department"))  # accepted
    ids["task_member"] = await one(tasks.where(ProjectTask.assignee_kind == "member"))  # demo-member's, late
    ids["milestone_c1"] = await one(select(Milestone.id).where(Milestone.project_id == ids["project_c1"]))
    ids["plan_c1"] = await one(select(Compound.id).where(Compound.name == "锦华苑"))  # approved plan
    ids["plan_c2"] = await one(select(Compound.id).where(Compound.name == "翠湖花园"))  # draft, 3 key projects
    ids["dept_cg"] = await one(select(Department.id).where(Department.name == "城管执法中队"))
    return ids


def project_bodies(ids: dict[str, int]) -> dict:
    report = {"json": {"note": "已完成线路检查", "photos": []}}
    return {
        ("POST", "/projects"): lambda: {
            "json": {
                "scope": f"compound:{ids['plan_c1']}",
                "title": "楼道文化墙",
                "year": ids["year"],
                "key": True,
                "source": "plan",
                "undertaker": "锦华苑党支部",
            }
        },
        ("POST", "/projects/{project_id}/transitions"): lambda: {"json": {"event": "suspended", "reason": "等待材料"}},
        ("POST", "/projects/{project_id}/tasks"): lambda: {
            "json": {
                "assignee_kind": "department",
                "assignee_id": ids["dept_cg"],
                "title": "路灯检修",
                "due_working_days": 3,
            }
        },
        ("POST", "/project-tasks/{task_id}/progress"): lambda: report,
        ("POST", "/project-tasks/{task_id}/complete"): lambda: report,
        ("POST", "/project-tasks/{task_id}/cancel"): lambda: {"json": {"reason": "并入其他任务"}},
        ("PUT", "/projects/{project_id}/milestones"): lambda: {
            "json": {"items": [{"title": "方案", "weight": 40, "progress": 100}, {"title": "施工", "weight": 60}]}
        },
        ("PATCH", "/projects/{project_id}/milestones/{milestone_id}"): lambda: {"json": {"progress": 80}},
        ("POST", "/projects/{project_id}/funding"): lambda: {
            "json": {"source": "party_service", "kind": "spent", "amount": 1000, "note": "购买灯具"}
        },
        ("POST", "/projects/{project_id}/reviews"): lambda: {
            "json": {"kind": "midyear", "score": 90, "note": "按期推进"}
        },
        ("PUT", "/plans/{compound_id}/{year}"): lambda: {"json": {"project_ids": []}},
        ("POST", "/plans/{compound_id}/{year}/decide"): lambda: {"json": {"decision": "approve"}},
    }
