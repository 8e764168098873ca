// 党员双报到: an in-post Party member reports in to the compound where they live
// (POST /api/v1/members/register); the compound's Party branch approves it.
const api = require('../../../services/api')
const session = require('../../../services/session')
const notify = require('../../../services/notify')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const { skillSuggestions } = require('../../../utils/format')

Component({
  behaviors: [uiMode],
  data: {
    loading: true,
    error: '',
    errorKind: '',
    me: null,
    state: 'form', // form | member | submitted | unbound
    submittedText: '',
    workUnit: '',
    skills: [],
    suggestions: [],
    submitting: false,
  },
  methods: {
    onLoad() {
      notify.prepare('register_member')
      return this.load()
    },

    load() {
      this.setData({ loading: true, error: '' })
      return Promise.all([session.load({ force: true, silent: true }), api.listCategories({ silent: true })]).then(
        ([me, cats]) => {
          let state = 'form'
          if (!me.compound_id) state = 'unbound'
          else if (session.compoundsWhere('party_member', me).indexOf(me.compound_id) >= 0) state = 'member'
          this.setData({ me, state, loading: false, suggestions: skillSuggestions(cats) })
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    onRetry() {
      return this.load()
    },

    onWorkUnit(e) {
      this.setData({ workUnit: e.detail.value })
    },

    onSkills(e) {
      this.setData({ skills: e.detail.value })
    },

    onSubmit() {
      const d = this.data
      if (d.submitting) return Promise.resolve()
      const workUnit = d.workUnit.trim()
      if (!workUnit) {
        wx.showToast({ title: '请填写工作单位', icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ submitting: true })
      const body = { compound_id: d.me.compound_id, work_unit: workUnit, skills: d.skills }
      return notify.run('register_member', () => api.registerMember(body, { silent: true })).then(
        () => this.submitted('已提交到' + d.me.compound_name + '党支部，审批通过后即可接单'),
        (err) => {
          this.setData({ submitting: false })
          if (err.code === 'registration_pending') return this.submitted(err.detail)
          if (err.code === 'already_member') return this.setData({ state: 'member' })
          wx.showToast({ title: err.detail, icon: 'none' })
        }
      )
    },

    submitted(text) {
      this.setData({ submitting: false, state: 'submitted', submittedText: text })
    },

    onWall() {
      wx.redirectTo({ url: '/pages/member/wall/wall' })
    },

    onHome() {
      wx.switchTab({ url: '/pages/home/home' })
    },

    onBind() {
      wx.redirectTo({ url: '/pages/bind/bind?next=' + encodeURIComponent('/pages/member/register/register') })
    },
  },
})
