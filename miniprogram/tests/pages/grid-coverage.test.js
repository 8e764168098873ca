// 走访覆盖: a month's figures per grid and worker; months move back and forth.
const { setup, openPage, text, tap, retry, exists } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let api

beforeEach(() => {
  ;({ api } = setup())
})

test('shows the totals, the grid and its workers for the month', async () => {
  api.on('GET /api/v1/visits/coverage', fixtures.coverage())
  const page = await openPage('pages/grid/coverage/coverage', { period: '2026-11' })
  const t = text(page)
  expect(api.callsTo('GET /api/v1/visits/coverage')[0].query).toEqual({ period: '2026-11' })
  expect(t).toContain('走访覆盖率 67%')
  expect(t).toContain('截至 11月23日 20:15')
  expect(t).toContain('和谐社区第一网格')
  expect(t).toContain('72 户 · 已走访 48 · 超期 21 · 每 30 天一轮')
  expect(t).toContain('孙丽（网格员）')
  expect(t).toContain('冯秀英（楼栋长）')
  expect(t).toContain('12/24 户')
})

test('moves to the month before and back, never past this month', async () => {
  api.on('GET /api/v1/visits/coverage', (req) => fixtures.coverage({ period: req.query.period }))
  const { currentPeriod, shiftPeriod } = require('../../utils/grid')
  const page = await openPage('pages/grid/coverage/coverage')
  expect(page.data.period).toBe(currentPeriod())
  // no 下月 from this month (not a greyed-out button, none at all)
  expect(exists(page, '#next')).toBe(false)
  await page.instance.onNext()
  expect(api.callsTo('GET /api/v1/visits/coverage')).toHaveLength(1)
  await tap(page, '#prev')
  expect(api.callsTo('GET /api/v1/visits/coverage')[1].query.period).toBe(shiftPeriod(currentPeriod(), -1))
  expect(text(page)).toContain(require('../../utils/time').formatPeriod(shiftPeriod(currentPeriod(), -1)))
  await tap(page, '#next')
  expect(api.callsTo('GET /api/v1/visits/coverage')[2].query.period).toBe(currentPeriod())
  expect(shiftPeriod('2026-01', -1)).toBe('2025-12')
  expect(shiftPeriod('2025-12', 1)).toBe('2026-01')
})

test('error state with retry (e.g. a building chief, who may not read coverage)', async () => {
  api.on('GET /api/v1/visits/coverage', fail(403, 'role_required', '您没有执行此操作的角色权限'))
  const page = await openPage('pages/grid/coverage/coverage', { period: '2026-11' })
  expect(text(page)).toContain('您没有执行此操作的角色权限')
  api.on('GET /api/v1/visits/coverage', fixtures.coverage())
  await retry(page)
  expect(text(page)).toContain('和谐社区第一网格')
})
