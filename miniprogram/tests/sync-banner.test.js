// The grid worker's sync banner (components/sync-banner, services/visits.js summary()): offline,
// syncing with photo progress, failures, waiting, all synced; always with the last sync time.
const { setup, render, text, tap, flush } = require('./helpers/page')
const fixtures = require('./helpers/fixtures')

let wx, api, queue, visits

const v = (h, photos = []) => ({ household_id: h, visited_at: new Date(Date.now() - 3600e3).toISOString(), outcome: 'met', people_met: [], note: '', findings: photos.length ? [{ kind: 'need', text: '换灯泡', photos }] : [] })

beforeEach(async () => {
  ;({ wx, api } = setup())
  visits = require('../services/visits')
  queue = visits.get()
  await queue.start()
})

test('all synced, never synced yet', () => {
  expect(visits.summary()).toMatchObject({ state: 'ok', title: '走访记录已全部同步', lastText: '还没有同步过' })
})

test('offline: says so, with how many wait on the phone', () => {
  wx.__setNetwork(false)
  queue.add(v(58), { label: '3号楼1单元502' })
  queue.add(v(23), { label: '1号楼2单元301' })
  expect(visits.summary()).toMatchObject({ state: 'offline', icon: 'wifi-off', title: '没有网络', detail: '2 条走访存在手机上，联网后自动同步' })
})

test('failures are pinned until handled, waiting ones counted beside them; the last sync time in words', async () => {
  api.on('POST /api/v1/visits/batch', (req) => {
    const out = fixtures.batchOut(req.data.visits)
    Object.assign(out.results[0], { status: 'error', error: 'visited_at_too_old', id: null })
    return out
  })
  queue.add(v(58))
  await flush(10)
  let s = visits.summary()
  expect(s).toMatchObject({ state: 'error', title: '1 条走访同步失败', detail: '点此查看原因并处理' })
  expect(s.lastText).toBe('上次同步 刚刚')
  api.on('POST /api/v1/visits/batch', require('./helpers/wx').fail(503, 'busy', '忙'))
  queue.add(v(23))
  await flush(10)
  s = visits.summary()
  expect(s.state).toBe('error')
  expect(s.detail).toBe('另有 1 条待同步 · 点此查看原因并处理')
  const later = new Date(Date.now() + 3 * 3600e3)
  expect(visits.summary(queue, later).lastText).toMatch(/^上次同步 (今天|昨天) \d\d:\d\d$/)
})

test('syncing: which visit of how many, and the photo being uploaded with its percent', async () => {
  let release
  wx.__setNetwork(false)
  queue.add(v(58, ['wxfile://store/a.jpg', 'wxfile://store/b.jpg']))
  wx.uploadFile.mockImplementationOnce((opts) => {
    const fns = []
    release = () => opts.success({ statusCode: 201, data: '{"url":"/uploads/a.jpg"}' })
    setTimeout(() => fns.forEach((fn) => fn({ progress: 35 })), 0)
    return { abort() {}, onProgressUpdate: (fn) => fns.push(fn) }
  })
  api.on('POST /api/v1/uploads', { url: '/uploads/b.jpg' })
  api.on('POST /api/v1/visits/batch', (req) => fixtures.batchOut(req.data.visits))
  wx.__setNetwork(true)
  await flush(6)
  expect(visits.summary()).toMatchObject({ state: 'syncing', title: '正在同步 1/1 条走访', detail: '正在上传照片 1/2', percent: 35, progressText: '35%' })
  release()
  await flush(20)
  expect(visits.summary().state).toBe('ok')
})

test('the banner component shows it, follows the queue, and with `link` opens 走访同步', async () => {
  const banner = render('components/sync-banner/sync-banner', { link: true })
  await flush()
  expect(text(banner)).toContain('走访记录已全部同步')
  wx.__setNetwork(false)
  queue.add(v(58))
  await flush()
  expect(text(banner)).toContain('没有网络')
  expect(banner.data.s.state).toBe('offline')
  await tap(banner, '#sync-banner')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/grid/queue/queue' })
})
