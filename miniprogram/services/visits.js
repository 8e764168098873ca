// The app's one offline visit queue (services/visit-queue.js) on the live API: visits go to
// POST /api/v1/visits/batch, photos taken offline to POST /api/v1/uploads when the network is back.
// app.js starts it on launch, so it syncs whenever the network returns (wx.onNetworkStatusChange),
// whichever page is open; the grid pages read and subscribe to it.
const api = require('./api')
const { createVisitQueue } = require('./visit-queue')

// Labels and TDesign tag themes of the sync states.
const STATE_LABELS = {
  pending: '待同步',
  syncing: '同步中',
  created: '已同步',
  duplicate: '已同步（重复）',
  error: '同步失败',
}
const STATE_THEMES = { pending: 'warning', syncing: 'primary', created: 'success', duplicate: 'success', error: 'danger' }

let queue = null

function get() {
  if (!queue) {
    queue = createVisitQueue({
      send: (visits) => api.postVisitBatch(visits, { silent: true }),
      upload: (path) => api.uploadPhoto(path, { silent: true }).then((out) => out.url),
    })
  }
  return queue
}

function start() {
  return get().start()
}

module.exports = { get, start, STATE_LABELS, STATE_THEMES }
