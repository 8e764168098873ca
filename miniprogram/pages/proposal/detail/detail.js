// 提案详情 (GET /api/v1/proposals/{id}): what the proposal asks and proposes, the six steps
// 收集、审议、形成、联动执行、评估、公示 (done, when, by whom: as the API derives them), a joint
// proposal's co-signing progress (x/5, names masked by the API), what it became on the
// deliberation day, and the timeline. The buttons are the API's `actions` for this viewer: edit,
// submit and withdraw (the proposer), cosign (a verified household of its area), review (its
// reviewer), rate 1–5 (while it is evaluated, those who took part), publish (who supervises it).
// A proposal gathering signatures is shared to a WeChat group (onShareAppMessage, ?share=1).
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const ui = require('../../../utils/ui')
const { mediaUrl } = require('../../../utils/format')
const { proposalItem, steps, detailUrl, dateText, dayAfter } = require('../common')

const RATE_TEXTS = ['很不满意', '不满意', '一般', '满意', '很满意']
const DUES = [
  { days: 14, label: '两周内' },
  { days: 30, label: '一个月内' },
  { days: 90, label: '三个月内' },
]

function decorate(p) {
  const threshold = p.cosign_threshold || 0
  return Object.assign(proposalItem(p), {
    createdText: time.formatMoment(p.created_at),
    photoUrls: (p.photos || []).map(mediaUrl),
    costText: p.estimated_cost === null || p.estimated_cost === undefined ? '' : p.estimated_cost + ' 元',
    cosignPercent: threshold ? Math.min(100, Math.round((100 * p.cosign_count) / threshold)) : 0,
    cosignersText: (p.cosigners || []).join('、'),
    agendaText: p.agenda
      ? dateText(p.agenda.meeting_date) + '党群议事日 · ' + glossary.label('agenda', p.agenda.status, p.agenda.status_label) +
        (p.agenda.outcome ? ' · ' + glossary.label('meetingOutcome', p.agenda.outcome, p.agenda.outcome_label) : '') +
        (p.agenda.defer_count ? ' · 已暂缓 ' + p.agenda.defer_count + ' 次' : '')
      : '',
    dueText: p.execution && p.execution.due ? dateText(p.execution.due) : '',
    noticeText: p.notice_until ? time.formatMoment(p.notice_until) : '',
    negativeText: (p.negative_items || []).map((n) => n.text).join('；'),
  })
}

Component({
  behaviors: [uiMode],
  data: {
    loading: true,
    error: '',
    errorKind: '',
    words: glossary.ACTIONS,
    p: null,
    steps: [],
    events: [],
    actions: {},
    shared: false,
    rating: 0,
    comment: '',
    rateTexts: RATE_TEXTS,
    dues: DUES,
    dueDays: 30,
    executor: '',
    task: '',
    report: '',
    busy: false,
  },
  methods: {
    onLoad(query = {}) {
      this._id = query.id
      this.setData({ shared: query.share === '1' })
      return this.load()
    },
    onShow() {
      if (this._shown) return this.load()
      this._shown = true
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    onShareAppMessage() {
      const p = this.data.p
      if (!p) return { title: '社区提案', path: detailUrl(this._id) }
      return { title: '请为「' + p.title + '」联名', path: detailUrl(p.id, true) }
    },
    load() {
      this.setData({ loading: true, error: '' })
      return api.getProposal(this._id, { silent: true }).then(
        (p) => this.show(p),
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    show(p) {
      const actions = {}
      ;(p.actions || []).forEach((a) => (actions[a] = true))
      if (actions.start_execution && !this.data.executor) {
        // the proposer takes it on when they offered to
        this.setData({ executor: p.will_undertake ? p.proposer_name + '（提案人）' : '', task: p.solution || '' })
      }
      this.setData({
        loading: false,
        p: decorate(p),
        steps: steps(p.steps),
        events: (p.events || []).map((ev) => Object.assign({}, ev, { atText: time.formatMoment(ev.at) })),
        actions,
      })
      wx.showShareMenu && wx.showShareMenu({ menus: ['shareAppMessage'] })
    },
    onRetry() {
      return this.load()
    },
    run(promise, done) {
      this.setData({ busy: true })
      return promise.then(
        (out) => {
          this.setData({ busy: false })
          wx.showToast({ title: done, icon: 'success' })
          return this.show(out.proposal || out)
        },
        () => this.setData({ busy: false }) // the API client has shown the detail
      )
    },
    onEdit() {
      wx.navigateTo({ url: '/pages/proposal/new/new?id=' + this.data.p.id })
    },
    onSubmit() {
      // the negative-list self-check is on the form's page
      wx.navigateTo({ url: '/pages/proposal/new/new?step=check&id=' + this.data.p.id })
    },
    onWithdraw() {
      if (this.data.busy) return Promise.resolve()
      return ui.confirm('撤回这条提案？', '撤回后不再审议，可以重新起草。').then((ok) =>
        ok ? this.run(api.withdrawProposal(this.data.p.id, null), glossary.PROPOSAL_STATUS.withdrawn) : undefined
      )
    },
    onCosign() {
      if (this.data.busy) return Promise.resolve()
      return this.run(api.cosignProposal(this.data.p.id), '已联名')
    },
    onReview() {
      wx.navigateTo({ url: '/pages/proposal/review/review?id=' + this.data.p.id })
    },
    onVerify() {
      wx.navigateTo({ url: '/pages/verify/verify' })
    },
    onRating(e) {
      this.setData({ rating: e.detail.value })
    },
    onComment(e) {
      this.setData({ comment: e.detail.value })
    },
    onRate() {
      if (this.data.busy) return Promise.resolve()
      if (!this.data.rating) {
        wx.showToast({ title: '请先点星星打分', icon: 'none' })
        return Promise.resolve()
      }
      return this.run(api.rateProposal(this.data.p.id, this.data.rating, (this.data.comment || '').trim()), '感谢评价')
    },
    onText(e) {
      const field = e.currentTarget.dataset.field
      if (['executor', 'task', 'report'].indexOf(field) >= 0) this.setData({ [field]: e.detail.value })
    },
    onDue(e) {
      this.setData({ dueDays: Number(e.currentTarget.dataset.days) })
    },
    onStartExecution() {
      const d = this.data
      if (d.busy) return Promise.resolve()
      if (!d.executor.trim() || !d.task.trim()) {
        wx.showToast({ title: '请写明谁来做、做什么', icon: 'none' })
        return Promise.resolve()
      }
      const body = { executor: d.executor.trim(), task: d.task.trim(), due: dayAfter(d.dueDays) }
      return this.run(api.startExecution(d.p.id, body), glossary.PROPOSAL_STATUS.executing)
    },
    onFinishExecution() {
      const d = this.data
      if (d.busy) return Promise.resolve()
      if (!d.report.trim()) {
        wx.showToast({ title: '请写明完成情况', icon: 'none' })
        return Promise.resolve()
      }
      return this.run(api.finishExecution(d.p.id, d.report.trim()), glossary.PROPOSAL_STATUS.evaluating)
    },
    onPublish() {
      if (this.data.busy) return Promise.resolve()
      return this.run(api.publishProposal(this.data.p.id), glossary.PROPOSAL_STATUS.published)
    },
  },
})
