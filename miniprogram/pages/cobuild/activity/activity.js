// 活动详情 (GET /api/v1/activities/{id}): when, where, the seats left; my sign-up in the glossary's
// words with my place on the waitlist; 报名 / 候补, 取消报名 until the start (confirmed), 扫码签到
// with wx.scanCode → POST …/check-in, and what went wrong said on the page (an expired code: scan the
// organiser's newest one). Organisers also get 签到管理.
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const notify = require('../../../services/notify')
const ui = require('../../../utils/ui')
const errors = require('../../../utils/errors')
const { ACTIONS, SIGNUP_STATUS } = require('../../../utils/glossary')
const { activityItem, signupItem } = require('../common')

// what the volunteer can do about a refused scan
const SCAN_HINTS = {
  code_expired: '二维码每分钟更新一次，请对准组织者手机上正在显示的二维码再扫一次',
  invalid_code: '请扫描本活动组织者手机上的签到二维码',
  checkin_not_open: '活动开始前1小时开放签到',
  checkin_closed: '如确实参加了活动，请找组织者补登',
  not_registered: '请找组织者现场登记（现场加入）',
}

Component({
  behaviors: [uiMode],
  data: { loading: true, error: '', errorKind: '', activity: null, mine: null, can: {}, busy: '', scan: null, actions: ACTIONS },
  methods: {
    onLoad(query = {}) {
      notify.prepare('activity_signup')
      this._id = query.id
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ loading: true, error: '' })
      return api.getActivity(this._id, { silent: true }).then(
        (a) => {
          const can = {}
          ;(a.actions || []).forEach((k) => (can[k] = true))
          this.setData({ loading: false, activity: activityItem(a), mine: a.my_registration ? signupItem(a.my_registration) : null, can })
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    onRetry() {
      return this.load()
    },
    onSignUp() {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: 'signup' })
      return notify.run('activity_signup', () => api.signUp(this._id)).then(
        (r) => {
          this.setData({ busy: '' })
          ui.toast(r.status === 'waitlisted' ? '已候补，第 ' + (r.waitlist_position || 1) + ' 位' : SIGNUP_STATUS.registered, 'success')
          return this.load()
        },
        () => this.setData({ busy: '' })
      )
    },
    onCancel() {
      const mine = this.data.mine
      if (!mine || this.data.busy) return Promise.resolve()
      const content = mine.status === 'waitlisted' ? '取消后将失去候补位置' : '取消后名额会让给候补的人'
      return ui.confirm(ACTIONS.cancelSignup + '？', content).then((ok) => {
        if (!ok) return
        this.setData({ busy: 'cancel' })
        return api.cancelSignup(mine.id).then(
          () => {
            this.setData({ busy: '' })
            ui.toast(SIGNUP_STATUS.cancelled, 'success')
            return this.load()
          },
          () => this.setData({ busy: '' })
        )
      })
    },
    scanCode() {
      return new Promise((resolve) => {
        wx.scanCode({
          onlyFromCamera: true,
          scanType: ['qrCode'],
          success: (res) => resolve(res.result || ''),
          fail: () => resolve(''),
        })
      })
    },
    onScan() {
      if (this.data.busy) return Promise.resolve()
      return this.scanCode().then((code) => {
        if (!code) return
        this.setData({ busy: 'scan', scan: null })
        return api.checkInActivity(this._id, code, { silent: true }).then(
          (r) => {
            this.setData({ busy: '', scan: { ok: true, title: '签到成功', detail: '签到时间 ' + signupItem(r).checkedInText } })
            wx.vibrateShort && wx.vibrateShort({ type: 'light' })
            return this.load()
          },
          (err) => {
            const hint = SCAN_HINTS[err.code] || '请稍后再试，或找组织者登记'
            this.setData({ busy: '', scan: { ok: false, expired: err.code === 'code_expired', title: '没有签到成功', detail: err.detail, hint } })
          }
        )
      })
    },
    onRoster() {
      wx.navigateTo({ url: '/pages/cobuild/roster/roster?id=' + this._id })
    },
  },
})
