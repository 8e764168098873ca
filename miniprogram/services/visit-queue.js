// The grid worker's offline visit queue (走访入户 with poor signal).
//
// Every visit is written to wx storage first, with a client_id (a UUID made on the phone), and only
// then sent. Sending is a batch (POST /api/v1/visits/batch) that the server makes replay-safe by
// client_id: sending the same visit twice gives "duplicate", never a second visit. So the queue can
// always resend when unsure (app killed mid-request, response lost) and never loses a visit.
//
// Each item shows its sync state:
//   pending   — saved on the phone, waiting for the network
//   syncing   — being sent now
//   created   — the server stored it
//   duplicate — the server already had it (an earlier send got through); as good as created
//   error     — the server refused it (detail says why); fix and retry(), or remove()
//
// Sync runs when an item is added, when the network comes back (wx.onNetworkStatusChange), on
// sync() (pull-to-refresh / a button), and again after a delay when a send failed on the network.
//
// const queue = createVisitQueue({ send: (items) => api.postVisitBatch(items) })
// send(items) resolves with [{client_id, status: 'created'|'duplicate'|'error', detail?, id?}]
// and rejects with an ApiError (status 0 = network) when the whole batch failed.

const STORAGE_KEY = 'hh_visit_queue'
const SYNCED = ['created', 'duplicate']

function uuid4() {
  // RFC 4122 version 4; Math.random plus the clock is plenty for an idempotency key.
  let t = Date.now()
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (t + Math.random() * 16) % 16 | 0
    t = Math.floor(t / 16)
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16)
  })
}

