// 我的任务: a co-executor's tasks with the deadline in words (late ones marked), 接收任务, 报告进展
// with a photo and 完成任务 as the task's `actions` allow; a refusal; the error state.
const { setup, openPage, text, tap, retry, exists, flush } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const pj = require('../helpers/projects')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me({ roles: ['department_staff'] }))
})

const mine = () =>
  fixtures.page([
    pj.task({ id: 8, status: 'assigned', status_label: '待接收', actions: ['accepted'] }),
    pj.task({ id: 9, title: '路灯验收', status: 'accepted', status_label: '执行中', due_at: pj.at(-5), late: true, actions: ['progress', 'completed'] }),
    pj.task({ id: 10, title: '清运建筑垃圾', status: 'completed', status_label: '已完成', report: '已清运完毕', actions: [] }),
  ])

test('tasks with their state, the deadline in words, late ones marked; actions as the API allows', async () => {
  api.on('GET /api/v1/project-tasks/mine', mine())
  const page = await openPage('pages/project/tasks/tasks')
  const first = text(page.querySelector('#task-8'))
  expect(first).toContain('待接收')
  expect(first).toMatch(/时限还剩 2天/)
  expect(first).toContain('期限 5 个工作日')
  expect(exists(page, '#accept-8')).toBe(true)
  expect(exists(page, '#complete-8')).toBe(false)
  const late = text(page.querySelector('#deadline-9'))
  expect(late).toContain('超时')
  expect(late).toContain('已超过时限')
  expect(page.querySelector('#task-9').dom.className).toContain('late')
  expect(exists(page, '#progress-9')).toBe(true)
  expect(exists(page, '#complete-9')).toBe(true)
  expect(exists(page, '#accept-10')).toBe(false)
  expect(text(page.querySelector('#task-10'))).toContain('已清运完毕')
  await tap(page, '#open-project-10')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/project/detail/detail?id=3' })
})

test('接收任务 accepts and the card follows the answer', async () => {
  api.on('GET /api/v1/project-tasks/mine', mine())
  api.on('POST /api/v1/project-tasks/8/accept', pj.task({ id: 8, status: 'accepted', status_label: '执行中', actions: ['progress', 'completed'] }))
  const page = await openPage('pages/project/tasks/tasks')
  await tap(page, '#accept-8')
  expect(api.callsTo('POST /api/v1/project-tasks/8/accept')).toHaveLength(1)
  expect(text(page.querySelector('#task-8'))).toContain('执行中')
  expect(exists(page, '#accept-8')).toBe(false)
  expect(exists(page, '#complete-8')).toBe(true)
})

test('报告进展 with a photo; the note is required; 完成任务 sends the report', async () => {
  api.on('GET /api/v1/project-tasks/mine', mine())
  api.on('POST /api/v1/uploads', { url: '/uploads/lamp2.jpg' })
  api.on('POST /api/v1/project-tasks/9/progress', (req) => pj.task({ id: 9, status: 'accepted', late: true, due_at: pj.at(-5), report: req.data.note, photos: req.data.photos, actions: ['progress', 'completed'] }))
  api.on('POST /api/v1/project-tasks/9/complete', (req) => pj.task({ id: 9, status: 'completed', status_label: '已完成', due_at: pj.at(-5), report: req.data.note, actions: [] }))
  const page = await openPage('pages/project/tasks/tasks')
  await tap(page, '#progress-9')
  expect(exists(page, '#form-9')).toBe(true)
  await tap(page, '#send')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请写一下进展' }))
  expect(api.callsTo('POST /api/v1/project-tasks/9/progress')).toHaveLength(0)
  page.instance.onNote({ detail: { value: '已换好 8 盏' } })
  await tap(page, '#photos', '#pp-add')
  await flush()
  await tap(page, '#send')
  expect(api.callsTo('POST /api/v1/project-tasks/9/progress')[0].data).toEqual({ note: '已换好 8 盏', photos: ['/uploads/lamp2.jpg'] })
  expect(exists(page, '#form-9')).toBe(false)
  expect(text(page.querySelector('#task-9'))).toContain('最新进展：已换好 8 盏')

  await tap(page, '#complete-9')
  page.instance.onNote({ detail: { value: '全部完成，已验收' } })
  await tap(page, '#send')
  expect(api.callsTo('POST /api/v1/project-tasks/9/complete')[0].data).toEqual({ note: '全部完成，已验收', photos: [] })
  const done = text(page.querySelector('#task-9'))
  expect(done).toContain('已完成')
  // a completed task is no longer marked late
  expect(page.querySelector('#task-9').dom.className).not.toContain('late')
})

test('a refusal keeps the form and says the server words', async () => {
  api.on('GET /api/v1/project-tasks/mine', mine())
  api.on('POST /api/v1/project-tasks/9/complete', fail(409, 'task_not_accepted', '任务已被取消'))
  const page = await openPage('pages/project/tasks/tasks')
  await tap(page, '#complete-9')
  page.instance.onNote({ detail: { value: '完成' } })
  await tap(page, '#send')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '任务已被取消' }))
  expect(exists(page, '#form-9')).toBe(true)
})

test('the list error is not "empty"', async () => {
  api.on('GET /api/v1/project-tasks/mine', fail(403, 'forbidden', '您不是项目的协同执行人'))
  const page = await openPage('pages/project/tasks/tasks')
  expect(text(page)).toContain('您不是项目的协同执行人')
  expect(text(page)).not.toContain('暂时没有派给您的任务')
  api.on('GET /api/v1/project-tasks/mine', fixtures.page([]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('暂时没有派给您的任务')
})
