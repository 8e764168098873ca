// 年度计划: the compound branch's plan of the year — its projects with 重点 marks, the year's other
// projects kept in or out, new planned ones added, saved (PUT) and submitted; a submit with too few
// key projects refused with the count in words; a returned plan with its reason; the community
// admin's read-only page with 批准 / 退回 (with a reason); the compound and year pickers; the empty
// and error states.
const { setup, openPage, text, tap, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const pj = require('../helpers/projects')
const pl = require('../helpers/plans')

let wx, api
const YEAR = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me({ roles: ['resident', 'dispatcher'] }))
  api.on('GET /api/v1/plans', fixtures.page([pl.planRow({ year: YEAR })]))
  api.on(`GET /api/v1/plans/1/${YEAR}`, pl.plan({ year: YEAR }))
  api.on('GET /api/v1/projects', fixtures.page([pj.project({ id: 9, title: '单元门禁更换', status: 'approved', status_label: '已审批', plan_id: null }), pj.project({ id: 10, title: '已取消的项目', status: 'cancelled', plan_id: null })]))
})

test('the branch sees its plan: status, key projects against the target, 重点 marks, the year\'s other projects', async () => {
  const page = await openPage('pages/project/plan/plan')
  expect(api.callsTo('GET /api/v1/plans')[0].query).toMatchObject({ year: String(YEAR) })
  expect(api.callsTo('GET /api/v1/projects')[0].query).toMatchObject({ scope: 'compound:1', year: String(YEAR) })
  const card = text(page.querySelector('#plan'))
  expect(card).toContain(`锦华苑 ${YEAR}年度计划`)
  expect(card).toContain('编制中')
  expect(text(page.querySelector('#key-count'))).toBe('重点项目 3 项，要求 4 项以上，还差 1 项')
  expect(text(page.querySelector('#project-3'))).toContain('重点')
  expect(text(page.querySelector('#project-6'))).not.toContain('重点')
  expect(text(page.querySelector('#other-9'))).toContain('单元门禁更换')
  expect(exists(page, '#other-10')).toBe(false) // a cancelled project cannot be planned
  expect(exists(page, '#decide')).toBe(false)
  expect(exists(page, '#compounds')).toBe(false) // one compound: no picker
})

test('keeping a project in, adding a new key one, then saving sends the whole plan', async () => {
  api.on(`PUT /api/v1/plans/1/${YEAR}`, (req) => pl.plan({ year: YEAR, key_count: 5, projects: pl.plan().projects.concat([pj.project({ id: 9, title: '单元门禁更换' }), pl.planned({ id: 11, title: '楼顶防水' })]) }))
  const page = await openPage('pages/project/plan/plan')
  await tap(page, '#include-9')
  expect(exists(page, '#other-9')).toBe(false)
  page.instance.onField({ currentTarget: { dataset: { field: 'title' } }, detail: { value: ' 楼顶防水 ' } })
  page.instance.onField({ currentTarget: { dataset: { field: 'undertaker' } }, detail: { value: '锦华苑物业' } })
  await tap(page, '#add')
  expect(text(page.querySelector('#draft-0'))).toContain('未保存')
  expect(text(page.querySelector('#key-count'))).toBe('重点项目 5 项，要求 4 项以上')
  await tap(page, '#save')
  expect(api.callsTo(`PUT /api/v1/plans/1/${YEAR}`)[0].data).toEqual({ project_ids: [3, 4, 5, 6, 9], new_projects: [{ title: '楼顶防水', key: true, undertaker: '锦华苑物业' }] })
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '计划已保存' }))
  expect(exists(page, '#draft-0')).toBe(false)
  expect(text(page.querySelector('#project-11'))).toContain('楼顶防水')
})

test('taking a project out of the plan puts it back among the year\'s others', async () => {
  const page = await openPage('pages/project/plan/plan')
  await tap(page, '#project-4')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/detail/detail?id=4' })
  await tap(page, '#exclude-3')
  expect(wx.navigateTo).toHaveBeenCalledTimes(1) // the button does not open the project
  expect(exists(page, '#project-3')).toBe(false)
  expect(exists(page, '#other-3')).toBe(true)
  expect(text(page.querySelector('#key-count'))).toContain('还差 2 项')
})

