// The offline visit queue against a stubbed wx: the network goes off and on, responses get lost,
// the server refuses some visits, the app is killed mid-sync.
const { installWx, flush } = require('./helpers/wx')

let wx, createVisitQueue

// A batch endpoint that, like the server, stores each client_id once.
function fakeServer() {
  const stored = new Map()
  const server = {
    stored,
    calls: [],
    mode: 'ok', // ok | offline | lose-response | 500 | refuse-batch
    refuse: new Set(), // household ids the server refuses (per item)
    send(items) {
      server.calls.push(items.map((i) => i.client_id))
      if (server.mode === 'offline') return Promise.reject({ status: 0, code: 'network_error', detail: '网络连接失败' })
      if (server.mode === '500') return Promise.reject({ status: 500, detail: '服务器开小差了' })
      if (server.mode === 'refuse-batch' && items.some((i) => server.refuse.has(i.household_id))) {
        return Promise.reject({ status: 422, code: 'invalid_input', detail: '请求内容有误' })
      }
      const results = items.map((i) => {
        if (server.refuse.has(i.household_id)) {
          return { client_id: i.client_id, status: 'error', id: null, error: 'household_out_of_scope', detail: '该住户不在您的网格', follow_ups: [] }
        }
        if (stored.has(i.client_id)) {
          return { client_id: i.client_id, status: 'duplicate', id: stored.get(i.client_id), error: null, detail: null, follow_ups: [] }
        }
        stored.set(i.client_id, stored.size + 1)
        return { client_id: i.client_id, status: 'created', id: stored.get(i.client_id), error: null, detail: null, follow_ups: [] }
      })
      if (server.mode === 'lose-response') {
        server.mode = 'ok'
        return Promise.reject({ status: 0, code: 'network_error', detail: '网络连接失败' })
      }
      // the body of POST /api/v1/visits/batch (VisitBatchOut)
      const count = (status) => results.filter((r) => r.status === status).length
      return Promise.resolve({ created: count('created'), duplicate: count('duplicate'), error: count('error'), results })
    },
  }
  return server
}

let seq = 0
const visit = (household) => ({ household_id: household, met: '户主', findings: [{ kind: 'need', note: '想学用手机 ' + ++seq }] })
const states = (q) => q.list().map((i) => i.state)

beforeEach(() => {
  jest.resetModules()
  ;({ wx } = installWx())
  ;({ createVisitQueue } = require('../services/visit-queue'))
})

afterEach(() => {
  jest.useRealTimers()
})

