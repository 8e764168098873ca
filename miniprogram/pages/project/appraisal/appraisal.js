// 小区评议会: one evaluation meeting (?id=, else the newest of the caller's compound or community).
// - An attendee checked in at it rates the sheet the API builds from the quarter (projects, Party
//   members, 业委会, 物业服务企业): 1–5 stars per line with large targets, a reason required for 1–2,
//   each line once (lines already rated are shown done); the chosen lines go in one POST …/ratings.
//   Not yet checked in while the meeting is on: 签到 here. Otherwise the sheet is read only.
// - The compound's branch: sends the closed meeting's results to the community (…/appraisal/submit),
//   again after a return, or a correction of published ones with its reason.
// - The community admin: the submitted results, line by line, approved (published) or returned
//   with a reason (…/appraisal/review).
const api = require('../../../services/api')
const session = require('../../../services/session')
const notify = require('../../../services/notify')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const time = require('../../../utils/time')
const ui = require('../../../utils/ui')
const A = require('../appraisals')

const meetingOf = A.meetingOf

function communityOf(me) {
  const g = ((me && me.grants) || []).find((x) => x.role === 'community_admin' && x.scope_type === 'community')
  return g ? g.scope_id : undefined
}

// The evaluation meetings the caller takes part in: the admin's community's all; else their
// compound's and the compounds whose branch they are.
function evaluationsFor(me, meetings) {
  const mine = session.compoundsWhere('dispatcher', me)
  if (me && me.compound_id) mine.push(me.compound_id)
  return meetings.filter((m) => m.kind === 'evaluation' && (communityOf(me) || mine.indexOf(m.compound_id) >= 0))
}

