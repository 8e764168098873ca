// 合伙人招募: opportunity lists (GET /api/v1/opportunities), each with its share card for WeChat
// groups (onShareAppMessage: the card's title and path, which opens this page at that opportunity),
// and the application (POST …/applications): as my partner (a partner contact's grant) or as a
// would-be partner with the form (kind, name, contact, services); the pitch for both.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const ui = require('../../../utils/ui')
const time = require('../../../utils/time')
const glossary = require('../../../utils/glossary')
const { sides, applicationItem } = require('../common')

const KINDS = Object.keys(glossary.PARTNER_KIND).map((value) => ({ value, label: glossary.PARTNER_KIND[value] }))
const EMPTY_FORM = { kind: 'shop', name: '', contact: '', services: '', pitch: '', asPartner: true }

function opportunityItem(o, now = new Date()) {
  return Object.assign({}, o, {
    deadlineText: time.formatMoment(o.deadline, now),
    closed: !o.open || time.isPast(o.deadline, now),
  })
}

Component({
  behaviors: [pagedList, uiMode],
  data: { kinds: KINDS, form: Object.assign({}, EMPTY_FORM), applying: 0, partnerId: 0, submitting: false, applied: {}, actions: glossary.ACTIONS },
  methods: {
    onLoad(query = {}) {
      this._focus = Number(query.id) || 0
      wx.showShareMenu && wx.showShareMenu({ menus: ['shareAppMessage'] })
      return Promise.all([
        api.getMe({ silent: true }).then(
          (me) => {
            const partner = sides(me).find((s) => s.kind === 'partner')
            this.setData({ partnerId: partner ? partner.id : 0 })
          },
          () => null
        ),
        this.reload(),
      ]).then(() => this.focus())
    },
    onPullDownRefresh() {
      return this.refresh()
    },
    onReachBottom() {
      return this.loadMore()
    },
    fetchPage(cursor) {
      return api.listOpportunities({ cursor, limit: 20 }, { silent: true }).then((page) => ({ items: page.items.map((o) => opportunityItem(o)), next_cursor: page.next_cursor }))
    },
    // opened from a share card: that opportunity first, with its form open
    focus() {
      const id = this._focus
      if (!id) return Promise.resolve()
      this._focus = 0
      const found = this.data.items.find((o) => o.id === id)
      const load = found ? Promise.resolve(found) : api.getOpportunity(id, { silent: true }).then((o) => opportunityItem(o), () => null)
      return load.then((o) => {
        if (!o) return
        const items = [o].concat(this.data.items.filter((x) => x.id !== id))
        this.setData({ items, applying: o.closed ? 0 : id })
      })
    },
    onShareAppMessage(res) {
      const id = res && res.target && res.target.dataset ? Number(res.target.dataset.id) : 0
      const o = this.data.items.find((x) => x.id === id)
      if (!o) return { title: '幸福合伙人招募', path: '/pages/cobuild/opportunities/opportunities' }
      return { title: o.share.title + '｜' + o.share.summary, path: o.share.path }
    },
    onApply(e) {
      const id = e.currentTarget.dataset.id
      this.setData({ applying: this.data.applying === id ? 0 : id, form: Object.assign({}, EMPTY_FORM, { asPartner: !!this.data.partnerId }) })
    },
    onAsPartner(e) {
      this.setData({ 'form.asPartner': e.currentTarget.dataset.value === 'partner' })
    },
    onKind(e) {
      this.setData({ 'form.kind': e.currentTarget.dataset.value })
    },
    onField(e) {
      this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value })
    },
    body() {
      const f = this.data.form
      const pitch = String(f.pitch || '').trim().slice(0, 500)
      if (f.asPartner && this.data.partnerId) return { partner_id: this.data.partnerId, pitch }
      const name = String(f.name || '').trim()
      if (!name) return null
      const services = String(f.services || '')
        .split(/[,，、\s]+/)
        .map((s) => s.trim().slice(0, 30))
        .filter(Boolean)
        .slice(0, 20)
      return { partner: { kind: f.kind, name: name.slice(0, 60), contact: String(f.contact || '').trim().slice(0, 60), services }, pitch }
    },
    onSubmit() {
      const id = this.data.applying
      const body = this.body()
      if (!body) {
        ui.toast('请填写单位或个人名称')
        return Promise.resolve()
      }
      if (this.data.submitting) return Promise.resolve()
      this.setData({ submitting: true })
      return api.applyOpportunity(id, body).then(
        (a) => {
          this.setData({ submitting: false, applying: 0, ['applied.' + id]: applicationItem(a) })
          ui.toast('报名已提交', 'success')
        },
        () => this.setData({ submitting: false })
      )
    },
  },
})
