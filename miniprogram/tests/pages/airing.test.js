// 晾晒台: the list of published snapshots and one snapshot's members, work units, counts and ratings.
const { setup, openPage, text, tap, retry } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

const airing = (o = {}) =>
  Object.assign(
    { id: 4, community_id: 1, compound_id: null, period: '2026-11', title: '和谐社区 2026年11月 晾晒台', published_at: '2026-11-30T16:30:00Z', content: null },
    o
  )

const content = {
  scope_name: '和谐社区',
  period: '2026-11',
  fulfilled: 3,
  rated: 2,
  average_rating: 4.5,
  satisfied: 2,
  auto_closed: 1,
  members: [{ name: '张伟', work_unit: '区税务局', wishes: 2 }],
  work_units: [{ work_unit: '区税务局', wishes: 2, members: 1 }],
  wishes: [
    { title: '厨房水龙头漏水', category: '维修', compound: '锦华苑', resident: '王*兰', member_name: '张伟', work_unit: '区税务局', completed_at: '2026-11-20', rating: 5, auto_closed: false },
    { title: '代买药品', category: '代办', compound: '锦华苑', resident: '李*', member_name: '张伟', work_unit: '区税务局', completed_at: '2026-11-21', rating: null, auto_closed: true },
  ],
}

test('lists the snapshots and opens one', async () => {
  api.on('GET /api/v1/airing', fixtures.page([airing()]))
  const page = await openPage('pages/airing/list/list')
  const t = text(page)
  expect(t).toContain('和谐社区 2026年11月 晾晒台')
  // 16:30 UTC on 30 November is 1 December in Beijing; said in words relative to today
  expect(t).toContain('发布于 ' + require('../../utils/time').formatDay('2026-11-30T16:30:00Z'))
  expect(require('../../utils/time').formatDay('2026-11-30T16:30:00Z', new Date('2026-12-10T00:00:00Z'))).toBe('12月1日')
  expect(api.callsTo('GET /api/v1/airing')[0].query).toMatchObject({ limit: '20' })
  await tap(page, '#airing-4')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/airing/detail/detail?id=4' })
})

test('the list shows an error with retry', async () => {
  api.on('GET /api/v1/airing', fail(500, 'internal', '服务器开小差了'))
  const page = await openPage('pages/airing/list/list')
  expect(text(page)).toContain('服务器开小差了')
  api.on('GET /api/v1/airing', fixtures.page([airing()]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('晾晒台')
})

test('detail: counts, rating, members and work units, residents as the API masks them', async () => {
  api.on('GET /api/v1/airing/:id', airing({ content }))
  const page = await openPage('pages/airing/detail/detail', { id: '4' })
  const t = text(page)
  expect(api.callsTo('GET /api/v1/airing/4')).toHaveLength(1)
  expect(t).toContain('和谐社区 · 2026年11月')
  expect(t).toMatch(/3\s*完成心愿/)
  expect(t).toContain('4.5')
  expect(t).toContain('1 名党员 · 2 件')
  expect(t).toContain('张伟（区税务局）')
  expect(t).toContain('居民 王*兰')
  expect(t).toContain('5 星')
  expect(t).toContain('超时自动完成')
  expect(t).not.toContain('王秀兰')
})

test('detail: error state with retry', async () => {
  api.on('GET /api/v1/airing/:id', fail(404, 'not_found', '晾晒台不存在'))
  const page = await openPage('pages/airing/detail/detail', { id: '9' })
  expect(text(page)).toContain('晾晒台不存在')
  api.on('GET /api/v1/airing/:id', airing({ content }))
  await retry(page)
  expect(text(page)).toContain('居民 王*兰')
})
