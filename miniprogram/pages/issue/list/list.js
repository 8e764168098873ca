// 网格事件: a grid worker's own issues (?mode=mine → GET /api/v1/issues?mine=true) or a department's
// (GET /api/v1/issues: what was whistled to my department), newest first, keyset pages. A grid
// worker can raise one for a public place from here (上报事件).
const api = require('../../../services/api')
const session = require('../../../services/session')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const glossary = require('../../../utils/glossary')

function issueItem(i) {
  return Object.assign({}, i, {
    status_label: glossary.label('issue', i.status, i.status_label),
    theme: glossary.theme('issue', i.status),
    createdText: time.formatRelative(i.created_at),
    overdue: i.response_overdue || i.disposal_overdue,
  })
}

Component({
  behaviors: [pagedList, uiMode],
  data: { mine: true, canRaise: false, words: glossary.ACTIONS },
  methods: {
    onLoad(query = {}) {
      this.setData({ mine: query.mode !== 'department' })
      if (this.data.mine) {
        // grid workers raise issues for public places here; household ones from the household's page
        session.load({ silent: true }).then(
          (me) => this.setData({ canRaise: (me.roles || []).indexOf('grid_worker') >= 0 }),
          () => {}
        )
      }
      wx.setNavigationBarTitle({ title: query.mode === 'department' ? '部门事件' : '我的事件' })
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
        .listIssues({ mine: this.data.mine ? true : undefined, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(issueItem), next_cursor: page.next_cursor }))
    },
    onRaise() {
      wx.navigateTo({ url: '/pages/issue/new/new' })
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/issue/detail/detail?id=' + e.currentTarget.dataset.id })
    },
  },
})
