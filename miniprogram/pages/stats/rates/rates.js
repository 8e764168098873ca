// 三率 (社区两委 / 街道管理员): 呼叫应答率、事件处置率、居民满意率 for my own scope
// (GET /api/v1/stats/escalation?period=…; the backend picks the scope from my grants), with the
// same figures per department. Periods: this month, quarter, half year and year (Beijing time),
// chosen with TDesign tabs and named in words (2026年第四季度).
// Tapping a figure shows the issues behind it, bucket by bucket (按时 / 超时 / 满意 …), as cards
// with what happened, where and when (GET /api/v1/issues/{id} for the ones shown, 10 at a time),
// each opening its page, so every figure can be checked.
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const { currentPeriod } = require('../../../utils/grid')

const PAGE_SIZE = 10
const PARALLEL = 4

function periodsFor(now = new Date()) {
  const month = currentPeriod(now)
  const [y, m] = month.split('-').map(Number)
  return [
    { key: 'month', text: '本月', period: month },
    { key: 'quarter', text: '本季度', period: y + '-Q' + (Math.floor((m - 1) / 3) + 1) },
    { key: 'half', text: '本半年', period: y + '-H' + (m <= 6 ? 1 : 2) },
    { key: 'year', text: '本年', period: String(y) },
  ]
}

function rateText(f) {
  return f && f.rate !== null && f.rate !== undefined ? Math.round(f.rate * 1000) / 10 + '%' : '—'
}

// What each bucket of a figure's drill-down means: the glossary's words (backend/stats/escalation.py).
const BUCKET_LABELS = glossary.FIGURE_BUCKET
const BUCKET_ORDER = ['on_time', 'satisfied', 'late', 'unanswered', 'unresolved', 'reopened', 'returned', 'unsatisfied', 'pending']

// The grid's backlog (open, or returned to the grid; never whistled), oldest first.
const AGE_ORDER = ['gt_30', 'd8_30', 'le_7']
function backlogDrill(b) {
  const aged = (b && b.aged) || {}
  const labels = aged.bucket_labels || {}
  const buckets = AGE_ORDER.filter((k) => aged.buckets && aged.buckets[k] && aged.buckets[k].length).map((k) => ({ key: k, label: labels[k] || k, ids: aged.buckets[k] }))
  return { title: '网格待办积压', buckets }
}

// The issues behind one figure, bucket by bucket.
function drillOf(label, f, extra) {
  const issues = (f && f.issues) || {}
  const buckets = BUCKET_ORDER.filter((k) => issues[k] && issues[k].length).map((k) => ({ key: k, label: BUCKET_LABELS[k], ids: issues[k] }))
  if (extra && extra.ids.length) buckets.push(extra)
  return { title: label, buckets }
}

function figures(r) {
  const of = (f) => (f || {}).numerator + '/' + (f || {}).denominator
  return [
    { key: 'response', label: '呼叫应答率', rate: rateText(r.response_rate), of: of(r.response_rate) },
    { key: 'disposal', label: '事件处置率', rate: rateText(r.disposal_rate), of: of(r.disposal_rate) },
    { key: 'satisfaction', label: '居民满意率', rate: rateText(r.satisfaction_rate), of: of(r.satisfaction_rate) },
  ]
}

function excerpt(text, n) {
  const s = String(text || '').replace(/\s+/g, ' ').trim()
  return s.length > n ? s.slice(0, n) + '…' : s
}

// An issue as a drill-down card: what (category and the first words), where, when.
function issueCard(id, issue, failed) {
  if (!issue) return { id, loaded: false, failed: !!failed, title: '事件 ' + id, place: '', dateText: failed ? '读取失败，点开查看' : '正在读取…' }
  return {
    id,
    loaded: true,
    failed: false,
    title: issue.category_label + (issue.description ? '：' + excerpt(issue.description, 24) : ''),
    place: issue.location || '未填地点',
    dateText: time.formatDay(issue.created_at),
    statusLabel: glossary.label('issue', issue.status, issue.status_label),
    theme: glossary.theme('issue', issue.status),
  }
}

