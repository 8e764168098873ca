// 我的: name, phone, compound and roles (GET/PATCH /api/v1/me); links to binding and member pages.
const api = require('../../services/api')
const session = require('../../services/session')
const inbox = require('../../services/inbox')
const roles = require('../../utils/roles')
const { syncTabBar } = require('../../utils/tabbar')

Component({
  data: {
    me: null,
    loading: false,
    error: '',
    roleLabels: [],
    isMember: false,
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
        (err) => this.setData({ loading: false, error: err.detail || '加载失败，请稍后重试' })
      )
    },

    show(me) {
      this.setData({
        me,
        loading: false,
        roleLabels: roles.roleLabels(me),
        isMember: roles.hasRole(me, 'party_member'),
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

    onInbox() {
      wx.navigateTo({ url: '/pages/inbox/inbox' })
    },

    onBind() {
      wx.navigateTo({ url: '/pages/bind/bind' })
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
