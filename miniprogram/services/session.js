// Who is using the app: GET /api/v1/me, cached for the session and refreshed on demand.
// The tab bar and the home page read it to adapt to the user's roles. The last answer is also kept
// in wx storage: a grid worker who opens the app with no signal still gets their tabs and pages
// (a failed read on the network falls back to it; any other failure does not).

const api = require('./api')

const STORAGE_KEY = 'hh_me'

function stored() {
  try {
    const value = wx.getStorageSync(STORAGE_KEY)
    return value && typeof value === 'object' ? value : null
  } catch (e) {
    return null
  }
}

let me = null
let pending = null
const listeners = []

function current() {
  return me
}

function set(value) {
  me = value
  try {
    if (value) wx.setStorageSync(STORAGE_KEY, value)
  } catch (e) {
    // storage full: the session still has it
  }
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
        const cached = err && err.status === 0 ? stored() : null
        if (cached) return set(cached)
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
  try {
    wx.removeStorageSync(STORAGE_KEY)
  } catch (e) {
    // nothing kept
  }
  api.logout()
}

// Compound ids where the user holds `role` (grants scoped to a compound).
function compoundsWhere(role, user = me) {
  return ((user && user.grants) || [])
    .filter((g) => g.role === role && g.scope_type === 'compound')
    .map((g) => g.scope_id)
}

module.exports = { current, load, set, onChange, clear, compoundsWhere }
