// 派单跟进: offers the compound sent that members have not answered yet
// (GET /api/v1/orders?mine=false&status=offered), overdue ones marked; orders being served,
// marked when past their due time; and offers that were declined or expired, whose wishes wait
// to be dispatched again.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const { orderItem } = require('../../../utils/format')
const { ACTIONS, ORDER_STATUS } = require('../../../utils/glossary')

const FILTERS = [
  {
    key: 'offered',
    text: ORDER_STATUS.offered,
    status: 'offered',
    empty: '没有等待党员响应的派单',
    intro: '党员须在期限内接单或婉拒；超时未响应的派单自动退回，心愿回到待认领，可以重新派单。',
  },
  {
    key: 'serving',
    text: ORDER_STATUS.accepted,
    status: 'accepted',
    empty: '没有服务中的订单',
    intro: '党员接单后须在期限内完成；逾期未完成的订单标红，系统已提醒派单人跟进。',
  },
  {
    key: 'returned',
    text: ORDER_STATUS.declined + '或' + ORDER_STATUS.expired,
    status: 'declined,expired',
    empty: '没有被婉拒或超时的派单',
    intro: '这些派单被婉拒或超时退回，心愿需要重新派单。',
  },
]

Component({
  behaviors: [pagedList, uiMode],
  data: {
    words: ACTIONS,
    filters: FILTERS,
    filter: 'offered',
    emptyText: FILTERS[0].empty,
    intro: FILTERS[0].intro,
  },
  methods: {
    onLoad() {
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
        .listOrders({ mine: false, status: f.status, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(orderItem), next_cursor: page.next_cursor }))
    },

    onFilter(e) {
      const key = e.detail.value
      if (key === this.data.filter) return Promise.resolve()
      const f = FILTERS.find((x) => x.key === key)
      this.setData({ filter: key, emptyText: f.empty, intro: f.intro, items: [], loaded: false })
      return this.reload()
    },

    onOpen(e) {
      wx.navigateTo({ url: '/pages/wish/detail/detail?id=' + e.currentTarget.dataset.wish })
    },

    onRedispatch(e) {
      wx.navigateTo({ url: '/pages/dispatch/candidates/candidates?id=' + e.currentTarget.dataset.wish })
    },
  },
})
