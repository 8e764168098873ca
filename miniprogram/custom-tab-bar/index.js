// The tab bar adapts to the roles in GET /api/v1/me: everyone has 首页, 我的心愿 and 我的;
// Party members also 接单, grid workers and building chiefs also 走访 (see utils/roles.js). Tab
// pages call syncTabBar(this, key) in onShow (utils/tabbar.js), which calls update(key) here. 首页
// carries the inbox's unread count (services/inbox.js). Icons always come with their words; in
// 长辈模式 both are larger (app.wxss tokens).
const roles = require('../utils/roles')
const session = require('../services/session')
const inbox = require('../services/inbox')
const uiMode = require('../behaviors/ui-mode')

Component({
  behaviors: [uiMode],
  options: { styleIsolation: 'apply-shared' },
  data: {
    tabs: roles.tabsFor(null),
    selected: 'home',
    unread: 0,
  },
  lifetimes: {
    attached() {
      this._off = session.onChange((me) => this.setData({ tabs: roles.tabsFor(me) }))
      this._offInbox = inbox.onChange((n) => this.setData({ unread: n }))
      this.setData({ tabs: roles.tabsFor(session.current()), unread: inbox.count() })
    },
    detached() {
      if (this._off) this._off()
      if (this._offInbox) this._offInbox()
    },
  },
  methods: {
    update(key) {
      this.setData({ selected: key, tabs: roles.tabsFor(session.current()), unread: inbox.count() })
    },
    onTap(e) {
      const tab = roles.TABS.find((t) => t.key === e.currentTarget.dataset.key)
      if (!tab || tab.key === this.data.selected) return
      this.setData({ selected: tab.key })
      wx.switchTab({ url: tab.path })
    },
  },
})
