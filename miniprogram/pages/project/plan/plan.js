// 年度计划: a compound's plan of projects for a year (GET /api/v1/plans lists the compounds the caller
// reaches with each plan's state and the caller's `actions`; GET /plans/{compound}/{year}, a 404
// plan_not_found while nobody has started it). The compound branch (its dispatcher) keeps the
// year's projects in or out of the plan, adds new planned ones, saves (PUT) and submits — refused
// below KEY_PROJECTS_PER_YEAR key projects (409 too_few_key_projects), said with the count; the
// community admin reads the same page and approves or returns it with a reason (…/decide).
const api = require('../../../services/api')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const ui = require('../../../utils/ui')
const { projectItem, detailUrl } = require('../common')

// the year in Beijing
function thisYear(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).getUTCFullYear()
}

function compoundItem(row) {
  const status = row.status || 'none'
  return Object.assign({}, row, {
    status,
    statusLabel: glossary.label('plan', status, row.status_label),
    theme: glossary.theme('plan', status),
    chip: row.compound_name + ' · ' + glossary.label('plan', status, row.status_label),
  })
}

// the compound to open first: the one asked for, else one waiting for what the caller does
function pick(rows, wanted) {
  const asked = rows.find((r) => String(r.compound_id) === String(wanted))
  if (asked) return asked
  return rows.find((r) => r.actions.indexOf('approved') >= 0) || rows.find((r) => r.actions.indexOf('edited') >= 0) || rows[0]
}

function keyCount(projects, drafts) {
  return projects.filter((p) => p.key && p.status !== 'cancelled').length + drafts.filter((d) => d.key).length
}

// the refusal of a submit with too few key projects, in plain words with the count
// (the server's count wins: its detail reads "年度计划只有3项重点项目，…")
function tooFewText(count, required, detail) {
  const said = /只有\s*(\d+)\s*项/.exec(detail || '')
  const n = said ? Number(said[1]) : count
  const missing = Math.max(required - n, 1)
  return '还不能提交：每个小区每年要落实 ' + required + ' 项以上重点项目，这份计划现在只有 ' + n + ' 项，还差 ' + missing + ' 项。请把已有的重点项目列入计划，或添加新的重点项目。'
}

