"""The vocabularies of a visit, declared once: what a visit's outcome can be, what it can find,
what each finding becomes, and how an item of an offline batch is answered.

A visit has no lifecycle (it is recorded once, never moved), so these are kinds, not states.
"""

from __future__ import annotations

from enum import StrEnum


class VisitOutcome(StrEnum):
    met = "met"  # someone was met
    not_home = "not_home"  # a closed door: does not count as reaching the household
    refused = "refused"
    moved = "moved"


OUTCOME_VALUES = tuple(o.value for o in VisitOutcome)
OUTCOME_LABELS = {
    VisitOutcome.met: "见到居民",
    VisitOutcome.not_home: "家中无人",
    VisitOutcome.refused: "拒绝入户",
    VisitOutcome.moved: "已搬离",
}
# Every outcome but not_home reaches the household, and restarts its visit cycle (cycles.py).
NOT_REACHED = VisitOutcome.not_home
# A household visited several times in a period counts under the first of these it had (coverage.py).
PRECEDENCE = (VisitOutcome.met, VisitOutcome.refused, VisitOutcome.moved, VisitOutcome.not_home)


class FindingKind(StrEnum):
    need = "need"  # 困难需求 → a micro-wish filed for the household's resident
    hazard = "hazard"  # 安全隐患 → an open grid issue
    dispute = "dispute"  # 矛盾纠纷 → an open grid issue
    suggestion = "suggestion"  # 意见建议 → an item on the deliberation-day agenda


FINDING_VALUES = tuple(k.value for k in FindingKind)
FINDING_LABELS = {
    FindingKind.need: "困难需求",
    FindingKind.hazard: "安全隐患",
    FindingKind.dispute: "矛盾纠纷",
    FindingKind.suggestion: "意见建议",
}


class FollowUp(StrEnum):
    """What a finding became (findings.py makes it)."""

    wish = "wish"
    issue = "issue"
    agenda_item = "agenda_item"


FOLLOW_UP_OF = {
    FindingKind.need: FollowUp.wish,
    FindingKind.hazard: FollowUp.issue,
    FindingKind.dispute: FollowUp.issue,
    FindingKind.suggestion: FollowUp.agenda_item,
}


class CoverageRole(StrEnum):
    """How a worker appears under a grid in coverage (coverage.py): by the grant that makes them
    answer for households there (the auth role of the same name), or as someone who only visited."""

    grid_worker = "grid_worker"
    building_chief = "building_chief"
    visitor = "visitor"


class ItemStatus(StrEnum):
    """The answer to one item of an offline batch (sync.py)."""

    created = "created"
    duplicate = "duplicate"  # already stored, by this batch's own earlier copy or an earlier upload
    error = "error"


# Batch item errors that sending the same visit again may cure: the register may be updated to
# list the resident a need was filed for. Every other refusal (out of scope, too old, in the
# future, a malformed item, a client id reused for another visit) cannot change by retrying.
RETRYABLE_ERRORS = frozenset({"resident_not_in_household"})