function createVisitQueue(options = {}) {
  const getWx = () => options.wx || wx
  const send = options.send
  const key = options.storageKey || STORAGE_KEY
  const batchSize = options.batchSize || 20
  const retryDelays = options.retryDelays || [30000, 60000, 120000, 300000]
  const newId = options.uuid || uuid4
  const now = options.now || (() => new Date().toISOString())

  let items = read()
  let online = true
  let running = null
  let retryTimer = null
  let retryCount = 0
  let started = false
  const listeners = []

  function read() {
    try {
      const stored = getWx().getStorageSync(key)
      return Array.isArray(stored) ? stored : []
    } catch (e) {
      return []
    }
  }

  function save() {
    getWx().setStorageSync(key, items)
    const snapshot = list()
    listeners.slice().forEach((fn) => fn(snapshot))
  }

  function list() {
    return items.map((it) => Object.assign({}, it))
  }

  function counts() {
    const c = { pending: 0, syncing: 0, created: 0, duplicate: 0, error: 0, total: items.length }
    items.forEach((it) => {
      c[it.state] += 1
    })
    c.unsynced = c.pending + c.syncing + c.error
    return c
  }

  function current(clientId) {
    return items.find((it) => it.client_id === clientId)
  }

  function update(clientId, values) {
    items = items.map((it) => (it.client_id === clientId ? Object.assign({}, it, values) : it))
  }

  // Saves a visit on the phone and tries to send it. Returns the stored item at once.
  function add(payload) {
    const item = {
      client_id: newId(),
      payload,
      state: 'pending',
      detail: '',
      attempts: 0,
      created_at: now(),
      synced_at: null,
      server_id: null,
    }
    items = items.concat([item])
    save()
    if (online) sync()
    return Object.assign({}, item)
  }

  function retry(clientId) {
    update(clientId, { state: 'pending', detail: '' })
    save()
    return sync()
  }

  function remove(clientId) {
    items = items.filter((it) => it.client_id !== clientId)
    save()
  }

  // Drops what the server has; keeps pending and refused visits.
  function clearSynced() {
    items = items.filter((it) => SYNCED.indexOf(it.state) < 0)
    save()
  }

  function applyResults(batch, results) {
    const byId = {}
    ;(results || []).forEach((r) => {
      if (r && r.client_id) byId[r.client_id] = r
    })
    batch.forEach((it) => {
      const r = byId[it.client_id]
      if (!r) {
        // the server did not answer for it: send it again next time (client_id makes that safe)
        update(it.client_id, { state: 'pending' })
      } else if (SYNCED.indexOf(r.status) >= 0) {
        update(it.client_id, { state: r.status, detail: '', synced_at: now(), server_id: r.id || null })
      } else {
        update(it.client_id, { state: 'error', detail: r.detail || '提交失败' })
      }
    })
  }

  function markPending(batch) {
    batch.forEach((it) => update(it.client_id, { state: 'pending' }))
  }

  // Sends one batch. Resolves with 'ok' | 'offline' | 'refused'.
  function sendBatch(batch) {
    batch.forEach((it) => update(it.client_id, { state: 'syncing', attempts: it.attempts + 1 }))
    save()
    const body = batch.map((it) => Object.assign({ client_id: it.client_id }, it.payload))
    return Promise.resolve()
      .then(() => send(body))
      .then(
        (results) => {
          applyResults(batch, results)
          save()
          return 'ok'
        },
        (err) => {
          const status = (err && err.status) || 0
          if (status === 0 || status >= 500 || status === 401 || status === 429) {
            // network, server trouble or login: nothing was refused, keep them for later
            markPending(batch)
            save()
            return 'offline'
          }
          if (batch.length > 1) {
            // the whole batch was refused (e.g. 422): find the bad ones by sending one at a time
            markPending(batch)
            save()
            return batch.reduce(
              (p, it) =>
                p.then((prev) => {
                  const latest = current(it.client_id)
                  return prev === 'offline' || !latest ? prev : sendBatch([latest])
                }),
              Promise.resolve('ok')
            )
          }
          update(batch[0].client_id, { state: 'error', detail: (err && err.detail) || '提交失败' })
          save()
          return 'refused'
        }
      )
  }

  function scheduleRetry() {
    if (retryTimer || !items.some((it) => it.state === 'pending')) return
    const delay = retryDelays[Math.min(retryCount, retryDelays.length - 1)]
    retryCount += 1
    retryTimer = setTimeout(() => {
      retryTimer = null
      sync()
    }, delay)
  }

  function clearRetry() {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
  }

  // Sends every pending visit, batch by batch. One sync at a time: callers share it.
  // Resolves with counts().
  function sync() {
    if (running) return running
    if (!online || !items.some((it) => it.state === 'pending')) return Promise.resolve(counts())
    clearRetry()
    const loop = () => {
      const batch = items.filter((it) => it.state === 'pending').slice(0, batchSize)
      if (!batch.length || !online) return Promise.resolve('ok')
      return sendBatch(batch).then((outcome) => (outcome === 'offline' ? outcome : loop()))
    }
    running = loop().then(
      (outcome) => {
        running = null
        if (outcome === 'offline') scheduleRetry()
        else retryCount = 0
        return counts()
      },
      (err) => {
        running = null
        throw err
      }
    )
    return running
  }

  function onNetwork(res) {
    const wasOnline = online
    online = !!res.isConnected
    if (online && !wasOnline) {
      retryCount = 0
      sync()
    }
  }

  // Starts listening to the network; visits left "syncing" by a killed app go back to pending.
  function start() {
    if (started) return Promise.resolve(counts())
    started = true
    items = read().map((it) => (it.state === 'syncing' ? Object.assign({}, it, { state: 'pending' }) : it))
    save()
    const w = getWx()
    w.onNetworkStatusChange(onNetwork)
    return new Promise((resolve) => {
      w.getNetworkType({
        success: (res) => {
          online = res.networkType !== 'none'
          resolve()
        },
        fail: () => resolve(),
      })
    }).then(() => sync())
  }

  function stop() {
    started = false
    clearRetry()
    const w = getWx()
    if (typeof w.offNetworkStatusChange === 'function') w.offNetworkStatusChange(onNetwork)
  }

  function subscribe(fn) {
    listeners.push(fn)
    return () => {
      const i = listeners.indexOf(fn)
      if (i >= 0) listeners.splice(i, 1)
    }
  }

  return {
    add,
    list,
    counts,
    sync,
    retry,
    remove,
    clearSynced,
    start,
    stop,
    subscribe,
    isOnline: () => online,
  }
}

module.exports = { createVisitQueue, uuid4, STORAGE_KEY }
