// 部门考核 (街道管理员; 部门 staff and heads see their own department only):
// GET /api/v1/assessments/departments?year= ranks the street's departments by their combined score;
// each part (呼叫应答率, 事件处置率, 居民满意率, 社区评部门得分, 下沉签到率, 超期事项) shows its score and
// weight, and a tap on it opens the recount behind it: numerator, denominator and the items the API
// gives (issues open their page). The street admin sets the weights (PUT /assessments/weights);
// they must sum to 100 and the API's refusal is shown as it says it.
const api = require('../../../services/api')
const session = require('../../../services/session')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const ui = require('../../../utils/ui')
const { ACTIONS } = require('../../../utils/glossary')
const { beijingYear, num, figureDrill, adminOf } = require('../common')

function partValue(code, p) {
  if (p.figure) return p.figure.denominator ? p.figure.numerator + '/' + p.figure.denominator : '无事项'
  if (code === 'evaluation') return p.score_count ? '均分 ' + num(p.mean) : '无评分'
  if (code === 'overdue') return '超期 ' + (p.count || 0) + ' 件'
  return ''
}

function partsOf(d, order) {
  return order.map((code) => {
    const p = d.parts[code] || {}
    return {
      code,
      label: p.label || code,
      weight: p.weight || 0,
      scoreText: p.score === null || p.score === undefined ? '不计分' : num(p.score),
      scored: p.score !== null && p.score !== undefined,
      value: partValue(code, p),
    }
  })
}

function deptRow(d, order) {
  return {
    id: d.department_id,
    name: d.department_name,
    rank: d.rank,
    totalText: d.total === null || d.total === undefined ? '—' : num(d.total),
    weightUsed: d.weight_used || 0,
    parts: partsOf(d, order),
  }
}

// The drill-down of one part of one department: the recount line and the items behind it.
function drillOf(dept, code) {
  const p = dept.parts[code]
  if (!p) return null
  const base = {
    key: dept.department_id + ':' + code,
    deptId: dept.department_id,
    title: dept.department_name + ' · ' + p.label,
    scoreText: p.score === null || p.score === undefined ? '不计分' : num(p.score),
    weight: p.weight,
    definition: p.definition || '',
  }
  if (p.figure) {
    const f = figureDrill(p.figure)
    const extra = code === 'checkin' ? '签到记录 ' + (p.checkins || []).length + ' 条' : ''
    return Object.assign(base, { kind: 'figure', figure: f, buckets: f.buckets, definition: f.definition, extra })
  }
  if (code === 'evaluation') {
    return Object.assign(base, {
      kind: 'evaluation',
      sum: p.score_sum || 0,
      count: p.score_count || 0,
      mean: num(p.mean),
      campaigns: (p.campaigns || []).length,
      buckets: [{ key: 'ballots', label: '测评票', unit: 'ballot', ids: p.ballots || [] }],
    })
  }
  if (code === 'overdue') {
    return Object.assign(base, {
      kind: 'overdue',
      count: p.count || 0,
      buckets: [
        { key: 'issues', label: '超期吹哨事件', unit: 'issue', ids: p.issues || [] },
        { key: 'tasks', label: '超期项目任务', unit: 'task', ids: p.project_tasks || [] },
      ],
    })
  }
  return Object.assign(base, { kind: 'other', buckets: [] })
}

Component({
  behaviors: [uiMode],
  data: {
    years: [],
    year: 0,
    loading: true,
    error: '',
    errorKind: '',
    result: null,
    drillKey: '',
    drill: null,
    canEdit: false,
    editing: false,
    weights: [],
    weightSum: 0,
    weightsError: '',
    saving: false,
    words: ACTIONS,
  },
  methods: {
    onLoad() {
      const y = beijingYear()
      this.setData({ years: [{ value: String(y), label: y + '年' }, { value: String(y - 1), label: y - 1 + '年' }], year: String(y) })
      return session.load({ silent: true }).then(
        (me) => {
          this.setData({ canEdit: adminOf(me).street })
          return this.load()
        },
        () => this.load()
      )
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },

    load() {
      const year = this.data.year
      this.setData({ loading: true, error: '' })
      return api.getDepartmentAssessment({ year: Number(year) }, { silent: true }).then(
        (out) => {
          if (year !== this.data.year) return
          this._out = out
          const order = Object.keys(out.parts || {})
          this.setData({
            loading: false,
            result: {
              periodLabel: out.period && out.period.label ? out.period.label + '年' : year + '年',
              single: (out.departments || []).length === 1 && !this.data.canEdit,
              departments: (out.departments || []).map((d) => deptRow(d, order)),
              weightsText: order.map((c) => out.parts[c] + ' ' + ((out.weights || {})[c] || 0)).join(' · '),
            },
          })
          this.showDrill()
        },
        (err) => {
          if (year !== this.data.year) return
          this.setData(Object.assign({ loading: false, result: null, drill: null }, errors.errorState(err)))
        }
      )
    },

    onYear(e) {
      const year = e.detail.value
      if (!year || year === this.data.year) return Promise.resolve()
      this.setData({ year, drillKey: '' })
      return this.load()
    },

    onRetry() {
      return this.load()
    },

    onPart(e) {
      const key = e.currentTarget.dataset.key
      this.setData({ drillKey: this.data.drillKey === key ? '' : key })
      this.showDrill()
    },

    showDrill() {
      const key = this.data.drillKey
      if (!key || !this._out) return this.setData({ drill: null })
      const [id, code] = key.split(':')
      const dept = (this._out.departments || []).find((d) => String(d.department_id) === id)
      this.setData({ drill: dept ? drillOf(dept, code) : null })
    },

    // ---- weights (street admin)
    onEditWeights() {
      const out = this._out || {}
      const weights = Object.keys(out.parts || {}).map((code) => ({ code, label: out.parts[code], value: String((out.weights || {})[code] || 0) }))
      this.setData({ editing: true, weights, weightsError: '', weightSum: this.sumOf(weights) })
    },

    onCancelWeights() {
      this.setData({ editing: false, weightsError: '' })
    },

    sumOf(weights) {
      return weights.reduce((s, w) => s + (parseInt(w.value, 10) || 0), 0)
    },

    onWeight(e) {
      const code = e.currentTarget.dataset.code
      const value = String(e.detail.value || '').replace(/[^0-9]/g, '')
      const weights = this.data.weights.map((w) => (w.code === code ? Object.assign({}, w, { value }) : w))
      this.setData({ weights, weightSum: this.sumOf(weights), weightsError: '' })
    },

    onSaveWeights() {
      if (this.data.saving) return Promise.resolve()
      const body = {}
      this.data.weights.forEach((w) => (body[w.code] = parseInt(w.value, 10) || 0))
      this.setData({ saving: true, weightsError: '' })
      return api.putAssessmentWeights(body, { silent: true }).then(
        () => {
          this.setData({ saving: false, editing: false })
          ui.toast('权重已保存', 'success')
          return this.load()
        },
        (err) => this.setData({ saving: false, weightsError: err.detail || '保存失败，请重试' })
      )
    },
  },
})