Component({
  behaviors: [uiMode],
  data: {
    words: glossary.ACTIONS,
    stars: A.STARS,
    starWords: A.STAR_WORDS,
    loading: true,
    error: '',
    errorKind: '',
    empty: false,
    meeting: null,
    sheet: null,
    groups: [],
    total: 0,
    doneCount: 0,
    others: [],
    choices: {}, // line key → score
    comments: {}, // line key → text
    missing: [], // line keys of 1–2 without a reason
    chosenCount: 0,
    notice: null,
    roles: { isBranch: false, isReviewer: false },
    appraisal: null, // the latest edition of this meeting's results (staff)
    detail: null, // its content (staff)
    reason: '',
    busy: false,
    reviewing: false, // the reviewer has submitted results before them: the sheet is not repeated
  },
  observers: {
    'roles, appraisal, detail'(roles, appraisal, detail) {
      this.setData({ reviewing: !!(roles.isReviewer && appraisal && appraisal.status === 'submitted' && detail) })
    },
  },
  methods: {
    onLoad(query = {}) {
      this._id = Number(query.id) || null
      notify.prepare('submit_appraisal')
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    onRetry() {
      return this.load()
    },
    load() {
      this.setData({ loading: true, error: '' })
      return session
        .load({ silent: true })
        .then((me) => {
          this._me = me
          return this.findId(me)
        })
        .then((id) => (id ? Promise.all([api.getMeeting(id, { silent: true }), api.getAppraisalSheet(id, { silent: true })]) : null))
        .then((both) => {
          if (!both) return this.setData({ loading: false, empty: true })
          this._id = both[0].id
          this.setData({ meeting: meetingOf(both[0]), roles: A.rolesFor(this._me, both[0]) })
          this.showSheet(both[1])
          return this.loadResults()
        })
        .then(
          () => this.setData({ loading: false }),
          (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
        )
    },
    findId(me) {
      if (this._id) return Promise.resolve(this._id)
      return api.listMeetings({ community_id: communityOf(me), limit: 20 }, { silent: true }).then((page) => {
        const list = evaluationsFor(me, page.items || []).map(meetingOf)
        this.setData({ others: list })
        return list.length ? list[0].id : null
      })
    },
    // the latest edition of this meeting's results, for the branch and the reviewer
    loadResults() {
      const d = this.data
      if (!d.roles.isBranch && !d.roles.isReviewer) return Promise.resolve()
      return api
        .listAppraisals({ compound_id: d.sheet.compound_id, period: d.sheet.period, limit: 20 }, { silent: true })
        .then((page) => {
          const latest = (page.items || []).find((a) => a.meeting_id === this._id)
          if (!latest) return this.setData({ appraisal: null, detail: null })
          this.setData({ appraisal: A.appraisalItem(latest) })
          return api.getAppraisal(latest.id, { silent: true }).then((full) => this.setData({ detail: A.detailOf(full) }))
        })
    },
    showSheet(sheet) {
      const choices = {}
      const comments = {}
      // choices survive a reload for the lines still open (a refresh after someone else's change)
      const open = {}
      ;(sheet.lines || []).forEach((l) => {
        if (!l.rated_by_me) open[A.safeKey(l.line_id)] = true
      })
      Object.keys(this.data.choices).forEach((k) => {
        if (open[k] && sheet.can_rate) {
          choices[k] = this.data.choices[k]
          comments[k] = this.data.comments[k] || ''
        }
      })
      const done = (sheet.lines || []).filter((l) => l.rated_by_me).length
      this.setData({
        sheet: Object.assign({}, sheet, { periodText: time.formatPeriod(sheet.period) }),
        total: (sheet.lines || []).length,
        doneCount: done,
        choices,
        comments,
        missing: this.data.missing.filter((k) => choices[k]),
      })
      this.decorate()
    },
    // the groups as shown: each line's state (done, chosen, open) and its stars
    decorate() {
      const d = this.data
      const groups = A.groupLines(d.sheet.lines, (l) => {
        const key = A.safeKey(l.line_id)
        const score = d.choices[key] || 0
        const state = l.rated_by_me ? 'done' : score ? 'chosen' : 'todo'
        return Object.assign({}, l, {
          key,
          score,
          state,
          stateLabel: glossary.label('sheetLine', state),
          theme: glossary.theme('sheetLine', state),
          low: score > 0 && score <= A.LOW,
          missing: d.missing.indexOf(key) >= 0,
          figuresText: l.kind === 'member' ? A.memberFigures(l) : '',
        })
      })
      this.setData({ groups, chosenCount: Object.keys(d.choices).length })
    },
    onOther(e) {
      this._id = Number(e.currentTarget.dataset.id)
      this.setData({ choices: {}, comments: {}, missing: [], notice: null, appraisal: null, detail: null, reason: '' })
      return this.load()
    },
    onStar(e) {
      const { key, score } = e.currentTarget.dataset
      const line = (this.data.sheet.lines || []).find((l) => A.safeKey(l.line_id) === key)
      if (!line || line.rated_by_me || !this.data.sheet.can_rate) return
      const choices = Object.assign({}, this.data.choices)
      const n = Number(score)
      if (choices[key] === n) delete choices[key] // a second tap on the same star takes it back
      else choices[key] = n
      const missing = this.data.missing.filter((k) => k !== key || (choices[k] && choices[k] <= A.LOW && !(this.data.comments[k] || '').trim()))
      this.setData({ choices, missing })
      this.decorate()
    },
    onComment(e) {
      const key = e.currentTarget.dataset.key
      const value = e.detail.value || ''
      const wasMissing = this.data.missing.indexOf(key) >= 0
      this.setData({ ['comments.' + key]: value })
      if (wasMissing && value.trim()) {
        this.setData({ missing: this.data.missing.filter((k) => k !== key) })
        this.decorate()
      }
    },
    onCheckIn() {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: true })
      return api.checkInMeeting(this._id).then(
        (out) => {
          this.setData({ busy: false, meeting: meetingOf(out.meeting) })
          wx.showToast({ title: out.added ? '签到成功，可以评议了' : '您已签到过', icon: 'none' })
          return api.getAppraisalSheet(this._id, { silent: true }).then((sheet) => this.showSheet(sheet), () => {})
        },
        () => this.setData({ busy: false })
      )
    },
    onSubmitRatings() {
      const d = this.data
      if (d.busy || !d.sheet || !d.sheet.can_rate) return Promise.resolve()
      const lines = (d.sheet.lines || []).filter((l) => !l.rated_by_me && d.choices[A.safeKey(l.line_id)])
      if (!lines.length) {
        ui.toast('请先为要评议的项目点选星级')
        return Promise.resolve()
      }
      const missing = lines.filter((l) => d.choices[A.safeKey(l.line_id)] <= A.LOW && !(d.comments[A.safeKey(l.line_id)] || '').trim())
      if (missing.length) {
        this.setData({ missing: missing.map((l) => A.safeKey(l.line_id)) })
        this.decorate()
        const first = missing[0]
        ui.toast('「' + first.name + '」评了' + d.choices[A.safeKey(first.line_id)] + '星，请写明理由')
        return Promise.resolve()
      }
      const ratings = lines.map((l) => {
        const key = A.safeKey(l.line_id)
        const comment = (d.comments[key] || '').trim().slice(0, 200)
        return { line_id: l.line_id, score: d.choices[key], comment: comment || null }
      })
      this.setData({ busy: true, notice: null })
      return api.rateAppraisal(this._id, ratings, { silent: true }).then(
        (out) => {
          this.setData({ busy: false, choices: {}, comments: {}, missing: [] })
          this.showSheet(out.sheet)
          const left = this.data.total - this.data.doneCount
          const text = '已提交 ' + out.rated + ' 项评议' + (left ? '，还有 ' + left + ' 项未评' : '，全部评完了，谢谢您！')
          this.setData({ notice: { text, kind: 'success' } })
          wx.showToast({ title: '已提交 ' + out.rated + ' 项', icon: 'success' })
        },
        (err) => {
          this.setData({ busy: false })
          // someone (this user on another phone) rated, or the results were sent: show the sheet as it is
          if (err.status === 409 || err.status === 403) {
            this.setData({ notice: { text: err.detail || '评议表已更新，请重新查看', kind: 'danger' } })
            return api.getAppraisalSheet(this._id, { silent: true }).then((sheet) => this.showSheet(sheet), () => {})
          }
          ui.toast(err.detail || '提交失败，请稍后再试')
        }
      )
    },
    onReason(e) {
      this.setData({ reason: e.detail.value || '' })
    },
    // the branch: first submission, again after a return, or a correction (with its reason)
    onSubmitAppraisal() {
      const d = this.data
      if (d.busy) return Promise.resolve()
      const correcting = !!d.appraisal && (d.appraisal.status === 'published' || d.appraisal.status === 'superseded')
      const reason = d.reason.trim()
      if (correcting && !reason) {
        ui.toast('更正已公示的结果时请写明更正理由')
        return Promise.resolve()
      }
      this.setData({ busy: true })
      return notify.run('submit_appraisal', () => api.submitAppraisal(this._id, correcting ? reason : null, { silent: true })).then(
        (row) => this.afterDecision(row, '已提交社区审核'),
        (err) => this.failDecision(err)
      )
    },
    onApprove() {
      return this.review('approve')
    },
    onReturn() {
      if (!this.data.reason.trim()) {
        ui.toast('退回时请写明理由')
        return Promise.resolve()
      }
      return this.review('return')
    },
    review(decision) {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: true })
      return api.reviewAppraisal(this._id, decision, this.data.reason.trim(), { silent: true }).then(
        (row) => this.afterDecision(row, decision === 'approve' ? '已审核通过并公示' : '已退回小区党支部'),
        (err) => this.failDecision(err)
      )
    },
    afterDecision(row, title) {
      this.setData({ busy: false, reason: '', appraisal: A.appraisalItem(row), detail: A.detailOf(row) })
      wx.showToast({ title, icon: 'none' })
      return api.getAppraisalSheet(this._id, { silent: true }).then((sheet) => this.showSheet(sheet), () => {})
    },
    failDecision(err) {
      this.setData({ busy: false, notice: { text: err.detail || '操作失败，请稍后再试', kind: 'danger' } })
      ui.toast(err.detail || '操作失败，请稍后再试')
      // the results moved on meanwhile (another admin, another branch member): show them as they are
      if (err.status === 409) return this.loadResults().catch(() => {})
    },
    onResults() {
      wx.navigateTo({ url: A.resultsUrl(this.data.sheet && this.data.sheet.compound_id) })
    },
    onMeetingPage() {
      wx.navigateTo({ url: '/pages/proposal/meeting/meeting?id=' + this._id })
    },
  },
})
