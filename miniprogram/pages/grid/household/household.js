// 住户详情 (网格员, 楼栋长): the register entry (GET /api/v1/households/{id}: residents, phones, care
// tags) and its visits, latest first, with findings and what they became
// (GET /api/v1/households/{id}/visits, keyset pages); visits still on the phone are shown on top with
// their sync state. Phone numbers are buttons (拨打电话); residents with a verified account are
// marked (ResidentOut.verified_account, contracts.md §1); 导航 when the building has coordinates.
// 记录走访 opens the visit form.
const api = require('../../../services/api')
const visits = require('../../../services/visits')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const time = require('../../../utils/time')
const errors = require('../../../utils/errors')
const { householdItem, visitItem, buildingPlace, OUTCOME_LABELS } = require('../../../utils/grid')
const { ACTIONS, HOUSEHOLD_STATUS } = require('../../../utils/glossary')

Component({
  behaviors: [pagedList, uiMode],
  data: {
    id: null,
    household: null,
    householdError: '',
    householdErrorKind: '',
    queued: [],
    words: ACTIONS,
    verifiedLabel: HOUSEHOLD_STATUS.verified,
  },
  lifetimes: {
    detached() {
      this.onUnload()
    },
  },
  methods: {
    onLoad(query = {}) {
      const id = Number(query.id)
      this.setData({ id })
      this._off = visits.get().subscribe(() => this.showQueued())
      this.showQueued()
      return Promise.all([this.loadHousehold(), this.reload()])
    },

    onUnload() {
      if (this._off) this._off()
      this._off = null
    },

    onShow() {
      this.showQueued()
      if (this._shown) return this.reload()
      this._shown = true
    },

    onPullDownRefresh() {
      return Promise.all([this.loadHousehold(), this.reload()]).then(() => wx.stopPullDownRefresh())
    },

    onReachBottom() {
      return this.loadMore()
    },

    loadHousehold() {
      this.setData({ householdError: '' })
      return api.getHousehold(this.data.id, { silent: true }).then(
        (h) => {
          const item = householdItem(h)
          item.residents = (h.residents || []).map((r) =>
            Object.assign({}, r, { callable: !!r.phone && String(r.phone).indexOf('*') < 0 })
          )
          item.place = buildingPlace(h)
          this.setData({ household: item })
          wx.setNavigationBarTitle({ title: h.label })
        },
        (err) => {
          const st = errors.errorState(err)
          this.setData({ householdError: st.error, householdErrorKind: st.errorKind })
        }
      )
    },

    fetchPage(cursor) {
      return api
        .listHouseholdVisits(this.data.id, { cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map(visitItem), next_cursor: page.next_cursor }))
    },

    // Visits of this household still on the phone (not yet on the server).
    showQueued() {
      const labels = visits.STATE_LABELS
      const themes = visits.STATE_THEMES
      const queued = visits
        .get()
        .list()
        .filter((it) => it.payload.household_id === this.data.id && ['pending', 'syncing', 'error'].indexOf(it.state) >= 0)
        .map((it) => ({
          client_id: it.client_id,
          stateLabel: labels[it.state],
          theme: themes[it.state],
          detail: it.detail,
          timeText: time.formatRelative(it.payload.visited_at),
          outcomeLabel: OUTCOME_LABELS[it.payload.outcome] || it.payload.outcome,
        }))
      this.setData({ queued })
    },

    onRetryHousehold() {
      return this.loadHousehold()
    },

    onVisit() {
      const h = this.data.household
      wx.navigateTo({
        url: '/pages/grid/visit/visit?id=' + this.data.id + '&label=' + encodeURIComponent((h && h.label) || ''),
      })
    },

    onRaiseIssue() {
      const h = this.data.household
      wx.navigateTo({
        url: '/pages/issue/new/new?household_id=' + this.data.id + '&label=' + encodeURIComponent((h && h.label) || ''),
      })
    },

    onQueue() {
      wx.navigateTo({ url: '/pages/grid/queue/queue' })
    },

    onCall(e) {
      const phone = e.currentTarget.dataset.phone
      if (phone && phone.indexOf('*') < 0) wx.makePhoneCall({ phoneNumber: phone })
    },

    onNavigate() {
      const h = this.data.household
      if (!h || !h.place) return
      wx.openLocation({ latitude: h.place.latitude, longitude: h.place.longitude, name: h.place.name || h.label, address: h.address || h.label, scale: 18 })
    },

    onPhoto(e) {
      const { urls, index } = e.currentTarget.dataset
      wx.previewImage({ urls, current: urls[index] })
    },
  },
})
