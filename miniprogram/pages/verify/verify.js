// 住户认证 (contracts.md §1): a resident's claim to a household is verified by the WeChat phone
// number (<button open-type="getPhoneNumber"> → POST /api/v1/me/verify-phone), or else by the
// building chief / grid worker (pages/grid/verifications). Shows the claim's state (none, pending,
// verified, rejected with the reason) and lets a verified resident leave the household
// (POST /api/v1/me/leave-household). An older server sends no household_status: the page then
// shows the room as registered, without verification.
const api = require('../../services/api')
const session = require('../../services/session')
const privacy = require('../../services/privacy')
const uiMode = require('../../behaviors/ui-mode')
const errors = require('../../utils/errors')
const time = require('../../utils/time')
const ui = require('../../utils/ui')
const { ACTIONS, HOUSEHOLD_STATUS, VERIFICATION_STATUS } = require('../../utils/glossary')

function view(me) {
  const v = me.verification || null
  let state = me.household_status || (me.room ? 'legacy' : 'none')
  if (state === 'none' && v && v.status === 'rejected') state = 'rejected'
  return {
    state,
    statusLabel: state === 'rejected' ? VERIFICATION_STATUS.rejected : HOUSEHOLD_STATUS[state] || '',
    room: (v && v.room) || me.room || '',
    reason: (v && v.reason) || '',
    sinceText: v && v.created_at ? time.formatRelative(v.created_at) : '',
    decidedText: v && v.decided_at ? time.formatRelative(v.decided_at) : '',
    method: v && v.method === 'phone' ? '微信手机号' : v && v.method === 'staff' ? '楼栋长 / 网格员审核' : '',
  }
}

Component({
  behaviors: [uiMode],
  data: {
    me: null,
    v: null,
    loading: true,
    error: '',
    errorKind: '',
    busy: '',
    notice: '',
    words: ACTIONS,
  },
  methods: {
    onLoad() {
      privacy.install()
      return this.load()
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },

    load() {
      this.setData({ loading: true, error: '' })
      return session.load({ force: true, silent: true }).then(
        (me) => this.show(me),
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    show(me) {
      session.set(me)
      this.setData({ me, v: view(me), loading: false, busy: '' })
    },

    onRetry() {
      return this.load()
    },

    // bindgetphonenumber: e.detail.code is exchanged by the server (wxa/business/getuserphonenumber)
    onPhoneNumber(e) {
      const code = e && e.detail && e.detail.code
      if (!code) {
        ui.toast('没有拿到手机号：您可以等楼栋长或网格员审核')
        return Promise.resolve()
      }
      this.setData({ busy: 'phone', notice: '' })
      return api.verifyPhone(code, { silent: true }).then(
        (me) => {
          this.show(me)
          ui.toast(me.household_status === 'verified' ? '认证成功' : '已提交', 'success')
        },
        (err) => {
          this.setData({ busy: '' })
          // phone_mismatch: the request stays pending for staff; say so where it stays visible
          if (err.code === 'phone_mismatch' || err.code === 'no_pending_verification') {
            this.setData({ notice: err.detail })
            return this.load()
          }
          ui.toast(err.detail)
        }
      )
    },

    onLeave() {
      return ui.confirm('迁出本户？', '迁出后需要重新认证，才能以该户居民的身份许愿。').then((ok) => {
        if (!ok) return
        this.setData({ busy: 'leave' })
        return api.leaveHousehold().then(
          (me) => {
            this.show(me)
            ui.toast('已迁出', 'success')
          },
          () => this.setData({ busy: '' })
        )
      })
    },

    onBind() {
      wx.navigateTo({ url: '/pages/bind/bind?next=' + encodeURIComponent('/pages/verify/verify') })
    },
  },
})
