// 待走访: the due households most urgent first, the offline queue's state, links by role.
const { setup, openPage, text, tap, flush, exists, retry, find } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.gridWorkerMe())
})

test('lists the due households with care tags and overdue days, in the order the API gives', async () => {
  api.on('GET /api/v1/visits/todo', fixtures.page([
    fixtures.todo(),
    fixtures.todo({ household_id: 3, label: '1号楼1单元201', care_tags: [], cycle_days: 30, last_visit_at: null, last_attempt_at: null, due_at: null, overdue: true, days_overdue: 0, residents: [{ name: '李强', relation: '户主', phone: null }] }),
  ], 'c2'))
  const page = await openPage('pages/todo/todo')
  const t = text(page)
  expect(t.indexOf('3号楼1单元502')).toBeLessThan(t.indexOf('1号楼1单元201'))
  expect(t).toContain('独居老人')
  expect(t).toContain('已超期 7 天')
  expect(t).toContain('从未走访')
  expect(t).toContain('每 7 天走访一次')
  expect(t).toContain('走访记录已全部同步')
  expect(t).toContain('走访覆盖')
  expect(api.callsTo('GET /api/v1/visits/todo')[0].query).toMatchObject({ limit: '20' })

  // infinite scroll on next_cursor
  api.on('GET /api/v1/visits/todo', fixtures.page([fixtures.todo({ household_id: 9, label: '2号楼2单元602', overdue: false, days_overdue: 0, due_at: '2026-11-27T02:00:00Z' })]))
  await page.instance.onReachBottom()
  await flush()
  expect(api.callsTo('GET /api/v1/visits/todo')[1].query.cursor).toBe('c2')
  expect(text(page)).toContain('11月27日前走访')
})

test('opens a household, starts a visit, and shows the queue on top', async () => {
  api.on('GET /api/v1/visits/todo', fixtures.page([fixtures.todo()]))
  const page = await openPage('pages/todo/todo')
  await tap(page, '#todo-58')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/grid/household/household?id=58' })
  await tap(page, '#visit-58')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/grid/visit/visit?id=58&label=' + encodeURIComponent('3号楼1单元502') })
  await tap(page, '#households')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/grid/households/households' })

  // a visit saved offline shows up in the sync card
  wx.__network.isConnected = false
  const queue = require('../../services/visits').get()
  await queue.start()
  queue.add({ household_id: 58, visited_at: '2026-11-23T02:00:00Z', outcome: 'met', people_met: [], note: '', findings: [] })
  await flush()
  expect(text(page)).toContain('没有网络')
  expect(text(page)).toContain('1 条走访存在手机上，联网后自动同步')
  await tap(page, '#sync', '#sync-banner')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/grid/queue/queue' })
})

test('a building chief has no coverage link', async () => {
  api.on('GET /api/v1/me', fixtures.chiefMe())
  api.on('GET /api/v1/visits/todo', fixtures.page([]))
  const page = await openPage('pages/todo/todo')
  expect(text(page)).toContain('近期没有需要走访的住户')
  expect(exists(page, '#coverage')).toBe(false)
})

test('error state with retry', async () => {
  api.on('GET /api/v1/visits/todo', fail(403, 'role_required', '您没有执行此操作的角色权限'))
  const page = await openPage('pages/todo/todo')
  expect(text(page)).toContain('您没有执行此操作的角色权限')
  expect(wx.showToast).not.toHaveBeenCalled()
  api.on('GET /api/v1/visits/todo', fixtures.page([fixtures.todo()]))
  await retry(page, '#list-state')
  expect(text(page)).toContain('3号楼1单元502')
})

test('a card calls the household and opens the map to its building', async () => {
  api.on('GET /api/v1/visits/todo', fixtures.page([
    fixtures.todo({ household_id: 58, building: { id: 3, name: '3号楼', latitude: 37.4561, longitude: 118.5823 } }),
    fixtures.todo({
      household_id: 23,
      label: '1号楼2单元301',
      building_latitude: 37.4555,
      building_longitude: 118.5801,
      residents: [
        { name: '钱桂英', relation: '本人', phone: '13912345678' },
        { name: '钱小军', relation: '儿子', phone: '13600001111' },
      ],
    }),
    fixtures.todo({ household_id: 31, label: '2号楼1单元602', residents: [{ name: '郑海涛', relation: '户主', phone: '138****2222' }] }),
  ]))
  const page = await openPage('pages/todo/todo')
  await tap(page, '#call-58')
  expect(wx.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '15121607241' })
  await tap(page, '#nav-58')
  expect(wx.openLocation).toHaveBeenCalledWith(expect.objectContaining({ latitude: 37.4561, longitude: 118.5823, name: '3号楼', address: '3号楼1单元502' }))

  // two numbers: choose whom to call
  wx.showActionSheet.mockImplementationOnce((o) => o.success({ tapIndex: 1 }))
  await tap(page, '#call-23')
  expect(wx.showActionSheet.mock.calls[0][0].itemList).toEqual(['钱桂英（本人） 13912345678', '钱小军（儿子） 13600001111'])
  expect(wx.makePhoneCall).toHaveBeenLastCalledWith({ phoneNumber: '13600001111' })
  await tap(page, '#nav-23')
  expect(wx.openLocation).toHaveBeenLastCalledWith(expect.objectContaining({ latitude: 37.4555, longitude: 118.5801 }))

  // a masked number cannot be called; no coordinates, no 导航 (an older register)
  expect(exists(page, '#call-31')).toBe(false)
  expect(exists(page, '#nav-31')).toBe(false)
  expect(text(find(page, '#todo-31'))).toContain('楼栋还没有标注位置')
})
