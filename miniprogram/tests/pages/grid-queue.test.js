// 走访同步: every visit on the phone with its state; sync now, retry or delete refused ones.
const { setup, openPage, text, tap, flush } = require('../helpers/page')
const fixtures = require('../helpers/fixtures')

let wx, api, queue

const visit = (household) => ({ household_id: household, visited_at: '2026-11-23T02:00:00Z', outcome: 'met', people_met: [], note: '', findings: [{ kind: 'need', text: '换灯泡', photos: [] }] })

beforeEach(async () => {
  ;({ wx, api } = setup())
  wx.__network.isConnected = false
  queue = require('../../services/visits').get()
  await queue.start()
  queue.add(visit(58), { label: '3号楼1单元502' })
  queue.add(visit(999), { label: '9号楼1单元101' })
})

test('lists the queued visits newest first with their state, and syncs on 立即同步', async () => {
  api.on('POST /api/v1/visits/batch', (req) => {
    const out = fixtures.batchOut(req.data.visits)
    out.results[1] = Object.assign(out.results[1], { status: 'error', id: null, error: 'household_not_found', detail: '住户 999 不存在' })
    return out
  })
  const page = await openPage('pages/grid/queue/queue')
  let t = text(page)
  expect(t).toContain('待同步 2')
  expect(t.indexOf('9号楼1单元101')).toBeLessThan(t.indexOf('3号楼1单元502'))
  expect(t).toContain('发现：困难需求')
  expect(t).toContain('当前无网络')

  await tap(page, '#sync')
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '当前无网络，联网后会自动同步' }))

  wx.__network.isConnected = true
  wx.__setNetwork(true)
  await flush(10)
  t = text(page)
  expect(t).toContain('已同步 1')
  expect(t).toContain('失败 1')
  expect(t).toContain('住户 999 不存在')
  expect(page.data.items.map((i) => i.state)).toEqual(['error', 'created'])

  await tap(page, '#clear')
  expect(page.data.items).toHaveLength(1)
})

test('a refused visit can be retried or deleted', async () => {
  let refuse = true
  api.on('POST /api/v1/visits/batch', (req) => {
    const out = fixtures.batchOut(req.data.visits)
    out.results.forEach((r, i) => {
      if (refuse && req.data.visits[i].household_id === 999) Object.assign(r, { status: 'error', id: null, error: 'visited_at_too_old', detail: null })
    })
    return out
  })
  wx.__setNetwork(true)
  await flush(10)
  const page = await openPage('pages/grid/queue/queue')
  expect(text(page)).toContain('走访时间超出补录期限，请联系社区补登')
  refuse = false
  await tap(page, '#retry-0')
  await flush()
  expect(page.data.items.map((i) => i.state)).toEqual(['created', 'created'])

  refuse = true
  queue.add(visit(999), { label: '9号楼1单元101' })
  await flush(10)
  expect(page.data.items[0].state).toBe('error')
  await tap(page, '#remove-0')
  await flush()
  expect(wx.showModal).toHaveBeenCalled()
  expect(page.data.items).toHaveLength(2)
})

test('error state: the server is down, the visits stay 待同步 and the page says it will retry', async () => {
  api.on('POST /api/v1/visits/batch', () => require('../helpers/wx').fail(503, 'unavailable', '服务暂不可用'))
  const page = await openPage('pages/grid/queue/queue')
  wx.__network.isConnected = true
  queue.stop()
  // back online without the listener: 立即同步 by hand
  const q = require('../../services/visits').get()
  q.start()
  await flush()
  await tap(page, '#sync')
  await flush()
  expect(page.data.counts.pending).toBe(2)
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '网络不稳定，稍后会自动重试' }))
  q.stop()
})
