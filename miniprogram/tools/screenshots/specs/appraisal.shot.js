// The 小区评议会 screens (pages/project/appraisal, pages/project/results): a resident rating the
// sheet (stars chosen, a 2-star line with its reason, a line already rated), checking in first, the
// branch with returned results, the community admin reviewing, empty and error; 评议结果 with a
// correction and the edition it replaced, empty and error.
const { screen, fx, wxHelpers, MP } = require('../render')
const ax = require(MP + '/tests/helpers/appraisals')

const { NETWORK_DOWN } = wxHelpers

function fullSheet(o = {}) {
  const s = ax.sheet(o)
  s.lines.splice(
    2,
    0,
    ax.line({ line_id: 'project:2', kind: 'project', kind_label: '项目', name: '小区健身角更新', detail: '已完成；承办：绿茵物业服务有限公司', rated_by_me: true }),
    ax.member(4, '刘芳', '区人民医院', { mean_rating: 5, figures: ax.member(4, '', '').figures })
  )
  return s
}

const branch = fx.me({ id: 6, name: '赵敏', roles: ['resident', 'dispatcher'], grants: [{ role: 'dispatcher', scope_type: 'compound', scope_id: 1 }] })
const admin = fx.me({ id: 8, name: '周海', roles: ['resident', 'community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] })

// ---------------------------------------------------------------- 小区评议会
screen('appraisal', 'rating', {
  route: 'pages/project/appraisal/appraisal',
  query: { id: '9' },
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/meetings/9', ax.meeting())
    api.on('GET /api/v1/meetings/9/sheet', fullSheet())
  },
  async after(page) {
    page.instance.onStar({ currentTarget: { dataset: { key: 'project-1', score: 4 } } })
    page.instance.onStar({ currentTarget: { dataset: { key: 'project-4', score: 2 } } })
    page.instance.onComment({ currentTarget: { dataset: { key: 'project-4' } }, detail: { value: '长廊座椅已经坏了两个月' } })
    await wxHelpers.flush()
  },
})
screen('appraisal', 'check-in', {
  route: 'pages/project/appraisal/appraisal',
  query: { id: '9' },
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/meetings/9', ax.meeting())
    api.on('GET /api/v1/meetings/9/sheet', ax.sheet({ checked_in: false, can_rate: false }))
  },
})
screen('appraisal', 'branch-returned', {
  route: 'pages/project/appraisal/appraisal',
  query: { id: '9' },
  routes(api) {
    const returned = ax.appraisal({ status: 'returned', status_label: '已退回', review_reason: '物业服务企业一项只有3人评议，请核实签到名单' })
    api.on('GET /api/v1/me', branch)
    api.on('GET /api/v1/meetings/9', ax.meeting({ status: 'closed', status_label: '已结束', actions: [] }))
    api.on('GET /api/v1/meetings/9/sheet', ax.sheet({ checked_in: false, can_rate: false }))
    api.on('GET /api/v1/appraisals', fx.page([returned]))
    api.on('GET /api/v1/appraisals/2', ax.detail(returned))
  },
})
screen('appraisal', 'review', {
  route: 'pages/project/appraisal/appraisal',
  query: { id: '9' },
  routes(api) {
    api.on('GET /api/v1/me', admin)
    api.on('GET /api/v1/meetings/9', ax.meeting({ status: 'closed', status_label: '已结束', actions: [] }))
    api.on('GET /api/v1/meetings/9/sheet', ax.sheet({ checked_in: false, can_rate: false }))
    api.on('GET /api/v1/appraisals', fx.page([ax.appraisal()]))
    api.on('GET /api/v1/appraisals/2', ax.detail())
  },
  async after(page) {
    // the reviewer scrolls to the decision: the results first
    page.instance.onReason({ detail: { value: '' } })
    await wxHelpers.flush()
  },
})
screen('appraisal', 'empty', {
  route: 'pages/project/appraisal/appraisal',
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/meetings', fx.page([]))
  },
})
screen('appraisal', 'error', {
  route: 'pages/project/appraisal/appraisal',
  query: { id: '9' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/meetings/9', NETWORK_DOWN)
    api.on('GET /api/v1/meetings/9/sheet', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 评议结果
const fix = ax.appraisal({ id: 3, edition: 2, supersedes_id: 1, status: 'published', status_label: '已公示', correction_reason: '一张评议表漏录，补录后重新计算', published_at: '2026-10-12T03:00:00Z' })
const old = ax.appraisal({ id: 1, status: 'superseded', status_label: '已更正', published_at: '2026-10-10T03:00:00Z', superseded_at: '2026-10-12T03:00:00Z' })
const q2 = ax.appraisal({ id: 0, period: '2026-Q2', meeting_id: 7, status: 'published', status_label: '已公示', published_at: '2026-07-10T03:00:00Z' })
screen('appraisal-results', 'data', {
  route: 'pages/project/results/results',
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/appraisals', fx.page([fix, old, q2]))
    api.on('GET /api/v1/appraisals/:id', (call) => ax.detail(call.params.id === '3' ? fix : old))
  },
})
screen('appraisal-results', 'empty', {
  route: 'pages/project/results/results',
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/appraisals', fx.page([]))
  },
})
screen('appraisal-results', 'error', {
  route: 'pages/project/results/results',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/appraisals', NETWORK_DOWN)
  },
})
