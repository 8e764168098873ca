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
// const queue = createVisitQueue({ send: (visits) => api.postVisitBatch(visits), upload: (path) => … })
// send(visits) posts {"visits": visits} to POST /api/v1/visits/batch and resolves with the response
// body, {created, duplicate, error, results: [{client_id, status: 'created'|'duplicate'|'error', id,
// error, detail, follow_ups}]} (a bare results array is accepted too); it rejects with an ApiError
// (status 0 = network) when the whole batch failed.
//
// Photos of findings may be local files (wx.chooseMedia paths, taken offline): before a visit is
// sent, upload(path, onProgress) → Promise<url> turns each into an uploaded URL, which is saved with
// the visit so a retry never uploads it twice. A photo the server refuses marks that visit error.
//
// What the grid worker sees of it (components/sync-banner, the 走访同步 page): progress() while a
// sync runs (visits done of all, the photo being uploaded and its percent), lastSyncAt() (the last
// time the server answered a batch), and for each refused visit whether retrying can help
// (`retryable`: the server's word when it sends one — contracts.md §4 — else false for the codes
// below that no retry can change, e.g. a visit too old to be recorded).

const STORAGE_KEY = 'hh_visit_queue'
const SYNCED = ['created', 'duplicate']

// Refusals that sending the same visit again cannot change (when the server does not say).
const NOT_RETRYABLE = [
  'invalid_item',
  'validation_error',
  'household_not_found',
  'household_out_of_scope',
  'visited_at_in_future',
  'visited_at_too_old',
  'visit_too_old',
  'resident_not_in_household',
  'client_id_conflict',
  'upload_too_large',
  'unsupported_media_type',
]

function isRetryable(result) {
  if (result && typeof result.retryable === 'boolean') return result.retryable
  return NOT_RETRYABLE.indexOf((result && result.error) || '') < 0
}

// What the server's per-item error codes mean, when it sends no detail.
const ERROR_TEXT = {
  invalid_item: '走访记录格式有误',
  household_not_found: '住户不存在',
  household_out_of_scope: '该住户不在您负责的网格或楼栋内',
  visited_at_in_future: '走访时间晚于当前时间，请检查手机的日期和时间',
  visited_at_too_old: '走访时间超出补录期限，请联系社区补登',
  visit_too_old: '走访时间超出补录期限，请联系社区补登',
  resident_not_in_household: '所选居民不是该户的登记居民',
  client_id_conflict: '记录编号冲突，请删除后重新录入',
}

// Local files (not yet uploaded) as wx.chooseMedia / saveFile give them ("wxfile://…", "http://tmp/…",
// a path on disk); uploaded photos are "/uploads/…" or a URL on the API's host.
function isLocalPath(p) {
  return typeof p === 'string' && p !== '' && !/^(\/uploads\/|https?:\/\/(?!tmp\/|usr\/|store\/))/.test(p)
}

