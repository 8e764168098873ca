// The organiser's offline roster: marks (a registered volunteer checked in, or a walk-in) are kept in
// wx storage per activity, each with its client UUID and the moment it was marked, and sent in one
// batch to POST /api/v1/activities/{id}/roster when the network allows. The server answers each
// client id once and replays the same answer, so a batch sent twice (a lost response, a retry) is
// counted once; an entry leaves the phone only when the server has answered for it.
const { uuid4 } = require('../../../services/visit-queue')

const KEY = 'hh_roster_queue_'

function createRosterQueue(api, activityId, options = {}) {
  const key = KEY + activityId
  const now = options.now || (() => new Date())
  const read = () => wx.getStorageSync(key) || []
  const write = (list) => (list.length ? wx.setStorageSync(key, list) : wx.removeStorageSync(key))
  let sending = null

  function add(userId, name, walkIn) {
    const list = read()
    if (list.some((e) => e.user_id === userId)) return list
    list.push({ client_id: uuid4(), user_id: userId, name: name || '', walk_in: !!walkIn, checked_in_at: now().toISOString() })
    write(list)
    return list
  }

  // Sends what waits; resolves with {sent, results, offline}. Entries answered by the server are
  // removed (whatever the answer), the rest stay for the next try.
  function flush() {
    if (sending) return sending
    const list = read()
    if (!list.length) return Promise.resolve({ sent: 0, results: [], offline: false })
    const entries = list.map((e) => ({ client_id: e.client_id, user_id: e.user_id, checked_in_at: e.checked_in_at }))
    sending = api
      .postRoster(activityId, entries, { silent: true })
      .then(
        (out) => {
          const answered = {}
          ;(out.items || []).forEach((r) => (answered[r.client_id] = r))
          write(read().filter((e) => !answered[e.client_id]))
          const results = list.filter((e) => answered[e.client_id]).map((e) => Object.assign({ name: e.name, user_id: e.user_id }, answered[e.client_id]))
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

  return { add, flush, pending: read, key }
}

module.exports = { createRosterQueue, KEY }
