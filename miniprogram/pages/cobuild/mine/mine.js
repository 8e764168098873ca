// 我的志愿: my sign-ups (GET /api/v1/registrations/mine) in the glossary's words with their hours,
// my 积分 balance and service hours with the time-bank statement (GET /api/v1/timebank/me), and what
// credits buy (GET /api/v1/timebank/offers): redeeming one holds the credits until the partner
// confirms (POST …/redemptions → 待确认), and a pending one can be cancelled (refunded).
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const notify = require('../../../services/notify')
const ui = require('../../../utils/ui')
const glossary = require('../../../utils/glossary')
const { signupItem, entryItem, hoursText } = require('../common')

const TABS = [
  { key: 'signups', text: '我的报名' },
  { key: 'credits', text: '积分明细' },
  { key: 'offers', text: '积分兑换' },
]

Component({
  behaviors: [pagedList, uiMode],
  data: { tabs: TABS, tab: 'signups', myId: 0, balance: null, hours: '', held: [], busy: 0, actions: glossary.ACTIONS },
  methods: {
    onLoad(query = {}) {
      notify.prepare('redeem')
      if (query.tab && TABS.some((t) => t.key === query.tab)) this.setData({ tab: query.tab })
      api.getMe({ silent: true }).then((me) => this.setData({ myId: me.id }), () => null)
      return Promise.all([this.loadBalance(), this.reload()])
    },
    onPullDownRefresh() {
      return Promise.all([this.loadBalance(), this.refresh()])
    },
    onReachBottom() {
      return this.loadMore()
    },
    loadBalance() {
      return api.getTimebank({ limit: 1 }, { silent: true }).then(
        (s) => this.setData({ balance: s.balance, hours: hoursText(s.minutes) }),
        () => this.setData({ balance: null })
      )
    },
    fetchPage(cursor) {
      const tab = this.data.tab
      if (tab === 'credits') {
        return api.getTimebank({ cursor, limit: 20 }, { silent: true }).then((s) => {
          this.setData({ balance: s.balance, hours: hoursText(s.minutes) })
          return { items: s.items.map((e) => entryItem(e)), next_cursor: s.next_cursor }
        })
      }
      if (tab === 'offers') {
        return api.listOffers({ cursor, limit: 20 }, { silent: true }).then((p) => ({ items: p.items, next_cursor: p.next_cursor }))
      }
      return api.listMySignups({ cursor, limit: 20 }, { silent: true }).then((p) => ({ items: p.items.map((r) => signupItem(r)), next_cursor: p.next_cursor }))
    },
    onTab(e) {
      const key = e.detail.value
      if (!key || key === this.data.tab) return Promise.resolve()
      this.setData({ tab: key, items: [], loaded: false })
      return this.reload()
    },
    onOpenActivity(e) {
      wx.navigateTo({ url: '/pages/cobuild/activity/activity?id=' + e.currentTarget.dataset.id })
    },
    onRedeem(e) {
      const offer = this.data.items.find((o) => o.id === e.currentTarget.dataset.id)
      if (!offer || this.data.busy) return Promise.resolve()
      if (this.data.balance !== null && this.data.balance < offer.cost) {
        ui.toast('积分不够：需要 ' + offer.cost + '，您有 ' + this.data.balance)
        return Promise.resolve()
      }
      const content = '需要 ' + offer.cost + ' 积分。积分先冻结，' + offer.partner_name + '确认后兑换成功；对方婉拒时积分退回。'
      return ui.confirm('兑换「' + offer.title + '」？', content).then((ok) => {
        if (!ok) return
        this.setData({ busy: offer.id })
        return notify.run('redeem', () => api.redeemOffer(offer.id)).then(
          (r) => {
            const held = this.data.held.concat([Object.assign({}, r, { title: offer.title, partner_name: offer.partner_name, statusLabel: glossary.label('redemption', r.status, r.status_label), theme: glossary.theme('redemption', r.status) })])
            this.setData({ busy: 0, held, balance: r.balance === null || r.balance === undefined ? this.data.balance : r.balance })
            ui.toast('已提交，等待确认', 'success')
          },
          () => this.setData({ busy: 0 })
        )
      })
    },
    onCancelRedeem(e) {
      const id = e.currentTarget.dataset.id
      return ui.confirm(glossary.ACTIONS.cancelRedeem + '？', '冻结的积分会退回').then((ok) => {
        if (!ok) return
        return api.cancelRedemption(id).then((r) => {
          const held = this.data.held.map((h) => (h.id === id ? Object.assign({}, h, r, { statusLabel: glossary.label('redemption', r.status, r.status_label), theme: glossary.theme('redemption', r.status) }) : h))
          this.setData({ held })
          return this.loadBalance()
        }, () => null)
      })
    },
  },
})