Component({
  behaviors: [uiMode],
  data: {
    periods: [],
    periodKey: 'quarter',
    loading: true,
    error: '',
    errorKind: '',
    stats: null,
    drillKey: '',
    drill: null,
  },
  methods: {
    onLoad(query = {}) {
      const periods = periodsFor()
      const key = periods.some((p) => p.key === query.period) ? query.period : 'quarter'
      this._issues = {}
      this._failed = {}
      this._shown = {}
      this.setData({ periods, periodKey: key })
      return this.load()
    },

    onPullDownRefresh() {
      this._issues = {}
      this._failed = {}
      return this.load().then(() => wx.stopPullDownRefresh())
    },

    load() {
      const key = this.data.periodKey
      const p = this.data.periods.find((x) => x.key === key)
      this.setData({ loading: true, error: '' })
      return api.getEscalationStats({ period: p.period }, { silent: true }).then(
        (out) => {
          if (key !== this.data.periodKey) return
          const auto = (out.auto_confirmed && out.auto_confirmed.issues) || []
          this._drills = {
            response: drillOf('呼叫应答率', out.response_rate),
            disposal: drillOf('事件处置率', out.disposal_rate),
            satisfaction: drillOf('居民满意率', out.satisfaction_rate, { key: 'auto_confirmed', label: BUCKET_LABELS.auto_confirmed, ids: auto }),
            backlog: backlogDrill(out.backlog),
          }
          this._shown = {}
          this.setData({
            loading: false,
            stats: {
              scopeName: (out.scope && out.scope.name) || '',
              periodLabel: time.formatPeriod((out.period && out.period.label) || p.period),
              whistled: out.whistled || 0,
              figures: figures(out),
              autoConfirmed: (out.auto_confirmed && out.auto_confirmed.count) || 0,
              awaiting: (out.awaiting_rating && out.awaiting_rating.count) || 0,
              backlog: out.backlog ? { count: out.backlog.count || 0, overdue: (out.backlog.overdue && out.backlog.overdue.numerator) || 0 } : null,
              departments: (out.by_department || []).map((d) => ({
                id: d.department_id,
                name: d.department_name,
                whistled: d.whistled,
                figures: figures(d),
              })),
            },
          })
          return this.showDrill()
        },
        (err) => {
          if (key !== this.data.periodKey) return
          this.setData(Object.assign({ loading: false, stats: null, drill: null }, errors.errorState(err)))
        }
      )
    },

    // t-tabs bind:change → {value}
    onPeriod(e) {
      const key = e.detail.value
      if (!key || key === this.data.periodKey) return Promise.resolve()
      this.setData({ periodKey: key })
      return this.load()
    },

    onRetry() {
      return this.load()
    },

    onFigure(e) {
      const key = e.currentTarget.dataset.key
      this.setData({ drillKey: this.data.drillKey === key ? '' : key })
      return this.showDrill()
    },

    onMore(e) {
      const bucket = e.currentTarget.dataset.bucket
      const k = this.data.drillKey + ':' + bucket
      this._shown[k] = (this._shown[k] || PAGE_SIZE) + PAGE_SIZE
      return this.showDrill()
    },

    // Renders the open drill-down from what is known, then reads the issues not read yet.
    showDrill() {
      const key = this.data.drillKey
      const d = key && this._drills && this._drills[key]
      if (!d) {
        this.setData({ drill: null })
        return Promise.resolve()
      }
      const wanted = []
      const buckets = d.buckets.map((b) => {
        const n = this._shown[key + ':' + b.key] || PAGE_SIZE
        const ids = b.ids.slice(0, n)
        ids.forEach((id) => {
          if (!this._issues[id] && !this._failed[id] && wanted.indexOf(id) < 0) wanted.push(id)
        })
        return {
          key: b.key,
          label: b.label,
          count: b.ids.length,
          issues: ids.map((id) => issueCard(id, this._issues[id], this._failed[id])),
          more: b.ids.length - ids.length,
        }
      })
      this.setData({ drill: { title: d.title, buckets } })
      if (!wanted.length) return Promise.resolve()
      return this.fetchIssues(wanted).then(() => {
        if (this.data.drillKey === key) return this.showDrill()
      })
    },

    fetchIssues(ids) {
      const queue = ids.slice()
      const worker = () => {
        const id = queue.shift()
        if (id === undefined) return Promise.resolve()
        return api.getIssue(id, { silent: true }).then(
          (issue) => {
            this._issues[id] = issue
          },
          () => {
            this._failed[id] = true
          }
        ).then(worker)
      }
      const workers = []
      for (let i = 0; i < Math.min(PARALLEL, ids.length); i++) workers.push(worker())
      return Promise.all(workers)
    },

    onIssue(e) {
      wx.navigateTo({ url: '/pages/issue/detail/detail?id=' + e.currentTarget.dataset.id })
    },
  },
})
