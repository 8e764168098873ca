// 技能与时间: a Party member's skills, work unit and availability (GET/PATCH /api/v1/members/me),
// and whether residents whose wish they took may call them (share_phone, contracts.md §3; shown
// when the server knows it). Availability and the phone choice save at once; skills and work unit
// with the 保存 button.
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const { skillSuggestions } = require('../../../utils/format')

Component({
  behaviors: [uiMode],
  data: {
    loading: true,
    error: '',
    errorKind: '',
    available: true,
    sharePhone: null, // null: the server does not tell
    workUnit: '',
    skills: [],
    suggestions: [],
    saving: false,
    savingAvailable: false,
    savingShare: false,
  },
  methods: {
    onLoad() {
      return this.load()
    },

    load() {
      this.setData({ loading: true, error: '' })
      return Promise.all([api.getMember({ silent: true }), api.listCategories({ silent: true })]).then(
        ([member, cats]) => this.fill(member, { loading: false, suggestions: skillSuggestions(cats) }),
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    fill(member, extra) {
      this.setData(
        Object.assign(
          {
            available: member.available,
            sharePhone: typeof member.share_phone === 'boolean' ? member.share_phone : null,
            workUnit: member.work_unit,
            skills: member.skills || [],
          },
          extra || {}
        )
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

    onSharePhone(e) {
      const value = !!e.detail.value
      const before = this.data.sharePhone
      this.setData({ sharePhone: value, savingShare: true })
      return api.updateMember({ share_phone: value }).then(
        (member) => {
          this.setData({ sharePhone: typeof member.share_phone === 'boolean' ? member.share_phone : value, savingShare: false })
          wx.showToast({ title: value ? '居民可以直接给您打电话' : '居民会请您回电', icon: 'none' })
        },
        () => this.setData({ sharePhone: before, savingShare: false })
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
