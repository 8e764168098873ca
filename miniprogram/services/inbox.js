// The unread count of the inbox (GET /api/v1/inbox gives it with every page), shared by the home
// page, the 我的 page and the tab bar's badge.
const api = require('./api')

let unread = 0
const listeners = []

function count() {
  return unread
}

function set(n) {
  unread = Math.max(0, n || 0)
  listeners.slice().forEach((fn) => fn(unread))
  return unread
}

// Reads the count again (one small page); never rejects.
function refresh() {
  return api.listInbox({ limit: 1 }, { silent: true }).then(
    (page) => set(page.unread),
    () => unread
  )
}

function onChange(fn) {
  listeners.push(fn)
  return () => {
    const i = listeners.indexOf(fn)
    if (i >= 0) listeners.splice(i, 1)
  }
}

module.exports = { count, set, refresh, onChange }
