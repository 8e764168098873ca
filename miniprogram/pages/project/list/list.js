// 项目公示 (GET /api/v1/projects): the projects of the caller's compound and community — residents see
// the public ones, staff their part of the tree — with their progress; keyset pages, pull-to-refresh.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const { projectItem, detailUrl } = require('../common')

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
        .listProjects({ cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map((p) => projectItem(p)), next_cursor: page.next_cursor }))
    },
    onOpen(e) {
      wx.navigateTo({ url: detailUrl(e.currentTarget.dataset.id) })
    },
  },
})
