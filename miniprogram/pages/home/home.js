// 首页: who I am, where I live, one large 我要许愿, and the entries my roles allow (utils/roles.js).
// On the first launch it offers 长辈模式 in a card (no pop-up); residents whose household is not
// verified yet are pointed to 住户认证 (contracts.md §1; older servers send no household_status,
// and then nothing is shown).
const session = require('../../services/session')
const inbox = require('../../services/inbox')
const uiModeService = require('../../services/ui-mode')
const uiMode = require('../../behaviors/ui-mode')
const roles = require('../../utils/roles')
const errors = require('../../utils/errors')
const { ACTIONS, HOUSEHOLD_STATUS } = require('../../utils/glossary')
const { syncTabBar } = require('../../utils/tabbar')

function verifyCard(me) {
  const status = me && me.household_status
  if (!me || !me.compound_id || !status || status === 'verified') return null
  if (status === 'pending') {
    return { status, label: HOUSEHOLD_STATUS.pending, text: '住户认证审核中，用微信手机号可以马上认证' }
  }
  return { status, label: HOUSEHOLD_STATUS.none, text: '认证您的住户，党员上门服务更放心' }
}

Component({
  behaviors: [uiMode],
  data: {
    me: null,
    loading: false,
    error: '',
    errorKind: '',
    roleLabels: [],
    sections: [],
    unread: 0,
    verify: null,
    words: ACTIONS,
  },
  methods: {
    onLoad() {
      return this.load(false)
    },

    onShow() {
      syncTabBar(this, 'home')
      inbox.refresh().then((n) => this.setData({ unread: n }))
      // roles may have changed elsewhere (e.g. a 双报到 approved): refresh quietly
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
          // the big 我要许愿 card stands for the first entry; the grids list the rest
          const sections = roles.homeSections(me).map((s) => Object.assign({}, s, { entries: s.entries.filter((e) => e.key !== 'new-wish') }))
          this.setData({ me, loading: false, roleLabels: roles.roleLabels(me), sections, verify: verifyCard(me) })
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    onRetry() {
      return this.load(true)
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

    onNewWish() {
      const url = '/pages/wish/new/new'
      if (this.data.me && !this.data.me.compound_id) {
        wx.navigateTo({ url: '/pages/bind/bind?next=' + encodeURIComponent(url) })
      } else {
        wx.navigateTo({ url })
      }
    },

    onElderOn() {
      uiModeService.setElder(true)
    },

    onElderLater() {
      uiModeService.dismissOffer()
    },

    onEntry(e) {
      const key = e.currentTarget.dataset.key
      let entry = null
      this.data.sections.forEach((s) => s.entries.forEach((x) => (x.key === key ? (entry = x) : null)))
      if (!entry) return
      if (entry.tab) {
        wx.switchTab({ url: entry.url })
      } else {
        wx.navigateTo({ url: entry.url })
      }
    },
  },
})
