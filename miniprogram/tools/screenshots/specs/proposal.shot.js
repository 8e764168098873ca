// 社区提案 and 党群议事日: 我要提案 (the form, the negative-list self-check), 提案详情 (the six
// steps, a joint proposal being co-signed), 我的提案, 提案审核 (the checklist), 议事日 (the nine
// steps, the runner's outcome form, closing refused), 提案公示; with data, empty and error states.
const { screen, fx, wxHelpers, HOUR, DAY, ago } = require('../render')
const p = require('../../../tests/helpers/proposals')

const { NETWORK_DOWN } = wxHelpers

const steps = (n) => p.steps(n).map((s, i) => Object.assign(s, { at: s.done ? ago((10 - i) * DAY) : null }))
const events = [
  { type: 'created', label: '起草提案', from_status: null, to_status: 'draft', actor_name: '王秀兰', at: ago(20 * DAY), note: null },
  { type: 'submitted', label: '提交提案', from_status: 'draft', to_status: 'submitted', actor_name: '王秀兰', at: ago(10 * DAY), note: null },
  { type: 'accepted', label: '审议通过，列入议事日议程', from_status: 'submitted', to_status: 'accepted', actor_name: '赵敏', at: ago(9 * DAY), note: '列入12月10日党群议事日议程' },
  { type: 'adopted', label: '议事日表决通过', from_status: 'accepted', to_status: 'adopted', actor_name: '刘主任', at: ago(8 * DAY), note: '赞成23，反对1，弃权2' },
]
const admin = fx.me({ name: '刘芳', compound_id: null, compound_name: null, household_id: null, room: null, roles: ['community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] })

// ---------------------------------------------------------------- 我要提案
screen('proposal-new', 'form', {
  route: 'pages/proposal/new/new',
  routes(api) {
    api.on('GET /api/v1/proposals/lists', p.lists())
  },
  async after(page) {
    page.instance.onKind({ currentTarget: { dataset: { code: 'joint' } } })
    page.instance.pickCategory('facilities')
    const f = (field, value) => page.instance.onField({ currentTarget: { dataset: { field } }, detail: { value } })
    f('title', '3号楼加装楼道扶手')
    f('problem', '3号楼住着很多老人，楼梯没有扶手，上下楼容易摔倒。')
    f('solution', '每个单元一到六楼加装不锈钢扶手，先在3号楼试点。')
    page.instance.onUndertake()
    f('undertaking', '我女婿做装修，可以联系施工队')
  },
})
screen('proposal-new', 'checklist', {
  route: 'pages/proposal/new/new',
  query: { id: '7', step: 'check' },
  routes(api) {
    api.on('GET /api/v1/proposals/lists', p.lists())
    api.on('GET /api/v1/proposals/:id', p.detail())
  },
  async after(page) {
    ;['N01', 'N02', 'N03', 'N04', 'N05'].forEach((code) => page.instance.onCheck({ currentTarget: { dataset: { code } } }))
  },
})
screen('proposal-new', 'error', {
  route: 'pages/proposal/new/new',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/proposals/lists', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 提案详情
screen('proposal-detail', 'steps', {
  route: 'pages/proposal/detail/detail',
  query: { id: '7' },
  routes(api) {
    api.on('GET /api/v1/proposals/:id', p.detail({
      status: 'executing',
      steps: steps(3),
      steps_done: 3,
      events,
      agenda: { item_id: 21, meeting_date: '2026-12-10', status: 'decided', status_label: '已议定', meeting_id: 3, outcome: 'adopted', outcome_label: '通过', defer_count: 0 },
      execution: { executor: '王秀兰（提案人）', task: '联系施工队，3号楼6个单元加装扶手', due: '2027-01-10', report: null },
      actions: [],
    }))
  },
})
screen('proposal-detail', 'cosigning', {
  route: 'pages/proposal/detail/detail',
  query: { id: '7', share: '1' },
  routes(api) {
    api.on('GET /api/v1/proposals/:id', p.detail({
      kind: 'joint', status: 'cosigning', cosign_threshold: 5, cosign_count: 3, cosigners: ['王*兰', '李*', '陈*东'],
      viewer_is_proposer: false, proposer_name: '王*兰', steps: steps(0), events: events.slice(0, 1).map((e) => Object.assign({}, e, { actor_name: '王*兰' })), actions: ['cosign'],
    }))
  },
})
screen('proposal-detail', 'execution', {
  route: 'pages/proposal/detail/detail',
  query: { id: '7' },
  routes(api) {
    api.on('GET /api/v1/proposals/:id', p.detail({ status: 'adopted', viewer_is_proposer: false, steps: steps(3), steps_done: 3, events, actions: ['start_execution'] }))
  },
})
screen('proposal-detail', 'error', {
  route: 'pages/proposal/detail/detail',
  query: { id: '7' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/proposals/:id', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 我的提案, 提案公示
const mine = [
  p.summary({ id: 7, status: 'executing', steps_done: 3, updated_at: ago(2 * HOUR) }),
  p.summary({ id: 6, kind: 'joint', kind_label: '联名提案', status: 'cosigning', cosign_count: 3, title: '小区南门电动车充电桩', category_name: '平安建设', updated_at: ago(DAY) }),
  p.summary({ id: 5, status: 'returned', title: '健身角更换器材', updated_at: ago(3 * DAY) }),
  p.summary({ id: 4, status: 'closed', steps_done: 6, title: '楼道声控灯维修', updated_at: ago(40 * DAY) }),
]
screen('proposal-mine', 'data', {
  route: 'pages/proposal/mine/mine',
  routes(api) {
    api.on('GET /api/v1/proposals', fx.page(mine))
  },
})
screen('proposal-mine', 'empty', {
  route: 'pages/proposal/mine/mine',
  routes(api) {
    api.on('GET /api/v1/proposals', fx.page([]))
  },
})
screen('proposal-mine', 'error', {
  route: 'pages/proposal/mine/mine',
  routes(api) {
    api.on('GET /api/v1/proposals', wxHelpers.fail(500, 'internal', '服务器开小差了，请稍后再试'))
  },
})
screen('proposal-board', 'data', {
  route: 'pages/proposal/board/board',
  routes(api) {
    api.on('GET /api/v1/proposals', fx.page([
      p.summary({ id: 4, status: 'published', proposer_name: '王*兰', kind: 'joint', kind_label: '联名提案', cosign_count: 6, updated_at: ago(DAY) }),
      p.summary({ id: 3, status: 'closed', proposer_name: '李*', title: '小区健身角更换器材', updated_at: ago(20 * DAY) }),
    ]))
  },
})
screen('proposal-board', 'empty', {
  route: 'pages/proposal/board/board',
  routes(api) {
    api.on('GET /api/v1/proposals', fx.page([]))
  },
})

// ---------------------------------------------------------------- 提案审核
screen('proposal-review', 'queue', {
  route: 'pages/proposal/review/review',
  routes(api) {
    api.on('GET /api/v1/me', fx.dispatcherMe())
    api.on('GET /api/v1/proposals/lists', p.lists())
    api.on('GET /api/v1/proposals', fx.page(mine.slice(0, 2).map((x) => Object.assign({}, x, { status: 'submitted' }))))
  },
})
screen('proposal-review', 'checklist', {
  route: 'pages/proposal/review/review',
  query: { id: '7' },
  routes(api) {
    api.on('GET /api/v1/me', fx.dispatcherMe())
    api.on('GET /api/v1/proposals/lists', p.lists())
    api.on('GET /api/v1/proposals/:id', p.detail({ status: 'submitted', viewer_is_proposer: false, actions: ['review'] }))
  },
  async after(page) {
    page.instance.onCode({ currentTarget: { dataset: { code: 'N04' } } })
  },
})
screen('proposal-review', 'empty', {
  route: 'pages/proposal/review/review',
  routes(api) {
    api.on('GET /api/v1/me', fx.dispatcherMe())
    api.on('GET /api/v1/proposals/lists', p.lists())
    api.on('GET /api/v1/proposals', fx.page([]))
  },
})

// ---------------------------------------------------------------- 议事日
screen('proposal-meeting', 'resident', {
  route: 'pages/proposal/meeting/meeting',
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/meetings', fx.page([p.meeting()]))
    api.on('GET /api/v1/meetings/:id', p.meeting({ attendance_count: 18 }))
  },
})
screen('proposal-meeting', 'runner', {
  route: 'pages/proposal/meeting/meeting',
  routes(api) {
    api.on('GET /api/v1/me', admin)
    const decided = p.agendaItem({ status: 'decided', outcome: 'adopted', outcome_label: '通过', votes_for: 23, votes_against: 1, abstained: 2, outcome_note: '先在3号楼试点', follow_up: { kind: 'plan', owner: '王秀兰（提案人）' } })
    const m = p.meeting({ attendance_count: 26, items: [decided, p.agendaItem({ id: 22, text: '小区南门电动车充电桩', source: 'resident', source_label: '居民征集', defer_count: 1 })], actions: ['check_in', 'add_items', 'attendance', 'outcome', 'close'] })
    api.on('GET /api/v1/meetings', fx.page([m, p.meeting({ id: 2, date: '2026-11-10', status: 'closed' })]))
    api.on('GET /api/v1/meetings/:id', m)
    api.on('POST /api/v1/meetings/:id/close', wxHelpers.fail(409, 'undecided_items', '还有1项议题没有议定结果，不能结束会议'))
  },
  async after(page) {
    page.instance.onEdit({ currentTarget: { dataset: { id: 22 } } })
    page.instance.onDecision({ currentTarget: { dataset: { code: 'adopted' } } })
    page.instance.onFollowKind({ currentTarget: { dataset: { code: 'issue' } } })
    page.instance.onField({ currentTarget: { dataset: { field: 'minutes' } }, detail: { value: '议定加装扶手一项' } })
    await page.instance.onClose()
  },
})
screen('proposal-meeting', 'empty', {
  route: 'pages/proposal/meeting/meeting',
  routes(api) {
    api.on('GET /api/v1/me', fx.me())
    api.on('GET /api/v1/meetings', fx.page([]))
  },
})
screen('proposal-meeting', 'error', {
  route: 'pages/proposal/meeting/meeting',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
    api.on('GET /api/v1/meetings', NETWORK_DOWN)
  },
})
