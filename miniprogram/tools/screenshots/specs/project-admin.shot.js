// The admins' project screens (pages/project): 年度计划 (the branch's draft with the year's other
// projects and a new one being added, the refusal below four key projects, a returned plan, the
// community admin's submitted plan to decide, error) and 项目评估 (the round's projects, the review
// form, a second review refused, everything reviewed).
const { screen, fx, wxHelpers, MP } = require('../render')
const pj = require(MP + '/tests/helpers/projects')
const pl = require(MP + '/tests/helpers/plans')

const { NETWORK_DOWN } = wxHelpers
const YEAR = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()

function branch(api, row = {}, plan = {}) {
  api.on('GET /api/v1/plans', fx.page([pl.planRow(Object.assign({ year: YEAR }, row))]))
  api.on(`GET /api/v1/plans/1/${YEAR}`, pl.plan(Object.assign({ year: YEAR }, plan)))
  api.on('GET /api/v1/projects', fx.page([pj.project({ id: 9, title: '单元门禁更换', status: 'approved', status_label: '已审批', plan_id: null })]))
}

// ---------------------------------------------------------------- 年度计划
screen('project-plan', 'draft', {
  route: 'pages/project/plan/plan',
  routes: (api) => branch(api),
  async after(page) {
    page.instance.onField({ currentTarget: { dataset: { field: 'title' } }, detail: { value: '楼顶防水维修' } })
    page.instance.onField({ currentTarget: { dataset: { field: 'undertaker' } }, detail: { value: '锦华苑物业' } })
    page.instance.onAdd()
    await wxHelpers.flush()
  },
})
screen('project-plan', 'refused', {
  route: 'pages/project/plan/plan',
  routes(api) {
    branch(api)
    api.on(`POST /api/v1/plans/1/${YEAR}/submit`, wxHelpers.fail(409, 'too_few_key_projects', '年度计划只有3项重点项目，每个小区每年须落实重点项目4项以上'))
  },
  async after(page) {
    await page.instance.onSubmit()
    await wxHelpers.flush()
  },
})
screen('project-plan', 'returned', {
  route: 'pages/project/plan/plan',
  routes: (api) => branch(api, { status: 'returned', status_label: '已退回', reason: '请补充每个项目的预算和资金来源' }, { status: 'returned', status_label: '已退回', reason: '请补充每个项目的预算和资金来源' }),
})
screen('project-plan', 'decide', {
  route: 'pages/project/plan/plan',
  routes(api) {
    const submitted = { status: 'submitted', status_label: '待社区审批', key_count: 4, actions: ['approved', 'returned'] }
    api.on('GET /api/v1/me', fx.me({ roles: ['community_admin'] }))
    api.on('GET /api/v1/plans', fx.page([pl.planRow(Object.assign({ year: YEAR }, submitted)), pl.planRow({ year: YEAR, compound_id: 2, compound_name: '翠湖花园', plan_id: null, status: null, status_label: '尚未编制', key_count: 0, actions: [] })]))
    const projects = pl.plan().projects.map((p, i) => (i === 3 ? Object.assign({}, p, { key: true, title: '停车位重新划线' }) : p))
    api.on(`GET /api/v1/plans/1/${YEAR}`, pl.plan(Object.assign({ year: YEAR, projects }, submitted)))
  },
})
screen('project-plan', 'error', {
  route: 'pages/project/plan/plan',
  offline: true,
  routes(api) {
    api.on('GET /api/v1/plans', NETWORK_DOWN)
  },
})

// ---------------------------------------------------------------- 项目评估
const rows = [
  pl.reviewRow({ id: 3, title: '楼道照明改造' }),
  pl.reviewRow({ id: 5, title: '翠湖花园健身角', key: false, place_name: '翠湖花园', status: 'completed', status_label: '已完成', progress: 100 }, [pl.review({ score: 90, note: '居民满意' })]),
  pl.reviewRow({ id: 6, title: '社区老年食堂', scope: 'community', compound_id: null, place_name: '和谐社区', progress: 60 }),
]
screen('project-reviews', 'data', {
  route: 'pages/project/reviews/reviews',
  query: { kind: 'midyear' },
  routes(api) {
    api.on('GET /api/v1/project-reviews', fx.page(rows))
  },
})
screen('project-reviews', 'form', {
  route: 'pages/project/reviews/reviews',
  query: { kind: 'midyear' },
  routes(api) {
    api.on('GET /api/v1/project-reviews', fx.page(rows.slice(0, 1)))
  },
  async after(page) {
    page.instance.onOpenForm({ currentTarget: { dataset: { id: 3 } } })
    page.instance.onScore({ detail: { value: '120' } })
    await page.instance.onSend() // out of range: said under the field
    await wxHelpers.flush()
  },
})
screen('project-reviews', 'refused', {
  route: 'pages/project/reviews/reviews',
  query: { kind: 'midyear' },
  routes(api) {
    api.on('GET /api/v1/project-reviews', fx.page(rows.slice(0, 2)))
    api.on('POST /api/v1/projects/3/reviews', wxHelpers.fail(409, 'already_reviewed', '该项目本阶段已评估过'))
  },
  async after(page) {
    page.instance.onOpenForm({ currentTarget: { dataset: { id: 3 } } })
    page.instance.onScore({ detail: { value: '85' } })
    await page.instance.onSend()
    await wxHelpers.flush()
  },
})
screen('project-reviews', 'empty', {
  route: 'pages/project/reviews/reviews',
  query: { kind: 'yearend' },
  routes(api) {
    api.on('GET /api/v1/project-reviews', fx.page([]))
  },
})
