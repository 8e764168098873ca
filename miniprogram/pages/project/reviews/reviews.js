// 项目评估 (年中、年底集中观摩评估) for the community admin: the year's projects of their community that
// can be reviewed (GET /api/v1/project-reviews, keyset pages), each showing whether its 年中 and 年底
// reviews are done; tabs for the kind, a filter 未评 / 已评; a form to record one (score 0–100, a note;
// POST /api/v1/projects/{id}/reviews). A second review of the same kind is refused by the server
// (409 already_reviewed): its detail is shown on the project and the row marked as reviewed.
const api = require('../../../services/api')
const pagedList = require('../../../behaviors/paged-list')
const uiMode = require('../../../behaviors/ui-mode')
const glossary = require('../../../utils/glossary')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const { projectItem, detailUrl } = require('../common')

const KINDS = ['midyear', 'yearend']
const FILTERS = [
  { key: 'pending', reviewed: false },
  { key: 'done', reviewed: true },
]

function beijing(now) {
  const d = new Date(now.getTime() + 8 * 3600 * 1000)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 }
}

// 年中 until August, 年底 from September (the reminders come in June and December)
function defaultKind(now = new Date()) {
  return beijing(now).month >= 9 ? 'yearend' : 'midyear'
}

function reviewItem(row, refusal) {
  const byKind = {}
  ;(row.reviews || []).forEach((r) => (byKind[r.kind] = r))
  const p = projectItem(row.project)
  return Object.assign(p, {
    place: row.place_name,
    reviews: row.reviews || [],
    refusal: refusal || '',
    states: KINDS.map((kind) => {
      const r = byKind[kind]
      const state = r ? 'done' : 'pending'
      return {
        kind,
        kindLabel: glossary.label('reviewKind', kind),
        state,
        stateLabel: glossary.label('reviewState', state),
        theme: glossary.theme('reviewState', state),
        text: r ? r.score + ' 分' + (r.note ? '，' + r.note : '') + '（' + time.formatDay(r.at) + '）' : '',
      }
    }),
    done: byKind,
  })
}

function scoreProblem(raw) {
  const text = String(raw == null ? '' : raw).trim()
  if (!text) return '请填写分数'
  if (!/^\d{1,3}$/.test(text) || Number(text) > 100) return '分数是 0 到 100 的整数'
  return ''
}

Component({
  behaviors: [pagedList, uiMode],
  data: {
    year: 0,
    kind: 'midyear',
    filter: 'pending',
    kindTabs: KINDS.map((k) => ({ key: k, text: glossary.label('reviewKind', k) })),
    filters: FILTERS.map((f) => ({ key: f.key, text: glossary.label('reviewState', f.key) })),
    form: null, // { id, score, note, problem }
    busy: 0,
    words: glossary.ACTIONS,
  },
  methods: {
    onLoad(query = {}) {
      const now = beijing(new Date())
      const kind = KINDS.indexOf(query.kind) >= 0 ? query.kind : defaultKind()
      this.setData({ year: Number(query.year) || now.year, kind })
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
      const reviewed = FILTERS.find((f) => f.key === d.filter).reviewed
      return api
        .listProjectReviews({ year: d.year, kind: d.kind, reviewed, cursor, limit: 20 }, { silent: true })
        .then((page) => ({ items: page.items.map((r) => reviewItem(r)), next_cursor: page.next_cursor }))
    },
    onKind(e) {
      const kind = e.detail.value
      if (!kind || kind === this.data.kind) return Promise.resolve()
      this.setData({ kind, items: [], loaded: false, form: null })
      return this.reload()
    },
    onFilter(e) {
      const filter = e.currentTarget.dataset.key
      if (!filter || filter === this.data.filter) return Promise.resolve()
      this.setData({ filter, items: [], loaded: false, form: null })
      return this.reload()
    },
    onOpenProject(e) {
      wx.navigateTo({ url: detailUrl(e.currentTarget.dataset.id) })
    },
    onOpenForm(e) {
      this.setData({ form: { id: Number(e.currentTarget.dataset.id), score: '', note: '', problem: '' } })
    },
    onCloseForm() {
      this.setData({ form: null })
    },
    onScore(e) {
      this.setData({ 'form.score': e.detail.value, 'form.problem': '' })
    },
    onNote(e) {
      this.setData({ 'form.note': e.detail.value })
    },
    replace(id, fn) {
      this.setData({ items: this.data.items.map((x) => (x.id === id ? fn(x) : x)) })
    },
    onSend() {
      const d = this.data
      if (!d.form || d.busy) return Promise.resolve()
      const problem = scoreProblem(d.form.score)
      if (problem) {
        this.setData({ 'form.problem': problem })
        return Promise.resolve()
      }
      const { id } = d.form
      const kind = d.kind
      this.setData({ busy: id })
      return api.reviewProject(id, kind, Number(String(d.form.score).trim()), (d.form.note || '').trim().slice(0, 500), { silent: true }).then(
        (review) => {
          this.setData({ busy: 0, form: null })
          this.replace(id, (x) => reviewItem({ project: x, place_name: x.place, reviews: x.reviews.concat([review]) }))
          ui.toast('已记录' + glossary.label('reviewKind', kind), 'success')
        },
        (err) => {
          this.setData({ busy: 0 })
          if (err.status === 409 && err.code === 'already_reviewed') {
            // someone recorded it meanwhile: the server's words on the project, no second form
            this.setData({ form: null })
            const stub = { kind, kind_label: '', score: null, note: '', at: null }
            return this.replace(id, (x) => Object.assign(reviewItem({ project: x, place_name: x.place, reviews: x.reviews.concat([stub]) }, err.detail), { states: markDone(x.states, kind) }))
          }
          this.setData({ 'form.problem': err.detail || '提交失败，请稍后再试' })
        }
      )
    },
  },
})

// the kind refused as already reviewed is shown as done, without a score we do not know
function markDone(states, kind) {
  return states.map((s) => (s.kind === kind ? Object.assign({}, s, { state: 'done', stateLabel: glossary.label('reviewState', 'done'), theme: glossary.theme('reviewState', 'done'), text: '' }) : s))
}
