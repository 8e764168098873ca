// 待走访 (网格员, 楼栋长): the households due for a visit, most urgent first
// (GET /api/v1/visits/todo: overdue and never-visited first, then due within 7 days), with the offline
// queue's state on top and the way to 住户台账, 走访同步 and 走访覆盖 (grid workers).
const api = require('../../../services/api')
const session = require('../../../services/session')
const visits = require('../../../services/visits')
const pagedList = require('../../../behaviors/paged-list')
const roles = require('../../../utils/roles')
const { todoItem } = require('../../../utils/grid')

Component({
  behaviors: [pagedList],
  data: {
    counts: { pending: 0, syncing: 0, error: 0, unsynced: 0, total: 0 },
    online: true,
    canCoverage: false,
  },
  lifetimes: {
    detached() {
      this.onUnload()
    },
  },
  methods: {
    onLoad() {
      const queue = visits.get()
      this._off = queue.subscribe(() => this.showQueue())
      this.showQueue()
      session.load({ silent: true }).then(
        (me) => this.setData({ canCoverage: roles.hasRole(me, 'grid_worker') }),
        () => {}
      )
      return this.reload()
    },

    onUnload() {
      if (this._off) this._off()
      this._off = null
    },

    onShow() {
      this.showQueue()
      if (this._shown) return this.reload()
      this._shown = true
    },

    onPullDownRefresh() {
      visits.get().sync()
      return this.refresh()
    },

    onReachBottom() {
      return this.loadMore()
    },

    fetchPage(cursor) {
      return api
        .listVisitTodo({ cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(todoItem), next_cursor: page.next_cursor }))
    },

    showQueue() {
      const queue = visits.get()
      this.setData({ counts: queue.counts(), online: queue.isOnline() })
    },

    onOpen(e) {
      wx.navigateTo({ url: '/pages/grid/household/household?id=' + e.currentTarget.dataset.id })
    },

    onVisit(e) {
      const { id, label } = e.currentTarget.dataset
      wx.navigateTo({ url: '/pages/grid/visit/visit?id=' + id + '&label=' + encodeURIComponent(label || '') })
    },

    onHouseholds() {
      wx.navigateTo({ url: '/pages/grid/households/households' })
    },

    onQueue() {
      wx.navigateTo({ url: '/pages/grid/queue/queue' })
    },

    onCoverage() {
      wx.navigateTo({ url: '/pages/grid/coverage/coverage' })
    },
  },
})
