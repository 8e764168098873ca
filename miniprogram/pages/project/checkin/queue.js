// The department staff's sign-ins on the phone: each is kept in wx storage with its client UUID and
// the moment it was made, and sent in one batch to POST /api/v1/checkins/batch when the network
// allows (the visit queue's pattern, smaller). The server answers each client id once and replays the
// same answer, so a batch sent twice (a lost response, a retry) is counted once; an entry leaves the
// phone only when the server has answered for it.
const { uuid4 } = require('../../../services/visit-queue')

const KEY = 'hh_checkin_queue'

function placeKey(kind, id) {
  return kind + ':' + id
}

function createCheckinQueue(api, options = {}) {
  const now = options.now || (() => new Date())
  const newId = options.uuid || uuid4
  const read = () => wx.getStorageSync(KEY) || []
  const write = (list) => (list.length ? wx.setStorageSync(KEY, list) : wx.removeStorageSync(KEY))
  let sending = null

  // place: {place_kind, place_id, place_name}; location: {latitude, longitude} or null
  function add(place, location) {
    const list = read()
    const entry = {
      client_id: newId(),
      at: now().toISOString(),
      place_kind: place.place_kind,
      place_id: place.place_id,
      place_name: place.place_name || '',
      latitude: location ? location.latitude : null,
      longitude: location ? location.longitude : null,
    }
    list.push(entry)
    write(list)
    return entry
  }

  // Sends what waits; resolves with {sent, results, offline, error}. Answered entries are removed
  // (whatever the answer), the rest stay for the next try.
  function flush() {
    if (sending) return sending
    const list = read()
    if (!list.length) return Promise.resolve({ sent: 0, results: [], offline: false })
    const checkins = list.map((e) => ({ client_id: e.client_id, at: e.at, place_kind: e.place_kind, place_id: e.place_id, latitude: e.latitude, longitude: e.longitude }))
    sending = api
      .postCheckins(checkins, { silent: true })
      .then(
        (out) => {
          const answered = {}
          ;(out.items || []).forEach((r) => (answered[r.client_id] = r))
          write(read().filter((e) => !answered[e.client_id]))
          const results = list.filter((e) => answered[e.client_id]).map((e) => Object.assign({}, e, answered[e.client_id]))
          return { sent: results.length, results, offline: false }
        },
        (err) => ({ sent: 0, results: [], offline: err.status === 0, error: err })
      )
      .then((r) => {
        sending = null
        return r
      })
    return sending
  }

  return { add, flush, pending: read }
}

module.exports = { createCheckinQueue, placeKey, KEY }
