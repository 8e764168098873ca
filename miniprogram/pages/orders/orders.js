// 接单 (tab, Party members): orders sent to me or claimed by me (GET /api/v1/orders?mine=true&status=…):
// accept or decline (with a reason) an offer, report completion of an accepted one. Filters are
// TDesign tabs with the glossary's words (待接单, 服务中 …, as the wish's page says them).
const api = require('../../services/api')
const notify = require('../../services/notify')
const pagedList = require('../../behaviors/paged-list')
const uiMode = require('../../behaviors/ui-mode')
const ui = require('../../utils/ui')
const { orderItem } = require('../../utils/format')
const { ACTIONS, ORDER_STATUS } = require('../../utils/glossary')
const { syncTabBar } = require('../../utils/tabbar')

const FILTERS = [
  { key: 'offered', text: ORDER_STATUS.offered, status: 'offered', empty: '没有等待您接单的派单' },
  { key: 'accepted', text: ORDER_STATUS.accepted, status: 'accepted', empty: '没有进行中的服务' },
  { key: 'completed', text: ORDER_STATUS.completed, status: 'completed', empty: '还没有完成的服务' },
  { key: 'closed', text: '已结束', status: 'declined,expired,cancelled', empty: '没有记录' },
]

Component({
  behaviors: [pagedList, uiMode],
  data: {
    filters: FILTERS,
    filter: 'offered',
    emptyText: FILTERS[0].empty,
    busy: '',
    words: ACTIONS,
  },
  methods: {
    onLoad(query = {}) {
      notify.prepare('accept_order')
      if (query.filter && FILTERS.some((f) => f.key === query.filter)) this.selectFilter(query.filter)
      return this.reload()
    },

    onShow() {
      syncTabBar(this, 'orders')
      if (this._shown) return this.reload()
      this._shown = true
    },

    onPullDownRefresh() {
      return this.refresh()
    },

    onReachBottom() {
      return this.loadMore()
    },

    fetchPage(cursor) {
      const f = FILTERS.find((x) => x.key === this.data.filter)
      return api
        .listOrders({ mine: true, status: f.status, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(orderItem), next_cursor: page.next_cursor }))
    },

    selectFilter(key) {
      const f = FILTERS.find((x) => x.key === key)
      this.setData({ filter: key, emptyText: f.empty, items: [], loaded: false })
    },

    onFilter(e) {
      const key = e.detail.value
      if (!key || key === this.data.filter) return Promise.resolve()
      this.selectFilter(key)
      return this.reload()
    },

    onOpen(e) {
      wx.navigateTo({ url: '/pages/wish/detail/detail?id=' + e.currentTarget.dataset.wish })
    },

    onWall() {
      wx.navigateTo({ url: '/pages/member/wall/wall' })
    },

    respond(id, kind, call, done) {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: id + ':' + kind })
      return call().then(
        () => {
          this.setData({ busy: '' })
          this.removeItem(id) // it has left this filter
          ui.toast(done, 'success')
        },
        (err) => {
          this.setData({ busy: '' })
          if (err.status === 409) return this.reload()
        }
      )
    },

    onAccept(e) {
      const id = e.currentTarget.dataset.id
      return this.respond(id, 'accept', () => notify.run('accept_order', () => api.acceptOrder(id)), '接单成功，请联系居民')
    },

    onDecline(e) {
      const id = e.currentTarget.dataset.id
      return ui.askReason('婉拒派单', '请说明原因，便于小区重新派单').then((reason) => {
        if (!reason) return
        return this.respond(id, 'decline', () => api.declineOrder(id, reason), ORDER_STATUS.declined)
      })
    },

    onComplete(e) {
      wx.navigateTo({ url: '/pages/member/complete/complete?id=' + e.currentTarget.dataset.wish })
    },
  },
})
