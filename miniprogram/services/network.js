// Whether the phone has a network, for the pages' error and offline states
// (wx.getNetworkType once, then wx.onNetworkStatusChange). The visit queue keeps its own copy.
let online = true
let started = false
const listeners = []

function set(value) {
  const next = !!value
  if (next === online) return
  online = next
  listeners.slice().forEach((fn) => fn(online))
}

function start() {
  if (started) return
  if (typeof wx === 'undefined') return
  started = true
  try {
    wx.getNetworkType({ success: (res) => set(res.networkType !== 'none') })
    wx.onNetworkStatusChange((res) => set(res.isConnected))
  } catch (e) {
    // no network API (tests of pure modules)
  }
}

function isOnline() {
  start()
  return online
}

function onChange(fn) {
  start()
  listeners.push(fn)
  return () => {
    const i = listeners.indexOf(fn)
    if (i >= 0) listeners.splice(i, 1)
  }
}

// start listening as soon as anything asks about the network (app.js starts it on launch too)
start()

module.exports = { start, isOnline, onChange }
