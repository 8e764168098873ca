// 走访覆盖: one month's door-to-door coverage of the grids I may read
// (GET /api/v1/visits/coverage?period=YYYY-MM): the total, each grid with its workers and
// building chiefs, then the compound and community roll-ups. Months move back, and forward up to
// the current one (the API refuses months not yet begun).
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const errors = require('../../../utils/errors')
const { VISIT_OUTCOME } = require('../../../utils/glossary')
const { currentPeriod, shiftPeriod, percent } = require('../../../utils/grid')

const ROLE_LABELS = { grid_worker: '网格员', building_chief: '楼栋长' }

function line(c) {
  return c.households + ' 户 · 已走访 ' + c.visited + ' · 超期 ' + c.overdue
}

function figures(c) {
  return [
    { key: 'rate', n: percent(c.visited, c.households), label: '覆盖率' },
    { key: 'visited', n: c.visited + '/' + c.households, label: '已走访/户数' },
    { key: 'met', n: String(c.met), label: VISIT_OUTCOME.met },
    { key: 'overdue', n: String(c.overdue), label: '超期未访' },
  ]
}

function view(out) {
  return {
    period: out.period,
    periodText: time.formatPeriod(out.period),
    asOfText: time.formatRelative(out.as_of),
    rateText: percent(out.total.visited, out.total.households),
    figures: figures(out.total),
    grids: (out.grids || []).map((g) => ({
      id: g.grid_id,
      name: g.name,
      text: line(g) + ' · 每 ' + g.cycle_days + ' 天一轮',
      workers: (g.workers || []).map((w) => ({
        id: w.worker_id + '-' + w.role,
        name: w.name + '（' + (ROLE_LABELS[w.role] || w.role) + '）',
        text: w.visited + '/' + w.households + ' 户',
        overdue: w.overdue,
      })),
    })),
    compounds: (out.compounds || []).map((c) => ({ id: c.compound_id, name: c.name, rate: percent(c.visited, c.households), text: line(c) })),
    communities: (out.communities || []).map((c) => ({ id: c.community_id, name: c.name, rate: percent(c.visited, c.households), text: line(c) })),
  }
}

Component({
  behaviors: [uiMode],
  data: {
    periodText: '',
    errorKind: '',
    period: '',
    isCurrent: true,
    loading: true,
    error: '',
    cov: null,
  },
  methods: {
    onLoad(query = {}) {
      const now = currentPeriod()
      const period = /^\d{4}-\d{2}$/.test(query.period || '') && query.period <= now ? query.period : now
      this.setData({ period, periodText: time.formatPeriod(period), isCurrent: period === now })
      return this.load()
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },

    load() {
      const period = this.data.period
      this.setData({ loading: true, error: '' })
      return api.getVisitCoverage({ period }, { silent: true }).then(
        (out) => {
          if (period !== this.data.period) return
          this.setData({ loading: false, cov: view(out) })
        },
        (err) => {
          if (period !== this.data.period) return
          this.setData(Object.assign({ loading: false, cov: null }, errors.errorState(err)))
        }
      )
    },

    move(months) {
      const now = currentPeriod()
      const period = shiftPeriod(this.data.period, months)
      if (period > now) return Promise.resolve()
      this.setData({ period, periodText: time.formatPeriod(period), isCurrent: period === now, cov: null })
      return this.load()
    },

    onPrev() {
      return this.move(-1)
    },

    onNext() {
      return this.move(1)
    },

    onRetry() {
      return this.load()
    },
  },
})
