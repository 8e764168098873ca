// 首页's 项目与测评 entries by role: everyone reads 项目公示 and answers 测评; co-executors (department
// staff and heads, partner contacts, Party members) have 我的任务; department staff 每日签到.
const { setup, openPage, text, tap } = require('../helpers/page')
const fixtures = require('../helpers/fixtures')
const roles = require('../../utils/roles')

const keys = (me) => roles.homeSections(me).find((s) => s.title === '项目与测评').entries.map((e) => e.key)

test('entries per role', () => {
  expect(keys(fixtures.me())).toEqual(['projects', 'ballots'])
  expect(keys(fixtures.me({ roles: ['resident', 'party_member'] }))).toEqual(['projects', 'ballots', 'tasks'])
  expect(keys(fixtures.me({ roles: ['partner_contact'] }))).toEqual(['projects', 'ballots', 'tasks'])
  expect(keys(fixtures.me({ roles: ['department_head'] }))).toEqual(['projects', 'ballots', 'tasks'])
  expect(keys(fixtures.me({ roles: ['department_staff'] }))).toEqual(['projects', 'ballots', 'tasks', 'checkin'])
})

test('the home page shows them and opens the pages', async () => {
  const { wx, api } = setup()
  api.on('GET /api/v1/me', fixtures.me({ roles: ['department_staff'] }))
  const page = await openPage('pages/home/home')
  const t = text(page)
  expect(t).toContain('项目与测评')
  expect(t).toContain('项目公示')
  expect(t).toContain('每日签到')
  await tap(page, '#entry-projects')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/list/list' })
  await tap(page, '#entry-checkin')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/checkin/checkin' })
  await tap(page, '#entry-tasks')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/tasks/tasks' })
  await tap(page, '#entry-ballots')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/ballots/ballots' })
})
