// 议事日: the community's deliberation day (GET /api/v1/meetings → the coming 党群议事日, or ?id=):
// when and where, who convenes, the nine steps as the API derives them from data (not ticked by
// hand), the items on the agenda with their outcomes, and 签到 for whoever is there. The meeting's
// runner (actions: outcome, close) records each item's decision with the votes and a note
// (POST …/items/{item_id}/outcome), then closes the meeting with its minutes (POST …/close); a
// meeting with an undecided item cannot close (409 undecided_items): the page says which.
const api = require('../../../services/api')
const session = require('../../../services/session')
const uiMode = require('../../../behaviors/ui-mode')
const errors = require('../../../utils/errors')
const glossary = require('../../../utils/glossary')
const time = require('../../../utils/time')
const { agendaItem, meetingOf, dateText } = require('../common')

const DECISIONS = ['adopted', 'deferred', 'rejected', 'referred'].map((code) => ({ code, label: glossary.OUTCOME[code] }))
const VOTES = ['votesFor', 'votesAgainst', 'abstained']
// what an adopted item becomes: a plain plan, or (made by the server, for the item's compound) a
// wish for the branch to review, a grid issue, a draft proposal by whoever raised it
const FOLLOW_UPS = [
  { code: 'plan', label: '落实计划' },
  { code: 'wish', label: '转为心愿' },
  { code: 'issue', label: '转为网格事件' },
  { code: 'proposal', label: '转为提案' },
]

// The community the caller runs (a community admin's grant); otherwise the server takes the
// caller's own compound's.
function communityOf(me) {
  const g = ((me && me.grants) || []).find((x) => x.role === 'community_admin' && x.scope_type === 'community')
  return g ? g.scope_id : undefined
}

// The coming deliberation day: the earliest planned one; else the latest meeting.
function pick(meetings) {
  const planned = meetings.filter((m) => m.kind === 'deliberation_day' && m.status === 'planned')
  planned.sort((a, b) => (a.date < b.date ? -1 : 1))
  return planned[0] || meetings[0] || null
}

