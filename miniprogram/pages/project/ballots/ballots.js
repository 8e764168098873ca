// 测评: my ballots still to cast in open campaigns (GET /api/v1/evaluations/ballots), answering one
// (1–5 for each score question with large targets, comments), then its submitted state
// (POST /api/v1/evaluations/campaigns/{id}/ballots). One ballot per household (compound, community):
// the 409 `already_voted` when someone at home was first is said in words, not as an error.
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')

const SCORES = [
  { value: 1, text: '差' },
  { value: 2, text: '较差' },
  { value: 3, text: '一般' },
  { value: 4, text: '较好' },
  { value: 5, text: '好' },
]

// who "one ballot" is at each level (backend/evaluations/state.py LEVELS)
const VOTER = {
  residents_rate_compound: '您家已经有人提交过',
  compounds_rate_community: '本小区已经有人代表小区提交过',
  communities_rate_department: '本社区已经有人代表社区提交过',
}
const ONE_VOTE = { residents_rate_compound: '每户只算一票', compounds_rate_community: '每个小区只算一票', communities_rate_department: '每个社区只算一票' }

function keyOf(b) {
  return b.campaign_id + '-' + b.target_id
}

function ballotItem(b, state) {
  return Object.assign({}, b, {
    key: keyOf(b),
    state,
    stateLabel: glossary.label('ballot', state),
    theme: glossary.theme('ballot', state),
    closesText: '截止 ' + time.formatMoment(b.closes_at),
    count: (b.questions || []).length,
  })
}

Component({
  behaviors: [uiMode],
  data: { items: [], loading: true, error: '', errorKind: '', current: null, answers: {}, missing: [], busy: false, notice: null, scores: SCORES, words: glossary.ACTIONS },
  methods: {
    onLoad() {
      this._done = {}
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ loading: true, error: '' })
      return api.listBallots({ silent: true }).then(
        (list) => {
          const open = list.map((b) => ballotItem(b, 'open'))
          const done = Object.keys(this._done).map((k) => this._done[k])
          this.setData({ loading: false, items: open.filter((b) => !this._done[b.key]).concat(done) })
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    onRetry() {
      return this.load()
    },
    onOpen(e) {
      const b = this.data.items.find((x) => x.key === e.currentTarget.dataset.key)
      if (!b || b.state !== 'open') return
      this.setData({ current: b, answers: {}, missing: [], notice: null })
      wx.pageScrollTo && wx.pageScrollTo({ scrollTop: 0, duration: 0 })
    },
    onBack() {
      this.setData({ current: null, notice: null })
    },
    onScore(e) {
      const { code, value } = e.currentTarget.dataset
      this.setData({ ['answers.' + code]: Number(value), missing: this.data.missing.filter((c) => c !== code) })
    },
    onComment(e) {
      this.setData({ ['answers.' + e.currentTarget.dataset.code]: e.detail.value })
    },
    finish(state, notice) {
      const b = ballotItem(this.data.current, state)
      this._done[b.key] = b
      this.setData({ current: null, notice, items: this.data.items.map((x) => (x.key === b.key ? b : x)) })
    },
    onSubmit() {
      const d = this.data
      if (!d.current || d.busy) return Promise.resolve()
      const missing = d.current.questions.filter((q) => q.kind === 'score_1_5' && !d.answers[q.code]).map((q) => q.code)
      if (missing.length) {
        this.setData({ missing })
        ui.toast('还有 ' + missing.length + ' 道题没有打分')
        return Promise.resolve()
      }
      const answers = {}
      d.current.questions.forEach((q) => {
        const v = d.answers[q.code]
        if (q.kind === 'score_1_5') answers[q.code] = v
        else if (typeof v === 'string' && v.trim()) answers[q.code] = v.trim().slice(0, 500)
      })
      this.setData({ busy: true })
      return api.castBallot(d.current.campaign_id, d.current.target_id, answers, { silent: true }).then(
        () => {
          this.setData({ busy: false })
          this.finish('submitted', { text: '已提交「' + d.current.target_name + '」的测评，谢谢您！', kind: 'success' })
        },
        (err) => {
          this.setData({ busy: false })
          if (err.status === 409 && err.code === 'already_voted') {
            const level = d.current.level
            const text = (VOTER[level] || '已经有人提交过') + '「' + d.current.target_name + '」的测评，' + (ONE_VOTE[level] || '只算一票') + '，这次不再重复提交。'
            return this.finish('already', { text, kind: 'info' })
          }
          ui.toast(err.detail || '提交失败，请稍后再试')
        }
      )
    },
  },
})