test('a new project needs a name and who undertakes it', async () => {
  const page = await openPage('pages/project/plan/plan')
  await tap(page, '#add')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请填写项目名称' }))
  page.instance.onField({ currentTarget: { dataset: { field: 'title' } }, detail: { value: '楼顶防水' } })
  await tap(page, '#add')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请填写承办方' }))
  expect(exists(page, '#draft-0')).toBe(false)
})

test('submitting with too few key projects: the refusal with the count, in plain words', async () => {
  api.on(`POST /api/v1/plans/1/${YEAR}/submit`, fail(409, 'too_few_key_projects', '年度计划只有3项重点项目，每个小区每年须落实重点项目4项以上'))
  const page = await openPage('pages/project/plan/plan')
  await tap(page, '#submit')
  expect(api.callsTo(`PUT /api/v1/plans/1/${YEAR}`)).toHaveLength(0) // nothing changed: no save first
  expect(text(page.querySelector('#refusal'))).toBe('还不能提交：每个小区每年要落实 4 项以上重点项目，这份计划现在只有 3 项，还差 1 项。请把已有的重点项目列入计划，或添加新的重点项目。')
  expect(text(page.querySelector('#plan-status'))).toBe('编制中')
  // the server's count wins over the page's (someone else changed a project meanwhile)
  api.on(`POST /api/v1/plans/1/${YEAR}/submit`, fail(409, 'too_few_key_projects', '年度计划只有2项重点项目，每个小区每年须落实重点项目4项以上'))
  await tap(page, '#submit')
  expect(text(page.querySelector('#refusal'))).toContain('现在只有 2 项，还差 2 项')
})

test('submitting saves the changes first, then shows 待社区审批 and no more editing', async () => {
  api.on(`PUT /api/v1/plans/1/${YEAR}`, () => pl.plan({ year: YEAR, key_count: 4 }))
  api.on(`POST /api/v1/plans/1/${YEAR}/submit`, pl.plan({ year: YEAR, status: 'submitted', status_label: '待社区审批', key_count: 4, actions: [] }))
  const page = await openPage('pages/project/plan/plan')
  await tap(page, '#include-9')
  await tap(page, '#submit')
  expect(api.callsTo(`PUT /api/v1/plans/1/${YEAR}`)[0].data.project_ids).toEqual([3, 4, 5, 6, 9])
  expect(api.callsTo(`POST /api/v1/plans/1/${YEAR}/submit`)).toHaveLength(1)
  expect(text(page.querySelector('#plan-status'))).toBe('待社区审批')
  expect(text(page.querySelector('#plan'))).toContain('已提交社区，等待审批')
  expect(exists(page, '#add-form')).toBe(false)
  expect(exists(page, '#exclude-3')).toBe(false)
})

test('a returned plan shows the community\'s reason and can be edited again', async () => {
  api.on('GET /api/v1/plans', fixtures.page([pl.planRow({ year: YEAR, status: 'returned', status_label: '已退回', reason: '请补充预算' })]))
  api.on(`GET /api/v1/plans/1/${YEAR}`, pl.plan({ year: YEAR, status: 'returned', status_label: '已退回', reason: '请补充预算' }))
  const page = await openPage('pages/project/plan/plan')
  expect(text(page.querySelector('#plan-status'))).toBe('已退回')
  expect(text(page.querySelector('#reason'))).toBe('社区退回理由：请补充预算')
  expect(exists(page, '#add-form')).toBe(true)
})

test('no plan yet: the branch starts one from the year\'s projects', async () => {
  api.on('GET /api/v1/plans', fixtures.page([pl.planRow({ year: YEAR, plan_id: null, status: null, status_label: '尚未编制', key_count: 0, actions: ['edited'] })]))
  const page = await openPage('pages/project/plan/plan')
  expect(api.callsTo(`GET /api/v1/plans/1/${YEAR}`)).toHaveLength(0)
  expect(text(page.querySelector('#plan-status'))).toBe('尚未编制')
  expect(text(page.querySelector('#no-projects'))).toContain('计划里还没有项目')
  expect(text(page.querySelector('#key-count'))).toContain('还差 4 项')
  expect(exists(page, '#other-9')).toBe(true)
})

