// 项目评估: the community's projects of the year, each with its 年中 / 年底 review done or not; the kind
// tabs and the 未评 / 已评 filter sent to the server; recording a review (score 0–100 checked before
// sending, a note); a second review refused by the server shown with its detail; empty and error.
const { setup, openPage, text, tap, exists, selectTab } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')
const pl = require('../helpers/plans')

let wx, api
const YEAR = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()

const rows = () => [
  pl.reviewRow({ id: 3, title: '楼道照明改造' }),
  pl.reviewRow({ id: 5, title: '翠湖花园健身角', key: false, place_name: '翠湖花园', status: 'completed', status_label: '已完成', progress: 100 }, [pl.review({ score: 90, note: '居民满意' })]),
]

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me({ roles: ['community_admin'] }))
  api.on('GET /api/v1/project-reviews', fixtures.page(rows()))
})

const open = () => openPage('pages/project/reviews/reviews', { kind: 'midyear' })

test('each project shows where it is and whether its 年中 and 年底 reviews are done', async () => {
  const page = await open()
  expect(api.callsTo('GET /api/v1/project-reviews')[0].query).toMatchObject({ year: String(YEAR), kind: 'midyear', reviewed: 'false' })
  const first = text(page.querySelector('#row-3'))
  expect(first).toContain('锦华苑')
  expect(first).toContain('重点项目')
  expect(text(page.querySelector('#state-3-midyear'))).toContain('年中评估未评')
  expect(text(page.querySelector('#state-5-midyear'))).toMatch(/年中评估已评90 分，居民满意（.+）/)
  expect(text(page.querySelector('#state-5-yearend'))).toContain('年底评估未评')
  expect(exists(page, '#record-3')).toBe(true)
  expect(exists(page, '#record-5')).toBe(false) // this round's review is done
})

test('the 已评 filter and the 年底 tab ask the server for those', async () => {
  const page = await open()
  await tap(page, '#filter-done')
  expect(api.callsTo('GET /api/v1/project-reviews')[1].query).toMatchObject({ kind: 'midyear', reviewed: 'true' })
  await selectTab(page, '#kinds', '年底评估')
  expect(api.callsTo('GET /api/v1/project-reviews')[2].query).toMatchObject({ kind: 'yearend', reviewed: 'true' })
  expect(exists(page, '#record-5')).toBe(true) // its 年底 review is not done
})

test('recording a review: the score is checked first, then sent; the row shows it done', async () => {
  api.on('POST /api/v1/projects/3/reviews', (req) => pl.review({ kind: req.data.kind, score: req.data.score, note: req.data.note, at: new Date().toISOString() }))
  const page = await open()
  await tap(page, '#record-3')
  await tap(page, '#send')
  expect(text(page.querySelector('#problem'))).toBe('请填写分数')
  page.instance.onScore({ detail: { value: '101' } })
  await tap(page, '#send')
  expect(text(page.querySelector('#problem'))).toBe('分数是 0 到 100 的整数')
  expect(api.callsTo('POST /api/v1/projects/3/reviews')).toHaveLength(0)
  page.instance.onScore({ detail: { value: '86' } })
  page.instance.onNote({ detail: { value: ' 按期推进 ' } })
  await tap(page, '#send')
  expect(api.callsTo('POST /api/v1/projects/3/reviews')[0].data).toEqual({ kind: 'midyear', score: 86, note: '按期推进' })
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '已记录年中评估' }))
  expect(text(page.querySelector('#state-3-midyear'))).toContain('已评86 分，按期推进')
  expect(exists(page, '#record-3')).toBe(false)
  expect(exists(page, '#form-3')).toBe(false)
})

test('a review recorded twice: the server\'s detail on the project, no second form', async () => {
  api.on('POST /api/v1/projects/3/reviews', fail(409, 'already_reviewed', '该项目本阶段已评估过'))
  const page = await open()
  await tap(page, '#record-3')
  page.instance.onScore({ detail: { value: '80' } })
  await tap(page, '#send')
  expect(text(page.querySelector('#refusal-3'))).toBe('该项目本阶段已评估过')
  expect(text(page.querySelector('#state-3-midyear'))).toContain('已评')
  expect(exists(page, '#record-3')).toBe(false)
  expect(exists(page, '#form-3')).toBe(false)
})

test('another refusal keeps the form open with the server\'s words', async () => {
  api.on('POST /api/v1/projects/3/reviews', fail(409, 'invalid_state', '项目当前状态为「已取消」，不能评估'))
  const page = await open()
  await tap(page, '#record-3')
  page.instance.onScore({ detail: { value: '80' } })
  await tap(page, '#send')
  expect(text(page.querySelector('#problem'))).toBe('项目当前状态为「已取消」，不能评估')
  expect(exists(page, '#form-3')).toBe(true)
})

test('everything reviewed; an error is not "nothing"', async () => {
  api.on('GET /api/v1/project-reviews', fail(503, 'unavailable', '服务器暂时忙'))
  const page = await open()
  expect(text(page)).toContain('服务器暂时忙')
  expect(text(page)).not.toContain('这一轮的项目都评估过了')
  api.on('GET /api/v1/project-reviews', fixtures.page([]))
  await page.instance.onRetry()
  expect(text(page)).toContain('这一轮的项目都评估过了')
})

test('home: the branch finds 年度计划, the community admin also 项目评估', async () => {
  const roles = require('../../utils/roles')
  const keys = (me) => roles.homeSections(me).find((s) => s.title === '项目与测评').entries.map((e) => e.key)
  expect(keys(fixtures.me())).toEqual(['projects', 'ballots'])
  expect(keys(fixtures.me({ roles: ['resident', 'dispatcher'] }))).toEqual(['projects', 'ballots', 'plan'])
  expect(keys(fixtures.me({ roles: ['community_admin'] }))).toEqual(['projects', 'ballots', 'plan', 'reviews'])
  const page = await openPage('pages/home/home')
  await tap(page, '#entry-reviews')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/reviews/reviews' })
  await tap(page, '#entry-plan')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/project/plan/plan' })
})