Component({
  behaviors: [uiMode],
  data: {
    words: glossary.ACTIONS,
    loading: true,
    error: '',
    errorKind: '',
    empty: false,
    meeting: null,
    others: [],
    steps: [],
    items: [],
    actions: {},
    decisions: DECISIONS,
    followUps: FOLLOW_UPS,
    followKind: 'plan',
    editing: null, // the item whose outcome is being recorded
    decision: '',
    votesFor: '',
    votesAgainst: '',
    abstained: '',
    note: '',
    owner: '',
    minutes: '',
    closeError: '',
    topic: '',
    busy: false,
  },
  methods: {
    onLoad(query = {}) {
      this._id = Number(query.id) || null
      this._community = Number(query.community_id) || undefined
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ loading: true, error: '' })
      return this.findId()
        .then((id) => (id ? api.getMeeting(id, { silent: true }) : null))
        .then(
          (m) => {
            if (!m) return this.setData({ loading: false, empty: true })
            this._id = m.id
            this.show(m)
          },
          (err) => this.setData(Object.assign({ loading: false }, errors.errorState(err)))
        )
    },
    findId() {
      if (this._id) return Promise.resolve(this._id)
      const community = this._community
        ? Promise.resolve(this._community)
        : session.load({ silent: true }).then(communityOf, () => undefined)
      return community
        .then((cid) => api.listMeetings({ community_id: cid, limit: 20 }, { silent: true }))
        .then((page) => {
          const list = page.items || []
          this.setData({ others: list.map(meetingOf) })
          const m = pick(list)
          return m ? m.id : null
        })
    },
    show(m) {
      const actions = {}
      ;(m.actions || []).forEach((a) => (actions[a] = true))
      this.setData({
        loading: false,
        empty: false,
        meeting: Object.assign(meetingOf(m), { closedText: m.closed_at ? time.formatMoment(m.closed_at) : '' }),
        steps: (m.steps || []).map((s) => Object.assign({}, s, { atText: s.at ? time.formatMoment(s.at) : '' })),
        items: (m.items || []).map(agendaItem),
        actions,
      })
    },
    onRetry() {
      return this.load()
    },
    // 小区评议会: its rating sheet, submission and review are on their own page
    onAppraisal() {
      wx.navigateTo({ url: '/pages/project/appraisal/appraisal?id=' + this._id })
    },
    onOther(e) {
      this._id = Number(e.currentTarget.dataset.id)
      this.setData({ editing: null, closeError: '' })
      return this.load()
    },
    onCheckIn() {
      if (this.data.busy) return Promise.resolve()
      this.setData({ busy: true })
      return api.checkInMeeting(this._id).then(
        (out) => {
          this.setData({ busy: false })
          wx.showToast({ title: out.added ? '签到成功' : '您已签到过', icon: 'success' })
          this.show(out.meeting)
        },
        () => this.setData({ busy: false })
      )
    },
    onEdit(e) {
      const id = Number(e.currentTarget.dataset.id)
      this.setData({
        editing: this.data.editing === id ? null : id,
        decision: '',
        votesFor: '',
        votesAgainst: '',
        abstained: '',
        note: '',
        owner: '',
        followKind: 'plan',
      })
    },
    onFollowKind(e) {
      this.setData({ followKind: e.currentTarget.dataset.code })
    },
    onDecision(e) {
      this.setData({ decision: e.currentTarget.dataset.code })
    },
    onField(e) {
      const field = e.currentTarget.dataset.field
      if (VOTES.concat(['note', 'owner', 'minutes', 'topic']).indexOf(field) >= 0) this.setData({ [field]: e.detail.value })
    },
    outcomeBody() {
      const d = this.data
      const num = (v) => (String(v).trim() === '' ? null : Number(v))
      const body = {
        decision: d.decision,
        votes_for: num(d.votesFor),
        votes_against: num(d.votesAgainst),
        abstained: num(d.abstained),
        note: d.note.trim() || null,
      }
      if (d.decision === 'adopted' && (d.owner.trim() || d.followKind !== 'plan')) {
        body.follow_up = { kind: d.followKind }
        if (d.owner.trim()) body.follow_up.owner = d.owner.trim()
      }
      return body
    },
    onOutcome() {
      const d = this.data
      if (d.busy || !d.editing) return Promise.resolve()
      if (!d.decision) {
        wx.showToast({ title: '请选择议定结果', icon: 'none' })
        return Promise.resolve()
      }
      if (VOTES.some((f) => String(d[f]).trim() !== '' && !/^\d{1,6}$/.test(String(d[f]).trim()))) {
        wx.showToast({ title: '票数请填整数', icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ busy: true })
      return api.recordOutcome(this._id, d.editing, this.outcomeBody()).then(
        (m) => {
          this.setData({ busy: false, editing: null, closeError: '' })
          wx.showToast({ title: '已记录', icon: 'success' })
          this.show(m)
        },
        () => this.setData({ busy: false })
      )
    },
    // 征集议题: anyone of the community raises a topic for the next deliberation day
    onTopic() {
      const text = (this.data.topic || '').trim()
      if (this.data.busy) return Promise.resolve()
      if (!text) {
        wx.showToast({ title: '请写下您想议的事', icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ busy: true })
      return api.raiseTopic(text, this.data.meeting ? this.data.meeting.community_id : null).then(
        (item) => {
          this.setData({ busy: false, topic: '' })
          wx.showToast({ title: '已提交，' + dateText(item.meeting_date) + '议事日前由党支部把关', icon: 'none' })
        },
        () => this.setData({ busy: false })
      )
    },
    onClose() {
      const d = this.data
      if (d.busy) return Promise.resolve()
      if (!d.minutes.trim()) {
        wx.showToast({ title: '请填写会议纪要', icon: 'none' })
        return Promise.resolve()
      }
      this.setData({ busy: true, closeError: '' })
      return api.closeMeeting(this._id, d.minutes.trim(), { silent: true }).then(
        (m) => {
          this.setData({ busy: false })
          wx.showToast({ title: glossary.MEETING_STATUS.closed, icon: 'success' })
          this.show(m)
        },
        (err) => {
          const undecided = this.data.items.filter((i) => i.status === 'scheduled').map((i) => '「' + i.text + '」')
          const words =
            err.code === 'undecided_items' && undecided.length
              ? err.detail + '：' + undecided.join('、') + '。请先记录这些议题的议定结果（可以暂缓）。'
              : err.detail
          this.setData({ busy: false, closeError: words })
          wx.showToast({ title: err.detail, icon: 'none' })
        }
      )
    },
  },
})
