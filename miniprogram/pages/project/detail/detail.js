// 项目详情 (GET /api/v1/projects/{id}): a project's public page — progress from its milestones, the
// tasks with their assignees and states, funding by source (pledged / received / spent, fen → 元) and
// the photos of its reports. Staff also see the lifecycle events the API lists in `actions`
// (POST …/transitions; 暂停 and 取消 ask for a reason, as the server requires).
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const { mediaUrl } = require('../../../utils/format')
const { projectItem, taskItem, fundingItem, yuan, clampPercent } = require('../common')

const NEEDS_REASON = ['suspended', 'cancelled']

function photosOf(p) {
  const urls = []
  ;(p.tasks || []).forEach((t) => (t.photos || []).forEach((u) => urls.push(u)))
  ;(p.events || []).forEach((e) => (e.photos || []).forEach((u) => urls.push(u)))
  return urls.filter((u, i) => urls.indexOf(u) === i).map(mediaUrl)
}

function totals(funding) {
  const sum = (k) => funding.reduce((n, f) => n + (Number(f[k]) || 0), 0)
  return { pledged: yuan(sum('pledged')), received: yuan(sum('received')), spent: yuan(sum('spent')) }
}

function decorate(p) {
  const funding = (p.funding || []).map(fundingItem)
  return Object.assign(projectItem(p), {
    milestones: (p.milestones || []).map((m) => Object.assign({}, m, { percent: clampPercent(m.progress), weightText: m.weight ? '占 ' + m.weight + '%' : '' })),
    tasks: (p.tasks || []).map((t) => taskItem(t)),
    funding,
    fundingTotal: totals(p.funding || []),
    photoUrls: photosOf(p),
    events: (p.events || []).slice().reverse().map((e) => Object.assign({}, e, { atText: time.formatMoment(e.at) })),
    actionButtons: (p.actions || []).map((a) => ({ event: a, text: glossary.ACTIONS.projectEvents[a] || a, danger: a === 'cancelled' })),
  })
}

Component({
  behaviors: [uiMode],
  data: { id: null, p: null, loading: true, error: '', errorKind: '', busy: false },
  methods: {
    onLoad(query = {}) {
      this.setData({ id: query.id })
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ loading: true, error: '' })
      return api.getProject(this.data.id, { silent: true }).then(
        (p) => this.setData({ p: decorate(p), loading: false }),
        (err) => this.setData(Object.assign({ loading: false, p: null }, errors.errorState(err)))
      )
    },
    onRetry() {
      return this.load()
    },
    onPhoto(e) {
      const urls = this.data.p.photoUrls
      wx.previewImage({ urls, current: urls[e.currentTarget.dataset.index] })
    },
    onAction(e) {
      const event = e.currentTarget.dataset.event
      const text = glossary.ACTIONS.projectEvents[event] || event
      if (this.data.busy) return Promise.resolve()
      const ask = NEEDS_REASON.indexOf(event) >= 0 ? ui.askReason(text + '的原因', '请写明原因，居民会看到') : ui.confirm(text + '？', '「' + this.data.p.title + '」')
      return ask.then((answer) => {
        if (!answer) return
        const reason = typeof answer === 'string' ? answer : null
        this.setData({ busy: true })
        return api.moveProject(this.data.id, event, reason).then(
          (p) => {
            this.setData({ busy: false, p: decorate(p) })
            ui.toast('已' + text, 'success')
          },
          () => this.setData({ busy: false })
        )
      })
    },
  },
})
