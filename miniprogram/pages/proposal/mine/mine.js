// 我的提案 (GET /api/v1/proposals?mine=true): the proposer's own, newest first, keyset pages, each
// with its status and how far it went through the six steps; 我要提案 on top.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const { ACTIONS } = require('../../../utils/glossary')
const { proposalItem, detailUrl } = require('../common')

Component({
  behaviors: [pagedList, uiMode],
  data: { words: ACTIONS },
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
      return api
        .listProposals({ mine: true, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(proposalItem), next_cursor: page.next_cursor }))
    },
    onNew() {
      wx.navigateTo({ url: '/pages/proposal/new/new' })
    },
    onOpen(e) {
      wx.navigateTo({ url: detailUrl(e.currentTarget.dataset.id) })
    },
  },
})
