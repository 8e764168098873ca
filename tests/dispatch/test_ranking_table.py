"""Candidate ranking, table-driven (the Python reference, tests/dispatch/ranking_reference.rank):
each situation names the members, what the order history says about them, the wish's skills, and
the expected order and reasons. tests/dispatch/test_ranking_sql.py shows the SQL ranking agrees."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from backend.wishes.categories import CATEGORY_SKILLS
from tests.dispatch.ranking_reference import Load, rank

REPAIR = CATEGORY_SKILLS["repair"]
EDUCATION = CATEGORY_SKILLS["education"]
HOME = 7  # the requester's building


class M(NamedTuple):
    id: int
    name: str
    skills: list
    building_id: int | None = None
    available: bool = True
    rating_sum: int = 0
    rating_count: int = 0
    work_unit: str = "区直单位"


PLUMBER = M(1, "水电工", ["水电维修"])
TUTOR = M(2, "老师", ["课业辅导"], building_id=HOME)
NEIGHBOUR = M(3, "邻居", [], building_id=HOME)
STRANGER = M(4, "远邻", [], building_id=9)

SITUATIONS = [
    pytest.param(  # the plumber ranked 6th for a leaking tap behind a tutor: never again
        [TUTOR, PLUMBER],
        {PLUMBER.id: Load(open_orders=2, taken_this_month=2)},
        REPAIR,
        [PLUMBER.id, TUTOR.id],
        {PLUMBER.id: ["擅长水电维修", "在办2单", "本月已接2单"]},
        id="exact skill outranks no open orders and the same building",
    ),
    pytest.param(
        [STRANGER, NEIGHBOUR],
        {},
        REPAIR,
        [NEIGHBOUR.id, STRANGER.id],
        {NEIGHBOUR.id: ["与居民同楼栋"], STRANGER.id: ["同小区"]},
        id="no skill matches: the same building first",
    ),
    pytest.param(
        [M(5, "甲", [], HOME), M(6, "乙", [], HOME)],
        {5: Load(open_orders=1)},
        REPAIR,
        [6, 5],
        {6: ["当前无在办订单"], 5: ["在办1单"]},
        id="free before busy",
    ),
    pytest.param(
        [M(8, "专家", ["水电维修"], available=False), STRANGER],
        {},
        REPAIR,
        [STRANGER.id, 8],
        {8: ["本人设置暂不接单", "擅长水电维修"]},
        id="unavailable is ruled out whatever the skill, with the reason first",
    ),
    pytest.param(
        [M(9, "忙人", ["水电维修"]), STRANGER],
        {9: Load(open_orders=3)},
        REPAIR,
        [STRANGER.id, 9],
        {9: ["在办订单已达3单"]},
        id="the open-order limit rules a member out",
    ),
    pytest.param(  # one unanswered offer: not 本月已接1单 beside 接单率0%
        [M(10, "新人", [], HOME)],
        {10: Load(open_orders=1, taken_this_month=0, offers_90d=1, accepted_90d=0)},
        REPAIR,
        [10],
        {10: ["在办1单", "本月尚未接单", "新报到"]},
        id="an unanswered offer is neither a take nor a rate",
    ),
    pytest.param(
        [M(11, "老手", [], HOME), M(12, "常拒", [], HOME)],
        {11: Load(offers_90d=4, accepted_90d=3), 12: Load(offers_90d=5, accepted_90d=1)},
        REPAIR,
        [11, 12],
        {11: ["接单率75%"], 12: ["接单率20%"]},
        id="the 90-day acceptance rate after three offers",
    ),
    pytest.param(
        [M(13, "两次", [], HOME)],
        {13: Load(offers_90d=2, accepted_90d=0)},
        REPAIR,
        [13],
        {13: ["新报到"]},
        id="two offers are too few for a rate",
    ),
    pytest.param(
        [M(14, "好评", [], HOME, rating_sum=10, rating_count=2), M(15, "一般", [], HOME, rating_sum=6, rating_count=2)],
        {},
        REPAIR,
        [14, 15],
        {14: ["平均评分5.0"], 15: ["平均评分3.0"]},
        id="the better rated first when all else is equal",
    ),
    pytest.param(
        [M(16, "多接", [], HOME), M(17, "少接", [], HOME)],
        {16: Load(taken_this_month=2), 17: Load()},
        REPAIR,
        [17, 16],
        {16: ["本月已接2单"], 17: ["本月尚未接单"]},
        id="spread the work: fewer taken this month first",
    ),
    pytest.param(
        [TUTOR, PLUMBER],
        {},
        EDUCATION,
        [TUTOR.id, PLUMBER.id],
        {TUTOR.id: ["擅长课业辅导"]},
        id="the skill follows the wish's category",
    ),
    pytest.param(
        [M(21, "同分甲", []), M(20, "同分乙", [])],
        {},
        set(),
        [20, 21],
        {},
        id="ties in a stable order",
    ),
]


@pytest.mark.parametrize(("members", "loads", "wanted", "order", "reasons"), SITUATIONS)
def test_ranking(members, loads, wanted, order, reasons):
    ranked = rank(members, loads, wanted, HOME, max_open=3)
    assert [c["member_id"] for c in ranked] == order
    by_id = {c["member_id"]: c for c in ranked}
    for member, expected in reasons.items():
        got = by_id[member]["reasons"]
        assert [r for r in got if r in expected] == expected, got
        assert len({r[:2] for r in got}) == len(got), f"one reason of each kind: {got}"
