// Everyone's and the admins' screens: 晾晒台, 三率统计, 网格事件 (list, detail, 上报).
const { screen, hang, fx, wxHelpers, HOUR, DAY, ago } = require('../render')
const d = require('./data')

const { NETWORK_DOWN } = wxHelpers

// ---------------------------------------------------------------- 晾晒台
screen('airing-list', 'data', {
  route: 'pages/airing/list/list',
  routes(api) {
    api.on('GET /api/v1/airing', fx.page([
      { id: 4, community_id: 1, compound_id: null, period: '2026-11', title: '和谐社区 2026年11月 晾晒台', published_at: ago(DAY), content: null },
      { id: 3, community_id: 1, compound_id: 1, period: '2026-11', title: '锦华苑 2026年11月 晾晒台', published_at: ago(DAY), content: null },
      { id: 2, community_id: 1, compound_id: null, period: '2026-10', title: '和谐社区 2026年10月 晾晒台', published_at: ago(31 * DAY), content: null },
    ]))
  },
})
screen('airing-list', 'empty', {
  route: 'pages/airing/list/list',
  routes(api) {
    api.on('GET /api/v1/airing', fx.page([]))
  },
})
screen('airing-list', 'error', {
  route: 'pages/airing/list/list',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/airing', NETWORK_DOWN)
  },
})
screen('airing-detail', 'data', {
  route: 'pages/airing/detail/detail',
  query: { id: '4' },
  routes(api) {
    api.on('GET /api/v1/airing/:id', {
      id: 4, community_id: 1, compound_id: null, period: '2026-11', title: '和谐社区 2026年11月 晾晒台', published_at: ago(DAY),
      content: {
        scope_name: '和谐社区', period: '2026-11', fulfilled: 23, rated: 19, average_rating: 4.7, satisfied: 18, auto_closed: 4,
        members: [{ name: '张伟', work_unit: '税务局', wishes: 6 }, { name: '李娜', work_unit: '区人民医院', wishes: 5 }, { name: '陈晓东', work_unit: '第一中学', wishes: 4 }],
        work_units: [{ work_unit: '税务局', wishes: 8, members: 3 }, { work_unit: '区人民医院', wishes: 7, members: 2 }, { work_unit: '第一中学', wishes: 5, members: 2 }],
        wishes: [
          { title: '厨房水龙头漏水', category: '维修', compound: '锦华苑', resident: '王*兰', member_name: '张伟', work_unit: '税务局', completed_at: '2026-11-20', rating: 5, auto_closed: false },
          { title: '想学用智能手机和孙子视频', category: '技能', compound: '锦华苑', resident: '王*兰', member_name: '李娜', work_unit: '区人民医院', completed_at: '2026-11-22', rating: 4, auto_closed: false },
          { title: '代买药品', category: '代办', compound: '锦华苑', resident: '李*', member_name: '张伟', work_unit: '税务局', completed_at: '2026-11-21', rating: null, auto_closed: true },
        ],
      },
    })
  },
})
screen('airing-detail', 'error', {
  route: 'pages/airing/detail/detail',
  query: { id: '4' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/airing/:id', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 三率统计
const fig = (n, dd, issues = {}) => ({ numerator: n, denominator: dd, rate: dd ? n / dd : null, issues })
const rates = {
  scope: { kind: 'community', id: 1, name: '和谐社区' },
  period: { label: '2026-Q4' },
  whistled: 18,
  response_rate: fig(16, 18, { on_time: [101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116], late: [117], unanswered: [118], pending: [] }),
  disposal_rate: fig(13, 18, { on_time: [101, 102, 103], late: [104] }),
  satisfaction_rate: fig(9, 11, { satisfied: [101], unsatisfied: [102] }),
  auto_confirmed: { count: 2, issues: [120, 121] },
  awaiting_rating: { count: 3, issues: [] },
  by_department: [
    { department_id: 2, department_name: '城管科', whistled: 9, response_rate: fig(9, 9), disposal_rate: fig(7, 9), satisfaction_rate: fig(5, 6) },
    { department_id: 3, department_name: '住建局物业科', whistled: 6, response_rate: fig(5, 6), disposal_rate: fig(4, 6), satisfaction_rate: fig(3, 4) },
    { department_id: 4, department_name: '派出所', whistled: 3, response_rate: fig(2, 3), disposal_rate: fig(2, 3), satisfaction_rate: fig(1, 1) },
  ],
}
const PLACES = ['锦华苑3号楼1单元楼道', '幸福路与东城路路口', '锦绣家园北门', '锦华苑地下车库', '社区广场']
const WHAT = ['楼道堆放纸箱杂物，影响老人通行', '路口井盖松动，夜里有响声', '北门垃圾桶满溢无人清运', '车库漏水，地面积水', '广场健身器材螺丝脱落']
const CAT = ['环境卫生', '设施损坏', '环境卫生', '设施损坏', '安全隐患']
const admin = fx.me({ name: '韩志刚', roles: ['resident', 'community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] })
screen('stats-rates', 'data', {
  route: 'pages/stats/rates/rates',
  routes(api) {
    api.on('GET /api/v1/me', admin)
    api.on('GET /api/v1/stats/escalation', rates)
    api.on('GET /api/v1/issues/:id', (req) => {
      const i = Number(req.params.id) % 5
      return d.issue({ id: Number(req.params.id), status: 'confirmed', status_label: '已确认', category_label: CAT[i], description: WHAT[i], location: PLACES[i], created_at: ago((Number(req.params.id) - 95) * DAY) })
    })
  },
  async after(page) {
    const { helpers } = require('../render')
    await helpers.tap(page, '#rate-response')
    await helpers.flush(20)
  },
})
screen('stats-rates', 'empty', {
  route: 'pages/stats/rates/rates',
  routes(api) {
    api.on('GET /api/v1/stats/escalation', Object.assign({}, rates, { whistled: 0, response_rate: fig(0, 0), disposal_rate: fig(0, 0), satisfaction_rate: fig(0, 0), auto_confirmed: { count: 0, issues: [] }, awaiting_rating: { count: 0, issues: [] }, by_department: [] }))
  },
})
screen('stats-rates', 'loading', {
  route: 'pages/stats/rates/rates',
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/stats/escalation')
  },
})
screen('stats-rates', 'error', {
  route: 'pages/stats/rates/rates',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/stats/escalation', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 网格事件
const issues = [
  d.issue({ id: 12 }),
  d.issue({ id: 11, status: 'whistled', status_label: '已吹哨', category_label: '设施损坏', description: '2号楼电梯门关不严，夹到过老人', location: '锦华苑2号楼', urgency: 'urgent', department_name: '住建局物业科', created_at: ago(5 * HOUR), response_overdue: true }),
  d.issue({ id: 9, status: 'resolved', status_label: '已办结', category_label: '环境卫生', description: '北门垃圾桶满溢无人清运', location: '锦绣家园北门', department_name: '城管科', created_at: ago(3 * DAY) }),
]
screen('issue-list', 'data', {
  route: 'pages/issue/list/list',
  query: { mode: 'mine' },
  routes(api) {
    api.on('GET /api/v1/me', d.gridWorker)
    api.on('GET /api/v1/issues', fx.page(issues))
  },
})
screen('issue-list', 'empty', {
  route: 'pages/issue/list/list',
  query: { mode: 'department' },
  routes(api) {
    api.on('GET /api/v1/issues', fx.page([]))
  },
})
screen('issue-list', 'error', {
  route: 'pages/issue/list/list',
  query: { mode: 'mine' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
    api.on('GET /api/v1/issues', NETWORK_DOWN)
  },
})
screen('issue-detail', 'whistle', {
  route: 'pages/issue/detail/detail',
  query: { id: '12' },
  routes(api) {
    api.on('GET /api/v1/issues/:id', d.issue({ actions: ['whistle', 'resolve'], photos: ['/uploads/hall-1.jpg'], events: [{ type: 'created', label: '网格上报事件', actor_name: '孙丽', at: ago(2 * DAY), note: null }] }))
    api.on('GET /api/v1/org/departments', [{ id: 2, name: '城管科', street_id: 1, categories: ['environment'] }, { id: 3, name: '住建局物业科', street_id: 1, categories: ['facility'] }, { id: 4, name: '派出所', street_id: 1, categories: ['public_order'] }])
  },
})
screen('issue-detail', 'confirm', {
  route: 'pages/issue/detail/detail',
  query: { id: '9' },
  routes(api) {
    api.on('GET /api/v1/issues/:id', d.issue({
      id: 9, status: 'resolved', status_label: '已办结', department_id: 2, department_name: '城管科', description: '北门垃圾桶满溢无人清运', location: '锦绣家园北门',
      resolved_at: ago(3 * HOUR), responded_at: ago(DAY), resolution_note: '已清运，并增加每天下午一次收运', actions: ['confirm', 'reopen'],
      events: [
        { type: 'created', label: '网格上报事件', actor_name: '孙丽', at: ago(3 * DAY), note: null },
        { type: 'whistled', label: '网格吹哨', actor_name: '孙丽', at: ago(2 * DAY), note: null },
        { type: 'responded', label: '部门响应报到', actor_name: '城管科 刘科长', at: ago(DAY), note: '已收到，明天上午到场' },
        { type: 'resolved', label: '部门办结', actor_name: '城管科 刘科长', at: ago(3 * HOUR), note: '已清运' },
      ],
    }))
  },
})
screen('issue-detail', 'error', {
  route: 'pages/issue/detail/detail',
  query: { id: '12' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/issues/:id', NETWORK_DOWN)
  },
})
screen('issue-new', 'household', {
  route: 'pages/issue/new/new',
  query: { household_id: '58', label: encodeURIComponent('3号楼1单元502') },
  async after(page) {
    page.instance.setData({ category: 'hazard', description: '入户时发现燃气软管老化开裂，已提醒住户关阀' })
  },
})
screen('issue-new', 'public', {
  route: 'pages/issue/new/new',
  routes(api) {
    api.on('GET /api/v1/issues/places', [
      { grid_id: 1, name: '和谐社区第一网格', compounds: [{ compound_id: 1, name: '锦华苑' }, { compound_id: 2, name: '锦绣家园' }] },
      { grid_id: 2, name: '和谐社区第二网格', compounds: [{ compound_id: 3, name: '金色阳光小区' }] },
    ])
  },
})
screen('issue-new', 'error', {
  route: 'pages/issue/new/new',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/issues/places', NETWORK_DOWN)
  },
})
