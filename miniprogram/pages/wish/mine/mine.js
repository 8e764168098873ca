// 我的心愿: the resident's own wishes (GET /api/v1/wishes?mine=true), newest first, keyset pages,
// filtered with TDesign tabs; a large 我要许愿 under the list.
const api = require('../../../services/api')
const session = require('../../../services/session')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const { wishItem } = require('../../../utils/format')
const { ACTIONS, WISH_STATUS } = require('../../../utils/glossary')
const { syncTabBar } = require('../../../utils/tabbar')

const FILTERS = [
  { key: 'all', text: '全部', status: '' },
  { key: 'active', text: '进行中', status: 'pending_review,open,dispatched,accepted' },
  { key: 'confirm', text: WISH_STATUS.completed, status: 'completed' },
  { key: 'done', text: '已结束', status: 'closed,rejected,cancelled' },
]

Component({
  behaviors: [pagedList, uiMode],
  data: {
    filters: FILTERS,
    filter: 'all',
    words: ACTIONS,
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

    // t-tabs bind:change → {value}
    onFilter(e) {
      const key = e.detail.value
      if (!key || key === this.data.filter) return Promise.resolve()
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
