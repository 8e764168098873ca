// 我要提案: level, kind (个人 / 联名 / 单位), an encouraged category (GET /api/v1/proposals/lists,
// with what each covers), the problem, the solution (required: 带着解决方案提问题), whether the
// proposer will take the project on, the cost and photos. 保存草稿 creates (POST /api/v1/proposals)
// or edits (PATCH, a draft or a returned one, ?id=); 提交提案 saves, then shows the street's
// negative list: the proposer ticks every item as not applying, and only then
// POST /api/v1/proposals/{id}/submit {none_applies: true} is sent.
const api = require('../../../services/api')
const session = require('../../../services/session')
const privacy = require('../../../services/privacy')
const photoForm = require('../../../behaviors/photo-form')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const { ACTIONS } = require('../../../utils/glossary')
const { LEVELS, KINDS, detailUrl } = require('../common')

const FIELDS = ['title', 'problem', 'solution', 'undertaking', 'cost', 'organisation']

Component({
  behaviors: [photoForm, uiMode],
  data: {
    words: ACTIONS,
    loading: true,
    error: '',
    errorKind: '',
    levels: LEVELS,
    kinds: KINDS,
    encouraged: [],
    negative: [],
    id: null,
    existingPhotos: [],
    level: 'compound',
    kind: 'individual',
    kindHint: KINDS[0].hint,
    category: '',
    categoryHint: '',
    title: '',
    problem: '',
    solution: '',
    willUndertake: false,
    undertaking: '',
    cost: '',
    organisation: '',
    partnerId: null, // a partner's contact proposes for it: the server names the partner
    step: 'form', // form | check (the negative-list self-check)
    checked: {},
    checkedCount: 0,
    saving: false,
  },
  methods: {
    onLoad(query = {}) {
      privacy.install()
      this._id = Number(query.id) || null
      this._checkFirst = query.step === 'check'
      return this.load()
    },

    load() {
      this.setData({ loading: true, error: '' })
      session.load({ silent: true }).then(
        (me) => {
          const contact = ((me && me.grants) || []).filter((g) => g.role === 'partner_contact' && g.scope_type === 'partner')
          this.setData({ partnerId: contact.length === 1 ? contact[0].scope_id : null })
        },
        () => {}
      )
      const lists = api.getProposalLists({ silent: true })
      const existing = this._id ? api.getProposal(this._id, { silent: true }) : Promise.resolve(null)
      return Promise.all([lists, existing]).then(
        ([l, p]) => {
          this.setData({ loading: false, encouraged: l.encouraged || [], negative: l.negative || [] })
          if (p) this.fill(p)
          if (p && this._checkFirst) this.setData({ step: 'check' })
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },

    fill(p) {
      const kind = KINDS.find((k) => k.code === p.kind) || KINDS[0]
      this.setData({
        id: p.id,
        level: p.level,
        kind: kind.code,
        kindHint: kind.hint,
        title: p.title || '',
        problem: p.problem || '',
        solution: p.solution || '',
        willUndertake: !!p.will_undertake,
        undertaking: p.undertaking || '',
        cost: p.estimated_cost === null || p.estimated_cost === undefined ? '' : String(p.estimated_cost),
        organisation: p.organisation_name || '',
        existingPhotos: p.photos || [],
      })
      this.pickCategory(p.category)
      wx.setNavigationBarTitle({ title: ACTIONS.editProposal })
    },

    onRetry() {
      return this.load()
    },

    onLevel(e) {
      this.setData({ level: e.currentTarget.dataset.code })
    },

    onKind(e) {
      const kind = KINDS.find((k) => k.code === e.currentTarget.dataset.code)
      this.setData({ kind: kind.code, kindHint: kind.hint })
    },

    pickCategory(code) {
      const c = this.data.encouraged.find((x) => x.code === code)
      this.setData({ category: c ? c.code : '', categoryHint: c ? c.description : '' })
    },

    onCategory(e) {
      this.pickCategory(e.currentTarget.dataset.code)
    },

    onField(e) {
      const field = e.currentTarget.dataset.field
      if (FIELDS.indexOf(field) >= 0) this.setData({ [field]: e.detail.value })
    },

    onUndertake() {
      this.setData({ willUndertake: !this.data.willUndertake })
    },

    validate() {
      const d = this.data
      if (!d.category) return '请选择提案类别'
      if (!d.title.trim()) return '请给提案起个标题'
      if (!d.problem.trim()) return '请写下要解决的问题'
      if (!d.solution.trim()) return '请写下您的解决办法'
      if (d.willUndertake && !d.undertaking.trim()) return '愿意承接的，请说明打算怎样承接'
      if (d.kind === 'organisation' && !d.partnerId && !d.organisation.trim()) return '请填写提案单位的名称'
      if (d.cost.trim() && !/^\d{1,9}$/.test(d.cost.trim())) return '预计费用请填整数（元）'
      return this.photoProblem()
    },

    body() {
      const d = this.data
      const cost = d.cost.trim()
      return {
        title: d.title.trim(),
        problem: d.problem.trim(),
        solution: d.solution.trim(),
        category: d.category,
        will_undertake: d.willUndertake,
        undertaking: d.willUndertake ? d.undertaking.trim() || null : null,
        estimated_cost: cost ? Number(cost) : null,
        organisation_name: d.kind === 'organisation' ? d.organisation.trim() : null,
        photos: d.existingPhotos.concat(d.photos),
      }
    },

    // An organisation proposal of a partner's contact is filed for that partner (POST only).
    partnerField() {
      return this.data.kind === 'organisation' && this.data.partnerId ? { partner_id: this.data.partnerId, organisation_name: null } : {}
    },

    // Creates the draft, or saves the changes to it; resolves with the proposal, or null.
    save() {
      const problem = this.validate()
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' })
        return Promise.resolve(null)
      }
      const body = this.body()
      const call = this.data.id
        ? api.editProposal(this.data.id, body)
        : api.createProposal(Object.assign({ level: this.data.level, kind: this.data.kind }, body, this.partnerField()))
      this.setData({ saving: true })
      return call.then(
        (p) => {
          // the photos already on the proposal when the page opened stay first; the picker's follow
          this.setData({ saving: false, id: p.id })
          return p
        },
        () => {
          this.setData({ saving: false }) // the API client has shown the detail
          return null
        }
      )
    },

    onSaveDraft() {
      if (this.data.saving) return Promise.resolve()
      return this.save().then((p) => {
        if (p) wx.showToast({ title: '草稿已保存', icon: 'success' })
      })
    },

    onSubmit() {
      if (this.data.saving) return Promise.resolve()
      return this.save().then((p) => {
        if (!p) return
        this.setData({ step: 'check', checked: {}, checkedCount: 0 })
        wx.pageScrollTo({ scrollTop: 0, duration: 0 })
      })
    },

    onCheck(e) {
      const code = e.currentTarget.dataset.code
      const checked = Object.assign({}, this.data.checked, { [code]: !this.data.checked[code] })
      this.setData({ checked, checkedCount: this.data.negative.filter((n) => checked[n.code]).length })
    },

    onBack() {
      this.setData({ step: 'form' })
    },

    onConfirm() {
      const d = this.data
      if (d.saving) return Promise.resolve()
      if (d.checkedCount < d.negative.length) {
        wx.showToast({ title: '请逐条确认不涉及负面清单（还有 ' + (d.negative.length - d.checkedCount) + ' 条）', icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ saving: true })
      return api.submitProposal(d.id, true).then(
        (p) => {
          this.setData({ saving: false })
          wx.showToast({ title: p.status === 'cosigning' ? '已提交，请邀请邻居联名' : '已提交', icon: 'success' })
          wx.redirectTo({ url: detailUrl(p.id) })
        },
        () => this.setData({ saving: false })
      )
    },
  },
})
