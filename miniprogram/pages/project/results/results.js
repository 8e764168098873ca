// 评议结果: a compound's published 小区评议会 results (GET /api/v1/appraisals?compound_id=, newest
// first), each edition with its status — a correction is a new edition, the one it replaced stays
// readable as 已更正 — and, opened, its lines: the average and how many rated each, and the
// comments with the raters' names masked as the API gives them (GET /api/v1/appraisals/{id}).
// The compound: ?compound_id=, else the caller's own; a community admin without one picks among
// the compounds of their community (GET /api/v1/org/tree).
const api = require('../../../services/api')
const session = require('../../../services/session')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const A = require('../appraisals')

const PUBLIC = ['published', 'superseded'] // backend/appraisal/state.py PUBLIC

// the compounds under an admin's tree: [{id, name}]
function compoundsOf(tree) {
  const out = []
  ;((tree && tree.streets) || []).forEach((s) =>
    (s.communities || []).forEach((c) => (c.compounds || []).forEach((x) => out.push({ id: x.id, name: x.name })))
  )
  return out
}

Component({
  behaviors: [pagedList, uiMode],
  data: {
    compoundId: null,
    compoundName: '',
    compounds: [],
    noCompound: false,
    openId: null,
    detail: null,
    detailLoading: false,
    detailError: '',
  },
  methods: {
    onLoad(query = {}) {
      this._compound = Number(query.compound_id) || null
      return this.start()
    },
    onPullDownRefresh() {
      return this.refresh()
    },
    onReachBottom() {
      return this.loadMore()
    },
    start() {
      this.setData({ loading: true, error: '' })
      return this.findCompound().then(
        (id) => {
          if (!id) return this.setData({ loading: false, noCompound: true })
          this.setData({ compoundId: id, noCompound: false })
          return this.reload().then(() => this.openFirst())
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    findCompound() {
      if (this._compound) return Promise.resolve(this._compound)
      return session.load({ silent: true }).then((me) => {
        const admin = ((me && me.grants) || []).some((g) => g.role === 'community_admin' || g.role === 'street_admin')
        if (!admin) {
          this.setData({ compoundName: (me && me.compound_name) || '' })
          return (me && me.compound_id) || null
        }
        return api.getOrgTree({ silent: true }).then((tree) => {
          const list = compoundsOf(tree)
          const own = list.find((c) => c.id === (me && me.compound_id))
          const first = own || list[0]
          this.setData({ compounds: list, compoundName: first ? first.name : '' })
          return first ? first.id : null
        })
      })
    },
    fetchPage(cursor) {
      return api.listAppraisals({ compound_id: this.data.compoundId, cursor, limit: 20 }, { silent: true }).then((page) => ({
        items: (page.items || []).filter((a) => PUBLIC.indexOf(a.status) >= 0).map(A.appraisalItem),
        next_cursor: page.next_cursor,
      }))
    },
    onRetry() {
      return this.data.compoundId ? this.reload().then(() => this.openFirst()) : this.start()
    },
    openFirst() {
      const first = this.data.items[0]
      return first ? this.open(first.id) : Promise.resolve()
    },
    open(id) {
      this.setData({ openId: id, detail: null, detailLoading: true, detailError: '' })
      return api.getAppraisal(id, { silent: true }).then(
        (d) => {
          if (this.data.openId === id) this.setData({ detail: A.detailOf(d), detailLoading: false })
        },
        (err) => this.setData({ detailLoading: false, detailError: errors.errorState(err).error })
      )
    },
    onOpen(e) {
      const id = Number(e.currentTarget.dataset.id)
      if (id === this.data.openId) {
        this.setData({ openId: null, detail: null })
        return Promise.resolve()
      }
      return this.open(id)
    },
    onCompound(e) {
      const id = Number(e.currentTarget.dataset.id)
      if (id === this.data.compoundId) return Promise.resolve()
      const c = this.data.compounds.find((x) => x.id === id)
      this.setData({ compoundId: id, compoundName: c ? c.name : '', openId: null, detail: null, items: [] })
      return this.reload().then(() => this.openFirst())
    },
  },
})
