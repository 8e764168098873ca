// 我的任务 (GET /api/v1/project-tasks/mine): the tasks a co-executor was given on projects — 接收任务,
// 报告进展 with photos (components/photo-picker), 完成任务 — as the task's `actions` allow; the
// deadline in words (utils/time.js), late ones marked. One report form is open at a time.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const photoForm = require('../../../behaviors/photo-form')
const uiMode = require('../../../behaviors/ui-mode')
const privacy = require('../../../services/privacy')
const glossary = require('../../../utils/glossary')
const ui = require('../../../utils/ui')
const { taskItem, detailUrl } = require('../common')

Component({
  behaviors: [pagedList, photoForm, uiMode],
  data: { words: glossary.ACTIONS, form: null, note: '', busy: 0 },
  methods: {
    onLoad() {
      privacy.install()
      return this.reload()
    },
    onPullDownRefresh() {
      return this.refresh()
    },
    onReachBottom() {
      return this.loadMore()
    },
    fetchPage(cursor) {
      return api.listMyTasks({ cursor, limit: 20 }, { silent: true }).then((page) => ({ items: page.items.map((t) => taskItem(t)), next_cursor: page.next_cursor }))
    },
    replace(task) {
      this.setData({ items: this.data.items.map((t) => (t.id === task.id ? taskItem(task) : t)) })
    },
    onOpenProject(e) {
      wx.navigateTo({ url: detailUrl(e.currentTarget.dataset.project) })
    },
    onAccept(e) {
      const id = e.currentTarget.dataset.id
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: id })
      return api.acceptTask(id).then(
        (t) => {
          this.setData({ busy: 0 })
          this.replace(t)
          ui.toast('已接收', 'success')
        },
        () => this.setData({ busy: 0 })
      )
    },
    // kind: progress | complete
    onOpenForm(e) {
      const { id, kind } = e.currentTarget.dataset
      this.setData({ form: { id, kind }, note: '', photos: [], uploading: false, photoFailed: false })
    },
    onCloseForm() {
      this.setData({ form: null })
    },
    onNote(e) {
      this.setData({ note: e.detail.value })
    },
    onSend() {
      const d = this.data
      if (!d.form || d.busy) return Promise.resolve()
      const problem = d.note.trim() ? this.photoProblem() : d.form.kind === 'complete' ? '请写一下完成情况' : '请写一下进展'
      if (problem) {
        ui.toast(problem)
        return Promise.resolve()
      }
      const { id, kind } = d.form
      const send = kind === 'complete' ? api.completeTask : api.reportTask
      this.setData({ busy: id })
      return send(id, d.note.trim(), d.photos).then(
        (t) => {
          this.setData({ busy: 0, form: null, note: '' })
          this.replace(t)
          ui.toast(kind === 'complete' ? '任务已完成' : '进展已报告', 'success')
        },
        () => this.setData({ busy: 0 })
      )
    },
  },
})
