// 报到审批: Party members' reporting-in to the compounds I approve for
// (GET /api/v1/members/registrations?status=pending); approve, or reject with a reason.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const ui = require('../../../utils/ui')
const { registrationItem } = require('../../../utils/format')

const FILTERS = [
  { key: 'pending', text: '待审批' },
  { key: 'approved', text: '已通过' },
  { key: 'rejected', text: '未通过' },
]

Component({
  behaviors: [pagedList],
  data: {
    filters: FILTERS,
    filter: 'pending',
    busy: '',
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
        .listRegistrations({ status: this.data.filter, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(registrationItem), next_cursor: page.next_cursor }))
    },

    onFilter(e) {
      const key = e.currentTarget.dataset.key
      if (key === this.data.filter) return Promise.resolve()
      this.setData({ filter: key, items: [], loaded: false })
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
          if (err.status === 409) return this.reload()
        }
      )
    },

    onApprove(e) {
      const id = e.currentTarget.dataset.id
      return this.decide(id, 'approve', () => api.approveRegistration(id), '已通过')
    },

    onReject(e) {
      const id = e.currentTarget.dataset.id
      return ui.askReason('不通过', '请说明原因').then((reason) => {
        if (!reason) return
        return this.decide(id, 'reject', () => api.rejectRegistration(id, reason), '已处理')
      })
    },
  },
})
