// 住户详情: the register entry, its visit history with findings, queued visits with their state.
const { setup, openPage, text, tap, flush, retry, exists } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/households/58', fixtures.household())
})

test('shows residents, care tags and the visits with findings and what they became', async () => {
  api.on('GET /api/v1/households/58/visits', fixtures.page([
    fixtures.visit({
      id: 2481,
      visited_at: '2026-11-22T16:30:00Z', // 00:30 on the 23rd in Beijing
      findings: [
        { kind: 'need', kind_label: '困难需求', text: '想请人帮忙换灯泡', photos: ['/uploads/a.jpg'], follow_up: { kind: 'need', type: 'wish', id: 61 }, follow_up_status: null },
        { kind: 'hazard', kind_label: '安全隐患', text: '楼道堆放杂物', photos: [], follow_up: { kind: 'hazard', type: 'issue', id: 9 }, follow_up_status: 'open' },
      ],
    }),
    fixtures.visit({ id: 2099, outcome: 'not_home', outcome_label: '家中无人', people_met: [], note: '' }),
  ]))
  const page = await openPage('pages/grid/household/household', { id: '58' })
  const t = text(page)
  expect(t).toContain('3号楼1单元502')
  expect(t).toContain('独居老人')
  expect(t).toContain('孙福生（本人）')
  expect(t).toContain('15121607241')
  expect(t).toContain('11月23日 00:30')
  expect(t).toContain('想请人帮忙换灯泡')
  expect(t).toContain('已生成心愿')
  expect(t).toContain('已生成网格事件（待处理）')
  expect(t).toContain('家中无人')
  expect(page.data.items[0].findings[0].photoUrls).toEqual(['http://127.0.0.1:8000/uploads/a.jpg'])
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '3号楼1单元502' })

  await tap(page, '#visit')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/grid/visit/visit?id=58&label=' + encodeURIComponent('3号楼1单元502') })
  await tap(page, '#raise-issue')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/issue/new/new?household_id=58&label=' + encodeURIComponent('3号楼1单元502') })
})

test('visits still on the phone are shown with their sync state', async () => {
  api.on('GET /api/v1/households/58/visits', fixtures.page([]))
  wx.__network.isConnected = false
  const queue = require('../../services/visits').get()
  await queue.start()
  queue.add({ household_id: 58, visited_at: '2026-11-23T02:00:00Z', outcome: 'met', people_met: [], note: '', findings: [] })
  queue.add({ household_id: 59, visited_at: '2026-11-23T02:00:00Z', outcome: 'met', people_met: [], note: '', findings: [] })
  wx.__network.isConnected = true
  const page = await openPage('pages/grid/household/household', { id: '58' })
  expect(page.data.queued).toHaveLength(1)
  expect(text(page)).toContain('手机上待同步的走访')
  expect(text(page)).toContain('11月23日 10:00 · 见到居民')
  expect(text(page)).toContain('待同步')
  expect(text(page)).toContain('还没有走访记录')
})

test('error states: the household and its history, each with retry', async () => {
  api.on('GET /api/v1/households/58', fail(403, 'out_of_scope', '该住户不在您的网格内'))
  api.on('GET /api/v1/households/58/visits', NETWORK_DOWN)
  const page = await openPage('pages/grid/household/household', { id: '58' })
  expect(text(page)).toContain('该住户不在您的网格内')
  api.on('GET /api/v1/households/58', fixtures.household())
  await retry(page)
  expect(text(page)).toContain('网络连接失败，请检查网络后重试')
  api.on('GET /api/v1/households/58/visits', fixtures.page([fixtures.visit()]))
  await retry(page, '#list-state')
  await flush()
  expect(text(page)).toContain('入户走访，了解近况')
})

test('phone numbers are buttons; verified accounts are marked; 导航 when the building has coordinates', async () => {
  api.on('GET /api/v1/households/58', fixtures.household({
    building: { id: 3, name: '3号楼', latitude: 37.4561, longitude: 118.5823 },
    residents: [
      { id: 101, name: '孙福生', relation: '本人', phone: '15121607241', has_account: true, verified_account: true },
      { id: 102, name: '孙丽娟', relation: '女儿', phone: '136****9999', has_account: false, verified_account: false },
    ],
  }))
  api.on('GET /api/v1/households/58/visits', fixtures.page([]))
  const page = await openPage('pages/grid/household/household', { id: '58' })
  expect(text(page)).toContain('已认证')
  await tap(page, '#call-0')
  expect(wx.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '15121607241' })
  expect(exists(page, '#call-1')).toBe(false) // masked: shown, not callable
  expect(text(page)).toContain('136****9999')
  await tap(page, '#navigate')
  expect(wx.openLocation).toHaveBeenCalledWith(expect.objectContaining({ latitude: 37.4561, longitude: 118.5823, name: '3号楼' }))
})
