// 提案审核: the reviewer's queue (GET /api/v1/proposals?status=submitted, at the caller's level:
// 小区党支部 the compound's, 社区两委 the community's, 街道 the street's) and, for one proposal, the
// decision: 受理 (on the next deliberation day), 退回修改 (with what to change), 不予受理 (ticking
// the negative-list items it falls under, or a reason: refused here without either, as the server
// does), 转交 another level. POST /api/v1/proposals/{id}/review.
const api = require('../../../services/api')
const session = require('../../../services/session')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const roles = require('../../../utils/roles')
const { proposalItem, LEVELS } = require('../common')

const LEVEL_OF_ROLE = { dispatcher: 'compound', community_admin: 'community', street_admin: 'street' }

// The one level the caller reviews, when they hold one reviewer role only.
function levelFor(me) {
  const levels = Object.keys(LEVEL_OF_ROLE).filter((r) => roles.hasRole(me, r)).map((r) => LEVEL_OF_ROLE[r])
  return levels.length === 1 ? levels[0] : undefined
}

Component({
  behaviors: [pagedList, uiMode],
  data: {
    words: glossary.ACTIONS,
    current: null, // the proposal being decided
    currentLoading: false,
    currentError: '',
    currentErrorKind: '',
    negative: [],
    codes: {},
    reason: '',
    toLevel: '',
    levels: [],
    busy: false,
  },
  methods: {
    onLoad(query = {}) {
      const ready = session.load({ silent: true }).then(
        (me) => (this._level = levelFor(me)),
        () => (this._level = undefined)
      )
      const lists = api.getProposalLists({ silent: true }).then(
        (l) => this.setData({ negative: l.negative || [] }),
        () => this.setData({ negative: [] })
      )
      return Promise.all([ready, lists]).then(() => (query.id ? this.open(Number(query.id)) : this.reload()))
    },
    onPullDownRefresh() {
      if (this.data.current) return Promise.resolve(wx.stopPullDownRefresh())
      return this.refresh()
    },
    onReachBottom() {
      if (!this.data.current) return this.loadMore()
    },
    fetchPage(cursor) {
      return api
        .listProposals({ status: 'submitted', level: this._level, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(proposalItem), next_cursor: page.next_cursor }))
    },
    onOpen(e) {
      return this.open(Number(e.currentTarget.dataset.id))
    },
    open(id) {
      this._currentId = id
      this.setData({ currentLoading: true, currentError: '', codes: {}, reason: '', toLevel: '' })
      return api.getProposal(id, { silent: true }).then(
        (p) => {
          const current = proposalItem(p)
          this.setData({
            current,
            currentLoading: false,
            levels: LEVELS.filter((l) => l.code !== p.level),
          })
          wx.pageScrollTo({ scrollTop: 0, duration: 0 })
        },
        (err) => {
          const st = errors.errorState(err)
          this.setData({ current: null, currentLoading: false, currentError: st.error, currentErrorKind: st.errorKind })
        }
      )
    },
    onRetryCurrent() {
      return this.open(this._currentId)
    },
    onBackToQueue() {
      this.setData({ current: null, currentError: '' })
      if (!this.data.loaded) return this.reload()
    },
    onCode(e) {
      const code = e.currentTarget.dataset.code
      this.setData({ codes: Object.assign({}, this.data.codes, { [code]: !this.data.codes[code] }) })
    },
    onReason(e) {
      this.setData({ reason: e.detail.value })
    },
    onToLevel(e) {
      this.setData({ toLevel: e.currentTarget.dataset.code })
    },
    // What stops this decision, said as the server would; '' when it can go.
    problem(decision) {
      const reason = (this.data.reason || '').trim()
      const codes = this.pickedCodes()
      if (decision === 'reject' && !codes.length && !reason) return '不予受理须勾选负面清单条目或写明理由'
      if (decision === 'return' && !reason) return '退回修改须写明需要修改的地方'
      if (decision === 'refer' && !this.data.toLevel) return '请选择转交到哪一级'
      return ''
    },
    pickedCodes() {
      return this.data.negative.filter((n) => this.data.codes[n.code]).map((n) => n.code)
    },
    onDecide(e) {
      const decision = e.currentTarget.dataset.decision
      if (this.data.busy || !this.data.current) return Promise.resolve()
      const problem = this.problem(decision)
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' })
        return Promise.resolve()
      }
      const body = {
        decision,
        reason: (this.data.reason || '').trim() || null,
        negative_codes: decision === 'reject' ? this.pickedCodes() : [],
        to_level: decision === 'refer' ? this.data.toLevel : null,
      }
      const id = this.data.current.id
      this.setData({ busy: true })
      return api.reviewProposal(id, body).then(
        (p) => {
          this.setData({ busy: false, current: null })
          wx.showToast({ title: glossary.label('proposal', p.status, p.status_label), icon: 'success' })
          this.removeItem(id)
          if (!this.data.loaded) return this.reload()
        },
        () => this.setData({ busy: false }) // the API client has shown the detail
      )
    },
  },
})
