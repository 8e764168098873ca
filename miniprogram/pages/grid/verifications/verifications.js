// 住户认证审核 (楼栋长 of the household's building, 网格员 of its grid): residents' claims to a
// household (GET /api/v1/verifications?status=…, contracts.md §1) next to who the register says
// lives there; approve, or reject with a reason (the resident is told). Phones come masked.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const glossary = require('../../../utils/glossary')

const { ACTIONS, VERIFICATION_STATUS } = glossary
const FILTERS = [
  { key: 'pending', text: VERIFICATION_STATUS.pending, empty: '没有待审核的住户认证' },
  { key: 'verified', text: VERIFICATION_STATUS.verified, empty: '没有记录' },
  { key: 'rejected', text: VERIFICATION_STATUS.rejected, empty: '没有记录' },
]

function item(v) {
  const residents = v.residents || []
  const phoneMatch = residents.some((r) => r.phone_masked && r.phone_masked === v.phone_masked)
  return Object.assign({}, v, {
    statusLabel: glossary.label('verification', v.status),
    theme: glossary.theme('verification', v.status),
    createdText: time.formatRelative(v.created_at) + ' 申请',
    decidedText: v.decided_at ? time.formatRelative(v.decided_at) : '',
    methodText: v.method === 'phone' ? '微信手机号' : v.method === 'staff' ? '人工审核' : '',
    residentsList: residents.map((r) => ({
      text: r.name + (r.phone_masked ? ' ' + r.phone_masked : ''),
      verified: !!r.verified,
    })),
    matchText: phoneMatch ? '手机号与登记居民一致' : residents.length ? '手机号与登记居民都不一致，请当面或电话核实' : '该户还没有登记居民，请核实后再通过',
    phoneMatch,
  })
}

Component({
  behaviors: [pagedList, uiMode],
  data: {
    filters: FILTERS,
    filter: 'pending',
    emptyText: FILTERS[0].empty,
    busy: '',
    words: ACTIONS,
    verifiedLabel: glossary.HOUSEHOLD_STATUS.verified,
  },
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
        .listVerifications({ status: this.data.filter, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(item), next_cursor: page.next_cursor }))
    },

    onFilter(e) {
      const key = e.detail.value
      if (!key || key === this.data.filter) return Promise.resolve()
      const f = FILTERS.find((x) => x.key === key)
      this.setData({ filter: key, emptyText: f.empty, items: [], loaded: false })
      return this.reload()
    },

    decide(id, kind, call, done) {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: id + ':' + kind })
      return call().then(
        () => {
          this.setData({ busy: '' })
          this.removeItem(id)
          ui.toast(done, 'success')
        },
        (err) => {
          this.setData({ busy: '' })
          if (err.status === 409 || err.status === 404) return this.reload()
        }
      )
    },

    onApprove(e) {
      const id = e.currentTarget.dataset.id
      return this.decide(id, 'approve', () => api.approveVerification(id), '已通过认证')
    },

    onReject(e) {
      const id = e.currentTarget.dataset.id
      return ui.askReason('不通过认证', '请写明原因，居民会收到通知').then((reason) => {
        if (!reason) return
        return this.decide(id, 'reject', () => api.rejectVerification(id, reason), '已告知居民：' + VERIFICATION_STATUS.rejected)
      })
    },
  },
})