// The per-item results of POST /api/v1/visits/batch, from the response body.
function resultsOf(response) {
  if (Array.isArray(response)) return response
  return (response && Array.isArray(response.results) && response.results) || []
}

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
  const upload = options.upload || null
  const key = options.storageKey || STORAGE_KEY
  const batchSize = options.batchSize || 20
  const retryDelays = options.retryDelays || [30000, 60000, 120000, 300000]
  const newId = options.uuid || uuid4
  const now = options.now || (() => new Date().toISOString())

  let items = read()
  let meta = readMeta()
  let progress = null // {done, total, photo: {index, total, percent} | null} while a sync runs
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

  function readMeta() {
    try {
      const stored = getWx().getStorageSync(key + '_meta')
      return stored && typeof stored === 'object' ? stored : {}
    } catch (e) {
      return {}
    }
  }

  function notify() {
    const snapshot = list()
    listeners.slice().forEach((fn) => fn(snapshot))
  }

  function save() {
    getWx().setStorageSync(key, items)
    notify()
  }

  function noteSynced() {
    meta = Object.assign({}, meta, { last_sync_at: now() })
    try {
      getWx().setStorageSync(key + '_meta', meta)
    } catch (e) {
      // display only
    }
  }

  function setProgress(values) {
    progress = values === null ? null : Object.assign({}, progress || {}, values)
    notify()
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
  // `meta` is kept for display only (e.g. {label: '1号楼1单元101'}) and never sent.
  function add(payload, meta) {
    const item = {
      client_id: newId(),
      payload,
      meta: meta || {},
      state: 'pending',
      detail: '',
      error_code: null,
      retryable: true,
      attempts: 0,
      created_at: now(),
      synced_at: null,
      server_id: null,
      follow_ups: [],
    }
    items = items.concat([item])
    save()
    if (online) sync()
    return Object.assign({}, item)
  }

  function retry(clientId) {
    update(clientId, { state: 'pending', detail: '', error_code: null, retryable: true })
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

  function applyResults(batch, response) {
    const byId = {}
    resultsOf(response).forEach((r) => {
      if (r && r.client_id) byId[r.client_id] = r
    })
    batch.forEach((it) => {
      const r = byId[it.client_id]
      if (!r) {
        // the server did not answer for it: send it again next time (client_id makes that safe)
        update(it.client_id, { state: 'pending' })
      } else if (SYNCED.indexOf(r.status) >= 0) {
        update(it.client_id, {
          state: r.status,
          detail: '',
          error_code: null,
          synced_at: now(),
          server_id: r.id === undefined ? null : r.id,
          follow_ups: r.follow_ups || [],
        })
      } else {
        update(it.client_id, {
          state: 'error',
          error_code: r.error || null,
          retryable: isRetryable(r),
          detail: r.detail || ERROR_TEXT[r.error] || '提交失败',
        })
      }
    })
  }

  function markPending(batch) {
    batch.forEach((it) => update(it.client_id, { state: 'pending' }))
  }

  function isTransient(err) {
    const status = (err && err.status) || 0
    return status === 0 || status >= 500 || status === 401 || status === 429
  }

  // Uploads the local photos of one item's findings, saving each URL as soon as it is known.
  // Resolves with 'ok' | 'offline' | 'refused'.
  function uploadPhotos(clientId) {
    const it = current(clientId)
    const findings = (it && it.payload && it.payload.findings) || []
    const todo = []
    findings.forEach((f, fi) => (f.photos || []).forEach((p, pi) => (isLocalPath(p) ? todo.push([fi, pi, p]) : null)))
    if (!todo.length) return Promise.resolve('ok')
    if (!upload) return Promise.resolve('ok')
    return todo.reduce(
      (prev, [fi, pi, path], index) =>
        prev.then((outcome) => {
          if (outcome !== 'ok') return outcome
          setProgress({ photo: { index: index + 1, total: todo.length, percent: 0 } })
          const onProgress = (percent) => setProgress({ photo: { index: index + 1, total: todo.length, percent: Math.round(percent || 0) } })
          return Promise.resolve()
            .then(() => upload(path, onProgress))
            .then(
              (url) => {
                const latest = current(clientId)
                if (!latest) return 'ok'
                const payload = JSON.parse(JSON.stringify(latest.payload))
                payload.findings[fi].photos[pi] = url
                update(clientId, { payload })
                save()
                return 'ok'
              },
              (err) => {
                if (isTransient(err)) return 'offline'
                update(clientId, {
                  state: 'error',
                  error_code: (err && err.code) || null,
                  retryable: isRetryable({ error: err && err.code }) && !(err && (err.status === 413 || err.status === 415 || err.status === 422)),
                  detail: '照片上传失败：' + ((err && err.detail) || '请重试'),
                })
                save()
                return 'refused'
              }
            )
        }),
      Promise.resolve('ok')
    )
  }

  // Sends one batch. Resolves with 'ok' | 'offline' | 'refused'.
  function sendBatch(batch) {
    batch.forEach((it) => update(it.client_id, { state: 'syncing', attempts: it.attempts + 1 }))
    save()
    let offline = false
    const uploads = batch.reduce(
      (p, it) =>
        p.then(() => {
          if (offline) return
          return uploadPhotos(it.client_id).then((outcome) => {
            if (outcome === 'offline') offline = true
          })
        }),
      Promise.resolve()
    )
    return uploads.then(() => {
      if (offline) {
        markPending(batch.filter((it) => (current(it.client_id) || {}).state === 'syncing'))
        save()
        return 'offline'
      }
      // visits whose photos were refused are out of this batch
      const ready = batch.map((it) => current(it.client_id)).filter((it) => it && it.state === 'syncing')
      if (!ready.length) return 'refused'
      return postBatch(ready)
    })
  }

  function postBatch(batch) {
    const body = batch.map((it) => Object.assign({ client_id: it.client_id }, it.payload))
    return Promise.resolve()
      .then(() => send(body))
      .then(
        (results) => {
          applyResults(batch, results)
          noteSynced()
          setProgress({ done: ((progress && progress.done) || 0) + batch.length, photo: null })
          save()
          return 'ok'
        },
        (err) => {
          if (isTransient(err)) {
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
          noteSynced()
          update(batch[0].client_id, {
            state: 'error',
            error_code: (err && err.code) || null,
            retryable: isRetryable({ error: err && err.code }) && !(err && err.status === 422),
            detail: (err && err.detail) || '提交失败',
          })
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
    setProgress({ done: 0, total: items.filter((it) => it.state === 'pending').length, photo: null })
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
        setProgress(null)
        return counts()
      },
      (err) => {
        running = null
        setProgress(null)
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
    if (online !== wasOnline) notify()
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
          notify()
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
    isSyncing: () => !!running,
    progress: () => (progress ? JSON.parse(JSON.stringify(progress)) : null),
    lastSyncAt: () => meta.last_sync_at || null,
  }
}

module.exports = { createVisitQueue, uuid4, resultsOf, isLocalPath, isRetryable, STORAGE_KEY, ERROR_TEXT, NOT_RETRYABLE }
