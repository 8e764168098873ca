// 事件详情 (GET /api/v1/issues/{id}): what, where, status, deadlines and the timeline; the buttons
// are the `actions` the backend allows this viewer: a grid worker 吹哨 to a department (picked from
// GET /api/v1/org/departments; none = let the backend route by category) or closes an open issue
// the grid handled itself; a department's staff 响应 / 办结 / 退回 with a note or reason; once it is
// resolved, the grid says whether residents are satisfied (居民满意率) or reopens it with a reason.
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const { mediaUrl } = require('../../../utils/format')

const NOTE_ACTIONS = {
  respond: { text: '响应报到', placeholder: '响应说明（如：已收到，今天下午到场）' },
  resolve: { text: '办结', placeholder: '办结情况' },
  return: { text: '退回', placeholder: '退回理由（如：不属于本部门职责）' },
  reopen: { text: '重新打开', placeholder: '重新打开的理由（如：问题又出现了）' },
}

Component({
  behaviors: [uiMode],
  data: {
    loading: true,
    error: '',
    errorKind: '',
    words: glossary.ACTIONS,
    issue: null,
    events: [],
    actions: {},
    departments: [],
    departmentId: null,
    note: '',
    busy: false,
  },
  methods: {
    onLoad(query = {}) {
      this._id = query.id
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ loading: true, error: '' })
      return api.getIssue(this._id, { silent: true }).then(
        (issue) => this.show(issue),
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    show(issue) {
      const actions = {}
      ;(issue.actions || []).forEach((a) => (actions[a] = true))
      this.setData({
        loading: false,
        note: '',
        issue: Object.assign({}, issue, {
          status_label: glossary.label('issue', issue.status, issue.status_label),
          theme: glossary.theme('issue', issue.status),
          createdText: time.formatMoment(issue.created_at),
          responseDueText: issue.response_due_at ? time.formatMoment(issue.response_due_at) : '',
          disposalDueText: issue.disposal_due_at ? time.formatMoment(issue.disposal_due_at) : '',
          photoUrls: (issue.photos || []).map(mediaUrl),
        }),
        events: (issue.events || []).map((ev) => Object.assign({}, ev, { atText: time.formatMoment(ev.at) })),
        actions,
      })
      if (actions.whistle && !this.data.departments.length) {
        return api.listDepartments({ silent: true }).then(
          (list) => this.setData({ departments: list }),
          () => this.setData({ departments: [] })
        )
      }
    },
    onRetry() {
      return this.load()
    },
    onDepartment(e) {
      const id = Number(e.currentTarget.dataset.id)
      this.setData({ departmentId: this.data.departmentId === id ? null : id })
    },
    onNote(e) {
      this.setData({ note: e.detail.value })
    },
    run(promise, done) {
      this.setData({ busy: true })
      return promise.then(
        (issue) => {
          this.setData({ busy: false })
          wx.showToast({ title: done, icon: 'success' })
          return this.show(issue)
        },
        () => this.setData({ busy: false }) // the API client has shown the detail
      )
    },
    onWhistle() {
      if (this.data.busy) return Promise.resolve()
      return this.run(api.whistleIssue(this._id, this.data.departmentId), glossary.ISSUE_STATUS.whistled)
    },
    onNoteAction(e) {
      const action = e.currentTarget.dataset.action
      const note = (this.data.note || '').trim()
      if (this.data.busy) return Promise.resolve()
      if (!note) {
        wx.showToast({ title: NOTE_ACTIONS[action].placeholder.replace(/（.*）/, '') + '不能为空', icon: 'none' })
        return Promise.resolve()
      }
      const calls = {
        respond: () => api.respondIssue(this._id, note),
        resolve: () => api.resolveIssue(this._id, note, []),
        return: () => api.returnIssue(this._id, note),
        reopen: () => api.reopenIssue(this._id, note),
      }
      return this.run(calls[action](), '已' + NOTE_ACTIONS[action].text)
    },
    onConfirm(e) {
      if (this.data.busy) return Promise.resolve()
      const satisfied = e.currentTarget.dataset.satisfied === 'yes'
      const comment = (this.data.note || '').trim()
      return this.run(api.confirmIssue(this._id, satisfied, comment), glossary.ISSUE_STATUS.confirmed)
    },
  },
})
