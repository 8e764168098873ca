// 评议结果 (pages/project/results): a compound's published results newest first, a correction as a
// new edition and the one it replaced marked 已更正, each line's average and count with the raters
// masked as the API gives them; only published editions even for staff; a community admin picks a
// compound of the tree; the empty and error states; and the 首页 entries of 小区评议.
const { setup, openPage, text, tap, retry, exists } = require('../helpers/page')
const { NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const ax = require('../helpers/appraisals')
const roles = require('../../utils/roles')

let wx, api

const fix = ax.appraisal({ id: 3, edition: 2, supersedes_id: 1, status: 'published', status_label: '已公示', correction_reason: '更正评分录入错误', published_at: '2026-10-12T03:00:00Z' })
const old = ax.appraisal({ id: 1, status: 'superseded', status_label: '已更正', published_at: '2026-10-10T03:00:00Z', superseded_at: '2026-10-12T03:00:00Z' })
const pending = ax.appraisal({ id: 4, period: '2026-Q4', meeting_id: 11 })

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/appraisals', fixtures.page([fix, old]))
  api.on('GET /api/v1/appraisals/:id', (call) => ax.detail(call.params.id === '3' ? fix : old))
})

test('a resident reads the published editions of their compound, the newest opened, lines with average and count', async () => {
  const page = await openPage('pages/project/results/results')
  expect(api.callsTo('GET /api/v1/appraisals')[0].query).toEqual({ compound_id: '1', limit: '20' })
  let t = text(page.querySelector('#appraisal-3'))
  expect(t).toContain('2026年第三季度')
  expect(t).toContain('已公示')
  expect(t).toContain('第2版（更正）')
  expect(t).toContain('更正理由：更正评分录入错误')
  const lines = text(page.querySelector('#detail-3'))
  expect(lines).toContain('签到 6 人，参加评议 6 人')
  expect(lines).toContain('楼道照明改造')
  expect(lines).toContain('4.5 分')
  expect(lines).toContain('6 人评议')
  expect(lines).toContain('刘*（5星）：灯亮了，晚上回家安全多了')
  expect(lines).toContain('物业服务企业')
  t = text(page.querySelector('#appraisal-1'))
  expect(t).toContain('已更正')
  expect(t).toContain('被新版本更正，以新版本为准')
  expect(exists(page, '#detail-1')).toBe(false)

  await tap(page, '#toggle-1')
  expect(api.callsTo('GET /api/v1/appraisals/1')).toHaveLength(1)
  expect(exists(page, '#detail-1')).toBe(true)
  expect(exists(page, '#detail-3')).toBe(false)
  await tap(page, '#toggle-1')
  expect(exists(page, '#detail-1')).toBe(false)
})

test('staff see only published editions here (the pending one is on the meeting page)', async () => {
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
  api.on('GET /api/v1/appraisals', fixtures.page([pending, fix, old]))
  const page = await openPage('pages/project/results/results', { compound_id: '1' })
  expect(exists(page, '#appraisal-4')).toBe(false)
  expect(exists(page, '#appraisal-3')).toBe(true)
})

test('a community admin without a compound picks one of the community', async () => {
  api.on('GET /api/v1/me', fixtures.me({ compound_id: null, compound_name: null, roles: ['community_admin'], grants: [{ role: 'community_admin', scope_type: 'community', scope_id: 1 }] }))
  api.on('GET /api/v1/org/tree', {
    streets: [{ id: 1, name: '幸福街道', communities: [{ id: 1, name: '和谐社区', compounds: [{ id: 1, name: '锦华苑' }, { id: 2, name: '翠湖花园' }], grids: [] }] }],
  })
  const page = await openPage('pages/project/results/results')
  expect(text(page)).toContain('锦华苑每季度召开小区评议会')
  api.on('GET /api/v1/appraisals', fixtures.page([]))
  await tap(page, '#compound-2')
  expect(api.callsTo('GET /api/v1/appraisals').slice(-1)[0].query).toEqual({ compound_id: '2', limit: '20' })
  expect(text(page)).toContain('翠湖花园每季度召开小区评议会')
  expect(text(page)).toContain('还没有公示的评议结果')
})

test('empty, unbound and error states', async () => {
  api.on('GET /api/v1/appraisals', fixtures.page([]))
  let page = await openPage('pages/project/results/results')
  expect(text(page)).toContain('还没有公示的评议结果')

  api.on('GET /api/v1/me', fixtures.newUser())
  page = await openPage('pages/project/results/results')
  expect(text(page.querySelector('#no-compound'))).toContain('还没有绑定小区')

  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/appraisals', NETWORK_DOWN)
  page = await openPage('pages/project/results/results')
  expect(text(page)).toContain('重新加载')
  api.on('GET /api/v1/appraisals', fixtures.page([fix]))
  await retry(page, '#list-state')
  expect(text(page.querySelector('#appraisal-3'))).toContain('2026年第三季度')
})

test('首页 → 小区评议: the meeting and the results for residents of a compound and the staff', async () => {
  const keys = (me) => {
    const s = roles.homeSections(me).find((x) => x.title === '小区评议')
    return s ? s.entries.map((e) => e.key) : []
  }
  expect(keys(fixtures.me())).toEqual(['appraisal', 'appraisal-results'])
  expect(keys(fixtures.newUser())).toEqual([])
  expect(keys(fixtures.newUser({ roles: ['community_admin'] }))).toEqual(['appraisal', 'appraisal-results'])
  expect(keys(fixtures.newUser({ roles: ['street_admin'] }))).toEqual(['appraisal-results'])

  api.on('GET /api/v1/me', fixtures.dispatcherMe())
  const page = await openPage('pages/home/home')
  expect(text(page)).toContain('小区评议')
  await tap(page, '#entry-appraisal')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/appraisal/appraisal' })
  await tap(page, '#entry-appraisal-results')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/results/results' })
})
