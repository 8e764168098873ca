// 技能与时间: a Party member's skills, work unit and availability (GET/PATCH /api/v1/members/me).
// Availability saves at once; skills and work unit with the 保存 button.
const api = require('../../../services/api')
const { skillSuggestions } = require('../../../utils/format')

Component({
  data: {
    loading: true,
    error: '',
    available: true,
    workUnit: '',
    skills: [],
    suggestions: [],
    saving: false,
    savingAvailable: false,
  },
  methods: {
    onLoad() {
      return this.load()
    },

    load() {
      this.setData({ loading: true, error: '' })
      return Promise.all([api.getMember({ silent: true }), api.listCategories({ silent: true })]).then(
        ([member, cats]) => this.fill(member, { loading: false, suggestions: skillSuggestions(cats) }),
        (err) => this.setData({ loading: false, error: err.detail || '加载失败，请稍后重试' })
      )
    },

    fill(member, extra) {
      this.setData(
        Object.assign({ available: member.available, workUnit: member.work_unit, skills: member.skills || [] }, extra || {})
      )
    },

    onRetry() {
      return this.load()
    },

    onAvailable(e) {
      const value = !!e.detail.value
      const before = this.data.available
      this.setData({ available: value, savingAvailable: true })
      return api.updateMember({ available: value }).then(
        (member) => {
          this.setData({ available: member.available, savingAvailable: false })
          wx.showToast({ title: member.available ? '已恢复接单' : '已暂停接单', icon: 'none' })
        },
        () => this.setData({ available: before, savingAvailable: false })
      )
    },

    onWorkUnit(e) {
      this.setData({ workUnit: e.detail.value })
    },

    onSkills(e) {
      this.setData({ skills: e.detail.value })
    },

    onSave() {
      const d = this.data
      if (d.saving) return Promise.resolve()
      if (!d.workUnit.trim()) {
        wx.showToast({ title: '请填写工作单位', icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ saving: true })
      return api.updateMember({ work_unit: d.workUnit.trim(), skills: d.skills }).then(
        (member) => {
          this.fill(member, { saving: false })
          wx.showToast({ title: '已保存', icon: 'success' })
        },
        () => this.setData({ saving: false })
      )
    },
  },
})
