// 上报事件: a grid worker raises a grid issue for a household of their grid
// (POST /api/v1/issues {household_id, category, urgency, description, location, photos}); the
// grid then handles it or 吹哨 to a street department from the issue's page.
const api = require('../../../services/api')
const { CATEGORIES, URGENCIES } = require('../../../utils/issues')
const photoForm = require('../../../behaviors/photo-form')

Component({
  behaviors: [photoForm],
  data: {
    householdId: null,
    label: '',
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
      const label = query.label ? decodeURIComponent(query.label) : ''
      this.setData({ householdId: Number(query.household_id) || null, label, location: label })
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
      if (!d.householdId) return '请从住户页面上报事件'
      if (!d.category) return '请选择事件类别'
      if (!d.description.trim()) return '请描述事件情况'
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
      return api
        .raiseIssue({
          household_id: d.householdId,
          category: d.category,
          urgency: d.urgency,
          description: d.description.trim(),
          location: d.location.trim(),
          photos: d.photos,
        })
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
