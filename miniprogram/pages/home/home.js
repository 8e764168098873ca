// 首页: who I am, where I live, and the entries my roles allow (utils/roles.js).
const session = require('../../services/session')
const inbox = require('../../services/inbox')
const roles = require('../../utils/roles')
const { syncTabBar } = require('../../utils/tabbar')

Component({
  data: {
    me: null,
    loading: false,
    error: '',
    roleLabels: [],
    sections: [],
    unread: 0,
  },
  methods: {
    onLoad() {
      return this.load(false)
    },

    onShow() {
      syncTabBar(this, 'home')
      inbox.refresh().then((n) => this.setData({ unread: n }))
      // roles may have changed elsewhere (e.g. a 双报到 approved): refresh quietly
      if (this._loaded) return this.load(true)
    },

    onPullDownRefresh() {
      return this.load(true).then(() => wx.stopPullDownRefresh())
    },

    load(force) {
      this.setData({ loading: true, error: '' })
      return session.load({ force, silent: true }).then(
        (me) => {
          this._loaded = true
          this.setData({ me, loading: false, roleLabels: roles.roleLabels(me), sections: roles.homeSections(me) })
        },
        (err) => this.setData({ loading: false, error: err.detail || '加载失败，请稍后重试' })
      )
    },

    onRetry() {
      return this.load(true)
    },

    onInbox() {
      wx.navigateTo({ url: '/pages/inbox/inbox' })
    },

    onBind() {
      wx.navigateTo({ url: '/pages/bind/bind' })
    },

    onEntry(e) {
      const key = e.currentTarget.dataset.key
      let entry = null
      this.data.sections.forEach((s) => s.entries.forEach((x) => (x.key === key ? (entry = x) : null)))
      if (!entry) return
      if (entry.key === 'new-wish' && !this.data.me.compound_id) {
        wx.navigateTo({ url: '/pages/bind/bind?next=' + encodeURIComponent(entry.url) })
      } else if (entry.tab) {
        wx.switchTab({ url: entry.url })
      } else {
        wx.navigateTo({ url: entry.url })
      }
    },
  },
})
