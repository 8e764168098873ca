// 走访 (tab; 网格员, 楼栋长): the households due for a visit, most urgent first
// (GET /api/v1/visits/todo: overdue and never-visited first, then due within 7 days), under the
// offline queue's banner (components/sync-banner). Each card calls the household (拨打电话), opens
// the map to its building (导航, wx.openLocation, when the register has its coordinates) or records
// the visit. Links lead to 住户台账, 走访同步, 走访覆盖 (grid workers) and 住户认证审核.
const api = require('../../services/api')
const session = require('../../services/session')
const pagedList = require('../../behaviors/paged-list')
const uiMode = require('../../behaviors/ui-mode')
const visits = require('../../services/visits')
const roles = require('../../utils/roles')
const { todoItem } = require('../../utils/grid')
const { ACTIONS } = require('../../utils/glossary')
const { syncTabBar } = require('../../utils/tabbar')

Component({
  behaviors: [pagedList, uiMode],
  data: {
    canCoverage: false,
    words: ACTIONS,
  },
  methods: {
    onLoad() {
      session.load({ silent: true }).then(
        (me) => this.setData({ canCoverage: roles.hasRole(me, 'grid_worker') }),
        () => {}
      )
      return this.reload()
    },

    onShow() {
      syncTabBar(this, 'todo')
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

    itemOf(e) {
      const id = e.currentTarget.dataset.id
      return this.data.items.find((x) => x.id === id)
    },

    onOpen(e) {
      wx.navigateTo({ url: '/pages/grid/household/household?id=' + e.currentTarget.dataset.id })
    },

    onVisit(e) {
      const it = this.itemOf(e)
      if (!it) return
      wx.navigateTo({ url: '/pages/grid/visit/visit?id=' + it.id + '&label=' + encodeURIComponent(it.label || '') })
    },

    // one number: call it; several: choose whom
    onCall(e) {
      const it = this.itemOf(e)
      if (!it || !it.phones.length) return
      if (it.phones.length === 1) {
        wx.makePhoneCall({ phoneNumber: it.phones[0].phone })
        return
      }
      wx.showActionSheet({
        itemList: it.phones.map((p) => p.text),
        success: (res) => {
          const p = it.phones[res.tapIndex]
          if (p) wx.makePhoneCall({ phoneNumber: p.phone })
        },
      })
    },

    onNavigate(e) {
      const it = this.itemOf(e)
      if (!it || !it.place) return
      wx.openLocation({
        latitude: it.place.latitude,
        longitude: it.place.longitude,
        name: it.place.name || it.label,
        address: it.label,
        scale: 18,
      })
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

    onVerifications() {
      wx.navigateTo({ url: '/pages/grid/verifications/verifications' })
    },
  },
})