test('a visit is stored on the phone before anything is sent, with a UUID client_id', async () => {
  const server = fakeServer()
  const q = createVisitQueue({ send: server.send })
  await q.start()
  const item = q.add(visit(101))
  expect(item.client_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  expect(wx.getStorageSync('hh_visit_queue')[0]).toMatchObject({ client_id: item.client_id, payload: { household_id: 101 } })
  await q.sync()
  expect(states(q)).toEqual(['created'])
  expect(server.stored.has(item.client_id)).toBe(true)
  expect(q.list()[0].server_id).toBe(1)
})

test('offline: visits wait in storage, then sync when the network comes back', async () => {
  const server = fakeServer()
  const q = createVisitQueue({ send: server.send })
  wx.__network.isConnected = false
  await q.start()
  expect(q.isOnline()).toBe(false)

  q.add(visit(101))
  q.add(visit(102))
  await flush()
  expect(server.calls).toHaveLength(0)
  expect(states(q)).toEqual(['pending', 'pending'])
  expect(wx.getStorageSync('hh_visit_queue')).toHaveLength(2)

  wx.__setNetwork(true)
  await flush()
  expect(server.calls).toHaveLength(1)
  expect(server.calls[0]).toHaveLength(2) // one batch
  expect(states(q)).toEqual(['created', 'created'])
  expect(wx.getStorageSync('hh_visit_queue').map((i) => i.state)).toEqual(['created', 'created'])
})

test('the network drops during a send: the visits stay pending and are sent when it returns', async () => {
  const server = fakeServer()
  const q = createVisitQueue({ send: server.send })
  await q.start()
  server.mode = 'offline'
  q.add(visit(101))
  await flush()
  expect(states(q)).toEqual(['pending'])

  wx.__setNetwork(false)
  server.mode = 'ok'
  await q.sync() // offline: does not even try
  expect(server.calls).toHaveLength(1)

  wx.__setNetwork(true)
  await flush()
  expect(states(q)).toEqual(['created'])
  expect(server.calls).toHaveLength(2)
})

test('a lost response is replayed safely: the server answers duplicate, nothing is stored twice', async () => {
  const server = fakeServer()
  const q = createVisitQueue({ send: server.send })
  await q.start()
  server.mode = 'lose-response' // the server stores it, the phone never hears back
  const item = q.add(visit(101))
  await flush()
  expect(states(q)).toEqual(['pending'])
  expect(server.stored.size).toBe(1)

  await q.sync()
  expect(states(q)).toEqual(['duplicate'])
  expect(server.stored.size).toBe(1)
  expect(server.calls).toEqual([[item.client_id], [item.client_id]])
  expect(q.counts()).toMatchObject({ duplicate: 1, unsynced: 0 })
})

test('the server refuses one visit: it shows the detail, the others go through; retry and remove', async () => {
  const server = fakeServer()
  server.refuse.add(102)
  const q = createVisitQueue({ send: server.send })
  wx.__network.isConnected = false
  await q.start()
  q.add(visit(101))
  const bad = q.add(visit(102))
  q.add(visit(103))
  wx.__setNetwork(true)
  await flush()
  expect(states(q)).toEqual(['created', 'error', 'created'])
  expect(q.list()[1].detail).toBe('该住户不在您的网格')

  // retry after the server side was fixed
  server.refuse.clear()
  await q.retry(bad.client_id)
  expect(states(q)).toEqual(['created', 'created', 'created'])

  q.clearSynced()
  expect(q.list()).toHaveLength(0)
})

test('a whole batch refused (422) is split to find the bad visit', async () => {
  const server = fakeServer()
  server.mode = 'refuse-batch'
  server.refuse.add(102)
  const q = createVisitQueue({ send: server.send })
  wx.__network.isConnected = false
  await q.start()
  q.add(visit(101))
  q.add(visit(102))
  q.add(visit(103))
  wx.__setNetwork(true)
  await flush(12)
  expect(states(q)).toEqual(['created', 'error', 'created'])
  expect(q.list()[1].detail).toBe('请求内容有误') // the 422's detail, for that one visit
  expect(server.stored.size).toBe(2)
  q.remove(q.list()[1].client_id)
  expect(states(q)).toEqual(['created', 'created'])
})

test('server trouble (5xx) keeps visits pending and retries after a delay', async () => {
  jest.useFakeTimers()
  const server = fakeServer()
  server.mode = '500'
  const q = createVisitQueue({ send: server.send, retryDelays: [1000, 5000] })
  q.add(visit(101))
  await jest.advanceTimersByTimeAsync(10)
  expect(states(q)).toEqual(['pending'])
  expect(server.calls).toHaveLength(1)

  server.mode = 'ok'
  await jest.advanceTimersByTimeAsync(1000)
  expect(server.calls).toHaveLength(2)
  expect(states(q)).toEqual(['created'])
})

test('a visit left "syncing" by a killed app is sent again on start', async () => {
  const server = fakeServer()
  const id = '11111111-2222-4333-8444-555555555555'
  server.stored.set(id, 7) // it did reach the server before the app died
  wx.setStorageSync('hh_visit_queue', [
    { client_id: id, payload: visit(101), state: 'syncing', detail: '', attempts: 1, created_at: 'x', synced_at: null, server_id: null },
  ])
  const q = createVisitQueue({ send: server.send })
  await q.start()
  expect(states(q)).toEqual(['duplicate'])
  expect(q.list()[0].server_id).toBe(7)
})

test('concurrent syncs share one run and big queues go in batches', async () => {
  const server = fakeServer()
  const q = createVisitQueue({ send: server.send, batchSize: 2 })
  wx.__network.isConnected = false
  await q.start()
  for (let i = 0; i < 5; i++) q.add(visit(200 + i))
  wx.__network.isConnected = true
  wx.__setNetwork(true)
  const [a, b] = [q.sync(), q.sync()]
  expect(a).toBe(b)
  await a
  expect(server.calls.map((c) => c.length)).toEqual([2, 2, 1])
  expect(q.counts()).toMatchObject({ created: 5, unsynced: 0, total: 5 })
})

test('subscribers see every state change; the queue survives a restart', async () => {
  const server = fakeServer()
  server.mode = 'offline'
  const q = createVisitQueue({ send: server.send })
  const seen = []
  q.subscribe((list) => seen.push(list.map((i) => i.state).join(',')))
  await q.start()
  q.add(visit(101))
  await flush()
  expect(seen).toContain('syncing')
  expect(seen[seen.length - 1]).toBe('pending')
  q.stop()

  // a new queue (the app restarted) reads the same storage
  server.mode = 'ok'
  const again = createVisitQueue({ send: server.send })
  await again.start()
  expect(states(again)).toEqual(['created'])
})

test('through services/api.js: posts {"visits": [...]} to /api/v1/visits/batch and reads VisitBatchOut', async () => {
  const { api } = require('./helpers/wx').installWx()
  const client = require('../services/api')
  ;({ createVisitQueue } = require('../services/visit-queue'))
  const seen = new Map()
  api.on('POST /api/v1/visits/batch', (req) => {
    const results = req.data.visits.map((v) => {
      if (v.household_id === 999) {
        return { client_id: v.client_id, status: 'error', id: null, error: 'household_not_found', detail: null, follow_ups: [] }
      }
      const known = seen.has(v.client_id)
      if (!known) seen.set(v.client_id, 2480 + seen.size + 1)
      const followUps = known ? [] : (v.findings || []).filter((f) => f.kind === 'need').map((f) => ({ kind: 'need', type: 'wish', id: 61 }))
      return { client_id: v.client_id, status: known ? 'duplicate' : 'created', id: seen.get(v.client_id), error: null, detail: null, follow_ups: followUps }
    })
    return { created: results.filter((r) => r.status === 'created').length, duplicate: 0, error: 1, results }
  })
  const q = createVisitQueue({ send: (visits) => client.postVisitBatch(visits, { silent: true }) })
  global.wx.__network.isConnected = false
  await q.start()
  const a = q.add(
    { household_id: 58, visited_at: '2026-11-23T02:00:00.000Z', outcome: 'met', people_met: ['户主'], note: '', findings: [{ kind: 'need', text: '换灯泡', photos: [] }] },
    { label: '3号楼1单元502' }
  )
  q.add({ household_id: 999, visited_at: '2026-11-23T02:00:00.000Z', outcome: 'not_home', people_met: [], note: '', findings: [] })
  global.wx.__setNetwork(true)
  await flush(10)

  const sent = api.callsTo('POST /api/v1/visits/batch')
  expect(sent).toHaveLength(1)
  expect(Object.keys(sent[0].data)).toEqual(['visits'])
  expect(sent[0].data.visits[0]).toEqual({
    client_id: a.client_id,
    household_id: 58,
    visited_at: '2026-11-23T02:00:00.000Z',
    outcome: 'met',
    people_met: ['户主'],
    note: '',
    findings: [{ kind: 'need', text: '换灯泡', photos: [] }],
  })
  const [ok, bad] = q.list()
  expect(ok).toMatchObject({ state: 'created', server_id: 2481, follow_ups: [{ kind: 'need', type: 'wish', id: 61 }], meta: { label: '3号楼1单元502' } })
  expect(bad).toMatchObject({ state: 'error', error_code: 'household_not_found', detail: '住户不存在' })

  // replaying the same visit: duplicate, the same id
  global.wx.setStorageSync('hh_visit_queue', q.list().map((i) => Object.assign(i, { state: 'pending' })))
  const again = createVisitQueue({ send: (visits) => client.postVisitBatch(visits, { silent: true }) })
  await again.start()
  expect(again.list()[0]).toMatchObject({ state: 'duplicate', server_id: 2481 })
  expect(global.wx.showToast).not.toHaveBeenCalled()
})

test('photos taken offline are uploaded before the visit is sent, once, and a refused photo marks the visit', async () => {
  const server = fakeServer()
  const uploads = []
  let uploadMode = 'ok'
  const upload = (path) => {
    uploads.push(path)
    if (uploadMode === 'offline') return Promise.reject({ status: 0, detail: '网络连接失败' })
    if (uploadMode === 'refuse') return Promise.reject({ status: 413, code: 'file_too_large', detail: '图片不能超过 5 MB' })
    return Promise.resolve('/uploads/' + path.split('/').pop())
  }
  const q = createVisitQueue({ send: server.send, upload })
  await q.start()
  uploadMode = 'offline'
  const item = q.add({ household_id: 101, findings: [{ kind: 'hazard', text: '楼道堆物', photos: ['wxfile://tmp/a.jpg', '/uploads/done.jpg'] }] })
  await flush()
  expect(states(q)).toEqual(['pending'])
  expect(server.calls).toHaveLength(0)

  uploadMode = 'ok'
  await q.sync()
  expect(states(q)).toEqual(['created'])
  expect(uploads).toEqual(['wxfile://tmp/a.jpg', 'wxfile://tmp/a.jpg'])
  expect(q.list()[0].payload.findings[0].photos).toEqual(['/uploads/a.jpg', '/uploads/done.jpg'])
  expect(server.calls).toEqual([[item.client_id]])

  uploadMode = 'refuse'
  q.add({ household_id: 102, findings: [{ kind: 'need', text: '求助', photos: ['wxfile://tmp/big.jpg'] }] })
  await q.sync()
  expect(states(q)).toEqual(['created', 'error'])
  expect(q.list()[1].detail).toBe('照片上传失败：图片不能超过 5 MB')
  expect(server.calls).toHaveLength(1)
})
