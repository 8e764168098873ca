// 每日签到 for department staff: my contact places (GET /api/v1/checkins/places), 签到 at one of them
// with the phone's position (wx.getLocation, optional, never waits more than 5 s), kept offline with
// a client id (./queue.js) and sent by POST /api/v1/checkins/batch at once, when the network returns,
// on 立即同步 and on pull-to-refresh; this month's days signed ÷ working days from /checkins/summary.
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const privacy = require('../../../services/privacy')
const network = require('../../../services/network')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const { createCheckinQueue, placeKey } = require('./queue')

const LOCATION_TIMEOUT_MS = 5000

function shanghaiDay(iso) {
  const d = time.parseUtc(iso)
  if (!d) return ''
  return new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

// The phone's position, or null (not allowed, no fix within 5 s): it never holds the sign-in up.
function currentLocation() {
  return privacy.ensure('记录签到地点').then((ok) => {
    if (!ok || typeof wx.getLocation !== 'function') return null
    return new Promise((resolve) => {
      let done = false
      const finish = (v) => {
        if (!done) resolve(v)
        done = true
      }
      setTimeout(() => finish(null), LOCATION_TIMEOUT_MS)
      wx.getLocation({ type: 'gcj02', success: (r) => finish({ latitude: r.latitude, longitude: r.longitude }), fail: () => finish(null) })
    })
  })
}

// My row of the summary: days signed ÷ working days (the figure's numerator and denominator).
function myFigure(summary, userId) {
  const row = (summary.people || []).find((p) => p.user_id === userId)
  const f = row && row.signin_rate
  if (!f) return null
  const percent = f.denominator ? Math.round((f.numerator / f.denominator) * 100) : 0
  const missed = ((f.buckets && f.buckets.missed) || []).length
  return { numerator: f.numerator, denominator: f.denominator, percent, missed, definition: f.definition || '' }
}

function signedToday(summary, userId, today) {
  const out = {}
  ;((summary && summary.places) || []).forEach((p) => {
    if (p.user_id !== userId) return
    if ((p.checkins || []).some((c) => String(c.day) === today)) out[placeKey(p.place_kind, p.place_id)] = true
  })
  return out
}

Component({
  behaviors: [uiMode],
  data: { places: [], loading: true, error: '', errorKind: '', summary: null, figure: null, pending: 0, offline: false, syncing: false, results: [], busy: '', words: glossary.ACTIONS },
  lifetimes: {
    detached() {
      this.onUnload()
    },
  },
  methods: {
    onLoad() {
      privacy.install()
      this._queue = createCheckinQueue(api)
      this._done = {}
      this._off = network.onChange((online) => (online ? this.sync() : this.setData({ offline: true })))
      this.setData({ offline: !network.isOnline(), pending: this._queue.pending().length })
      return this.load().then(() => this.sync())
    },
    onUnload() {
      if (this._off) this._off()
      this._off = null
    },
    onPullDownRefresh() {
      return this.sync()
        .then(() => this.load())
        .then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ loading: true, error: '' })
      return api.listCheckinPlaces({ silent: true }).then(
        (out) => {
          this._userId = out.contacts.length ? out.contacts[0].user_id : null
          this._departmentId = out.department_id
          this.setData({ loading: false, contacts: out.contacts })
          this.show()
          return this.loadSummary()
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    loadSummary() {
      return api.getCheckinSummary({ department_id: this._departmentId }, { silent: true }).then(
        (s) => {
          this._summary = s
          this.setData({ summary: { label: time.formatPeriod(s.period && s.period.label), workingDays: (s.working_days || []).length }, figure: myFigure(s, this._userId) })
          this.show()
        },
        () => this.setData({ summary: null, figure: null })
      )
    },
    // places with today's state: signed (server), waiting (on the phone), or still to sign
    show() {
      const today = shanghaiDay(new Date())
      const server = signedToday(this._summary, this._userId, today)
      const waiting = {}
      this._queue.pending().forEach((e) => (waiting[placeKey(e.place_kind, e.place_id)] = true))
      const places = (this.data.contacts || []).map((c) => {
        const key = placeKey(c.place_kind, c.place_id)
        const state = waiting[key] ? 'pending' : server[key] || this._done[key] ? 'accepted' : ''
        return Object.assign({}, c, { key, state, stateLabel: state ? glossary.label('checkin', state) : '', theme: glossary.theme('checkin', state) })
      })
      this.setData({ places, pending: this._queue.pending().length })
    },
    onSign(e) {
      const place = this.data.places.find((p) => p.key === e.currentTarget.dataset.key)
      if (!place || this.data.busy) return Promise.resolve()
      this.setData({ busy: place.key })
      return currentLocation()
        .then((loc) => {
          this._queue.add(place, loc)
          this.show()
          return this.sync()
        })
        .then(() => this.setData({ busy: '' }))
    },
    onSyncNow() {
      return this.sync()
    },
    sync() {
      if (!this._queue || !this._queue.pending().length) return Promise.resolve()
      this.setData({ syncing: true })
      return this._queue.flush().then((r) => {
        r.results.forEach((x) => {
          if (x.result !== 'refused') this._done[placeKey(x.place_kind, x.place_id)] = true
        })
        const results = r.results.map((x) => Object.assign({}, x, { label: glossary.label('checkin', x.result), theme: glossary.theme('checkin', x.result), atText: time.formatMoment(x.at) }))
        this.setData({ syncing: false, offline: !network.isOnline(), results: results.length ? results : this.data.results })
        this.show()
        if (r.sent) {
          const refused = results.filter((x) => x.result === 'refused').length
          ui.toast(refused ? refused + ' 条签到未能记录，见下方原因' : '签到已记录', refused ? 'none' : 'success')
          return this.loadSummary()
        }
        if (r.error && !r.offline) ui.toast(r.error.detail || '签到暂未发送，稍后会再试')
      })
    },
    onRetry() {
      return this.load()
    },
  },
})
