"""The street's proposal lists: six encouraged categories (鼓励类) and thirteen negative items
(负面清单). The seeds give the counts, not the contents: the built-in lists below are editable
examples written the way a street handbook would, used by a street until its admin saves its own
(each save is a new version; a proposal keeps the version it was screened against)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.errors import Conflict
from backend.proposals.models import ProposalList

DEFAULT_ENCOURAGED = [
    {
        "code": "facilities",
        "name": "公共设施维修",
        "description": "楼道灯、单元门、健身器材、路面、排水等公共设施的维修与完善",
    },
    {
        "code": "environment",
        "name": "环境整治",
        "description": "垃圾分类、楼道堆物清理、绿化补植、车辆停放秩序等人居环境改善",
    },
    {"code": "neighbourly", "name": "邻里互助", "description": "结对帮扶、共享工具、爱心食堂、邻里调解等互帮互助项目"},
    {"code": "culture", "name": "文体活动", "description": "广场舞、书画、读书会、节日联欢、全民健身等群众性文体活动"},
    {
        "code": "safety",
        "name": "平安建设",
        "description": "消防通道、电动车充电、监控补盲、防诈宣传、夜间巡逻等平安建设",
    },
    {
        "code": "elderly_children",
        "name": "为老为小服务",
        "description": "助餐助浴、适老化改造、四点半课堂、托育看护等一老一小服务",
    },
]

DEFAULT_NEGATIVE = [
    {"code": "N01", "text": "涉及个人或少数人私利，不具有公共性的"},
    {"code": "N02", "text": "违反法律法规或政策规定的"},
    {"code": "N03", "text": "已进入诉讼、仲裁、信访等法定程序的"},
    {"code": "N04", "text": "属于物业服务合同约定义务，应由物业企业履行的"},
    {"code": "N05", "text": "属于政府部门法定职责，应依职能办理的"},
    {"code": "N06", "text": "涉及党和国家秘密、个人隐私的"},
    {"code": "N07", "text": "涉及宗教、民族等敏感问题的"},
    {"code": "N08", "text": "以营利为目的或带有商业广告性质的"},
    {"code": "N09", "text": "内容空泛、没有具体问题和解决办法的"},
    {"code": "N10", "text": "已经议定或正在实施、重复提出的"},
    {"code": "N11", "text": "超出本级职权范围且不能转交办理的"},
    {"code": "N12", "text": "涉及房屋产权、遗产继承等民事纠纷的"},
    {"code": "N13", "text": "含有攻击、诽谤他人或不文明内容的"},
]


async def current(session: AsyncSession, street_id: int) -> tuple[int, list[dict], list[dict]]:
    """(version, encouraged, negative) in force for the street; version 0 = the built-in examples."""
    row = (
        await session.execute(
            select(ProposalList)
            .where(ProposalList.street_id == street_id)
            .order_by(ProposalList.version.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if row is None:
        return 0, DEFAULT_ENCOURAGED, DEFAULT_NEGATIVE
    return row.version, row.encouraged, row.negative


async def save(
    session: AsyncSession, street_id: int, *, encouraged: list[dict], negative: list[dict], actor_id: int
) -> ProposalList:
    version, _, _ = await current(session, street_id)
    row = ProposalList(
        street_id=street_id, version=version + 1, encouraged=encouraged, negative=negative, created_by=actor_id
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:  # another admin saved a version at the same moment
        raise Conflict("清单刚被他人修改，请刷新后重试", code="state_changed") from None
    return row
