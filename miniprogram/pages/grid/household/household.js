// 住户详情 (网格员, 楼栋长): the register entry (GET /api/v1/households/{id}: residents, phones, care
// tags) and its visits, latest first, with findings and what they became
// (GET /api/v1/households/{id}/visits, keyset pages); visits still on the phone are shown on top with
// their sync state. 记录走访 opens the visit form.
const api = require('../../../services/api')
const visits = require('../../../services/visits')
const pagedList = require('../../../behaviors/paged-list')
const time = require('../../../utils/time')
const { householdItem, visitItem, OUTCOME_LABELS } = require('../../../utils/grid')

Component({
  behaviors: [pagedList],
  data: {
    id: null,
    household: null,
    householdError: '',
    queued: [],
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
          this.setData({ household: householdItem(h) })
          wx.setNavigationBarTitle({ title: h.label })
        },
        (err) => this.setData({ householdError: err.detail || '加载失败，请稍后重试' })
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
          timeText: time.formatDateTime(it.payload.visited_at),
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

    onPhoto(e) {
      const { urls, index } = e.currentTarget.dataset
      wx.previewImage({ urls, current: urls[index] })
    },
  },
})
