// The grid worker's and building chief's screens: 走访 (tab), 住户台账, 住户详情, 记录走访, 走访同步,
// 走访覆盖, 住户认证审核.
const { screen, hang, fx, wxHelpers, HOUR, DAY, ago, MP } = require('../render')
const d = require('./data')

const { NETWORK_DOWN } = wxHelpers
const visit = (h, hoursAgo, outcome, findings = []) => ({ household_id: h, visited_at: ago(hoursAgo * HOUR), outcome, people_met: [], note: '', findings })

// ---------------------------------------------------------------- 走访 (tab)
screen('todo', 'data', {
  route: 'pages/todo/todo',
  tab: 'todo',
  routes(api) {
    api.on('GET /api/v1/me', d.gridWorker)
    api.on('GET /api/v1/visits/todo', fx.page(d.todos))
    api.on('POST /api/v1/visits/batch', (req) => fx.batchOut(req.data.visits))
  },
  async before(wx) {
    const queue = require(MP + '/services/visits').get()
    await queue.start()
    queue.add(visit(12, 3, 'met'), { label: '1号楼1单元202' })
    const { helpers } = require('../render')
    await helpers.flush(10)
  },
})
screen('todo', 'offline', {
  route: 'pages/todo/todo',
  tab: 'todo',
  routes(api) {
    api.on('GET /api/v1/me', d.gridWorker)
    api.on('GET /api/v1/visits/todo', fx.page(d.todos))
  },
  async before() {
    await require(MP + '/services/visits').get().start()
  },
  async after(page, wx) {
    // the list came before the signal went; two visits were saved on the stairs since
    const queue = require(MP + '/services/visits').get()
    wx.__setNetwork(false)
    queue.add(visit(58, 0.5, 'met'), { label: '3号楼1单元502' })
    queue.add(visit(23, 0.2, 'not_home'), { label: '1号楼2单元301' })
  },
})
screen('todo', 'empty', {
  route: 'pages/todo/todo',
  tab: 'todo',
  routes(api) {
    api.on('GET /api/v1/me', d.gridWorker)
    api.on('GET /api/v1/visits/todo', fx.page([]))
  },
})
screen('todo', 'loading', {
  route: 'pages/todo/todo',
  tab: 'todo',
  wait: false,
  before(wx) {
    hang(wx, 'GET /api/v1/visits/todo')
  },
  routes(api) {
    api.on('GET /api/v1/me', d.gridWorker)
  },
})
screen('todo', 'error', {
  route: 'pages/todo/todo',
  tab: 'todo',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/me', NETWORK_DOWN)
    api.on('GET /api/v1/visits/todo', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 住户台账
const HH = (id, b, u, room, tags, residents) => fx.household({ id, building_id: b, unit_id: b * 10 + u, room, label: b + '号楼' + u + '单元' + room, care_tags: tags, residents })
const careTags = {
  items: [{ tag: '独居老人', cycle_days: 7 }, { tag: '高龄', cycle_days: 14 }, { tag: '残疾', cycle_days: 14 }, { tag: '低保', cycle_days: null }, { tag: '退役军人', cycle_days: null }, { tag: '党员户', cycle_days: null }, { tag: '租户', cycle_days: null }],
  default_cycle_days: 30,
}
screen('grid-households', 'data', {
  route: 'pages/grid/households/households',
  routes(api) {
    api.on('GET /api/v1/households/care-tags', careTags)
    api.on('GET /api/v1/households', fx.page([
      HH(1, 1, 1, '101', ['独居老人', '低保'], [{ id: 1, name: '周凤兰', relation: '本人', phone: '13800001111', has_account: true }]),
      HH(2, 1, 1, '102', [], [{ id: 2, name: '吴建华', relation: '户主', phone: '13800002222', has_account: false }, { id: 3, name: '何丽', relation: '配偶', phone: null, has_account: false }]),
      HH(3, 1, 1, '201', ['党员户'], [{ id: 4, name: '郑国强', relation: '户主', phone: '13800003333', has_account: true }]),
      HH(13, 1, 2, '101', ['高龄'], [{ id: 6, name: '王桂芝', relation: '本人', phone: '13900004444', has_account: false }]),
      HH(24, 2, 1, '301', ['残疾', '低保'], [{ id: 7, name: '钱桂英', relation: '本人', phone: '13912345678', has_account: false }]),
    ], '24'))
  },
})
screen('grid-households', 'empty', {
  route: 'pages/grid/households/households',
  routes(api) {
    api.on('GET /api/v1/households/care-tags', careTags)
    api.on('GET /api/v1/households', fx.page([]))
  },
  async after(page) {
    page.instance.setData({ q: '张三' })
  },
})
screen('grid-households', 'error', {
  route: 'pages/grid/households/households',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/households/care-tags', NETWORK_DOWN)
    api.on('GET /api/v1/households', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 住户详情
screen('grid-household', 'data', {
  route: 'pages/grid/household/household',
  query: { id: '58' },
  routes(api) {
    api.on('GET /api/v1/households/58', fx.household({
      building: { id: 3, name: '3号楼', latitude: 37.4561, longitude: 118.5823 },
      care_tags: ['独居老人', '高龄'],
      residents: [
        { id: 101, name: '孙福生', relation: '本人', phone: '15121607241', has_account: true, verified_account: true },
        { id: 102, name: '孙丽娟', relation: '女儿（外地）', phone: '13688889999', has_account: false, verified_account: false },
      ],
    }))
    api.on('GET /api/v1/households/58/visits', fx.page([
      fx.visit({ id: 2481, visited_at: ago(9 * DAY), outcome: 'not_home', outcome_label: '家中无人', people_met: [], note: '敲门无人应答，邻居说去女儿家了' }),
      fx.visit({
        id: 2310,
        visited_at: ago(16 * DAY),
        people_met: ['孙福生'],
        note: '老人腿脚不便，血压偏高，按时吃药。',
        findings: [
          { kind: 'need', kind_label: '困难需求', text: '卫生间灯泡坏了，想请人帮忙换', photos: ['/uploads/bulb.jpg'], follow_up: { kind: 'need', type: 'wish', id: 61 }, follow_up_status: null },
          { kind: 'hazard', kind_label: '安全隐患', text: '楼道堆放纸箱杂物，影响通行', photos: ['/uploads/hall-1.jpg', '/uploads/hall-2.jpg'], follow_up: { kind: 'hazard', type: 'issue', id: 9 }, follow_up_status: 'whistled' },
        ],
      }),
    ]))
    api.on('POST /api/v1/visits/batch', NETWORK_DOWN)
  },
  async before() {
    const queue = require(MP + '/services/visits').get()
    await queue.start()
    queue.add(visit(58, 0.5, 'met'), { label: '3号楼1单元502' })
  },
})
screen('grid-household', 'error', {
  route: 'pages/grid/household/household',
  query: { id: '58' },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/households/58', NETWORK_DOWN)
    api.on('GET /api/v1/households/58/visits', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 记录走访
const household58 = fx.household({
  residents: [
    { id: 101, name: '孙福生', relation: '本人', phone: '15121607241', has_account: false },
    { id: 102, name: '孙丽娟', relation: '女儿', phone: '13688889999', has_account: false },
  ],
})
async function fillVisit(page) {
  const { helpers } = require('../render')
  const inst = page.instance
  inst.onPerson(helpers.event({ name: '孙福生' }))
  await helpers.flush()
  inst.setData({ note: '老人精神不错，血压药还剩一周的量。' })
  inst.onAddFinding()
  await helpers.flush()
  const f = inst.data.findings.map((x) => Object.assign({}, x, { text: '想请人帮忙去医院代配降压药', residentId: 101, photos: ['wxfile://store/pill.jpg'] }))
  inst.setData({ findings: f })
}
screen('grid-visit', 'data', {
  route: 'pages/grid/visit/visit',
  query: { id: '58', label: encodeURIComponent('3号楼1单元502') },
  routes(api) {
    api.on('GET /api/v1/households/58', household58)
  },
  after: fillVisit,
})
screen('grid-visit', 'offline', {
  route: 'pages/grid/visit/visit',
  query: { id: '58', label: encodeURIComponent('3号楼1单元502') },
  offline: true,
  routes(api) {
    api.on('GET /api/v1/households/58', NETWORK_DOWN)
  },
  async before() {
    await require(MP + '/services/visits').get().start()
  },
})
screen('grid-visit', 'saved', {
  route: 'pages/grid/visit/visit',
  query: { id: '58', label: encodeURIComponent('3号楼1单元502') },
  routes(api) {
    api.on('GET /api/v1/households/58', household58)
    api.on('POST /api/v1/uploads', { url: '/uploads/pill.jpg', ref: '/uploads/pill.jpg' })
    api.on('POST /api/v1/visits/batch', (req) => {
      const out = fx.batchOut(req.data.visits, 2501)
      out.results[0].follow_ups = [{ kind: 'need', type: 'wish', id: 62 }]
      return out
    })
  },
  async after(page) {
    const { helpers } = require('../render')
    await require(MP + '/services/visits').get().start()
    await fillVisit(page)
    await page.instance.onSave()
    await helpers.flush(20)
  },
})

// ---------------------------------------------------------------- 走访同步
screen('grid-queue', 'data', {
  route: 'pages/grid/queue/queue',
  async before(wx, api) {
    api.on('POST /api/v1/visits/batch', (req) => {
      const out = fx.batchOut(req.data.visits)
      out.results.forEach((r, i) => {
        const h = req.data.visits[i].household_id
        if (h === 999) Object.assign(r, { status: 'error', id: null, error: 'visited_at_too_old', detail: null, retryable: false })
        if (h === 45) Object.assign(r, { status: 'error', id: null, error: 'household_busy', detail: '住户信息正在更新，请稍后重试', retryable: true })
      })
      return out
    })
    const queue = require(MP + '/services/visits').get()
    await queue.start()
    queue.add(visit(12, 5, 'met'), { label: '1号楼1单元202' })
    queue.add(visit(999, 30, 'met'), { label: '5号楼2单元101' })
    queue.add(visit(45, 4, 'not_home'), { label: '4号楼3单元402' })
    const { helpers } = require('../render')
    await helpers.flush(12)
    queue.add(visit(31, 0.2, 'met', [{ kind: 'hazard', text: '楼道堆放杂物', photos: [] }]), { label: '2号楼1单元602' })
    await helpers.flush(12)
  },
})
screen('grid-queue', 'offline', {
  route: 'pages/grid/queue/queue',
  async before(wx, api) {
    const queue = require(MP + '/services/visits').get()
    await queue.start()
    wx.__setNetwork(false)
    queue.add(visit(58, 1, 'met', [{ kind: 'need', text: '代配降压药', photos: ['wxfile://store/pill.jpg'] }]), { label: '3号楼1单元502' })
    queue.add(visit(23, 0.5, 'not_home'), { label: '1号楼2单元301' })
    queue.add(visit(31, 0.2, 'met', [{ kind: 'hazard', text: '楼道堆放杂物', photos: [] }]), { label: '2号楼1单元602' })
  },
})
screen('grid-queue', 'syncing', {
  route: 'pages/grid/queue/queue',
  async before(wx, api) {
    api.on('POST /api/v1/visits/batch', (req) => fx.batchOut(req.data.visits))
    const queue = require(MP + '/services/visits').get()
    await queue.start()
    wx.__setNetwork(false)
    queue.add(visit(58, 1, 'met', [{ kind: 'need', text: '代配降压药', photos: ['wxfile://store/pill.jpg', 'wxfile://store/box.jpg'] }]), { label: '3号楼1单元502' })
    queue.add(visit(23, 0.5, 'not_home'), { label: '1号楼2单元301' })
    // the first photo upload is under way, 60 % sent, when the screen is taken
    wx.uploadFile.mockImplementation((opts) => {
      const listeners = []
      setTimeout(() => listeners.forEach((fn) => fn({ progress: 60 })), 0)
      return { abort() {}, onProgressUpdate: (fn) => listeners.push(fn) }
    })
  },
  async after(page, wx) {
    const { helpers } = require('../render')
    wx.__setNetwork(true)
    await helpers.flush(12)
  },
})
screen('grid-queue', 'empty', {
  route: 'pages/grid/queue/queue',
  async before(wx, api) {
    api.on('POST /api/v1/visits/batch', (req) => fx.batchOut(req.data.visits))
    const queue = require(MP + '/services/visits').get()
    await queue.start()
    queue.add(visit(12, 5, 'met'), { label: '1号楼1单元202' })
    const { helpers } = require('../render')
    await helpers.flush(12)
    queue.clearSynced()
  },
})

// ---------------------------------------------------------------- 走访覆盖
screen('grid-coverage', 'data', {
  route: 'pages/grid/coverage/coverage',
  routes(api) {
    api.on('GET /api/v1/visits/coverage', fx.coverage({ as_of: ago(20 * 60e3) }))
  },
})
screen('grid-coverage', 'error', {
  route: 'pages/grid/coverage/coverage',
  routes(api) {
    api.on('GET /api/v1/visits/coverage', wxHelpers.fail(403, 'role_required', '只有网格员和社区可以查看走访覆盖'))
  },
})

// ---------------------------------------------------------------- 住户认证审核
const verification = (id, o = {}) =>
  Object.assign(
    {
      id,
      user_id: 300 + id,
      user_name: '王秀兰',
      phone_masked: '138****0001',
      household_id: 74,
      room: '4号楼1单元102',
      compound_name: '锦华苑',
      residents: [{ name: '王秀兰', phone_masked: '138****0001', verified: false }, { name: '李建国', phone_masked: '139****2233', verified: true }],
      status: 'pending',
      method: null,
      reason: null,
      created_at: ago(2 * HOUR),
      decided_at: null,
    },
    o
  )
screen('grid-verifications', 'data', {
  route: 'pages/grid/verifications/verifications',
  routes(api) {
    api.on('GET /api/v1/verifications', fx.page([
      verification(12),
      verification(13, { user_name: '赵小东', phone_masked: '137****8899', room: '4号楼2单元301', residents: [{ name: '赵德贵', phone_masked: '135****0101', verified: false }], created_at: ago(DAY) }),
    ]))
  },
})
screen('grid-verifications', 'empty', {
  route: 'pages/grid/verifications/verifications',
  routes(api) {
    api.on('GET /api/v1/verifications', fx.page([]))
  },
})
screen('grid-verifications', 'error', {
  route: 'pages/grid/verifications/verifications',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/verifications', NETWORK_DOWN)
  },
})