Component({
  behaviors: [uiMode],
  data: {
    year: 0,
    years: [],
    compounds: [],
    current: null, // the chosen compound's row from GET /plans
    plan: null, // the plan as the server has it (null: not started)
    projects: [], // in the plan, as shown (saved ones and kept ones)
    others: [], // the compound's other projects of the year, not in the plan
    drafts: [], // new planned projects not saved yet
    keyCount: 0,
    keyRequired: 4,
    canEdit: false,
    canSubmit: false,
    canDecide: false,
    dirty: false,
    refusal: '',
    form: { title: '', undertaker: '', key: true },
    loading: true,
    loadingPlan: false,
    error: '',
    errorKind: '',
    busy: false,
    words: glossary.ACTIONS,
  },
  methods: {
    onLoad(query = {}) {
      const now = thisYear()
      const year = Number(query.year) || now
      this._wanted = query.compound_id
      this.setData({ year, years: [now - 1, now, now + 1].map((y) => ({ value: y, text: y + '年' })) })
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    onRetry() {
      return this.load()
    },
    // the compounds of the year, then the chosen one's plan
    load() {
      this.setData({ loading: true, error: '' })
      return api.listPlans({ year: this.data.year, limit: 100 }, { silent: true }).then(
        (page) => {
          const compounds = page.items.map(compoundItem)
          if (!compounds.length) return this.setData({ loading: false, compounds, current: null })
          const current = pick(compounds, this._wanted || (this.data.current && this.data.current.compound_id))
          this.setData({ compounds })
          return this.openCompound(current)
        },
        (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
      )
    },
    openCompound(row) {
      const canEdit = row.actions.indexOf('edited') >= 0
      this.setData({ current: row, canEdit, canDecide: row.actions.indexOf('approved') >= 0, refusal: '', drafts: [], dirty: false, loadingPlan: true, keyRequired: row.key_required })
      const plan = row.plan_id
        ? api.getPlan(row.compound_id, this.data.year, { silent: true })
        : Promise.resolve(null)
      const year = canEdit
        ? api.listProjects({ scope: 'compound:' + row.compound_id, year: this.data.year, limit: 100 }, { silent: true }).then((p) => p.items)
        : Promise.resolve([])
      return Promise.all([plan, year]).then(
        ([p, all]) => this.show(p, all),
        (err) => {
          if (err.status === 404 && err.code === 'plan_not_found') return this.show(null, [])
          this.setData(Object.assign({ loading: false, loadingPlan: false }, errors.errorState(err)))
        }
      )
    },
    // the plan as the server has it; `all` the compound's projects of the year (for the branch)
    show(plan, all) {
      const projects = ((plan && plan.projects) || []).map(projectItem)
      const inPlan = projects.map((p) => p.id)
      const others = (all || []).filter((p) => inPlan.indexOf(p.id) < 0 && p.status !== 'cancelled').map(projectItem)
      const actions = plan ? plan.actions || [] : this.data.current.actions
      const status = plan ? plan.status : 'none'
      this.setData({
        plan: plan && Object.assign({}, plan, { statusLabel: glossary.label('plan', status, plan.status_label), theme: glossary.theme('plan', status) }),
        projects,
        others,
        drafts: [],
        dirty: false,
        canEdit: actions.indexOf('edited') >= 0,
        canSubmit: actions.indexOf('submitted') >= 0,
        canDecide: actions.indexOf('approved') >= 0,
        keyRequired: plan ? plan.key_required : this.data.keyRequired,
        keyCount: keyCount(projects, []),
        loading: false,
        loadingPlan: false,
      })
    },
    onCompound(e) {
      const row = this.data.compounds.find((c) => String(c.compound_id) === String(e.currentTarget.dataset.id))
      if (!row || (this.data.current && row.compound_id === this.data.current.compound_id)) return Promise.resolve()
      return this.leave().then((ok) => ok && this.openCompound(row))
    },
    onYear(e) {
      const year = Number(e.currentTarget.dataset.year)
      if (!year || year === this.data.year) return Promise.resolve()
      return this.leave().then((ok) => {
        if (!ok) return
        this._wanted = this.data.current && this.data.current.compound_id
        this.setData({ year })
        return this.load()
      })
    },
    // unsaved changes are not dropped silently
    leave() {
      if (!this.data.dirty) return Promise.resolve(true)
      return ui.confirm('放弃未保存的修改？', '计划的修改还没有保存')
    },
    recount(projects, drafts) {
      this.setData({ projects, drafts, dirty: true, refusal: '', keyCount: keyCount(projects, drafts) })
    },
    noop() {},
    onOpen(e) {
      wx.navigateTo({ url: detailUrl(e.currentTarget.dataset.id) })
    },
    onInclude(e) {
      const id = Number(e.currentTarget.dataset.id)
      const p = this.data.others.find((x) => x.id === id)
      if (!p) return
      this.setData({ others: this.data.others.filter((x) => x.id !== id) })
      this.recount(this.data.projects.concat([p]), this.data.drafts)
    },
    onExclude(e) {
      const id = Number(e.currentTarget.dataset.id)
      const p = this.data.projects.find((x) => x.id === id)
      if (!p) return
      this.setData({ others: this.data.others.concat([p]) })
      this.recount(this.data.projects.filter((x) => x.id !== id), this.data.drafts)
    },
    onDropDraft(e) {
      const n = Number(e.currentTarget.dataset.index)
      this.recount(this.data.projects, this.data.drafts.filter((d, i) => i !== n))
    },
    onField(e) {
      this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value })
    },
    onKey(e) {
      this.setData({ 'form.key': !!e.detail.value })
    },
    onAdd() {
      const f = this.data.form
      const title = (f.title || '').trim()
      const undertaker = (f.undertaker || '').trim()
      if (!title) return ui.toast('请填写项目名称')
      if (!undertaker) return ui.toast('请填写承办方')
      this.recount(this.data.projects, this.data.drafts.concat([{ title: title.slice(0, 60), undertaker: undertaker.slice(0, 60), key: !!f.key }]))
      this.setData({ form: { title: '', undertaker: f.undertaker, key: f.key } })
    },
    save() {
      const d = this.data
      const body = { project_ids: d.projects.map((p) => p.id), new_projects: d.drafts.map((x) => ({ title: x.title, key: x.key, undertaker: x.undertaker })) }
      return api.savePlan(d.current.compound_id, d.year, body, { silent: true }).then((plan) => {
        this.setData({ current: Object.assign({}, d.current, { plan_id: plan.id }) })
        const others = d.others
        this.show(plan, [])
        this.setData({ others })
        return plan
      })
    },
    onSave() {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: true })
      return this.save().then(
        () => {
          this.setData({ busy: false })
          ui.toast('计划已保存', 'success')
          this.refreshChips()
        },
        (err) => {
          this.setData({ busy: false })
          ui.toast(err.detail || '保存失败，请稍后再试')
        }
      )
    },
    onSubmit() {
      const d = this.data
      if (d.busy) return Promise.resolve()
      this.setData({ busy: true, refusal: '' })
      const saved = d.dirty || !d.plan ? this.save() : Promise.resolve(d.plan)
      return saved
        .then(() => api.submitPlan(d.current.compound_id, d.year, { silent: true }))
        .then(
          (plan) => {
            const others = this.data.others
            this.show(plan, [])
            this.setData({ others, busy: false })
            ui.toast('已提交社区审批', 'success')
            this.refreshChips()
          },
          (err) => {
            this.setData({ busy: false })
            if (err.status === 409 && err.code === 'too_few_key_projects') {
              this.setData({ refusal: tooFewText(this.data.keyCount, this.data.keyRequired, err.detail) })
              wx.pageScrollTo && wx.pageScrollTo({ selector: '#refusal', duration: 0 })
              return
            }
            ui.toast(err.detail || '提交失败，请稍后再试')
          }
        )
    },
    onApprove() {
      const d = this.data
      if (d.busy) return Promise.resolve()
      return ui.confirm('批准「' + d.current.compound_name + '」' + d.year + '年度计划？', '计划中的项目随之审批通过').then((ok) => ok && this.decide('approve', null))
    },
    onReturn() {
      if (this.data.busy) return Promise.resolve()
      return ui.askReason('退回修改的理由', '请写明要补充或修改什么，小区党支部会看到').then((reason) => reason && this.decide('return', reason))
    },
    decide(decision, reason) {
      const d = this.data
      this.setData({ busy: true })
      return api.decidePlan(d.current.compound_id, d.year, decision, reason).then(
        (plan) => {
          this.show(plan, [])
          this.setData({ busy: false })
          ui.toast(decision === 'approve' ? '计划已批准' : '计划已退回小区党支部', 'success')
          this.refreshChips()
        },
        () => this.setData({ busy: false })
      )
    },
    // the chips' states follow what was just done
    refreshChips() {
      const plan = this.data.plan
      if (!plan) return
      const compounds = this.data.compounds.map((c) =>
        c.compound_id === plan.compound_id ? compoundItem(Object.assign({}, c, { plan_id: plan.id, status: plan.status, status_label: plan.status_label, key_count: plan.key_count, reason: plan.reason, actions: plan.actions || [] })) : c
      )
      this.setData({ compounds, current: compounds.find((c) => c.compound_id === plan.compound_id) })
    },
  },
})
