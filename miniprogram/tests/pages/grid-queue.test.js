// 走访同步: every visit on the phone with its state under the sync banner; failures pinned on top,
// 重试 only where it can help, 立即同步 off without a network, the last sync time, photo progress.
const { setup, openPage, text, tap, find, flush } = require('../helpers/page')
const fixtures = require('../helpers/fixtures')

let wx, api, queue

const visit = (household, photos = []) => ({
  household_id: household,
  visited_at: '2026-11-23T02:00:00Z',
  outcome: 'met',
  people_met: [],
  note: '',
  findings: [{ kind: 'need', text: '换灯泡', photos }],
})

beforeEach(async () => {
  ;({ wx, api } = setup())
  wx.__network.isConnected = false
  queue = require('../../services/visits').get()
  await queue.start()
  queue.add(visit(58), { label: '3号楼1单元502' })
  queue.add(visit(999), { label: '9号楼1单元101' })
})

test('offline: a strong banner, 立即同步 off with the reason, the visits waiting newest first', async () => {
  const page = await openPage('pages/grid/queue/queue')
  const t = text(page)
  expect(text(find(page, '#sync'))).toContain('没有网络')
  expect(text(find(page, '#sync'))).toContain('2 条走访存在手机上，联网后自动同步')
  expect(text(find(page, '#sync'))).toContain('还没有同步过')
  expect(t).toContain('没有网络，不能立即同步；联网后会自动同步')
  expect(find(page, '#sync-now').instance.data.disabled).toBe(true)
  expect(t.indexOf('9号楼1单元101')).toBeLessThan(t.indexOf('3号楼1单元502'))
  expect(t).toContain('发现：困难需求')
  expect(page.data.counts.pending).toBe(2)
})

test('back online it syncs by itself; a failure is pinned on top, the last sync time shown', async () => {
  api.on('POST /api/v1/visits/batch', (req) => {
    const out = fixtures.batchOut(req.data.visits)
    out.results[0] = Object.assign(out.results[0], { status: 'error', id: null, error: 'household_not_found', detail: '住户 58 不存在', retryable: false })
    return out
  })
  const page = await openPage('pages/grid/queue/queue')
  wx.__setNetwork(true)
  await flush(10)
  const t = text(page)
  expect(page.data.counts.created).toBe(1)
  expect(page.data.counts.error).toBe(1)
  // the refused one (added first) is on top of the one that went through
  expect(page.data.items.map((i) => i.state)).toEqual(['error', 'created'])
  expect(t.indexOf('住户 58 不存在')).toBeLessThan(t.indexOf('9号楼1单元101'))
  expect(text(find(page, '#sync'))).toContain('1 条走访同步失败')
  expect(text(find(page, '#sync'))).toContain('上次同步 刚刚')
  expect(t).toContain('同步于 刚刚')

  await tap(page, '#clear')
  expect(page.data.items).toHaveLength(1)
})

test('重试 only for refusals that retrying can change; 删除 always', async () => {
  let refuse = true
  api.on('POST /api/v1/visits/batch', (req) => {
    const out = fixtures.batchOut(req.data.visits)
    out.results.forEach((r, i) => {
      const h = req.data.visits[i].household_id
      // 999: too old (the server says it cannot succeed); 58: a conflict the server says may pass later
      if (refuse && h === 999) Object.assign(r, { status: 'error', id: null, error: 'visited_at_too_old', detail: null, retryable: false })
      if (refuse && h === 58) Object.assign(r, { status: 'error', id: null, error: 'household_busy', detail: '住户信息正在更新，请稍后重试', retryable: true })
    })
    return out
  })
  wx.__setNetwork(true)
  await flush(10)
  const page = await openPage('pages/grid/queue/queue')
  const rows = page.data.items
  const old = rows.findIndex((r) => r.label === '9号楼1单元101')
  const busy = rows.findIndex((r) => r.label === '3号楼1单元502')
  expect(text(page)).toContain('走访时间超出补录期限，请联系社区补登')
  expect(text(page)).toContain('重试也不会成功')
  expect(rows[old].retryable).toBe(false)
  expect(rows[busy].retryable).toBe(true)
  expect(() => find(page, '#retry-' + old)).toThrow()
  expect(find(page, '#remove-' + old)).toBeTruthy()

  refuse = false
  await tap(page, '#retry-' + busy)
  await flush()
  expect(page.data.items.find((r) => r.label === '3号楼1单元502').state).toBe('created')

  await tap(page, '#remove-' + page.data.items.findIndex((r) => r.label === '9号楼1单元101'))
  await flush()
  expect(wx.showModal).toHaveBeenCalled()
  expect(page.data.items).toHaveLength(1)
})

test('an older server sends no retryable: known permanent codes get no 重试, others keep it', async () => {
  api.on('POST /api/v1/visits/batch', (req) => {
    const out = fixtures.batchOut(req.data.visits)
    out.results.forEach((r, i) => {
      const h = req.data.visits[i].household_id
      if (h === 999) Object.assign(r, { status: 'error', id: null, error: 'household_out_of_scope', detail: null })
      if (h === 58) Object.assign(r, { status: 'error', id: null, error: 'something_new', detail: '暂时无法保存' })
    })
    return out
  })
  wx.__setNetwork(true)
  await flush(10)
  const page = await openPage('pages/grid/queue/queue')
  const byLabel = (l) => page.data.items.find((r) => r.label === l)
  expect(byLabel('9号楼1单元101').retryable).toBe(false)
  expect(byLabel('3号楼1单元502').retryable).toBe(true)
})

test('photo upload progress shows in the banner while a sync runs', async () => {
  let release
  api.on('POST /api/v1/uploads', { url: '/uploads/bulb.jpg', ref: '/uploads/bulb.jpg' })
  api.on('POST /api/v1/visits/batch', (req) => fixtures.batchOut(req.data.visits))
  queue.remove(queue.list()[0].client_id)
  queue.remove(queue.list()[0].client_id)
  queue.add(visit(58, ['wxfile://store/bulb.jpg', 'wxfile://store/hall.jpg']), { label: '3号楼1单元502' })
  const page = await openPage('pages/grid/queue/queue')
  // hold the first upload half way
  wx.uploadFile.mockImplementationOnce((opts) => {
    const listeners = []
    release = () => {
      opts.success({ statusCode: 201, data: JSON.stringify({ url: '/uploads/bulb.jpg', ref: '/uploads/bulb.jpg' }) })
    }
    setTimeout(() => listeners.forEach((fn) => fn({ progress: 40 })), 0)
    return { abort() {}, onProgressUpdate: (fn) => listeners.push(fn) }
  })
  wx.__setNetwork(true)
  await flush(10)
  const banner = text(find(page, '#sync'))
  expect(banner).toContain('正在同步 1/1 条走访')
  expect(banner).toContain('正在上传照片 1/2')
  expect(banner).toContain('40%')
  release()
  await flush(20)
  expect(page.data.counts.created).toBe(1)
  expect(text(find(page, '#sync'))).toContain('走访记录已全部同步')
  expect(queue.list()[0].payload.findings[0].photos).toEqual(['/uploads/bulb.jpg', '/uploads/bulb.jpg'])
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
  await page.instance.onSync()
  await flush()
  expect(page.data.counts.pending).toBe(2)
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '网络不稳定，稍后会自动重试' }))
  expect(text(find(page, '#sync'))).toContain('2 条走访待同步')
  q.stop()
})
