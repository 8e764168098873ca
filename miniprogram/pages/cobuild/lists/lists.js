// 三清单: resources, needs and projects (GET /api/v1/list-items?kind=) with their claims (双认领).
// Partner contacts and admins claim (POST …/claims as the side their grant gives them: a unit claims
// a community's need or project, a community or compound claims a unit's resource); whoever acts for
// the owner accepts or declines a claim (POST /list-claims/{id}/decide); the claimant may withdraw
// theirs until it is fulfilled (POST /list-claims/{id}/withdraw). Opening an item shows its claims.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const ui = require('../../../utils/ui')
const glossary = require('../../../utils/glossary')
const { listItem, sides, claimantFor, ownsItem } = require('../common')

const KINDS = Object.keys(glossary.LIST_KIND).map((key) => ({ key, text: glossary.LIST_KIND[key] + '清单' }))
const WITHDRAWABLE = ['proposed', 'matched']

Component({
  behaviors: [pagedList, uiMode],
  data: { kinds: KINDS, kind: 'need', open: 0, busy: '', actions: glossary.ACTIONS },
  methods: {
    onLoad(query = {}) {
      if (query.kind && glossary.LIST_KIND[query.kind]) this.setData({ kind: query.kind })
      this._sides = []
      return api
        .getMe({ silent: true })
        .then((me) => (this._sides = sides(me)), () => null)
        .then(() => this.reload())
    },
    onPullDownRefresh() {
      return this.refresh()
    },
    onReachBottom() {
      return this.loadMore()
    },
    decorate(it) {
      const row = listItem(it)
      const claimant = row.status !== 'closed' ? claimantFor(row, this._sides) : null
      const owner = ownsItem(row, this._sides)
      row.canClaim = !!claimant && !row.claims.some((c) => c.claimant_kind === claimant.kind && c.claimant_id === claimant.id && c.status !== 'declined' && c.status !== 'withdrawn')
      row.claims = row.claims.map((c) =>
        Object.assign(c, {
          canDecide: owner && c.status === 'proposed',
          canWithdraw: WITHDRAWABLE.indexOf(c.status) >= 0 && this._sides.some((s) => s.kind === c.claimant_kind && s.id === c.claimant_id),
        })
      )
      return row
    },
    fetchPage(cursor) {
      return api
        .listListItems({ kind: this.data.kind, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map((it) => this.decorate(it)), next_cursor: page.next_cursor }))
    },
    onKind(e) {
      const key = e.detail.value
      if (!key || key === this.data.kind) return Promise.resolve()
      this.setData({ kind: key, items: [], loaded: false, open: 0 })
      return this.reload()
    },
    // the item with its claims, in place
    refreshItem(id) {
      return api.getListItem(id, { silent: true }).then(
        (it) => this.setData({ items: this.data.items.map((x) => (x.id === id ? this.decorate(it) : x)) }),
        (err) => ui.toast(err.detail)
      )
    },
    onOpen(e) {
      const id = e.currentTarget.dataset.id
      if (this.data.open === id) {
        this.setData({ open: 0 })
        return Promise.resolve()
      }
      this.setData({ open: id })
      return this.refreshItem(id)
    },
    act(key, call, done, id) {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: key })
      return call().then(
        () => {
          this.setData({ busy: '' })
          ui.toast(done, 'success')
          return this.refreshItem(id)
        },
        (err) => {
          this.setData({ busy: '' })
          if (err.status === 409) return this.refreshItem(id)
        }
      )
    },
    onClaim(e) {
      const id = e.currentTarget.dataset.id
      const item = this.data.items.find((x) => x.id === id)
      const claimant = item && claimantFor(item, this._sides)
      if (!claimant) return Promise.resolve()
      return new Promise((resolve) => {
        wx.showModal({
          title: glossary.ACTIONS.claimItem + '「' + item.title + '」',
          editable: true,
          placeholderText: '可以写上能提供什么、什么时候（选填）',
          confirmText: glossary.ACTIONS.claim,
          cancelText: '取消',
          success: (res) => resolve(res.confirm ? String(res.content || '').trim().slice(0, 500) : null),
          fail: () => resolve(null),
        })
      }).then((note) => {
        if (note === null) return
        const body = { claimant_kind: claimant.kind, claimant_id: claimant.id, note }
        return this.act('claim-' + id, () => api.claimListItem(id, body), '已认领，等待对方确认', id).then(() => this.setData({ open: id }))
      })
    },
    onAccept(e) {
      const { claim, item } = e.currentTarget.dataset
      return this.act('accept-' + claim, () => api.decideClaim(claim, 'accept', null), glossary.CLAIM_STATUS.matched, item)
    },
    onDecline(e) {
      const { claim, item } = e.currentTarget.dataset
      return ui.askReason('婉拒认领', '请说明原因，对方会看到').then((reason) => {
        if (!reason) return
        return this.act('decline-' + claim, () => api.decideClaim(claim, 'decline', reason), '已婉拒这次认领', item)
      })
    },
    onWithdraw(e) {
      const { claim, item } = e.currentTarget.dataset
      return ui.confirm(glossary.ACTIONS.withdrawClaim + '？', '撤回后对方会收到通知，这一项可以由别的单位认领').then((ok) => {
        if (!ok) return
        return this.act('withdraw-' + claim, () => api.withdrawClaim(claim), glossary.CLAIM_STATUS.withdrawn, item)
      })
    },
  },
})
