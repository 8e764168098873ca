// Response bodies shaped like openapi.json's schemas (MeOut, WishSummary, WishDetail, …).

const T0 = '2026-11-19T16:34:03.203189Z'

function me(overrides = {}) {
  return Object.assign(
    {
      id: 1,
      name: '王秀兰',
      phone: '13800000001',
      compound_id: 1,
      compound_name: '锦华苑',
      household_id: 74,
      room: '4号楼1单元102',
      roles: ['resident'],
      grants: [],
    },
    overrides
  )
}

function memberMe(overrides = {}) {
  return me(
    Object.assign(
      {
        id: 3,
        name: '张伟',
        phone: '13900000001',
        room: '3号楼2单元202',
        roles: ['resident', 'party_member'],
        grants: [{ role: 'party_member', scope_type: 'compound', scope_id: 1 }],
      },
      overrides
    )
  )
}

function dispatcherMe(overrides = {}) {
  return me(
    Object.assign(
      {
        id: 6,
        name: '赵敏',
        phone: '13700000001',
        room: '3号楼2单元602',
        roles: ['resident', 'dispatcher'],
        grants: [{ role: 'dispatcher', scope_type: 'compound', scope_id: 1 }],
      },
      overrides
    )
  )
}

function newUser(overrides = {}) {
  return me(
    Object.assign(
      { id: 222, name: '', phone: null, compound_id: null, compound_name: null, household_id: null, room: null },
      overrides
    )
  )
}

const STATUS_LABELS = {
  pending_review: '待审核',
  rejected: '未通过',
  open: '待认领',
  dispatched: '已派单',
  accepted: '已接单',
  completed: '待确认',
  closed: '已完成',
  cancelled: '已取消',
}

function wish(overrides = {}) {
  const status = overrides.status || 'open'
  return Object.assign(
    {
      id: 5,
      title: '想学用智能手机视频通话',
      category: 'skills',
      category_label: '技能',
      status,
      status_label: STATUS_LABELS[status],
      compound_id: 1,
      requester_name: '王*兰',
      created_at: T0,
      updated_at: T0,
    },
    overrides
  )
}

function event(type, label, from, to, overrides = {}) {
  return Object.assign({ type, label, from_status: from, to_status: to, actor_name: '王秀兰', at: T0, note: null }, overrides)
}

function order(overrides = {}) {
  return Object.assign(
    {
      id: 11,
      wish_id: 5,
      member_id: 3,
      member_name: '张伟',
      kind: 'dispatch',
      status: 'offered',
      status_label: '待接单',
      note: '您住得近',
      decline_reason: null,
      completion_note: null,
      photos: [],
      created_at: T0,
      expires_at: '2099-01-01T00:00:00Z',
      responded_at: null,
      completed_at: null,
    },
    overrides
  )
}

function orderWithWish(overrides = {}) {
  return Object.assign(order(), { wish_title: '想请人辅导初二数学', wish_status: 'dispatched', wish_category: 'education' }, overrides)
}

function wishDetail(overrides = {}) {
  const base = wish(overrides)
  return Object.assign(
    base,
    {
      description: '子女在外地，想学会用微信视频和他们聊天。',
      photos: [],
      requester: { name: '王秀兰', phone: '13800000001', room: '4号楼1单元102', masked: false },
      reject_reason: null,
      cancel_reason: null,
      rating: null,
      comment: null,
      auto_closed: false,
      accepted_at: null,
      completed_at: null,
      closed_at: null,
      events: [event('created', '提交心愿', null, 'pending_review')],
      order: null,
    },
    overrides
  )
}

function page(items, nextCursor = null) {
  return { items, next_cursor: nextCursor }
}

function categories() {
  return {
    items: [
      { code: 'elder_care', label: '助老', skills: ['助老服务'] },
      { code: 'repair', label: '维修', skills: ['水电维修'] },
      { code: 'other', label: '其他', skills: [] },
    ],
  }
}

function candidate(overrides = {}) {
  return Object.assign(
    {
      member_id: 3,
      name: '张伟',
      work_unit: '税务局',
      skills: ['水电维修'],
      available: true,
      open_orders: 0,
      score: 9.5,
      reasons: ['技能匹配：水电维修', '住得近：同一小区'],
    },
    overrides
  )
}

function registration(overrides = {}) {
  return Object.assign(
    {
      id: 21,
      user_id: 40,
      user_name: '李强',
      compound_id: 1,
      work_unit: '区人民医院',
      skills: ['医疗护理'],
      status: 'pending',
      reason: null,
      created_at: T0,
      decided_at: null,
    },
    overrides
  )
}

function member(overrides = {}) {
  return Object.assign(
    { user_id: 3, name: '张伟', work_unit: '税务局', skills: ['水电维修'], available: true, compound_ids: [1] },
    overrides
  )
}

function compound(overrides = {}) {
  return Object.assign({ id: 1, name: '锦华苑', address: '幸福路1号', community_id: 1, community_name: '和谐社区' }, overrides)
}

module.exports = {
  T0,
  me,
  memberMe,
  dispatcherMe,
  newUser,
  wish,
  wishDetail,
  event,
  order,
  orderWithWish,
  page,
  categories,
  candidate,
  registration,
  member,
  compound,
}
