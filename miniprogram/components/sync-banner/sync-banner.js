// <sync-banner link /> — the state of the grid worker's offline visit queue, on top of 走访 (tab),
// 记录走访 and 走访同步: offline (没有网络, in a strong colour), syncing (i/n and the photo's
// upload percent), failures (pinned until handled), waiting, or all synced, always with the last
// sync time. With `link` a tap opens 走访同步. See services/visits.js summary().
const visits = require('../../services/visits')

Component({
  options: { addGlobalClass: true },
  properties: {
    link: { type: Boolean, value: false },
  },
  data: {
    s: null,
  },
  lifetimes: {
    attached() {
      const queue = visits.get()
      this._off = queue.subscribe(() => this.show())
      this.show()
      // the last-sync time is in words ("5分钟前"): keep it true while the page is open
      this._timer = setInterval(() => this.show(), 60000)
    },
    detached() {
      if (this._off) this._off()
      this._off = null
      clearInterval(this._timer)
    },
  },
  methods: {
    show() {
      this.setData({ s: visits.summary(undefined, new Date(), { here: !this.properties.link }) })
    },
    onTap() {
      if (this.properties.link) wx.navigateTo({ url: '/pages/grid/queue/queue' })
    },
  },
})
