// The app's one offline visit queue (services/visit-queue.js) on the live API: visits go to
// POST /api/v1/visits/batch, photos taken offline to POST /api/v1/uploads when the network is back.
// app.js starts it on launch, so it syncs whenever the network returns (wx.onNetworkStatusChange),
// whichever page is open; the grid pages read and subscribe to it.
const api = require('./api')
const time = require('../utils/time')
const glossary = require('../utils/glossary')
const { createVisitQueue } = require('./visit-queue')

// Labels and TDesign tag themes of the sync states (utils/glossary.js).
const STATE_LABELS = glossary.SYNC_STATE
const STATE_THEMES = glossary.THEMES.sync

let queue = null

function get() {
  if (!queue) {
    queue = createVisitQueue({
      send: (visits) => api.postVisitBatch(visits, { silent: true }),
      upload: (path, onProgress) => api.uploadPhoto(path, { silent: true, onProgress }).then((out) => out.ref || out.url),
    })
  }
  return queue
}

function start() {
  return get().start()
}

// What the sync banner (components/sync-banner) says, most important first:
//   offline — 没有网络: visits stay on the phone (and how many wait)
//   syncing — 正在同步 i/n, and the photo being uploaded with its percent
//   error   — n 条走访同步失败 (pinned until handled)
//   pending — n 条走访待同步 (online, waiting for the next try)
//   ok      — 走访记录已全部同步
// with the last time the server answered, in words ("上次同步 今天 14:30").
function summary(q = get(), now = new Date(), opts = {}) {
  const c = q.counts()
  const online = q.isOnline()
  const p = q.progress()
  const waiting = c.pending + c.syncing
  const last = q.lastSyncAt()
  const lastText = last ? '上次同步 ' + time.formatRelative(last, now) : '还没有同步过'
  const out = { counts: c, online, lastText, progressText: '', percent: -1 }
  if (!online) {
    return Object.assign(out, {
      state: 'offline',
      icon: 'wifi-off',
      title: '没有网络',
      detail: waiting ? waiting + ' 条走访存在手机上，联网后自动同步' : '走访照常记录，先存在手机上，联网后自动同步',
    })
  }
  if (p && (c.syncing || q.isSyncing())) {
    const photo = p.photo
    return Object.assign(out, {
      state: 'syncing',
      icon: 'cloud-upload',
      title: '正在同步 ' + Math.min((p.done || 0) + 1, p.total || 1) + '/' + (p.total || 1) + ' 条走访',
      detail: photo ? '正在上传照片 ' + photo.index + '/' + photo.total : '请保持网络连接',
      progressText: photo ? photo.percent + '%' : '',
      percent: photo ? photo.percent : -1,
    })
  }
  if (c.error) {
    return Object.assign(out, {
      state: 'error',
      icon: 'error-circle',
      title: c.error + ' 条走访同步失败',
      detail: (waiting ? '另有 ' + waiting + ' 条待同步 · ' : '') + (opts.here ? '原因见下方，重试或删除' : '点此查看原因并处理'),
    })
  }
  if (waiting) {
    return Object.assign(out, { state: 'pending', icon: 'time', title: waiting + ' 条走访待同步', detail: '网络正常，马上自动同步' })
  }
  return Object.assign(out, { state: 'ok', icon: 'check-circle', title: '走访记录已全部同步', detail: '' })
}

module.exports = { get, start, summary, STATE_LABELS, STATE_THEMES }
