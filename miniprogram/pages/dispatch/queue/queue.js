// 审核派单 (小区党支部; the first entry of 首页 → 小区工作): the review queue
// (GET /api/v1/wishes?status=pending_review), approve or reject with a reason; approved wishes
// wait under 待认领 for a member to be chosen or to claim them. Filters are TDesign tabs with the
// glossary's words, the same as on the wish's own page.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const ui = require('../../../utils/ui')
const { wishItem } = require('../../../utils/format')
const { ACTIONS, WISH_STATUS } = require('../../../utils/glossary')

const FILTERS = [
  { key: 'review', text: WISH_STATUS.pending_review, status: 'pending_review', empty: '没有等待审核的心愿' },
  { key: 'open', text: WISH_STATUS.open, status: 'open', empty: '没有等着派单或认领的心愿' },
  { key: 'dispatched', text: WISH_STATUS.dispatched, status: 'dispatched', empty: '没有等待党员响应的派单' },
  { key: 'active', text: WISH_STATUS.accepted, status: 'accepted', empty: '没有服务中的心愿' },
  { key: 'confirm', text: WISH_STATUS.completed, status: 'completed', empty: '没有等待居民确认的心愿' },
]

Component({
  behaviors: [pagedList, uiMode],
  data: {
    filters: FILTERS,
    filter: 'review',
    emptyText: FILTERS[0].empty,
    busy: '',
    words: ACTIONS,
  },
  methods: {
    onLoad(query = {}) {
      if (query.filter && FILTERS.some((f) => f.key === query.filter)) this.selectFilter(query.filter)
      return this.reload()
    },

    onShow() {
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
      const key = e.detail.value
      if (!key || key === this.data.filter) return Promise.resolve()
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
