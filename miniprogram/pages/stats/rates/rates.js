// 三率 (社区两委 / 街道管理员): 呼叫应答率、事件处置率、居民满意率 for my own scope
// (GET /api/v1/stats/escalation?period=…; the backend picks the scope from my grants), with the
// same figures per department. Periods: this month, quarter, half year and year (Beijing time).
// Tapping a figure shows the issues behind it, bucket by bucket (按时 / 超时 / 满意 …), each one
// opening its page, so every figure can be checked.
const api = require('../../../services/api')
const { currentPeriod } = require('../../../utils/grid')

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

// What each bucket of a figure's drill-down means (backend/stats/escalation.py).
const BUCKET_LABELS = {
  on_time: '按时',
  late: '超时',
  unanswered: '超时未响应',
  pending: '未到期',
  reopened: '办结后被重新打开',
  returned: '被部门退回',
  unresolved: '超期未办结',
  satisfied: '满意',
  unsatisfied: '不满意',
}
const BUCKET_ORDER = ['on_time', 'satisfied', 'late', 'unanswered', 'unresolved', 'reopened', 'returned', 'unsatisfied', 'pending']

// The issues behind one figure, bucket by bucket, for the drill-down under the figures.
function drillOf(label, f) {
  const issues = (f && f.issues) || {}
  return {
    title: label,
    buckets: BUCKET_ORDER.filter((k) => issues[k] && issues[k].length).map((k) => ({
      key: k,
      label: BUCKET_LABELS[k],
      ids: issues[k],
    })),
  }
}

function figures(r) {
  return [
    { key: 'response', label: '呼叫应答率', rate: rateText(r.response_rate), of: (r.response_rate || {}).numerator + '/' + (r.response_rate || {}).denominator },
    { key: 'disposal', label: '事件处置率', rate: rateText(r.disposal_rate), of: (r.disposal_rate || {}).numerator + '/' + (r.disposal_rate || {}).denominator },
    { key: 'satisfaction', label: '居民满意率', rate: rateText(r.satisfaction_rate), of: (r.satisfaction_rate || {}).numerator + '/' + (r.satisfaction_rate || {}).denominator },
  ]
}

Component({
  data: {
    periods: [],
    periodKey: 'quarter',
    loading: true,
    error: '',
    stats: null,
    drillKey: '',
  },
  methods: {
    onLoad(query = {}) {
      const periods = periodsFor()
      const key = periods.some((p) => p.key === query.period) ? query.period : 'quarter'
      this.setData({ periods, periodKey: key })
      return this.load()
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },

    load() {
      const key = this.data.periodKey
      const p = this.data.periods.find((x) => x.key === key)
      this.setData({ loading: true, error: '' })
      return api.getEscalationStats({ period: p.period }, { silent: true }).then(
        (out) => {
          if (key !== this.data.periodKey) return
          this.setData({
            loading: false,
            stats: {
              scopeName: (out.scope && out.scope.name) || '',
              periodLabel: (out.period && out.period.label) || p.period,
              whistled: out.whistled || 0,
              figures: figures(out),
              drills: {
                response: drillOf('呼叫应答率', out.response_rate),
                disposal: drillOf('事件处置率', out.disposal_rate),
                satisfaction: drillOf('居民满意率', out.satisfaction_rate),
              },
              autoConfirmed: (out.auto_confirmed && out.auto_confirmed.count) || 0,
              autoConfirmedIds: (out.auto_confirmed && out.auto_confirmed.issues) || [],
              awaiting: (out.awaiting_rating && out.awaiting_rating.count) || 0,
              departments: (out.by_department || []).map((d) => ({
                id: d.department_id,
                name: d.department_name,
                whistled: d.whistled,
                figures: figures(d),
              })),
            },
          })
        },
        (err) => {
          if (key !== this.data.periodKey) return
          this.setData({ loading: false, stats: null, error: err.detail || '加载失败，请稍后重试' })
        }
      )
    },

    onPeriod(e) {
      const key = e.currentTarget.dataset.key
      if (key === this.data.periodKey) return Promise.resolve()
      this.setData({ periodKey: key })
      return this.load()
    },

    onRetry() {
      return this.load()
    },

    onFigure(e) {
      const key = e.currentTarget.dataset.key
      this.setData({ drillKey: this.data.drillKey === key ? '' : key })
    },

    onIssue(e) {
      wx.navigateTo({ url: '/pages/issue/detail/detail?id=' + e.currentTarget.dataset.id })
    },
  },
})

