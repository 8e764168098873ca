// 我的心愿: the resident's own wishes (GET /api/v1/wishes?mine=true), newest first, keyset pages.
const api = require('../../../services/api')
const session = require('../../../services/session')
const pagedList = require('../../../behaviors/paged-list')
const { wishItem } = require('../../../utils/format')
const { syncTabBar } = require('../../../utils/tabbar')

const FILTERS = [
  { key: 'all', text: '全部', status: '' },
  { key: 'active', text: '进行中', status: 'pending_review,open,dispatched,accepted' },
  { key: 'confirm', text: '待确认', status: 'completed' },
  { key: 'done', text: '已结束', status: 'closed,rejected,cancelled' },
]

Component({
  behaviors: [pagedList],
  data: {
    filters: FILTERS,
    filter: 'all',
  },
  methods: {
    onLoad() {
      return this.reload()
    },

    onShow() {
      syncTabBar(this, 'wishes')
      // back from a detail or a new wish: statuses may have moved
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
        .listWishes({ mine: true, status: f.status, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(wishItem), next_cursor: page.next_cursor }))
    },

    onFilter(e) {
      const key = e.currentTarget.dataset.key
      if (key === this.data.filter) return Promise.resolve()
      this.setData({ filter: key, items: [], loaded: false })
      return this.reload()
    },

    onOpen(e) {
      wx.navigateTo({ url: '/pages/wish/detail/detail?id=' + e.currentTarget.dataset.id + '&as=mine' })
    },

    onNew() {
      const me = session.current()
      if (me && !me.compound_id) {
        wx.navigateTo({ url: '/pages/bind/bind?next=' + encodeURIComponent('/pages/wish/new/new') })
      } else {
        wx.navigateTo({ url: '/pages/wish/new/new' })
      }
    },
  },
})
