// 幸福家园 mini-program. Login is lazy: services/api.js calls wx.login → /api/v1/auth/wechat the
// first time a request needs a token; here we only warm the session so the home page is quick,
// start the offline visit queue (services/visits.js), which listens to wx.onNetworkStatusChange,
// watch the network for the pages' offline states, and take WeChat's privacy-notice requests
// (services/privacy.js, shown by components/privacy-sheet).
const session = require('./services/session')
const visits = require('./services/visits')
const network = require('./services/network')
const privacy = require('./services/privacy')

App({
  onLaunch() {
    network.start()
    privacy.install()
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
