// 签到管理 (the activity's organisers: team leader, partner contact, community admin): the roster
// (GET …/registrations) with names, the rotating check-in QR shown large (GET …/checkin-code, drawn
// here, fetched again before its window ends), 签到 and 现场加入 marked on the phone first and sent
// as one batch by client id (./queue.js; works without a network, a replay counts once), 签退 which
// sets the hours (POST /registrations/{id}/check-out), and 结束活动.
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const ui = require('../../../utils/ui')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const qrcode = require('./qrcode')
const { createRosterQueue } = require('./queue')
const { activityItem, signupItem, hoursText } = require('../common')

// seconds before a window ends when the next code is fetched
const REFRESH_EARLY = 10

function qrDataUrl(code) {
  const qr = qrcode(0, 'M')
  qr.addData(code)
  qr.make()
  return qr.createDataURL(8, 2)
}

function rosterRow(r, pending) {
  const row = signupItem(r)
  if (pending && r.status === 'registered') {
    Object.assign(row, { statusLabel: glossary.ROSTER_RESULT.pending, theme: glossary.theme('roster', 'pending'), queued: true })
  }
  return row
}

Component({
  behaviors: [uiMode],
  data: {
    loading: true,
    error: '',
    errorKind: '',
    activity: null,
    rows: [],
    counts: { registered: 0, checkedIn: 0, waitlisted: 0 },
    pendingWalkIns: [],
    pendingCount: 0,
    offline: false,
    qr: null,
    showQr: false,
    busy: '',
    lastResults: [],
    actions: glossary.ACTIONS,
  },
  lifetimes: {
    detached() {
      this.onUnload()
    },
  },
  methods: {
    onLoad(query = {}) {
      this._id = query.id
      this._queue = createRosterQueue(api, this._id)
      this._onNetwork = (res) => {
        if (res.isConnected) this.sync()
        else this.setData({ offline: true })
      }
      wx.onNetworkStatusChange(this._onNetwork)
      return this.load().then(() => this.sync())
    },
    onUnload() {
      clearTimeout(this._qrTimer)
      this._qrTimer = null
      if (this._onNetwork && wx.offNetworkStatusChange) wx.offNetworkStatusChange(this._onNetwork)
      this._onNetwork = null
    },
    onHide() {
      clearTimeout(this._qrTimer)
      this._qrTimer = null
    },
    onShow() {
      if (this.data.showQr && !this._qrTimer) return this.loadCode()
    },
    onPullDownRefresh() {
      return this.sync().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ loading: !this.data.activity, error: '' })
      return Promise.all([api.getActivity(this._id, { silent: true }), api.listRoster(this._id, { silent: true })]).then(
        ([a, regs]) => {
          this._regs = regs
          this.setData({ loading: false, activity: activityItem(a) })
          this.render()
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    render() {
      const pending = this._queue.pending()
      const queued = {}
      pending.forEach((e) => (queued[e.user_id] = e))
      const regs = (this._regs || []).filter((r) => r.status !== 'cancelled')
      const known = {}
      regs.forEach((r) => (known[r.user_id] = true))
      const rows = regs.map((r) => rosterRow(r, queued[r.user_id]))
      const live = rows.filter((r) => r.status !== 'waitlisted')
      this.setData({
        rows,
        pendingWalkIns: pending.filter((e) => !known[e.user_id]).map((e) => Object.assign({}, e, { statusLabel: glossary.ROSTER_RESULT.pending, theme: 'warning' })),
        pendingCount: pending.length,
        counts: {
          registered: live.length,
          checkedIn: live.filter((r) => r.status === 'checked_in' || r.status === 'completed' || r.queued).length,
          waitlisted: rows.length - live.length,
        },
      })
    },
    onRetry() {
      return this.load()
    },
    // sends the marks waiting on the phone, then reads the roster again
    sync() {
      if (!this._queue.pending().length) return Promise.resolve()
      this.setData({ busy: 'sync' })
      return this._queue.flush().then((r) => {
        const lastResults = r.results.map((x) => ({
          client_id: x.client_id,
          text: (x.name || '编号 ' + x.user_id) + '：' + glossary.label('roster', x.result) + (x.detail ? '（' + x.detail + '）' : ''),
          theme: glossary.theme('roster', x.result),
        }))
        this.setData({ busy: '', offline: r.offline, lastResults })
        if (r.error && !r.offline) ui.toast(r.error.detail)
        return r.sent ? this.load() : this.render()
      })
    },
    onSyncNow() {
      return this.sync()
    },
    onMark(e) {
      const { user, name } = e.currentTarget.dataset
      this._queue.add(Number(user), name, false)
      this.render()
      return this.sync()
    },
    onWalkIn() {
      return new Promise((resolve) => {
        wx.showModal({
          title: glossary.ACTIONS.walkIn,
          editable: true,
          placeholderText: '志愿者的编号（在“我的志愿”页上）',
          confirmText: '确定',
          cancelText: '取消',
          success: (res) => resolve(res.confirm ? String(res.content || '').trim() : null),
          fail: () => resolve(null),
        })
      }).then((value) => {
        if (value === null) return
        const id = Number(value)
        if (!/^\d{1,10}$/.test(value) || !id) {
          ui.toast('请填写志愿者编号（数字）')
          return
        }
        this._queue.add(id, '', true)
        this.render()
        return this.sync()
      })
    },
    onCheckOut(e) {
      const id = e.currentTarget.dataset.id
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: 'out-' + id })
      return api.checkOut(id, null).then(
        (r) => {
          this.setData({ busy: '' })
          ui.toast('已签退，服务 ' + hoursText(r.minutes), 'success')
          return this.load()
        },
        () => this.setData({ busy: '' })
      )
    },
    onToggleQr() {
      if (this.data.showQr) {
        clearTimeout(this._qrTimer)
        this._qrTimer = null
        this.setData({ showQr: false })
        return Promise.resolve()
      }
      this.setData({ showQr: true })
      return this.loadCode()
    },
    loadCode() {
      clearTimeout(this._qrTimer)
      this._qrTimer = null
      return api.getCheckinCode(this._id, { silent: true }).then(
        (c) => {
          if (!this.data.showQr) return
          this.setData({ qr: { src: qrDataUrl(c.code), code: c.code, error: '' } })
          const wait = Math.max(5, (c.refresh_seconds || 60) - REFRESH_EARLY) * 1000
          this._qrTimer = setTimeout(() => this.loadCode(), wait)
        },
        (err) => {
          // keep the last code (it stays valid one more window) and try again soon
          this.setData({ qr: Object.assign({}, this.data.qr || {}, { error: err.status === 0 ? '没有网络，二维码暂时不能更新' : err.detail }) })
          if (this.data.showQr) this._qrTimer = setTimeout(() => this.loadCode(), 5000)
        }
      )
    },
    onClose() {
      return ui.confirm(glossary.ACTIONS.closeActivity + '？', '在场的人按现在签退并记入时长，没有签到的记为未到场').then((ok) => {
        if (!ok) return
        this.setData({ busy: 'close' })
        return api.closeActivity(this._id).then(
          (r) => {
            this.setData({ busy: '' })
            ui.toast('已结束：完成 ' + r.completed + ' 人，未到场 ' + r.no_show + ' 人', 'success')
            return this.load()
          },
          () => this.setData({ busy: '' })
        )
      })
    },
  },
})
