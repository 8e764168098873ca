// 头雁领航·夺旗摘星 (社区两委, 街道管理员): GET /api/v1/competition?year=&period= ranks the street's
// communities by stars, then targets reached; a community with flag_stars stars takes the flag.
// Each indicator's value drills down to its items (a computed figure: numerator, denominator and the
// items) or to its entry (value, evidence, photos, the street's decision).
// A community admin enters the value of an entered indicator for their community with evidence and
// photos (PUT /indicators/{year}/entries/{code}; it waits for the street); the street admin approves
// or returns pending entries (POST /indicator-entries/{id}/decide, a reason required to return).
const api = require('../../../services/api')
const session = require('../../../services/session')
const uiMode = require('../../../behaviors/ui-mode')
const photoForm = require('../../../behaviors/photo-form')
const errors = require('../../../utils/errors')
const ui = require('../../../utils/ui')
const time = require('../../../utils/time')
const { ACTIONS } = require('../../../utils/glossary')
const { mediaUrl } = require('../../../utils/format')
const { beijingYear, num, figureDrill, entryView, adminOf } = require('../common')

const ENTERED = 'entered'
// Sources counted in items rather than percent (backend/assessment/competition.py SOURCES).
const COUNTS = ['proposals_adopted', 'volunteer_person_times']

function periodsFor(now = new Date()) {
  const y = beijingYear(now)
  const m = new Date(now.getTime() + 8 * 3600 * 1000).getUTCMonth() + 1
  const pad = (n) => (n < 10 ? '0' + n : String(n))
  return [
    { key: 'year', text: '全年', period: String(y) },
    { key: 'quarter', text: '本季度', period: y + '-Q' + (Math.floor((m - 1) / 3) + 1) },
    { key: 'month', text: '本月', period: y + '-' + pad(m) },
  ]
}

function unitOf(spec) {
  return spec.source === ENTERED || COUNTS.indexOf(spec.source) >= 0 ? '' : '%'
}

function valueText(v, spec) {
  return v === null || v === undefined ? '—' : num(v) + unitOf(spec)
}

function verdict(v, spec) {
  if (v.star) return { text: '摘星', cls: 'star' }
  if (v.reached) return { text: '达标', cls: 'ok' }
  if (spec.source === ENTERED && (!v.entry || v.entry.status !== 'approved')) return { text: v.entry ? '不计值' : '未填报', cls: 'none' }
  return { text: '未达标', cls: 'none' }
}

function communityRow(c, specs, mine) {
  return {
    id: c.community_id,
    name: c.community_name,
    rank: c.rank,
    stars: c.stars,
    reached: c.reached,
    flag: !!c.flag,
    mine: mine.indexOf(c.community_id) >= 0,
    indicators: (c.indicators || []).map((v) => {
      const spec = specs[v.code] || {}
      const entry = v.entry ? entryView(v.entry) : null
      return {
        code: v.code,
        name: v.name,
        entered: spec.source === ENTERED,
        valueText: spec.source === ENTERED && entry && entry.status !== 'approved' ? entry.statusLabel : valueText(v.value, spec),
        pending: !!(entry && entry.status === 'pending'),
        verdict: verdict(v, spec),
      }
    }),
  }
}

function pendingOf(out, specs) {
  const list = []
  ;(out.communities || []).forEach((c) =>
    (c.indicators || []).forEach((v) => {
      if (v.entry && v.entry.status === 'pending') {
        list.push({ id: v.entry.id, community: c.community_name, name: v.name, value: num(v.entry.value) + unitOf(specs[v.code] || {}), evidence: v.entry.evidence, key: c.community_id + ':' + v.code })
      }
    })
  )
  return list
}

