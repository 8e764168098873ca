// 提案公示 (GET /api/v1/proposals?status=published,closed): the proposals of the caller's area
// that went the whole way, for everyone who lives there; keyset pages, newest first.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const { proposalItem, detailUrl } = require('../common')

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
      return api
        .listProposals({ status: 'published,closed', cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(proposalItem), next_cursor: page.next_cursor }))
    },
    onOpen(e) {
      wx.navigateTo({ url: detailUrl(e.currentTarget.dataset.id) })
    },
  },
})
