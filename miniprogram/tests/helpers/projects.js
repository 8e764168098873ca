// Fixture data for the project pages (pages/project), shaped as openapi.json's ProjectOut,
// ProjectDetail, TaskOut, ContactsOut, CheckinSummaryOut and OpenBallot. Times are relative to now.
const HOUR = 3600 * 1000
const at = (hours) => new Date(Date.now() + hours * HOUR).toISOString()

// today in Beijing, "2026-12-02"
const today = () => new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10)

function project(o = {}) {
  return Object.assign(
    {
      id: 3,
      scope: 'compound',
      compound_id: 1,
      community_id: 1,
      title: '锦华苑路灯改造',
      year: 2026,
      key: true,
      source: 'proposal',
      source_id: 12,
      undertaker: '锦华苑物业',
      status: 'in_progress',
      status_label: '实施中',
      reason: null,
      due_date: '2026-12-31',
      plan_id: 1,
      progress: 45,
    },
    o
  )
}

function task(o = {}) {
  return Object.assign(
    {
      id: 8,
      project_id: 3,
      assignee_kind: 'department',
      assignee_kind_label: '职能部门',
      assignee_id: 2,
      assignee_name: '城管办',
      title: '更换 12 盏路灯',
      due_working_days: 5,
      due_at: at(50),
      status: 'accepted',
      status_label: '执行中',
      late: false,
      reminded: false,
      escalated: false,
      report: null,
      photos: [],
      actions: [],
    },
    o
  )
}

function detail(o = {}) {
  return Object.assign(project(), {
    view: 'public',
    supervisor_name: '李书记',
    tasks: [
      task({ report: '已采购灯具', photos: ['/uploads/lamp.jpg'] }),
      task({ id: 9, assignee_kind: 'member', assignee_kind_label: '党员', assignee_name: '张伟', title: '入户告知施工时间', status: 'assigned', status_label: '待接收', due_at: at(-3), late: true }),
    ],
    milestones: [
      { id: 1, position: 1, title: '采购', weight: 40, progress: 100, due_date: null },
      { id: 2, position: 2, title: '施工', weight: 60, progress: 8, due_date: null },
    ],
    funding: [
      { source: 'public_income', source_label: '小区公共收益', pledged: 1200000, received: 800000, spent: 523450 },
      { source: 'cobuilding', source_label: '共建单位', pledged: 300000, received: 300000, spent: 0 },
    ],
    funding_changes: [],
    reviews: [],
    events: [
      { type: 'approved', label: '社区审批通过', from_status: 'planned', to_status: 'approved', actor_name: '李书记', at: at(-200), note: null, photos: [] },
      { type: 'started', label: '开始实施', from_status: 'approved', to_status: 'in_progress', actor_name: '王主任', at: at(-100), note: '施工队进场', photos: ['/uploads/start.jpg'] },
    ],
    actions: [],
  }, o)
}

function contacts(o = {}) {
  return Object.assign(
    {
      department_id: 2,
      contacts: [
        { user_id: 21, user_name: '赵磊', place_kind: 'compound', place_id: 1, place_name: '锦华苑' },
        { user_id: 21, user_name: '赵磊', place_kind: 'community', place_id: 1, place_name: '和谐社区' },
      ],
    },
    o
  )
}

function rate(signed, missed) {
  return {
    label: '签到率',
    unit: 'day',
    numerator: signed.length,
    denominator: signed.length + missed.length,
    rate: signed.length + missed.length ? signed.length / (signed.length + missed.length) : null,
    buckets: { signed, missed },
    numerator_buckets: ['signed'],
    definition: '工作日签到天数 ÷ 应签到工作日',
  }
}

function summary(o = {}) {
  return Object.assign(
    {
      department_id: 2,
      department_name: '城管办',
      period: { label: '2026-12', start: '2026-11-30T16:00:00Z', end: '2026-12-31T16:00:00Z' },
      working_days: ['2026-12-01', '2026-12-02'],
      people: [{ user_id: 21, user_name: '赵磊', signin_rate: rate([20261201], [20261202]) }],
      places: [],
    },
    o
  )
}

function ballot(o = {}) {
  return Object.assign(
    {
      campaign_id: 4,
      title: '2026年第四季度小区党支部测评',
      level: 'residents_rate_compound',
      level_label: '党群评小区',
      target_id: 1,
      target_name: '锦华苑党支部',
      questions: [
        { code: 'service', text: '为居民办实事', kind: 'score_1_5' },
        { code: 'response', text: '反映问题有回应', kind: 'score_1_5' },
        { code: 'comment', text: '意见建议', kind: 'comment' },
      ],
      closes_at: at(72),
    },
    o
  )
}

module.exports = { at, today, project, task, detail, contacts, summary, rate, ballot }