Component({
  behaviors: [uiMode, photoForm],
  data: {
    periods: [],
    periodKey: 'year',
    year: 0,
    loading: true,
    error: '',
    errorKind: '',
    result: null,
    pending: [],
    drillKey: '',
    drill: null,
    isStreet: false,
    form: null, // {key, communityId, code, name}
    value: '',
    evidence: '',
    busy: false,
    deciding: 0,
    words: ACTIONS,
  },
  methods: {
    onLoad(query = {}) {
      const periods = periodsFor()
      const key = periods.some((p) => p.key === query.period) ? query.period : 'year'
      this._mine = []
      this.setData({ periods, periodKey: key, year: beijingYear() })
      return session.load({ silent: true }).then(
        (me) => {
          const who = adminOf(me)
          this._mine = who.communities
          this.setData({ isStreet: who.street })
          return this.load()
        },
        () => this.load()
      )
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },

    load() {
      const key = this.data.periodKey
      const p = this.data.periods.find((x) => x.key === key)
      this.setData({ loading: true, error: '' })
      return api.getCompetition({ year: this.data.year, period: p.period }, { silent: true }).then(
        (out) => {
          if (key !== this.data.periodKey) return
          this._out = out
          const specs = {}
          ;(out.indicators || []).forEach((s) => (specs[s.code] = s))
          this._specs = specs
          this.setData({
            loading: false,
            pending: this.data.isStreet ? pendingOf(out, specs) : [],
            result: {
              periodLabel: time.formatPeriod((out.period && out.period.label) || p.period),
              flagStars: out.flag_stars,
              count: (out.indicators || []).length,
              definition: out.definition || '',
              communities: (out.communities || []).map((c) => communityRow(c, specs, this._mine)),
            },
          })
          this.showDrill()
        },
        (err) => {
          if (key !== this.data.periodKey) return
          this.setData(Object.assign({ loading: false, result: null, drill: null, pending: [] }, errors.errorState(err)))
        }
      )
    },

    onPeriod(e) {
      const key = e.detail.value
      if (!key || key === this.data.periodKey) return Promise.resolve()
      this.setData({ periodKey: key })
      return this.load()
    },

    onRetry() {
      return this.load()
    },

    onIndicator(e) {
      const key = e.currentTarget.dataset.key
      this.setData({ drillKey: this.data.drillKey === key ? '' : key, form: null })
      this.showDrill()
    },

    // from the 待审核 card: open the entry in its community's table
    onOpenPending(e) {
      this.setData({ drillKey: e.currentTarget.dataset.key, form: null })
      this.showDrill()
    },

    showDrill() {
      const key = this.data.drillKey
      if (!key || !this._out) return this.setData({ drill: null })
      const [cid, code] = key.split(':')
      const c = (this._out.communities || []).find((x) => String(x.community_id) === cid)
      const v = c && (c.indicators || []).find((x) => x.code === code)
      const spec = (this._specs || {})[code]
      if (!v || !spec) return this.setData({ drill: null })
      const unit = unitOf(spec)
      const drill = {
        key,
        communityId: c.community_id,
        code,
        title: c.community_name + ' · ' + v.name,
        valueText: valueText(v.value, spec),
        thresholds: '达标 ≥ ' + num(spec.target) + unit + '，摘星 ≥ ' + num(spec.star) + unit,
        entered: spec.source === ENTERED,
      }
      if (drill.entered) {
        const entry = entryView(v.entry)
        drill.entry = entry ? Object.assign(entry, { photoUrls: entry.photos.map(mediaUrl), value: entry.value + unit }) : null
        drill.canEnter = this._mine.indexOf(c.community_id) >= 0
        drill.canDecide = this.data.isStreet && !!entry && entry.status === 'pending'
      } else {
        drill.figure = figureDrill(v.figure)
      }
      this.setData({ drill })
    },

    onPhoto(e) {
      const urls = this.data.drill.entry.photoUrls
      wx.previewImage({ current: e.currentTarget.dataset.url, urls })
    },

    // ---- a community admin enters a value
    onOpenForm() {
      const d = this.data.drill
      if (!d || !d.canEnter) return
      const old = this._entryOf(d.communityId, d.code)
      this.setData({
        form: { key: d.key, communityId: d.communityId, code: d.code },
        value: old ? String(old.value) : '',
        evidence: old ? old.evidence : '',
        photos: [],
        uploading: false,
        photoFailed: false,
      })
    },

    _entryOf(cid, code) {
      const c = ((this._out && this._out.communities) || []).find((x) => x.community_id === cid)
      const v = c && (c.indicators || []).find((x) => x.code === code)
      return v && v.entry
    },

    onCloseForm() {
      this.setData({ form: null })
    },

    onValue(e) {
      this.setData({ value: String(e.detail.value || '') })
    },

    onEvidence(e) {
      this.setData({ evidence: e.detail.value })
    },

    onSubmitEntry() {
      const d = this.data
      if (!d.form || d.busy) return Promise.resolve()
      const value = Number(d.value)
      let problem = ''
      if (d.value === '' || !isFinite(value) || value < 0) problem = '请填写指标值（不小于0的数）'
      else if (!d.evidence.trim()) problem = '请写明佐证材料'
      else problem = this.photoProblem()
      if (problem) {
        ui.toast(problem)
        return Promise.resolve()
      }
      const { communityId, code } = d.form
      this.setData({ busy: true })
      const body = { community_id: communityId, value, evidence: d.evidence.trim(), photos: d.photos }
      return api.enterIndicator(d.year, code, body).then(
        () => {
          this.setData({ busy: false, form: null })
          ui.toast('已提交，等待街道审核', 'success')
          return this.load()
        },
        () => this.setData({ busy: false })
      )
    },

    // ---- the street admin decides
    onApprove(e) {
      const id = Number(e.currentTarget.dataset.id)
      if (!id || this.data.deciding) return Promise.resolve()
      this.setData({ deciding: id })
      return api.decideIndicatorEntry(id, 'approve').then(
        () => {
          this.setData({ deciding: 0 })
          ui.toast('已审核通过', 'success')
          return this.load()
        },
        () => this.setData({ deciding: 0 })
      )
    },

    onReject(e) {
      const id = Number(e.currentTarget.dataset.id)
      if (!id || this.data.deciding) return Promise.resolve()
      return ui.askReason('退回的理由', '例如：缺少协议复印件').then((reason) => {
        if (!reason) return
        this.setData({ deciding: id })
        return api.decideIndicatorEntry(id, 'reject', reason).then(
          () => {
            this.setData({ deciding: 0 })
            ui.toast('已退回社区', 'success')
            return this.load()
          },
          () => this.setData({ deciding: 0 })
        )
      })
    },
  },
})
