// 晾晒台: published snapshots of what was done in the community (GET /api/v1/airing), newest first.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')

Component({
  behaviors: [pagedList, uiMode],
  methods: {
    onLoad() {
      return this.reload()
    },
    onPullDownRefresh() {
      return this.refresh()
    },
    onReachBottom() {
      return this.loadMore()
    },
    fetchPage(cursor) {
      return api.listAiring({ cursor, limit: 20 }, { silent: true }).then((page) => ({
        items: page.items.map((a) => Object.assign({}, a, { publishedText: time.formatDay(a.published_at), periodText: time.formatPeriod(a.period) })),
        next_cursor: page.next_cursor,
      }))
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/airing/detail/detail?id=' + e.currentTarget.dataset.id })
    },
  },
})
