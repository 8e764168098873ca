// 报到审批: Party members' reporting-in to the compounds I approve for
// (GET /api/v1/members/registrations?status=pending); approve, or reject with a reason.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const ui = require('../../../utils/ui')
const { registrationItem } = require('../../../utils/format')
const { REGISTRATION_STATUS } = require('../../../utils/glossary')

const FILTERS = Object.keys(REGISTRATION_STATUS).map((key) => ({ key, text: REGISTRATION_STATUS[key] }))

Component({
  behaviors: [pagedList, uiMode],
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
      const key = e.detail.value
      if (!key || key === this.data.filter) return Promise.resolve()
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
      return this.decide(id, 'approve', () => api.approveRegistration(id), REGISTRATION_STATUS.approved)
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
