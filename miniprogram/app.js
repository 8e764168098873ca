// 幸福家园 mini-program. Login is lazy: services/api.js calls wx.login → /api/v1/auth/wechat the
// first time a request needs a token; here we only warm the session so the home page is quick.
const session = require('./services/session')

App({
  onLaunch() {
    session.load({ silent: true }).catch(() => {
      // the home page shows the error and a retry button
    })
  },
  globalData: {},
})
