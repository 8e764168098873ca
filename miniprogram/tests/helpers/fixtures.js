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

// The labels an older backend sends (a wish's accepted was 已接单 before issue 15): the pages must
// show the glossary's words whatever comes (tests/glossary.test.js, wish-detail.test.js).
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
      due_at: null,
      overdue_at: null,
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

function gridWorkerMe(overrides = {}) {
  return me(
    Object.assign(
      {
        id: 7,
        name: '孙丽',
        phone: '13700000002',
        room: '1号楼1单元602',
        roles: ['resident', 'grid_worker'],
        grants: [{ role: 'grid_worker', scope_type: 'grid', scope_id: 1 }],
      },
      overrides
    )
  )
}

function chiefMe(overrides = {}) {
  return me(
    Object.assign(
      {
        id: 227,
        name: '冯秀英',
        phone: '13700000011',
        compound_id: null,
        compound_name: null,
        household_id: null,
        room: null,
        roles: ['resident', 'building_chief'],
        grants: [{ role: 'building_chief', scope_type: 'building', scope_id: 1 }],
      },
      overrides
    )
  )
}

// HouseholdOut
function household(overrides = {}) {
  return Object.assign(
    {
      id: 58,
      label: '3号楼1单元502',
      room: '502',
      building_id: 3,
      unit_id: 5,
      compound_id: 1,
      grid_id: 1,
      address: '幸福路88号3号楼1单元502',
      care_tags: ['独居老人'],
      residents: [{ id: 101, name: '孙福生', relation: '本人', phone: '15121607241', has_account: false }],
      phones_masked: false,
    },
    overrides
  )
}

// TodoItem
function todo(overrides = {}) {
  return Object.assign(
    {
      household_id: 58,
      label: '3号楼1单元502',
      grid_id: 1,
      compound_id: 1,
      care_tags: ['独居老人'],
      cycle_days: 7,
      last_visit_at: '2026-11-09T02:29:45.234353Z',
      last_attempt_at: '2026-11-09T02:29:45.234353Z',
      due_at: '2026-11-16T02:29:45.234353Z',
      overdue: true,
      days_overdue: 7,
      residents: [{ name: '孙福生', relation: '本人', phone: '15121607241' }],
    },
    overrides
  )
}

// VisitOut
function visit(overrides = {}) {
  return Object.assign(
    {
      id: 2099,
      client_id: '55ce1a42-28e8-4326-9fe5-8ce8c7e8c1eb',
      household_id: 58,
      worker_id: 7,
      worker_name: '孙丽',
      visited_at: '2026-11-09T02:29:45.234353Z',
      outcome: 'met',
      outcome_label: '见到居民',
      people_met: ['户主'],
      note: '入户走访，了解近况',
      location: null,
      findings: [],
      created_at: '2026-11-09T02:30:00Z',
    },
    overrides
  )
}

function counts(overrides = {}) {
  return Object.assign({ households: 72, visited: 48, met: 47, not_home: 1, refused: 0, moved: 0, overdue: 21 }, overrides)
}

// CoverageOut
function coverage(overrides = {}) {
  return Object.assign(
    {
      period: '2026-11',
      period_start: '2026-10-31T16:00:00Z',
      period_end: '2026-11-30T16:00:00Z',
      as_of: '2026-11-23T12:15:48Z',
      total: counts(),
      grids: [
        Object.assign(counts(), {
          grid_id: 1,
          name: '和谐社区第一网格',
          community_id: 1,
          cycle_days: 30,
          workers: [
            Object.assign(counts({ visited: 40, met: 39 }), { worker_id: 7, name: '孙丽', role: 'grid_worker' }),
            Object.assign(counts({ households: 24, visited: 12, met: 9, not_home: 3, overdue: 5 }), {
              worker_id: 227,
              name: '冯秀英',
              role: 'building_chief',
            }),
          ],
        }),
      ],
      compounds: [Object.assign(counts(), { compound_id: 1, name: '锦华苑', community_id: 1 })],
      communities: [Object.assign(counts(), { community_id: 1, name: '和谐社区' })],
    },
    overrides
  )
}

// VisitBatchOut for the visits of a POST /api/v1/visits/batch body, every one created.
function batchOut(visits, firstId = 3000) {
  const results = visits.map((v, i) => ({
    client_id: v.client_id,
    status: 'created',
    id: firstId + i,
    error: null,
    detail: null,
    follow_ups: [],
  }))
  return { created: results.length, duplicate: 0, error: 0, results }
}

module.exports = {
  T0,
  gridWorkerMe,
  chiefMe,
  household,
  todo,
  visit,
  coverage,
  batchOut,
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
