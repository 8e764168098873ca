// 住户台账 (网格员, 楼栋长): the households of my grids by building and unit
// (GET /api/v1/households, keyset pages ordered by building, unit and room), filtered by building,
// care tag (GET /api/v1/households/care-tags) or a name / room number; care tags as TDesign tags.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const { householdItem, withUnitHeaders } = require('../../../utils/grid')

// "3号楼" out of "3号楼1单元"; the building's id when the label has no 楼.
function buildingName(h) {
  const m = /^(.*?[楼栋幢座])/.exec(h.unitText || '')
  return m ? m[1] : '楼栋 ' + h.building_id
}

Component({
  behaviors: [pagedList, uiMode],
  data: {
    careTags: [],
    buildings: [], // {id, name}, as the register shows them
    tag: '',
    buildingId: '',
    q: '',
  },
  methods: {
    onLoad(query = {}) {
      if (query.tag) this.setData({ tag: query.tag })
      api.listCareTags({ silent: true }).then(
        (out) => this.setData({ careTags: out.items.map((t) => t.tag) }),
        () => {}
      )
      return this.reload()
    },

    onPullDownRefresh() {
      return this.refresh()
    },

    onReachBottom() {
      return this.loadMore()
    },

    fetchPage(cursor) {
      const d = this.data
      const filter = { tag: d.tag, building_id: d.buildingId, q: d.q.trim(), cursor, limit: 30 }
      return api.listHouseholds(filter, { silent: true }).then((page) => {
        const fresh = page.items.map(householdItem)
        this.noteBuildings(fresh)
        const before = cursor ? this.data.items.length : 0
        // headers are worked out over the whole list, so a unit split across pages gets one
        const all = withUnitHeaders((cursor ? this.data.items : []).concat(fresh))
        return { items: all.slice(before), next_cursor: page.next_cursor }
      })
    },

    noteBuildings(items) {
      if (this.data.buildingId || this.data.tag || this.data.q) return
      const known = this.data.buildings.slice()
      items.forEach((h) => {
        if (!known.some((b) => b.id === h.building_id)) known.push({ id: h.building_id, name: buildingName(h) })
      })
      if (known.length !== this.data.buildings.length) this.setData({ buildings: known })
    },

    onTag(e) {
      const tag = e.currentTarget.dataset.tag
      this.setData({ tag: tag === this.data.tag ? '' : tag, items: [], loaded: false })
      return this.reload()
    },

    onBuilding(e) {
      const id = e.currentTarget.dataset.id
      this.setData({ buildingId: id === this.data.buildingId ? '' : id, items: [], loaded: false })
      return this.reload()
    },

    onQuery(e) {
      this.setData({ q: e.detail.value || '' })
    },

    onSearch() {
      this.setData({ items: [], loaded: false })
      return this.reload()
    },

    onClear() {
      this.setData({ q: '', items: [], loaded: false })
      return this.reload()
    },

    onOpen(e) {
      wx.navigateTo({ url: '/pages/grid/household/household?id=' + e.currentTarget.dataset.id })
    },
  },
})
