// The project screens (pages/project): 项目公示 (list, empty, error), 项目详情 (a resident's public page,
// the staff's actions), 我的任务 (late and open tasks, the report form), 每日签到 (places and the month,
// offline with a sign-in waiting, a refusal), 测评 (open ballots, answering, submitted, the household's
// second ballot).
const { screen, fx, wxHelpers, MP } = require('../render')
const pj = require(MP + '/tests/helpers/projects')

const { NETWORK_DOWN } = wxHelpers

const projects = [
  pj.project(),
  pj.project({ id: 4, title: '二号楼单元门加装扶手和防滑条', status: 'published', status_label: '已公示', progress: 100, key: false, undertaker: '和谐社区志愿服务队' }),
  pj.project({ id: 5, title: '翠湖花园健身角', scope: 'community', status: 'suspended', status_label: '已暂停', progress: 30, due_date: '2027-03-31' }),
  pj.project({ id: 6, title: '小区停车位重新划线', status: 'approved', status_label: '已审批', progress: 0, key: false }),
]

// ---------------------------------------------------------------- 项目公示
screen('project-list', 'data', {
  route: 'pages/project/list/list',
  routes(api) {
    api.on('GET /api/v1/projects', fx.page(projects))
  },
})
screen('project-list', 'empty', {
  route: 'pages/project/list/list',
  routes(api) {
    api.on('GET /api/v1/projects', fx.page([]))
  },
})
screen('project-list', 'error', {
  route: 'pages/project/list/list',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/projects', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 项目详情
screen('project-detail', 'public', {
  route: 'pages/project/detail/detail',
  query: { id: '3' },
  routes(api) {
    api.on('GET /api/v1/projects/3', pj.detail())
  },
})
screen('project-detail', 'staff', {
  route: 'pages/project/detail/detail',
  query: { id: '3' },
  routes(api) {
    api.on('GET /api/v1/projects/3', pj.detail({ view: 'full', actions: ['completed', 'suspended', 'cancelled'] }))
  },
})

// ---------------------------------------------------------------- 我的任务
const tasks = [
  pj.task({ id: 8, status: 'assigned', status_label: '待接收', actions: ['accepted'] }),
  pj.task({ id: 9, title: '路灯验收并提交照片', status: 'accepted', status_label: '执行中', due_at: pj.at(-5), late: true, escalated: true, report: '已换好 8 盏，剩余 4 盏等灯具到货', actions: ['progress', 'completed'] }),
  pj.task({ id: 10, title: '清运建筑垃圾', status: 'completed', status_label: '已完成', report: '已清运完毕', actions: [] }),
]
screen('project-tasks', 'data', {
  route: 'pages/project/tasks/tasks',
  routes(api) {
    api.on('GET /api/v1/project-tasks/mine', fx.page(tasks))
  },
})
screen('project-tasks', 'report', {
  route: 'pages/project/tasks/tasks',
  routes(api) {
    api.on('GET /api/v1/project-tasks/mine', fx.page(tasks.slice(1)))
  },
  async after(page) {
    page.instance.onOpenForm({ currentTarget: { dataset: { id: 9, kind: 'complete' } } })
    page.instance.onNote({ detail: { value: '12 盏路灯全部换好，晚上试亮正常' } })
    await wxHelpers.flush()
  },
})
screen('project-tasks', 'empty', {
  route: 'pages/project/tasks/tasks',
  routes(api) {
    api.on('GET /api/v1/project-tasks/mine', fx.page([]))
  },
})

// ---------------------------------------------------------------- 每日签到
function staff(api) {
  api.on('GET /api/v1/checkins/places', pj.contacts())
  api.on('GET /api/v1/checkins/summary', pj.summary({ working_days: ['2026-12-01', '2026-12-02'], places: [{ user_id: 21, place_kind: 'community', place_id: 1, checkins: [{ id: 100, at: pj.at(-1), day: pj.today() }] }] }))
}
screen('project-checkin', 'data', {
  route: 'pages/project/checkin/checkin',
  routes: staff,
})
screen('project-checkin', 'offline', {
  route: 'pages/project/checkin/checkin',
  routes(api) {
    staff(api)
    api.on('POST /api/v1/checkins/batch', NETWORK_DOWN)
  },
  async after(page, wx) {
    wx.__setNetwork(false)
    await wxHelpers.flush()
    await page.instance.onSign({ currentTarget: { dataset: { key: 'compound:1' } } })
    await wxHelpers.flush()
    page.instance.onUnload()
  },
})
screen('project-checkin', 'refused', {
  route: 'pages/project/checkin/checkin',
  routes(api) {
    staff(api)
    api.on('POST /api/v1/checkins/batch', (req) => ({ items: req.data.checkins.map((c) => ({ client_id: c.client_id, result: 'refused', reason: '不是您联系的社区或小区', checkin_id: null })) }))
  },
  async after(page) {
    await page.instance.onSign({ currentTarget: { dataset: { key: 'compound:1' } } })
    await wxHelpers.flush()
    page.instance.onUnload()
  },
})

// ---------------------------------------------------------------- 测评
const ballots = [pj.ballot(), pj.ballot({ campaign_id: 5, title: '2026年第四季度小区评社区', level: 'compounds_rate_community', level_label: '小区评社区', target_name: '和谐社区两委' })]
screen('project-ballots', 'data', {
  route: 'pages/project/ballots/ballots',
  routes(api) {
    api.on('GET /api/v1/evaluations/ballots', ballots)
  },
})
screen('project-ballots', 'answering', {
  route: 'pages/project/ballots/ballots',
  routes(api) {
    api.on('GET /api/v1/evaluations/ballots', ballots)
  },
  async after(page) {
    page.instance.onOpen({ currentTarget: { dataset: { key: '4-1' } } })
    page.instance.onScore({ currentTarget: { dataset: { code: 'service', value: 4 } } })
    await page.instance.onSubmit() // one score missing: said on the question
    await wxHelpers.flush()
  },
})
screen('project-ballots', 'already', {
  route: 'pages/project/ballots/ballots',
  routes(api) {
    api.on('GET /api/v1/evaluations/ballots', ballots)
    api.on('POST /api/v1/evaluations/campaigns/4/ballots', wxHelpers.fail(409, 'already_voted', '您家已参加本次测评，每户只能投一票'))
  },
  async after(page) {
    page.instance.onOpen({ currentTarget: { dataset: { key: '4-1' } } })
    page.instance.onScore({ currentTarget: { dataset: { code: 'service', value: 4 } } })
    page.instance.onScore({ currentTarget: { dataset: { code: 'response', value: 5 } } })
    await page.instance.onSubmit()
    await wxHelpers.flush()
  },
})
screen('project-ballots', 'empty', {
  route: 'pages/project/ballots/ballots',
  routes(api) {
    api.on('GET /api/v1/evaluations/ballots', [])
  },
})
