# ruff: noqa: E501 - the matrix is a wide table on purpose
"""Who may call what: every /api/v1 route, called anonymously and as every demo role.

Each cell is what the caller gets back, as "<status> [<error code>]". A 403 names the check that
refused (role_required: the route's role check; out_of_scope: the role is right, the compound is
not theirs; not_requester / not_your_order: the object is someone else's). A 404/409/422 in an
allowed cell is fine: it proves the role check let the caller through to the business rules.

Targets are real rows of the demo data (see `demo_objects`). Every call runs in its own savepoint,
rolled back afterwards, so each caller sees the demo data as loaded; a failing row lists every
wrong cell. `test_matrix_covers_every_route` makes a new route without a row fail.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.auth.tokens import create_access_token
from backend.directory.models import User
from backend.dispatch.models import Order
from backend.kernel.clock import clock
from backend.org.models import Compound, Grid, Household
from backend.people.models import MemberRegistration, ResidentVerification
from backend.wishes.models import Wish
from tests.appraisal.targets import appraisal_bodies, appraisal_objects
from tests.assessment.targets import assessment_bodies, assessment_objects
from tests.projects.targets import project_bodies, project_objects
from tests.support.matrix import PREFIX, assert_error_shape
from tests.support.matrix import matrix_url as _url
from tests.volunteering.targets import cobuild_bodies, cobuild_objects

ANON = "401 not_authenticated"
OK = "200"
NEW = "201"
NO = "403 role_required"
OUT = "403 out_of_scope"
NOTREQ = "403 not_requester"
NOTMINE = "403 not_your_order"
STATE = "409 invalid_state"
MEMBER = "409 already_member"
NONOTE = "404 notification_not_found"  # someone else's message is answered as if it did not exist
NOTDEAD = "409 not_dead"
GONE = "204"  # logout: no body
NOCLAIM = "409 no_pending_verification"  # the demo callers are verified already
NOTPROP = "403 not_proposer"
NOTPART = "403 not_participant"
UNDECIDED = "409 undecided_items"
NOTASSIGNEE = "403 not_assignee"
FEWKEY = (
    "409 too_few_key_projects"  # 翠湖花园's demo plan has three key projects  # a project task of another co-executor
)
NOTYOURS = "403 not_yours"  # a sign-up or redemption of someone else
BROKE = "409 insufficient_credits"
CLOSED = "409 campaign_not_open"
NOTIN = "403 not_checked_in"  # rating an evaluation meeting one did not check in at
RCLOSED = "409 ratings_closed"  # the demo's attendees rated; its results are submitted
PENDING = "409 appraisal_pending"
HIDDEN = "404 appraisal_not_found"  # results not yet published are hidden from who may not review them

CALLERS = {
    "anon": None,
    "resident": "demo-resident",  # 王秀兰, resident of 锦华苑
    "member": "demo-member",  # 张伟, party member of 锦华苑; the demo's dispatched order is offered to him
    "member2": "demo-member2",  # 刘芳, another party member of 锦华苑
    "dispatcher": "demo-dispatcher",  # 赵敏, dispatcher of 锦华苑 only
    "gridworker": "demo-gridworker",
    "admin": "demo-admin",  # community admin of 和谐社区 (锦华苑, 翠湖花园)
    "department": "demo-department",
    "street": "demo-street",  # street admin of 幸福街道 (every compound)
}

# Targets (the path parameter, or "?query"):
#   pending_c1  a pending wish of 锦华苑 placed by demo-resident
#   open_c1     an open wish of 锦华苑 placed by demo-resident
#   dispatched  the wish of 锦华苑 dispatched to demo-member (offered)
#   offered     that order
#   wish_c2     a wish of 翠湖花园 (same community as 锦华苑, another compound)
#   wish_c3     a wish of 阳光小区 (another community)
#   pending_reg the pending 双报到 registration of 锦华苑
#   note_resident  a notification in demo-resident's inbox
#   outbox_c1 / outbox_c3  a WeChat outbox message about 锦华苑 / 阳光小区 (not dead: resend is a 409)
#   grid_g1 / house_g1  和谐社区第一网格 (demo-gridworker's grid) / a household of 锦华苑 in it
#   building_g1 / building_c3  the building of house_g1 / of house_c3
#   claim_g1    the demo newcomer's pending 住户认证 claim on a household of 和谐社区第一网格
#   grid_c3 / house_c3  明德社区第一网格 / a household of 阳光小区 (another community)
# fmt: off
MATRIX = [
    # method  path                                                target                 anon  resident member  member2  dispatcher gridworker admin    department street
    ("POST",  "/auth/wechat",                                     None,                  OK,   OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/me",                                              None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("PATCH", "/me",                                              None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/org/compounds",                                   None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/auth/logout",                                     None,                  ANON, GONE,    GONE,   GONE,    GONE,      GONE,      GONE,    GONE,      GONE),
    ("POST",  "/me/verify-phone",                                 None,                  ANON, NOCLAIM, NOCLAIM, NOCLAIM, NOCLAIM,  NOCLAIM,   NOCLAIM, NOCLAIM,   NOCLAIM),
    ("POST",  "/me/leave-household",                              None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/contact-views",                                   None,                  ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        NO),
    ("GET",   "/verifications",                                   None,                  ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("POST",  "/verifications/{verification_id}/approve",         "claim_g1",            ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("POST",  "/verifications/{verification_id}/reject",          "claim_g1",            ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("GET",   "/org/tree",                                        None,                  ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("POST",  "/members/register",                                None,                  ANON, NEW,     MEMBER, MEMBER,  NEW,       NEW,       NEW,     NEW,       NEW),
    ("GET",   "/members/registrations",                           None,                  ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        NO),
    ("POST",  "/members/registrations/{registration_id}/approve", "pending_reg",         ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        NO),
    ("POST",  "/members/registrations/{registration_id}/reject",  "pending_reg",         ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        NO),
    ("GET",   "/members/me",                                      None,                  ANON, NO,      OK,     OK,      NO,        NO,        NO,      NO,        NO),
    ("PATCH", "/members/me",                                      None,                  ANON, NO,      OK,     OK,      NO,        NO,        NO,      NO,        NO),
    ("GET",   "/wishes/categories",                               None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/wishes",                                          None,                  ANON, NEW,     NEW,    NEW,     NEW,       NEW,       NEW,     NEW,       NEW),
    ("GET",   "/wishes",                                          None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/wishes/wall",                                     None,                  ANON, NO,      OK,     OK,      NO,        NO,        NO,      NO,        NO),
    ("GET",   "/wishes/{wish_id}",                                "open_c1",             ANON, OK,      OK,     OK,      OK,        OUT,       OK,      OUT,       OK),
    ("GET",   "/wishes/{wish_id}",                                "dispatched",          ANON, OUT,     OK,     OUT,     OK,        OUT,       OK,      OUT,       OK),
    ("GET",   "/wishes/{wish_id}",                                "wish_c2",             ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OK,      OUT,       OK),
    ("GET",   "/wishes/{wish_id}",                                "wish_c3",             ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       OK),
    ("POST",  "/wishes/{wish_id}/review",                         "pending_c1",          ANON, NO,      NO,     NO,      OK,        NO,        NO,      NO,        NO),
    ("POST",  "/wishes/{wish_id}/review",                         "wish_c2",             ANON, NO,      NO,     NO,      OUT,       NO,        NO,      NO,        NO),
    ("POST",  "/wishes/{wish_id}/cancel",                         "pending_c1",          ANON, OK,      NOTREQ, NOTREQ,  NOTREQ,    NOTREQ,    NOTREQ,  NOTREQ,    NOTREQ),
    ("POST",  "/wishes/{wish_id}/confirm",                        "pending_c1",          ANON, STATE,   NOTREQ, NOTREQ,  NOTREQ,    NOTREQ,    NOTREQ,  NOTREQ,    NOTREQ),
    ("POST",  "/wishes/{wish_id}/callback",                       "open_c1",             ANON, STATE,   NOTREQ, NOTREQ,  NOTREQ,    NOTREQ,    NOTREQ,  NOTREQ,    NOTREQ),
    ("GET",   "/wishes/{wish_id}/candidates",                     "open_c1",             ANON, NO,      NO,     NO,      OK,        NO,        NO,      NO,        NO),
    ("GET",   "/wishes/{wish_id}/candidates",                     "wish_c2",             ANON, NO,      NO,     NO,      OUT,       NO,        NO,      NO,        NO),
    ("POST",  "/wishes/{wish_id}/dispatch",                       "open_c1",             ANON, NO,      NO,     NO,      OK,        NO,        NO,      NO,        NO),
    ("POST",  "/wishes/{wish_id}/dispatch",                       "wish_c2",             ANON, NO,      NO,     NO,      OUT,       NO,        NO,      NO,        NO),
    ("POST",  "/wishes/{wish_id}/claim",                          "open_c1",             ANON, NO,      OK,     OK,      NO,        NO,        NO,      NO,        NO),
    ("POST",  "/wishes/{wish_id}/claim",                          "wish_c3",             ANON, NO,      OUT,    OUT,     NO,        NO,        NO,      NO,        NO),
    ("POST",  "/wishes/{wish_id}/complete",                       "dispatched",          ANON, NO,      STATE,  NOTMINE, NO,        NO,        NO,      NO,        NO),
    ("GET",   "/orders",                                          None,                  ANON, NO,      OK,     OK,      NO,        NO,        NO,      NO,        NO),
    ("GET",   "/orders",                                          "?mine=false",         ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        OK),
    ("POST",  "/orders/{order_id}/accept",                        "offered",             ANON, NO,      OK,     NOTMINE, NO,        NO,        NO,      NO,        NO),
    ("POST",  "/orders/{order_id}/decline",                       "offered",             ANON, NO,      OK,     NOTMINE, NO,        NO,        NO,      NO,        NO),
    ("POST",  "/uploads",                                         None,                  ANON, NEW,     NEW,    NEW,     NEW,       NEW,       NEW,     NEW,       NEW),
    ("GET",   "/notifications/templates",                         "?action=create_wish", ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/notifications/subscriptions",                     None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/notifications/subscriptions",                     None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/inbox",                                           None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/inbox/read-all",                                  None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/inbox/{notification_id}/read",                    "note_resident",       ANON, OK,      NONOTE, NONOTE,  NONOTE,    NONOTE,    NONOTE,  NONOTE,    NONOTE),
    ("GET",   "/admin/notifications",                             None,                  ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/admin/notifications/{outbox_id}",                 "outbox_c1",           ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/admin/notifications/{outbox_id}",                 "outbox_c3",           ANON, NO,      NO,     NO,      NO,        NO,        OUT,     NO,        OK),
    ("POST",  "/admin/notifications/{outbox_id}/resend",          "outbox_c1",           ANON, NO,      NO,     NO,      NO,        NO,        NOTDEAD, NO,        NOTDEAD),
    ("POST",  "/admin/notifications/{outbox_id}/resend",          "outbox_c3",           ANON, NO,      NO,     NO,      NO,        NO,        OUT,     NO,        NOTDEAD),
    ("GET",   "/households/care-tags",                            None,                  ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("GET",   "/households",                                      None,                  ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("GET",   "/households/export",                               "?grid_id=grid_g1",    ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("GET",   "/households/export",                               "?grid_id=grid_c3",    ANON, NO,      NO,     NO,      NO,        OUT,       OUT,     NO,        OK),
    ("POST",  "/households/import",                               None,                  ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("GET",   "/households/{household_id}",                       "house_g1",            ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("GET",   "/households/{household_id}",                       "house_c3",            ANON, NO,      NO,     NO,      NO,        OUT,       OUT,     NO,        OK),
    ("PUT",   "/households/{household_id}",                       "house_g1",            ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("PUT",   "/households/{household_id}",                       "house_c3",            ANON, NO,      NO,     NO,      NO,        OUT,       OUT,     NO,        OK),
    ("GET",   "/households/{household_id}/visits",                "house_g1",            ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("GET",   "/households/{household_id}/visits",                "house_c3",            ANON, NO,      NO,     NO,      NO,        OUT,       OUT,     NO,        OK),
    ("POST",  "/visits/batch",                                    None,                  ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("GET",   "/visits/todo",                                     None,                  ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("GET",   "/visits/coverage",                                 None,                  ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("PUT",   "/visits/cycles/{grid_id}",                         "grid_g1",             ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("PUT",   "/visits/cycles/{grid_id}",                         "grid_c3",             ANON, NO,      NO,     NO,      NO,        NO,        OUT,     NO,        OK),
    # escalation (网格吹哨、街社报到), figures, airing, ledgers
    ("GET",   "/org/departments",                                 None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("PUT",   "/org/buildings/{building_id}/location",            "building_g1",         ANON, NO,      NO,     NO,      NO,        OK,        OK,      NO,        OK),
    ("PUT",   "/org/buildings/{building_id}/location",            "building_c3",         ANON, NO,      NO,     NO,      NO,        OUT,       OUT,     NO,        OK),
    ("POST",  "/issues",                                          None,                  ANON, NO,      NO,     NO,      NO,        NEW,       NO,      NO,        NO),
    ("GET",   "/issues",                                          None,                  ANON, NO,      NO,     NO,      NO,        OK,        OK,      OK,        OK),
    ("GET",   "/issues/places",                                   None,                  ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("GET",   "/issues/{issue_id}",                               "issue_whistled",      ANON, OUT,     OUT,    OUT,     OUT,       OK,        OK,      OK,        OK),
    ("POST",  "/issues/{issue_id}/whistle",                       "issue_open",          ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("POST",  "/issues/{issue_id}/respond",                       "issue_whistled",      ANON, NO,      NO,     NO,      NO,        NO,        NO,      OK,        NO),
    ("POST",  "/issues/{issue_id}/resolve",                       "issue_whistled",      ANON, NO,      NO,     NO,      NO,        OUT,       NO,      OK,        NO),
    ("POST",  "/issues/{issue_id}/return",                        "issue_whistled",      ANON, NO,      NO,     NO,      NO,        NO,        NO,      OK,        NO),
    ("POST",  "/issues/{issue_id}/confirm",                       "issue_resolved",      ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("POST",  "/issues/{issue_id}/reopen",                        "issue_resolved",      ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("GET",   "/stats/escalation",                                None,                  ANON, NO,      NO,     NO,      NO,        NO,        OK,      OK,        OK),
    ("GET",   "/stats/overview",                                  None,                  ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("POST",  "/airing",                                          None,                  ANON, NO,      NO,     NO,      NO,        NO,        NEW,     NO,        NO),
    ("GET",   "/airing",                                          None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/airing/{airing_id}",                              "airing_c1",           ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/exports/ledger",                                  "?kind=issues",        ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/exports/work-units",                              "?half=2026H1",        ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/exports/work-units/details",                      "?period=2026-H1",     ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    # co-governance: community proposals (社区提案)
    ("GET",   "/proposals/lists",                                 None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("PUT",   "/proposals/lists",                                 None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("POST",  "/proposals",                                       None,                  ANON, NEW,     NEW,    NEW,     NEW,       NEW,       NEW,     NEW,       NEW),
    ("GET",   "/proposals",                                       None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/proposals/{proposal_id}",                         "prop_submitted",      ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/proposals/{proposal_id}",                         "prop_draft",          ANON, OK,      OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       OUT),
    ("GET",   "/proposals/{proposal_id}",                         "prop_evaluating",     ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       OK),
    ("PATCH", "/proposals/{proposal_id}",                         "prop_draft",          ANON, OK,      OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       OUT),
    ("POST",  "/proposals/{proposal_id}/submit",                  "prop_draft",          ANON, OK,      OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       OUT),
    ("POST",  "/proposals/{proposal_id}/withdraw",                "prop_submitted",      ANON, OK,      NOTPROP, NOTPROP, NOTPROP,  NOTPROP,   NOTPROP, NOTPROP,   NOTPROP),
    ("POST",  "/proposals/{proposal_id}/cosign",                  "prop_cosigning",      ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/proposals/{proposal_id}/review",                  "prop_submitted",      ANON, NO,      NO,     NO,      OK,        NO,        OUT,     NO,        OUT),
    ("POST",  "/proposals/{proposal_id}/execution",               "prop_executing",      ANON, NO,      NO,     NO,      OUT,       NO,        STATE,   NO,        STATE),
    ("POST",  "/proposals/{proposal_id}/execution/done",          "prop_executing",      ANON, NO,      NO,     NO,      OUT,       NO,        OK,      NO,        OK),
    ("POST",  "/proposals/{proposal_id}/rating",                  "prop_evaluating",     ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       NOTPART),
    ("POST",  "/proposals/{proposal_id}/publish",                 "prop_evaluating",     ANON, NO,      NO,     NO,      OUT,       NO,        OUT,     NO,        OK),
    # co-governance: the deliberation day (党群议事日)
    ("GET",   "/agenda",                                          None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/agenda",                                          None,                  ANON, NEW,     NEW,    NEW,     NEW,       NEW,       NEW,     NEW,       NEW),
    ("PATCH", "/agenda/{item_id}",                                "agenda_c1",           ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        OK),
    ("PATCH", "/agenda/{item_id}",                                "agenda_c3",           ANON, NO,      NO,     NO,      OUT,       NO,        OUT,     NO,        OK),
    ("POST",  "/meetings",                                        None,                  ANON, NO,      NO,     NO,      OUT,       NO,        NEW,     NO,        NEW),
    ("GET",   "/meetings",                                        None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/meetings/{meeting_id}",                           "meeting_c1",          ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/meetings/{meeting_id}",                           "meeting_c3",          ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       OK),
    ("POST",  "/meetings/{meeting_id}/items",                     "meeting_c1",          ANON, NO,      NO,     NO,      OUT,       NO,        OK,      NO,        OK),
    ("POST",  "/meetings/{meeting_id}/attendance",                "meeting_c1",          ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/meetings/{meeting_id}/close",                     "meeting_c1",          ANON, NO,      NO,     NO,      OUT,       NO,        UNDECIDED, NO,      UNDECIDED),
    ("POST",  "/meetings/{meeting_id}/items/{item_id}/outcome",   "meeting_c1+item_c1",  ANON, NO,      NO,     NO,      OUT,       NO,        OK,      NO,        OK),
    ("GET",   "/stats/co-governance",                             None,                  ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/stats/projects",                                  None,                  ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/exports/ledger",                                  "?kind=proposals",     ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/exports/ledger",                                  "?kind=meetings",      ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/exports/ledger",                                  "?kind=appraisals",    ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    # partners, opportunities, volunteering, the time bank (backend/partners, backend/volunteering)
    ("POST",  "/partners",                                        None,                  ANON, NEW,     NEW,    NEW,     NEW,       NEW,       NEW,     NEW,       NEW),
    ("GET",   "/partners",                                        None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/partners/{partner_id}",                           "partner_c1",          ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OK,      OUT,       OK),
    ("GET",   "/partners/{partner_id}",                           "partner_c3",          ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       OK),
    ("POST",  "/partners/{partner_id}/transitions",               "partner_applied_c1",  ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("POST",  "/partners/{partner_id}/transitions",               "partner_applied_c5",  ANON, NO,      NO,     NO,      NO,        NO,        OUT,     NO,        OK),
    ("POST",  "/partners/{partner_id}/contacts",                  "partner_c1",          ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/partner-brand",                                   None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("PUT",   "/partner-brand",                                   None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("POST",  "/partners/work-units/merge",                       None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("POST",  "/opportunities",                                   None,                  ANON, NO,      NO,     NO,      NO,        NO,        NEW,     NO,        NEW),
    ("GET",   "/opportunities",                                   None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/opportunities/{opportunity_id}",                  "opportunity",         ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/opportunities/{opportunity_id}/applications",     "opportunity",         ANON, NEW,     NEW,    NEW,     NEW,       NEW,       NEW,     NEW,       NEW),
    ("POST",  "/opportunity-applications/{application_id}/decide", "application_submitted", ANON, NO,   NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("POST",  "/teams",                                           None,                  ANON, NO,      NO,     NO,      NO,        NO,        NEW,     NO,        NEW),
    ("GET",   "/teams",                                           None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/teams/{team_id}",                                 "team_own",            ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/teams/{team_id}/join",                            "team_own",            ANON, NEW,     NEW,    NEW,     NEW,       NEW,       NEW,     NEW,       NEW),
    ("POST",  "/team-memberships/{membership_id}/decide",         "membership_own",      ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("POST",  "/activity-series",                                 None,                  ANON, NO,      NO,     NO,      NO,        NO,        NEW,     NO,        NEW),
    ("POST",  "/activities",                                      None,                  ANON, NO,      NO,     NO,      NO,        NO,        NEW,     NO,        NEW),
    ("GET",   "/activities",                                      None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/activities/{activity_id}",                        "act_own",             ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/activities/{activity_id}/registrations",          "act_own",             ANON, "409 already_registered", NEW, NEW, NEW, NEW,     NEW,     NEW,       NEW),
    ("GET",   "/activities/{activity_id}/registrations",          "act_own",             ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/activities/{activity_id}/checkin-code",           "act_own",             ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("POST",  "/activities/{activity_id}/check-in",               "act_own",             ANON, "422 invalid_code", "422 invalid_code", "422 invalid_code", "422 invalid_code", "422 invalid_code", "422 invalid_code", "422 invalid_code", "422 invalid_code"),
    ("POST",  "/activities/{activity_id}/roster",                 "act_own",             ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("POST",  "/activities/{activity_id}/close",                  "act_own",             ANON, NO,      NO,     NO,      NO,        NO,        "409 activity_not_over", NO, "409 activity_not_over"),
    ("GET",   "/registrations/mine",                              None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/registrations/{registration_id}/cancel",          "reg_resident",        ANON, OK,      NOTYOURS, NOTYOURS, NOTYOURS, NOTYOURS,  NOTYOURS, NOTYOURS, NOTYOURS),
    ("POST",  "/registrations/{registration_id}/check-out",       "reg_completed",       ANON, NO,      NO,     NO,      NO,        NO,        STATE,   NO,        STATE),
    ("POST",  "/registrations/{registration_id}/hours",           "reg_completed",       ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/timebank/me",                                     None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/timebank/offers",                                 None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        NO),
    ("GET",   "/timebank/offers",                                 None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/timebank/offers/{offer_id}/redemptions",          "offer_own",           ANON, BROKE,   BROKE,  BROKE,   BROKE,     BROKE,     BROKE,   BROKE,     BROKE),
    ("POST",  "/redemptions/{redemption_id}/decide",              "redemption_own",      ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        NO),
    ("POST",  "/redemptions/{redemption_id}/cancel",              "redemption_own",      ANON, NOTYOURS, NOTYOURS, NOTYOURS, NOTYOURS, NOTYOURS, NOTYOURS, NOTYOURS, NOTYOURS),
    # the three lists (backend/lists)
    ("POST",  "/list-batches",                                    None,                  ANON, NO,      NO,     NO,      OUT,       NO,        NEW,     NO,        NEW),
    ("GET",   "/list-batches",                                    None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/list-items",                                      None,                  ANON, OUT,     OUT,    OUT,     NEW,       OUT,       NEW,     OUT,       NEW),
    ("POST",  "/list-items/canvass",                              None,                  ANON, NO,      NO,     NO,      NO,        OK,        NO,      NO,        NO),
    ("GET",   "/list-items",                                      None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/list-items/{item_id}",                            "item_need_open",      ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/list-items/{item_id}/matches",                    "item_need_open",      ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        OK),
    ("POST",  "/list-items/{item_id}/claims",                     "item_need_open",      ANON, OUT,     OUT,    OUT,     OUT,       OUT,       NEW,     OUT,       NEW),
    ("POST",  "/list-claims/{claim_id}/decide",                   "claim_proposed",      ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OK,      OUT,       OK),
    ("POST",  "/list-claims/{claim_id}/fulfil",                   "claim_matched",       ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OK,      OUT,       OK),
    ("POST",  "/list-claims/{claim_id}/close",                    "claim_fulfilled",     ANON, OUT,     OUT,    OUT,     OK,        OUT,       OK,      OUT,       OK),
    ("POST",  "/list-claims/{claim_id}/withdraw",                 "claim_proposed",      ANON, OUT,     OUT,    OUT,     OK,        OUT,       OK,      OUT,       OK),
    ("GET",   "/stats/volunteering",                              None,                  ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/co-building/ledger",                              "?kind=partners",      ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    # projects (backend/projects): 联动执行, tasks, milestones, funding, reviews, annual plans
    ("POST",  "/projects",                                        None,                  ANON, NO,      NO,     NO,      NEW,       NO,        NEW,     NO,        NO),
    ("GET",   "/projects",                                        None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/projects/{project_id}",                           "project_c1",          ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/projects/{project_id}",                           "project_c3",          ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       OK),
    ("POST",  "/projects/{project_id}/transitions",               "project_c1",          ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        NO),
    ("POST",  "/projects/{project_id}/transitions",               "project_c3",          ANON, NO,      NO,     NO,      OUT,       NO,        OUT,     NO,        NO),
    ("POST",  "/projects/{project_id}/tasks",                     "project_c1",          ANON, NO,      NO,     NO,      NEW,       NO,        NEW,     NO,        NO),
    ("GET",   "/project-tasks/mine",                              None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/project-tasks/{task_id}",                         "task_dept",           ANON, OUT,     OK,     OUT,     OK,        OUT,       OK,      OK,        OK),
    ("POST",  "/project-tasks/{task_id}/accept",                  "task_member",         ANON, NOTASSIGNEE, OK, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE),
    ("POST",  "/project-tasks/{task_id}/progress",                "task_dept",           ANON, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, OK, NOTASSIGNEE),
    ("POST",  "/project-tasks/{task_id}/complete",                "task_dept",           ANON, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, NOTASSIGNEE, OK, NOTASSIGNEE),
    ("POST",  "/project-tasks/{task_id}/cancel",                  "task_dept",           ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        NO),
    ("PUT",   "/projects/{project_id}/milestones",                "project_c1",          ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        NO),
    ("PATCH", "/projects/{project_id}/milestones/{milestone_id}", "project_c1+milestone_c1", ANON, NO,  NO,     NO,      OK,        NO,        OK,      NO,        NO),
    ("POST",  "/projects/{project_id}/funding",                   "project_c1",          ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        NO),
    ("POST",  "/projects/{project_id}/reviews",                   "project_c1",          ANON, NO,      NO,     NO,      NO,        NO,        NEW,     NO,        NO),
    ("POST",  "/projects/{project_id}/reviews",                   "project_c3",          ANON, NO,      NO,     NO,      NO,        NO,        OUT,     NO,        NO),
    ("PUT",   "/plans/{compound_id}/{year}",                      "plan_c2+year",        ANON, NO,      NO,     NO,      OUT,       NO,        OK,      NO,        NO),
    ("GET",   "/plans/{compound_id}/{year}",                      "plan_c1+year",        ANON, OUT,     OUT,    OUT,     OK,        OUT,       OK,      OUT,       OK),
    ("POST",  "/plans/{compound_id}/{year}/submit",               "plan_c2+year",        ANON, NO,      NO,     NO,      OUT,       NO,        FEWKEY,  NO,        NO),
    ("POST",  "/plans/{compound_id}/{year}/decide",               "plan_c1+year",        ANON, NO,      NO,     NO,      NO,        NO,        STATE,   NO,        NO),
    ("GET",   "/plans",                                           "?year=year",          ANON, NO,      NO,     NO,      OK,        NO,        OK,      NO,        OK),
    ("GET",   "/project-reviews",                                 "?year=2026&kind=midyear", ANON, NO,  NO,     NO,      NO,        NO,        OK,      NO,        NO),
    # cascaded evaluation, department sign-in, the assessment and the competition (backend/evaluations, backend/assessment)
    ("POST",  "/evaluations/campaigns",                           None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        NEW),
    ("GET",   "/evaluations/campaigns",                           None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("POST",  "/evaluations/campaigns/{campaign_id}/transitions", "campaign_open",       ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("GET",   "/evaluations/ballots",                             None,                  ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("POST",  "/evaluations/campaigns/{campaign_id}/ballots",     "campaign_open",       ANON, NEW,     NEW,    NEW,     NEW,       NEW,       NEW,     NEW,       NEW),
    ("POST",  "/evaluations/campaigns/{campaign_id}/ballots",     "campaign_closed",     ANON, CLOSED,  CLOSED, CLOSED,  CLOSED,    CLOSED,    CLOSED,  CLOSED,    CLOSED),
    ("GET",   "/evaluations/campaigns/{campaign_id}/results",     "campaign_closed",     ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("PUT",   "/departments/{department_id}/contacts",            "dept_own",            ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("GET",   "/checkins/places",                                 None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      OK,        NO),
    ("POST",  "/checkins/batch",                                  None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      OK,        NO),
    ("GET",   "/checkins/summary",                                "?department_id=dept_own", ANON, NO,  NO,     NO,      NO,        NO,        OUT,     OK,        OK),
    ("GET",   "/checkins/ledger",                                 "?department_id=dept_own", ANON, NO,  NO,     NO,      NO,        NO,        OUT,     OK,        OK),
    ("PUT",   "/assessments/weights",                             None,                  ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("GET",   "/assessments/departments",                         "?year=year",          ANON, NO,      NO,     NO,      NO,        NO,        NO,      OK,        OK),
    ("GET",   "/assessments/departments/export",                  "?year=year",          ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("PUT",   "/indicators/{year}",                               "year",                ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("GET",   "/indicators/{year}",                               "year",                ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("PUT",   "/indicators/{year}/entries/{code}",                "year+code_brand",     ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        NO),
    ("POST",  "/indicator-entries/{entry_id}/decide",             "entry_pending",       ANON, NO,      NO,     NO,      NO,        NO,        NO,      NO,        OK),
    ("GET",   "/competition",                                     "?year=year",          ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    ("GET",   "/competition/export",                              "?year=year",          ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        OK),
    # the quarterly 小区评议会 (backend/appraisal): the sheet, ratings, results reviewed and published
    ("GET",   "/meetings/{meeting_id}/sheet",                     "eval_pending",        ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/meetings/{meeting_id}/sheet",                     "meeting_c3",          ANON, OUT,     OUT,    OUT,     OUT,       OUT,       OUT,     OUT,       "409 not_evaluation_meeting"),
    ("POST",  "/meetings/{meeting_id}/ratings",                   "eval_pending",        ANON, RCLOSED, RCLOSED, RCLOSED, NOTIN,    NOTIN,     NOTIN,   NOTIN,     NOTIN),
    ("POST",  "/meetings/{meeting_id}/appraisal/submit",          "eval_pending",        ANON, NO,      NO,     NO,      PENDING,   NO,        NO,      NO,        NO),
    ("POST",  "/meetings/{meeting_id}/appraisal/submit",          "meeting_c1",          ANON, NO,      NO,     NO,      OUT,       NO,        NO,      NO,        NO),
    ("POST",  "/meetings/{meeting_id}/appraisal/review",          "eval_pending",        ANON, NO,      NO,     NO,      NO,        NO,        OK,      NO,        NO),
    ("POST",  "/meetings/{meeting_id}/appraisal/review",          "eval_published",      ANON, NO,      NO,     NO,      NO,        NO,        "409 no_pending_appraisal", NO, NO),
    ("GET",   "/appraisals",                                      "?compound_id=c1",     ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/appraisals/{appraisal_id}",                       "appraisal_published", ANON, OK,      OK,     OK,      OK,        OK,        OK,      OK,        OK),
    ("GET",   "/appraisals/{appraisal_id}",                       "appraisal_pending",   ANON, HIDDEN,  HIDDEN, HIDDEN,  OK,        HIDDEN,    OK,      HIDDEN,    OK),
]
# fmt: on


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 1x1 red PNG, enough for the upload route to recognise it.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    + _png_chunk(b"IEND", b"")
)


def _request(method: str, path: str, ids: dict[str, int], code: str | None) -> dict:
    """The body each route is called with: valid, so that only access decides the answer."""
    bodies = {
        ("POST", "/auth/wechat"): lambda: {"json": {"code": code or "matrix-newcomer"}},
        ("PATCH", "/me"): lambda: {"json": {}},
        ("POST", "/members/register"): lambda: {"json": {"compound_id": ids["c1"], "work_unit": "区税务局"}},
        ("POST", "/members/registrations/{registration_id}/reject"): lambda: {"json": {"reason": "材料不全"}},
        ("POST", "/me/verify-phone"): lambda: {"json": {"code": "phone-13800000001"}},
        ("POST", "/verifications/{verification_id}/reject"): lambda: {"json": {"reason": "不是该户居民"}},
        ("PATCH", "/members/me"): lambda: {"json": {"available": True}},
        ("POST", "/wishes"): lambda: {"json": {"title": "楼道灯不亮", "category": "repair"}},
        ("POST", "/wishes/{wish_id}/review"): lambda: {"json": {"decision": "approve"}},
        ("POST", "/wishes/{wish_id}/cancel"): lambda: {"json": {"reason": "已经解决了"}},
        ("POST", "/wishes/{wish_id}/confirm"): lambda: {"json": {"rating": 5}},
        ("POST", "/wishes/{wish_id}/dispatch"): lambda: {"json": {"member_id": ids["demo-member"]}},
        ("POST", "/wishes/{wish_id}/complete"): lambda: {"json": {"note": "已上门处理"}},
        ("POST", "/orders/{order_id}/decline"): lambda: {"json": {"reason": "这周出差"}},
        ("POST", "/uploads"): lambda: {"files": {"file": ("door.png", PNG, "image/png")}},
        ("POST", "/notifications/subscriptions"): lambda: {"json": {"results": {"dev-wish_review": "accept"}}},
        ("POST", "/households/import"): lambda: {
            "files": {"file": ("台账.xlsx", _empty_ledger(), "application/octet-stream")}
        },
        ("PUT", "/households/{household_id}"): lambda: {
            "json": {"address": "幸福路88号", "care_tags": [], "residents": [{"name": "张三", "relation": "户主"}]}
        },
        ("POST", "/visits/batch"): lambda: {
            "json": {
                "visits": [
                    {
                        "client_id": str(uuid.uuid4()),
                        "household_id": ids["house_g1"],
                        "visited_at": clock.now().isoformat(),
                        "outcome": "met",
                    }
                ]
            }
        },
        ("PUT", "/visits/cycles/{grid_id}"): lambda: {"json": {"cycle_days": 30}},
        ("PUT", "/org/buildings/{building_id}/location"): lambda: {"json": {"latitude": 37.43, "longitude": 118.67}},
        ("POST", "/issues"): lambda: {
            "json": {"category": "environment", "description": "楼道堆放杂物", "household_id": ids["house_g1"]}
        },
        ("POST", "/issues/{issue_id}/whistle"): lambda: {"json": {}},
        ("POST", "/issues/{issue_id}/respond"): lambda: {"json": {"note": "收到，马上到"}},
        ("POST", "/issues/{issue_id}/resolve"): lambda: {"json": {"note": "已处理", "photos": []}},
        ("POST", "/issues/{issue_id}/return"): lambda: {"json": {"reason": "不属本部门职责"}},
        ("POST", "/issues/{issue_id}/confirm"): lambda: {"json": {"satisfied": True}},
        ("POST", "/issues/{issue_id}/reopen"): lambda: {"json": {"reason": "问题仍在"}},
        ("POST", "/airing"): lambda: {  # a correction of the demo's published quarter (a new version)
            "json": {
                "community_id": ids["community_c1"],
                "period": ids["airing_period"],
                "correction_reason": "补录漏登的心愿",
            }
        },
        ("PUT", "/proposals/lists"): lambda: {
            "json": {
                "encouraged": [{"code": "facilities", "name": "公共设施维修"}],
                "negative": [{"code": "N01", "text": "涉及个人私利的"}],
            }
        },
        ("POST", "/proposals"): lambda: {
            "json": {"title": "加装座椅", "problem": "没处歇脚", "solution": "装四张椅子", "category": "facilities"}
        },
        ("PATCH", "/proposals/{proposal_id}"): lambda: {"json": {"title": "周末露天电影（每月一次）"}},
        ("POST", "/proposals/{proposal_id}/submit"): lambda: {"json": {"none_applies": True}},
        ("POST", "/proposals/{proposal_id}/withdraw"): lambda: {"json": {}},
        ("POST", "/proposals/{proposal_id}/cosign"): lambda: {"json": {}},
        ("POST", "/proposals/{proposal_id}/review"): lambda: {"json": {"decision": "accept"}},
        ("POST", "/proposals/{proposal_id}/execution"): lambda: {
            "json": {"executor": "社区居委会", "task": "采购安装", "due": "2027-01-31"}
        },
        ("POST", "/proposals/{proposal_id}/execution/done"): lambda: {"json": {"report": "已安装完毕"}},
        ("POST", "/proposals/{proposal_id}/rating"): lambda: {"json": {"rating": 5}},
        ("POST", "/agenda"): lambda: {"json": {"text": "小区增设快递柜"}},
        ("PATCH", "/agenda/{item_id}"): lambda: {"json": {"status": "declined", "reason": "已另行处理"}},
        ("POST", "/meetings"): lambda: {
            "json": {
                "kind": "regular",
                "community_id": ids["community_c1"],
                "date": (clock.now() + timedelta(days=30)).date().isoformat(),
                "place": "社区服务站",
            }
        },
        ("POST", "/meetings/{meeting_id}/items"): lambda: {"json": {"topics": ["楼道文化墙设计"]}},
        ("POST", "/meetings/{meeting_id}/attendance"): lambda: {"json": {}},
        ("POST", "/meetings/{meeting_id}/close"): lambda: {"json": {"minutes": "议定事项若干"}},
        ("POST", "/meetings/{meeting_id}/items/{item_id}/outcome"): lambda: {"json": {"decision": "adopted"}},
    }
    bodies.update(cobuild_bodies(ids))
    bodies.update(project_bodies(ids))
    bodies.update(assessment_bodies(ids))
    bodies.update(appraisal_bodies(ids))
    make = bodies.get((method, path))
    return make() if make else {}


def _empty_ledger() -> bytes:
    from backend.households.ledger import write_ledger

    return write_ledger([])


def _rows():
    for method, path, target, *expected in MATRIX:
        assert len(expected) == len(CALLERS), f"{method} {path}: one cell per caller"
        label = f"{method} {path}" + (f" [{target}]" if target else "")
        yield pytest.param(method, path, target, dict(zip(CALLERS, expected, strict=True)), id=label)


_ids_cache: dict[str, dict[str, int]] = {}


async def demo_objects(session, db_url: str) -> dict[str, int]:
    """Ids of the demo rows the matrix calls on, looked up once per database."""
    if db_url in _ids_cache:
        return _ids_cache[db_url]

    async def one(stmt) -> int:
        value = (await session.execute(stmt.limit(1))).scalar_one_or_none()
        assert value is not None, f"demo data lacks {stmt}"
        return value

    ids: dict[str, int] = {}
    for code in CALLERS.values():
        if code:
            ids[code] = await one(select(User.id).where(User.openid == f"fake-openid-{code}"))
    for key, name in (("c1", "锦华苑"), ("c2", "翠湖花园"), ("c3", "阳光小区")):
        ids[key] = await one(select(Compound.id).where(Compound.name == name))
    wishes = select(Wish.id).order_by(Wish.id)
    ids["pending_c1"] = await one(
        wishes.where(
            Wish.compound_id == ids["c1"], Wish.status == "pending_review", Wish.requester_id == ids["demo-resident"]
        )
    )
    ids["open_c1"] = await one(
        wishes.where(Wish.compound_id == ids["c1"], Wish.status == "open", Wish.requester_id == ids["demo-resident"])
    )
    ids["offered"] = await one(
        select(Order.id).where(Order.status == "offered", Order.member_id == ids["demo-member"]).order_by(Order.id)
    )
    ids["dispatched"] = await one(select(Order.wish_id).where(Order.id == ids["offered"]))
    ids["wish_c2"] = await one(wishes.where(Wish.compound_id == ids["c2"]))
    ids["wish_c3"] = await one(wishes.where(Wish.compound_id == ids["c3"], Wish.status == "open"))
    ids["pending_reg"] = await one(
        select(MemberRegistration.id)
        .where(MemberRegistration.compound_id == ids["c1"], MemberRegistration.status == "pending")
        .order_by(MemberRegistration.id)
    )
    from backend.notify.models import Notification, OutboxMessage

    ids["note_resident"] = await one(
        select(Notification.id).where(Notification.user_id == ids["demo-resident"]).order_by(Notification.id)
    )
    for key, compound in (("outbox_c1", "c1"), ("outbox_c3", "c3")):
        ids[key] = await one(
            select(OutboxMessage.id)
            .join(Notification, Notification.id == OutboxMessage.notification_id)
            .where(Notification.compound_id == ids[compound], OutboxMessage.status != "dead")
            .order_by(OutboxMessage.id)
        )
    for key, name in (("grid_g1", "和谐社区第一网格"), ("grid_c3", "明德社区第一网格")):
        ids[key] = await one(select(Grid.id).where(Grid.name == name))
    households = select(Household.id).order_by(Household.id)
    ids["house_g1"] = await one(
        households.where(Household.grid_id == ids["grid_g1"], Household.compound_id == ids["c1"])
    )
    ids["house_c3"] = await one(households.where(Household.compound_id == ids["c3"]))
    ids["building_g1"] = await one(select(Household.building_id).where(Household.id == ids["house_g1"]))
    ids["building_c3"] = await one(select(Household.building_id).where(Household.id == ids["house_c3"]))
    from backend.airing.models import AiringSnapshot
    from backend.issues.models import GridIssue

    issues = select(GridIssue.id).where(GridIssue.grid_id == ids["grid_g1"]).order_by(GridIssue.id)
    ids["issue_open"] = await one(issues.where(GridIssue.status == "open"))
    from backend.org.models import Department

    dept = await one(select(Department.id).where(Department.name == "城管执法中队"))  # demo-department's
    ids["issue_whistled"] = await one(issues.where(GridIssue.status == "whistled", GridIssue.department_id == dept))
    ids["issue_resolved"] = await one(issues.where(GridIssue.status == "resolved"))
    ids["claim_g1"] = await one(
        select(ResidentVerification.id)
        .where(ResidentVerification.grid_id == ids["grid_g1"], ResidentVerification.status == "pending")
        .order_by(ResidentVerification.id)
    )
    ids["community_c1"] = await one(select(Compound.community_id).where(Compound.id == ids["c1"]))
    ids["airing_c1"] = await one(select(AiringSnapshot.id).where(AiringSnapshot.community_id == ids["community_c1"]))
    ids["airing_period"] = await one(select(AiringSnapshot.period).where(AiringSnapshot.id == ids["airing_c1"]))
    from backend.proposals.models import Proposal

    proposals = select(Proposal.id).order_by(Proposal.id)
    ids["prop_submitted"] = await one(
        proposals.where(
            Proposal.compound_id == ids["c1"],
            Proposal.status == "submitted",
            Proposal.proposer_id == ids["demo-resident"],
        )
    )
    ids["prop_draft"] = await one(
        proposals.where(Proposal.status == "draft", Proposal.proposer_id == ids["demo-resident"])
    )
    ids["prop_cosigning"] = await one(
        proposals.where(Proposal.compound_id == ids["c1"], Proposal.status == "cosigning")
    )
    ids["prop_executing"] = await one(
        proposals.where(Proposal.compound_id == ids["c2"], Proposal.status == "executing")
    )
    ids["prop_evaluating"] = await one(
        proposals.where(Proposal.compound_id == ids["c3"], Proposal.status == "evaluating")
    )
    from backend.deliberation.models import AgendaItem, Meeting

    ids["community_c3"] = await one(select(Compound.community_id).where(Compound.id == ids["c3"]))
    coming = select(Meeting.id).where(Meeting.kind == "deliberation_day", Meeting.status == "planned")
    ids["meeting_c1"] = await one(coming.where(Meeting.community_id == ids["community_c1"]).order_by(Meeting.date))
    ids["meeting_c3"] = await one(coming.where(Meeting.community_id == ids["community_c3"]).order_by(Meeting.date))
    items = select(AgendaItem.id).order_by(AgendaItem.id)
    ids["agenda_c1"] = await one(items.where(AgendaItem.compound_id == ids["c1"], AgendaItem.status == "proposed"))
    ids["agenda_c3"] = await one(
        items.where(AgendaItem.community_id == ids["community_c3"], AgendaItem.status == "proposed")
    )
    ids["item_c1"] = await one(
        items.where(AgendaItem.meeting_id == ids["meeting_c1"], AgendaItem.status == "scheduled")
    )
    ids.update(await cobuild_objects(session))
    ids.update(await project_objects(session))
    ids.update(await assessment_objects(session))
    ids.update(await appraisal_objects(session))
    _ids_cache[db_url] = ids
    return ids


@pytest.mark.parametrize(("method", "path", "target", "expected"), list(_rows()))
async def test_access(api, app, session, db, method, path, target, expected):
    """One row of the matrix: the route called by every caller, each call inside a savepoint that
    is rolled back afterwards, so that every caller sees the demo data as loaded."""
    ids = await demo_objects(session, db[0])
    conn = app.state.test_connection
    wrong = []
    for caller, want in expected.items():
        code = CALLERS[caller]
        if code:
            # The token login would give (tests/auth covers login itself); minting it saves a WeChat round trip.
            api.tokens[code] = create_access_token(app.state.settings, ids[code])[0]
        savepoint = await conn.begin_nested()
        try:
            r = await api.call(method, _url(path, target, ids), code, **_request(method, path, ids, code))
        finally:
            await savepoint.rollback()
        got = str(r.status_code)
        if 400 <= r.status_code < 500:
            got += " " + assert_error_shape(r)["error"]
        if got != want:
            body = r.text[:200] if r.headers.get("content-type", "").startswith("application/json") else ""
            wrong.append(f"  as {caller}: expected {want}, got {got} {body}")
    assert not wrong, f"{method} {path} [{target}]\n" + "\n".join(wrong)


def api_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every /api/v1 route. Recent FastAPI keeps included routers as lazy
    wrappers in app.routes; they are expanded through `effective_route_contexts()`."""

    def walk(routes):
        for route in routes:
            nested = getattr(route, "effective_route_contexts", None)
            if nested is not None:
                yield from walk(nested())
            else:
                yield route

    found = set()
    for route in walk(app.routes):
        path = getattr(route, "path", "")
        if path.startswith(PREFIX):
            for method in getattr(route, "methods", None) or ():
                if method != "HEAD":
                    found.add((method, path))
    return found


async def test_matrix_covers_every_route(app):
    routes = api_routes(app)
    assert len(routes) >= 26, "route discovery found too few routes"
    covered = {(method, PREFIX + path) for method, path, *_ in MATRIX}
    missing = sorted(routes - covered)
    assert not missing, f"routes without a row in MATRIX: {missing}"
    stale = sorted(covered - routes)
    assert not stale, f"MATRIX rows for routes that do not exist: {stale}"


def test_only_login_is_open():
    """The anon column, stated as a rule so that an edit of the table cannot quietly open a route."""
    anon = list(CALLERS).index("anon")
    for method, path, _target, *cells in MATRIX:
        if (method, path) == ("POST", "/auth/wechat"):
            assert cells[anon] == OK
        else:
            assert cells[anon] == ANON, f"{method} {path}"


async def test_unknown_routes_and_methods_answer_in_the_error_shape(api):
    r = await api.get("/api/v1/no-such-route", "demo-resident")
    assert r.status_code == 404 and assert_error_shape(r)["error"] == "not_found"
    r = await api.call("DELETE", "/api/v1/me", "demo-resident")
    assert r.status_code == 405 and assert_error_shape(r)["error"] == "method_not_allowed"
