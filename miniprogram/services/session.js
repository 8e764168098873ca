// Who is using the app: GET /api/v1/me, cached for the session and refreshed on demand.
// The tab bar and the home page read it to adapt to the user's roles.

const api = require('./api')

let me = null
let pending = null
const listeners = []

function current() {
  return me
}

function set(value) {
  me = value
  listeners.slice().forEach((fn) => fn(me))
  return me
}

// Resolves with the MeOut; shares one request between callers; {force: true} re-reads it.
function load({ force = false, silent = false } = {}) {
  if (me && !force) return Promise.resolve(me)
  if (!pending) {
    pending = api.getMe({ silent }).then(
      (value) => {
        pending = null
        return set(value)
      },
      (err) => {
        pending = null
        throw err
      }
    )
  }
  return pending
}

function onChange(fn) {
  listeners.push(fn)
  return () => {
    const i = listeners.indexOf(fn)
    if (i >= 0) listeners.splice(i, 1)
  }
}

function clear() {
  me = null
  pending = null
  api.logout()
}

// Compound ids where the user holds `role` (grants scoped to a compound).
function compoundsWhere(role, user = me) {
  return ((user && user.grants) || [])
    .filter((g) => g.role === role && g.scope_type === 'compound')
    .map((g) => g.scope_id)
}

module.exports = { current, load, set, onChange, clear, compoundsWhere }
