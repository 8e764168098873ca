// 审核派单 (小区党支部): the review queue (GET /api/v1/wishes?status=pending_review), approve or
// reject with a reason; approved wishes wait under 待派单 for a member to be chosen.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const ui = require('../../../utils/ui')
const { wishItem } = require('../../../utils/format')
const { syncTabBar } = require('../../../utils/tabbar')

const FILTERS = [
  { key: 'review', text: '待审核', status: 'pending_review', empty: '没有待审核的心愿' },
  { key: 'open', text: '待派单', status: 'open', empty: '没有待派单的心愿' },
  { key: 'dispatched', text: '已派单', status: 'dispatched', empty: '没有等待党员响应的派单' },
  { key: 'active', text: '服务中', status: 'accepted,completed', empty: '没有服务中的心愿' },
]

Component({
  behaviors: [pagedList],
  data: {
    filters: FILTERS,
    filter: 'review',
    emptyText: FILTERS[0].empty,
    busy: '',
  },
  methods: {
    onLoad(query = {}) {
      if (query.filter && FILTERS.some((f) => f.key === query.filter)) this.selectFilter(query.filter)
      return this.reload()
    },

    onShow() {
      syncTabBar(this, 'dispatch')
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
        .listWishes({ mine: false, status: f.status, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(wishItem), next_cursor: page.next_cursor }))
    },

    selectFilter(key) {
      const f = FILTERS.find((x) => x.key === key)
      this.setData({ filter: key, emptyText: f.empty, items: [], loaded: false })
    },

    onFilter(e) {
      const key = e.currentTarget.dataset.key
      if (key === this.data.filter) return Promise.resolve()
      this.selectFilter(key)
      return this.reload()
    },

    onOpen(e) {
      wx.navigateTo({ url: '/pages/wish/detail/detail?id=' + e.currentTarget.dataset.id })
    },

    decide(id, kind, call, done) {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: id + ':' + kind })
      return call().then(
        () => {
          this.setData({ busy: '' })
          this.removeItem(id)
          ui.toast(done, 'success')
        },
        (err) => {
          this.setData({ busy: '' })
          if (err.status === 409) return this.reload()
        }
      )
    },

    onApprove(e) {
      const id = e.currentTarget.dataset.id
      return this.decide(id, 'approve', () => api.reviewWish(id, 'approve'), '已通过，可派单')
    },

    onReject(e) {
      const id = e.currentTarget.dataset.id
      return ui.askReason('驳回心愿', '请告诉居民原因').then((reason) => {
        if (!reason) return
        return this.decide(id, 'reject', () => api.reviewWish(id, 'reject', reason), '已驳回')
      })
    },

    onDispatch(e) {
      wx.navigateTo({ url: '/pages/dispatch/candidates/candidates?id=' + e.currentTarget.dataset.id })
    },

    onFollowup() {
      wx.navigateTo({ url: '/pages/dispatch/followup/followup' })
    },

    onRegistrations() {
      wx.navigateTo({ url: '/pages/dispatch/registrations/registrations' })
    },
  },
})
