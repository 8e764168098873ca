// 项目公示 and 项目详情: the list with progress, the public page (milestones, tasks and their states,
// funding by source in 元 from fen, photos), staff actions from the API's `actions`, the error state.
const { setup, openPage, text, tap, retry, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const pj = require('../helpers/projects')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
})

test('the list: status in the glossary word, progress, undertaker; opens the detail', async () => {
  api.on('GET /api/v1/projects', fixtures.page([pj.project(), pj.project({ id: 4, title: '二号楼加装扶手', status: 'published', status_label: '公示', progress: 100, key: false })], 'c2'))
  const page = await openPage('pages/project/list/list')
  expect(api.callsTo('GET /api/v1/projects')[0].query).toMatchObject({ limit: '20' })
  const first = text(page.querySelector('#project-3'))
  expect(first).toContain('锦华苑路灯改造')
  expect(first).toContain('实施中')
  expect(first).toContain('重点项目')
  expect(first).toContain('完成 45%')
  expect(first).toContain('计划完成：12月31日')
  // the glossary's word, whatever the server sends
  expect(text(page.querySelector('#project-4'))).toContain('已公示')
  await tap(page, '#project-4')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/project/detail/detail?id=4' })
  // the next page by cursor
  api.on('GET /api/v1/projects', fixtures.page([pj.project({ id: 5, title: '健身角' })]))
  await page.instance.onReachBottom()
  expect(api.callsTo('GET /api/v1/projects')[1].query).toMatchObject({ cursor: 'c2' })
  expect(text(page)).toContain('健身角')
})

test('the list error is not "empty", and retrying loads it', async () => {
  api.on('GET /api/v1/projects', fail(503, 'unavailable', '服务器暂时忙'))
  const page = await openPage('pages/project/list/list')
  expect(text(page)).toContain('服务器暂时忙')
  expect(text(page)).not.toContain('还没有公示的项目')
  api.on('GET /api/v1/projects', fixtures.page([]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('还没有公示的项目')
})

test('the public page: progress, milestones, tasks, funding in 元, photos; no staff actions', async () => {
  api.on('GET /api/v1/projects/3', pj.detail())
  const page = await openPage('pages/project/detail/detail', { id: '3' })
  expect(text(page.querySelector('#project'))).toContain('监督：李书记')
  expect(text(page.querySelector('#progress'))).toBe('45%')
  expect(text(page.querySelector('#milestone-1'))).toContain('采购')
  expect(text(page.querySelector('#milestone-2'))).toContain('占 60%')
  const lamp = text(page.querySelector('#task-8'))
  expect(lamp).toContain('执行中')
  expect(lamp).toContain('职能部门：城管办')
  expect(lamp).toContain('最新进展：已采购灯具')
  const late = text(page.querySelector('#task-9'))
  expect(late).toContain('待接收')
  expect(late).toContain('党员：张伟')
  expect(late).toContain('已超过时限')
  const income = text(page.querySelector('#funding-public_income'))
  expect(income).toContain('12,000 元')
  expect(income).toContain('8,000 元')
  expect(income).toContain('5,234.50 元')
  expect(text(page.querySelector('#funding-total'))).toContain('15,000 元')
  expect(page.querySelectorAll('#photos .photo')).toHaveLength(2)
  expect(text(page.querySelector('#events'))).toContain('施工队进场')
  expect(exists(page, '#staff-actions')).toBe(false)
  // no ISO date on the page
  expect(text(page)).not.toMatch(/\d{4}-\d{2}-\d{2}/)
})

test('staff: the actions the API returns; suspending asks for a reason and sends it', async () => {
  api.on('GET /api/v1/projects/3', pj.detail({ view: 'full', actions: ['completed', 'suspended', 'cancelled'] }))
  api.on('POST /api/v1/projects/3/transitions', (req) => pj.detail({ status: 'suspended', status_label: '已暂停', reason: req.data.reason, actions: ['resumed', 'cancelled'] }))
  const page = await openPage('pages/project/detail/detail', { id: '3' })
  expect(text(page.querySelector('#staff-actions'))).toContain('实施完成')
  expect(text(page.querySelector('#staff-actions'))).toContain('暂停实施')
  expect(text(page.querySelector('#staff-actions'))).toContain('取消项目')
  // cancelled without a reason: nothing sent
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '  ' }))
  await tap(page, '#action-suspended')
  expect(api.callsTo('POST /api/v1/projects/3/transitions')).toHaveLength(0)
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '等待材料到货' }))
  await tap(page, '#action-suspended')
  expect(api.callsTo('POST /api/v1/projects/3/transitions')[0].data).toEqual({ event: 'suspended', reason: '等待材料到货' })
  expect(text(page.querySelector('#project'))).toContain('已暂停')
  expect(text(page.querySelector('#reason'))).toContain('等待材料到货')
  expect(text(page.querySelector('#staff-actions'))).toContain('恢复实施')
})

test('a project out of the caller\'s area: the error in words, retry', async () => {
  api.on('GET /api/v1/projects/3', fail(404, 'project_not_found', '项目 3 不存在'))
  const page = await openPage('pages/project/detail/detail', { id: '3' })
  expect(text(page)).toContain('项目 3 不存在')
  api.on('GET /api/v1/projects/3', pj.detail())
  await retry(page)
  expect(text(page)).toContain('锦华苑路灯改造')
})
