// 上报事件: a grid worker raises a grid issue, either for a household of their grid (opened from
// the household's page: POST /api/v1/issues {household_id, …}) or for a public place (opened from
// 我的事件: the grid and compound are picked from GET /api/v1/issues/places, and the place must be
// described). The grid then handles it or 吹哨 to a street department from the issue's page.
const api = require('../../../services/api')
const privacy = require('../../../services/privacy')
const { CATEGORIES, URGENCIES } = require('../../../utils/issues')
const { ACTIONS } = require('../../../utils/glossary')
const photoForm = require('../../../behaviors/photo-form')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')

Component({
  behaviors: [photoForm, uiMode],
  data: {
    words: ACTIONS,
    placesErrorKind: '',
    householdId: null,
    label: '',
    // public place: the worker's grids with their compounds, and what is picked
    places: [],
    placesLoading: false,
    placesError: '',
    gridId: null,
    compounds: [],
    compoundId: null,
    categories: CATEGORIES,
    urgencies: URGENCIES,
    category: '',
    urgency: 'normal',
    urgencyHint: URGENCIES[0].hint,
    description: '',
    location: '',
    submitting: false,
  },
  methods: {
    onLoad(query = {}) {
      privacy.install()
      const label = query.label ? decodeURIComponent(query.label) : ''
      const householdId = Number(query.household_id) || null
      this.setData({ householdId, label, location: label })
      if (!householdId) return this.loadPlaces()
    },

    loadPlaces() {
      this.setData({ placesLoading: true, placesError: '' })
      return api.listIssuePlaces({ silent: true }).then(
        (places) => {
          this.setData({ places, placesLoading: false })
          if (places.length === 1) this.pickGrid(places[0].grid_id)
        },
        (err) => {
          const st = errors.errorState(err)
          this.setData({ placesLoading: false, placesError: st.error, placesErrorKind: st.errorKind })
        }
      )
    },

    pickGrid(gridId) {
      const grid = this.data.places.find((p) => p.grid_id === gridId)
      const compounds = (grid && grid.compounds) || []
      this.setData({ gridId, compounds, compoundId: compounds.length === 1 ? compounds[0].compound_id : null })
    },

    onGrid(e) {
      this.pickGrid(Number(e.currentTarget.dataset.id))
    },

    onCompound(e) {
      this.setData({ compoundId: Number(e.currentTarget.dataset.id) })
    },

    onCategory(e) {
      this.setData({ category: e.currentTarget.dataset.code })
    },

    onUrgency(e) {
      const code = e.currentTarget.dataset.code
      this.setData({ urgency: code, urgencyHint: URGENCIES.find((u) => u.code === code).hint })
    },

    onDescription(e) {
      this.setData({ description: e.detail.value })
    },

    onLocation(e) {
      this.setData({ location: e.detail.value })
    },

    validate() {
      const d = this.data
      if (!d.householdId && !d.gridId) return '请选择网格'
      if (!d.householdId && !d.compoundId) return '请选择小区'
      if (!d.category) return '请选择事件类别'
      if (!d.description.trim()) return '请描述事件情况'
      if (!d.householdId && !d.location.trim()) return '请填写事件地点'
      return this.photoProblem()
    },

    onSubmit() {
      if (this.data.submitting) return Promise.resolve()
      const problem = this.validate()
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' })
        return Promise.resolve()
      }
      const d = this.data
      this.setData({ submitting: true })
      const place = d.householdId ? { household_id: d.householdId } : { grid_id: d.gridId, compound_id: d.compoundId }
      return api
        .raiseIssue(
          Object.assign(place, {
            category: d.category,
            urgency: d.urgency,
            description: d.description.trim(),
            location: d.location.trim(),
            photos: d.photos,
          })
        )
        .then(
          (issue) => {
            this.setData({ submitting: false })
            wx.showToast({ title: '已上报', icon: 'success' })
            wx.redirectTo({ url: '/pages/issue/detail/detail?id=' + issue.id })
          },
          () => this.setData({ submitting: false }) // the API client has shown the detail
        )
    },
  },
})
