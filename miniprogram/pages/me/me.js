// 我的: name, phone, compound and roles (GET/PATCH /api/v1/me); 长辈模式 (services/ui-mode.js);
// 住户认证 with its state (contracts.md §1); links to binding and member pages.
const api = require('../../services/api')
const session = require('../../services/session')
const inbox = require('../../services/inbox')
const uiModeService = require('../../services/ui-mode')
const uiMode = require('../../behaviors/ui-mode')
const roles = require('../../utils/roles')
const errors = require('../../utils/errors')
const { HOUSEHOLD_STATUS, THEMES } = require('../../utils/glossary')
const { syncTabBar } = require('../../utils/tabbar')

Component({
  behaviors: [uiMode],
  data: {
    me: null,
    loading: false,
    error: '',
    errorKind: '',
    roleLabels: [],
    isMember: false,
    household: null, // {label, theme} when the server tells the household status
    name: '',
    phone: '',
    saving: false,
    unread: 0,
  },
  methods: {
    onLoad() {
      return this.load(false)
    },

    onShow() {
      syncTabBar(this, 'me')
      inbox.refresh().then((n) => this.setData({ unread: n }))
      if (this._loaded) return this.load(true)
    },

    onPullDownRefresh() {
      return this.load(true).then(() => wx.stopPullDownRefresh())
    },

    load(force) {
      this.setData({ loading: true, error: '' })
      return session.load({ force, silent: true }).then(
        (me) => {
          this._loaded = true
          this.show(me)
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    show(me) {
      const status = me.household_status
      this.setData({
        me,
        loading: false,
        roleLabels: roles.roleLabels(me),
        isMember: roles.hasRole(me, 'party_member'),
        household: status ? { label: HOUSEHOLD_STATUS[status] || status, theme: THEMES.household[status] || 'default' } : null,
        name: me.name || '',
        phone: me.phone || '',
      })
    },

    onRetry() {
      return this.load(true)
    },

    onName(e) {
      this.setData({ name: e.detail.value })
    },

    onPhone(e) {
      this.setData({ phone: e.detail.value })
    },

    onSave() {
      const name = this.data.name.trim()
      const phone = this.data.phone.trim()
      if (!name) {
        wx.showToast({ title: '请填写称呼', icon: 'none' })
        return Promise.resolve()
      }
      if (phone && !/^1\d{10}$/.test(phone)) {
        wx.showToast({ title: '请填写 11 位手机号', icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ saving: true })
      return api.updateMe({ name, phone: phone || null }).then(
        (me) => {
          session.set(me)
          this.show(me)
          this.setData({ saving: false })
          wx.showToast({ title: '已保存', icon: 'success' })
        },
        () => this.setData({ saving: false })
      )
    },

    onElder(e) {
      uiModeService.setElder(!!e.detail.value)
    },

    noop() {},

    onElderRow() {
      uiModeService.setElder(!this.data.ui.elder)
    },

    onInbox() {
      wx.navigateTo({ url: '/pages/inbox/inbox' })
    },

    onBind() {
      wx.navigateTo({ url: '/pages/bind/bind' })
    },

    onVerify() {
      wx.navigateTo({ url: '/pages/verify/verify' })
    },

    onProfile() {
      wx.navigateTo({ url: '/pages/member/profile/profile' })
    },

    onRegister() {
      wx.navigateTo({ url: '/pages/member/register/register' })
    },

    // Forget the token and log in again with wx.login (e.g. after roles changed).
    onRelogin() {
      session.clear()
      return this.load(true)
    },
  },
})
