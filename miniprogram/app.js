// 幸福家园 mini-program. Login is lazy: services/api.js calls wx.login → /api/v1/auth/wechat the
// first time a request needs a token; here we only warm the session so the home page is quick, and
// start the offline visit queue (services/visits.js), which listens to wx.onNetworkStatusChange.
const session = require('./services/session')
const visits = require('./services/visits')

App({
  onLaunch() {
    session.load({ silent: true }).catch(() => {
      // the home page shows the error and a retry button
    })
    // the grid worker's offline visits: sync now and whenever the network returns
    visits.start().catch(() => {
      // items stay in storage; the queue retries later
    })
  },
  globalData: {},
})