test('the community admin: the same page read-only, 批准 and 退回 with a reason', async () => {
  api.on('GET /api/v1/me', fixtures.me({ roles: ['community_admin'] }))
  const submitted = { status: 'submitted', status_label: '待社区审批', key_count: 4, actions: ['approved', 'returned'] }
  api.on('GET /api/v1/plans', fixtures.page([pl.planRow(Object.assign({ year: YEAR, compound_id: 2, compound_name: '翠湖花园', plan_id: 8, status: 'draft', actions: [] })), pl.planRow(Object.assign({ year: YEAR }, submitted))]))
  api.on(`GET /api/v1/plans/1/${YEAR}`, pl.plan(Object.assign({ year: YEAR }, submitted)))
  api.on(`GET /api/v1/plans/2/${YEAR}`, pl.plan({ id: 8, compound_id: 2, year: YEAR, projects: [], key_count: 0, actions: [] }))
  api.on(`POST /api/v1/plans/1/${YEAR}/decide`, (req) => pl.plan({ year: YEAR, status: 'returned', status_label: '已退回', reason: req.data.reason, actions: [] }))
  const page = await openPage('pages/project/plan/plan')
  // the one waiting for the admin opens first; the picker names each compound with its state
  expect(text(page.querySelector('#compounds'))).toContain('翠湖花园 · 编制中')
  expect(text(page.querySelector('#plan'))).toContain('锦华苑')
  expect(text(page.querySelector('#plan'))).toContain('请审批')
  expect(api.callsTo('GET /api/v1/projects')).toHaveLength(0)
  expect(exists(page, '#add-form')).toBe(false)
  expect(exists(page, '#exclude-3')).toBe(false)
  expect(exists(page, '#approve')).toBe(true)
  wx.showModal.mockImplementationOnce((opts) => opts.success({ confirm: true, content: '  请补充预算明细 ' }))
  await tap(page, '#return')
  expect(api.callsTo(`POST /api/v1/plans/1/${YEAR}/decide`)[0].data).toEqual({ decision: 'return', reason: '请补充预算明细' })
  expect(text(page.querySelector('#plan-status'))).toBe('已退回')
  expect(exists(page, '#decide')).toBe(false)
  expect(text(page.querySelector('#compounds'))).toContain('锦华苑 · 已退回')
  // the other compound: read-only, nothing to decide
  await tap(page, '#compound-2')
  expect(text(page.querySelector('#plan'))).toContain('翠湖花园')
  expect(exists(page, '#decide')).toBe(false)
})

test('approving asks first, then shows 已批准', async () => {
  api.on('GET /api/v1/me', fixtures.me({ roles: ['community_admin'] }))
  const submitted = { status: 'submitted', status_label: '待社区审批', key_count: 4, actions: ['approved', 'returned'] }
  api.on('GET /api/v1/plans', fixtures.page([pl.planRow(Object.assign({ year: YEAR }, submitted))]))
  api.on(`GET /api/v1/plans/1/${YEAR}`, pl.plan(Object.assign({ year: YEAR }, submitted)))
  api.on(`POST /api/v1/plans/1/${YEAR}/decide`, pl.plan({ year: YEAR, status: 'approved', status_label: '已批准', actions: [] }))
  const page = await openPage('pages/project/plan/plan')
  await tap(page, '#approve')
  expect(wx.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: `批准「锦华苑」${YEAR}年度计划？` }))
  expect(api.callsTo(`POST /api/v1/plans/1/${YEAR}/decide`)[0].data).toEqual({ decision: 'approve', reason: null })
  expect(text(page.querySelector('#plan-status'))).toBe('已批准')
})

test('another year: the plans of that year are loaded', async () => {
  api.on(`GET /api/v1/plans/1/${YEAR + 1}`, pl.plan({ year: YEAR + 1 }))
  const page = await openPage('pages/project/plan/plan')
  await tap(page, `#year-${YEAR + 1}`)
  expect(api.callsTo('GET /api/v1/plans').map((c) => c.query.year)).toEqual([String(YEAR), String(YEAR + 1)])
  expect(text(page.querySelector('#plan'))).toContain(`${YEAR + 1}年度计划`)
})

test('no compound to plan for; an error is not "nothing"', async () => {
  api.on('GET /api/v1/plans', fail(503, 'unavailable', '服务器暂时忙'))
  const page = await openPage('pages/project/plan/plan')
  expect(text(page)).toContain('服务器暂时忙')
  expect(exists(page, '#empty')).toBe(false)
  api.on('GET /api/v1/plans', fixtures.page([]))
  await page.instance.onRetry()
  expect(text(page.querySelector('#empty'))).toContain('您没有可以查看年度计划的小区')
})
