// <skill-picker value="{{skills}}" suggestions="{{allSkills}}" bind:change="onSkills" />
// "change" carries {value: [skill, …]} in the order chosen.
const MAX_SKILLS = 20

Component({
  options: { addGlobalClass: true },
  properties: {
    value: { type: Array, value: [] },
    suggestions: { type: Array, value: [] },
  },
  data: {
    chips: [],
    draft: '',
  },
  observers: {
    'value, suggestions': function (value, suggestions) {
      const names = []
      ;(suggestions || []).concat(value || []).forEach((n) => {
        if (names.indexOf(n) < 0) names.push(n)
      })
      this.setData({ chips: names.map((name) => ({ name, on: (value || []).indexOf(name) >= 0 })) })
    },
  },
  methods: {
    onToggle(e) {
      const name = e.currentTarget.dataset.name
      const value = this.data.value.slice()
      const i = value.indexOf(name)
      if (i >= 0) value.splice(i, 1)
      else if (value.length >= MAX_SKILLS) return wx.showToast({ title: '最多 20 项技能', icon: 'none' })
      else value.push(name)
      this.triggerEvent('change', { value })
    },

    onDraft(e) {
      this.setData({ draft: e.detail.value })
    },

    onAdd() {
      const name = this.data.draft.trim().slice(0, 20)
      if (!name) return
      const value = this.data.value.slice()
      if (value.indexOf(name) < 0) {
        if (value.length >= MAX_SKILLS) return wx.showToast({ title: '最多 20 项技能', icon: 'none' })
        value.push(name)
      }
      this.setData({ draft: '' })
      this.triggerEvent('change', { value })
    },
  },
})
