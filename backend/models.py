"""Imports every table so that SQLModel.metadata is complete (alembic and tests use this)."""

from sqlmodel import SQLModel

from backend.airing.models import AiringSnapshot
from backend.appraisal.models import Appraisal, AppraisalEvent, AppraisalRating
from backend.assessment.models import AssessmentWeights, CompetitionIndicators, IndicatorEntry
from backend.deliberation.models import AgendaItem, Meeting, MeetingAttendance
from backend.directory.models import ContactView, User
from backend.dispatch.models import Order
from backend.evaluations.models import DepartmentCheckin, DepartmentContact, EvaluationBallot, EvaluationCampaign
from backend.files.models import Upload
from backend.households.models import HouseholdProfile, HouseholdTag, Resident
from backend.issues.models import GridIssue, IssueAssignment, IssueEvent, IssuePolicy
from backend.lists.models import ListBatch, ListClaim, ListItem
from backend.notify.models import DeliveryAttempt, Notification, OutboxMessage, SubscriptionCredit
from backend.org.models import Building, Community, Compound, Department, Grid, Household, RoleGrant, Street, Unit
from backend.partners.models import (
    Opportunity,
    OpportunityApplication,
    Partner,
    PartnerBrand,
    PartnerEvent,
    WorkUnitMember,
)
from backend.people.models import MemberProfile, MemberRegistration, ResidentVerification
from backend.projects.models import (
    AnnualPlan,
    FundingChange,
    FundingLine,
    Milestone,
    Project,
    ProjectEvent,
    ProjectReview,
    ProjectTask,
    TaskEvent,
)
from backend.proposals.models import Proposal, ProposalCosign, ProposalEvent, ProposalList, ProposalRating
from backend.visits.models import GridVisitCycle, Visit, VisitFinding, VisitMonthClosed, VisitMonthFact
from backend.volunteering.models import (
    Activity,
    ActivitySeries,
    CreditAccount,
    CreditEntry,
    CreditMovement,
    Offer,
    Redemption,
    Registration,
    RegistrationEvent,
    RosterReceipt,
    Team,
    TeamMembership,
)
from backend.wishes.models import Wish, WishEvent
from backend.workcal.models import WorkCalendarDay

metadata = SQLModel.metadata

__all__ = [
    "AgendaItem",
    "Appraisal",
    "AppraisalEvent",
    "AppraisalRating",
    "Upload",
    "ContactView",
    "Meeting",
    "MeetingAttendance",
    "Proposal",
    "ProposalCosign",
    "ProposalEvent",
    "ProposalList",
    "ProposalRating",
    "AiringSnapshot",
    "GridIssue",
    "IssueAssignment",
    "IssueEvent",
    "IssuePolicy",
    "WorkCalendarDay",
    "GridVisitCycle",
    "HouseholdProfile",
    "HouseholdTag",
    "Resident",
    "Visit",
    "VisitFinding",
    "VisitMonthClosed",
    "VisitMonthFact",
    "DeliveryAttempt",
    "Notification",
    "OutboxMessage",
    "SubscriptionCredit",
    "Building",
    "Community",
    "Compound",
    "Department",
    "Grid",
    "Household",
    "MemberProfile",
    "MemberRegistration",
    "ResidentVerification",
    "Order",
    "RoleGrant",
    "Street",
    "Unit",
    "User",
    "Wish",
    "WishEvent",
    "Opportunity",
    "OpportunityApplication",
    "Partner",
    "PartnerBrand",
    "PartnerEvent",
    "WorkUnitMember",
    "Activity",
    "ActivitySeries",
    "CreditAccount",
    "CreditEntry",
    "CreditMovement",
    "Offer",
    "Redemption",
    "Registration",
    "RegistrationEvent",
    "RosterReceipt",
    "Team",
    "TeamMembership",
    "ListBatch",
    "ListClaim",
    "ListItem",
    "AnnualPlan",
    "FundingChange",
    "FundingLine",
    "Milestone",
    "Project",
    "ProjectEvent",
    "ProjectReview",
    "ProjectTask",
    "TaskEvent",
    "AssessmentWeights",
    "CompetitionIndicators",
    "IndicatorEntry",
    "DepartmentCheckin",
    "DepartmentContact",
    "EvaluationBallot",
    "EvaluationCampaign",
    "metadata",
]
