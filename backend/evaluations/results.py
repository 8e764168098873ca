"""Results of a campaign per target: the mean of each score question and the response rate
(ballots ÷ eligible rater units) in the figure shape (backend/kernel/figures.py).

The eligible rater units are counted now (a household verified today counts). A ballot of a unit
that is no longer eligible (its residents left) stays in the means and is listed apart under
`excluded.no_longer_eligible`, never in a bucket of the response rate.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from backend.evaluations import service
from backend.evaluations.models import EvaluationBallot, EvaluationCampaign
from backend.kernel.figures import figure

RESPONSE_DEFINITION = {
    "residents_rate_compound": "按户计：已投票的户数 ÷ 有认证住户的户数（每户一票）",
    "compounds_rate_community": "按小区计：已投票的小区数 ÷ 设有小区党支部书记（派单员）的小区数",
    "communities_rate_department": "按社区计：已为该部门投票的社区数 ÷ 设有社区书记（社区管理员）的社区数",
}


def _unit_id(key: str) -> int:
    return int(key.partition(":")[2])


def question_means(questions: list[dict], ballots: list[EvaluationBallot]) -> list[dict]:
    out = []
    for q in questions:
        if q["kind"] != service.SCORE:
            continue
        values = [b.answers[q["code"]] for b in ballots if isinstance(b.answers.get(q["code"]), int)]
        out.append(
            {
                "code": q["code"],
                "text": q["text"],
                "count": len(values),
                "sum": sum(values),
                "mean": round(sum(values) / len(values), 2) if values else None,
                "ballots": [b.id for b in ballots if isinstance(b.answers.get(q["code"]), int)],
            }
        )
    return out


def score_of(questions: list[dict], ballots: list[EvaluationBallot]) -> tuple[int, int]:
    """(sum, count) of every score answer of `ballots`: the target's overall mean is sum ÷ count."""
    codes = [q["code"] for q in questions if q["kind"] == service.SCORE]
    values = [b.answers[c] for b in ballots for c in codes if isinstance(b.answers.get(c), int)]
    return sum(values), len(values)


def target_result(
    campaign: EvaluationCampaign, target_id: int, name: str, ballots: list[EvaluationBallot], eligible: set[str]
) -> dict:
    voted = {b.rater_key for b in ballots}
    total, count = score_of(campaign.questions, ballots)
    response = figure(
        "参评率",
        "rater",
        {
            "voted": [_unit_id(k) for k in voted & eligible],
            "not_voted": [_unit_id(k) for k in eligible - voted],
        },
        ["voted"],
        RESPONSE_DEFINITION[campaign.level],
        excluded={"no_longer_eligible": [_unit_id(k) for k in voted - eligible]},
    )
    return {
        "target_id": target_id,
        "target_name": name,
        "ballots": len(ballots),
        "ballot_ids": [b.id for b in ballots],
        "mean": round(total / count, 2) if count else None,
        "score_sum": total,
        "score_count": count,
        "questions": question_means(campaign.questions, ballots),
        "response_rate": response,
    }


async def results(session: AsyncSession, campaign: EvaluationCampaign) -> list[dict]:
    targets = await service.all_targets(session, campaign.level, campaign.street_id)
    eligible = await service.eligible(session, campaign.level, campaign.street_id)
    by_target: dict[int, list[EvaluationBallot]] = defaultdict(list)
    for b in await service.ballots_of(session, [campaign.id]):
        by_target[b.target_id].append(b)
    return [
        target_result(campaign, tid, name, by_target.get(tid, []), eligible.get(tid, set()))
        for tid, name in sorted(targets.items())
    ]
