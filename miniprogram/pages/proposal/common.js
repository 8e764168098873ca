// Shared by the proposal pages: a proposal, an agenda item and a meeting dressed for display
// (the glossary's words and colours, dates in words), and where to go next.
const glossary = require('../../utils/glossary')
const time = require('../../utils/time')

const LEVELS = ['compound', 'community', 'street'].map((code) => ({ code, label: glossary.PROPOSAL_LEVEL[code] }))
const KINDS = [
  { code: 'individual', label: glossary.PROPOSAL_KIND.individual, hint: '以个人名义提出' },
  { code: 'joint', label: glossary.PROPOSAL_KIND.joint, hint: '提交后请邻居联名，满 5 户才进入审议' },
  { code: 'organisation', label: glossary.PROPOSAL_KIND.organisation, hint: '以共建单位、社会组织的名义提出' },
]

function proposalItem(p) {
  return Object.assign({}, p, {
    status_label: glossary.label('proposal', p.status, p.status_label),
    theme: glossary.theme('proposal', p.status),
    levelLabel: glossary.PROPOSAL_LEVEL[p.level] || p.level_label || '',
    kindLabel: glossary.PROPOSAL_KIND[p.kind] || p.kind_label || '',
    updatedText: time.formatRelative(p.updated_at || p.created_at),
  })
}

// The six steps 收集、审议、形成、联动执行、评估、公示 as the API derives them; the first step not
// done is the current one.
function steps(list) {
  let current = false
  return (list || []).map((s) => {
    const isCurrent = !s.done && !current
    if (isCurrent) current = true
    return Object.assign({}, s, {
      current: isCurrent,
      atText: s.at ? time.formatMoment(s.at) : '',
    })
  })
}

const FOLLOW_NOUNS = { wish: '心愿', issue: '网格事件', proposal: '提案' }

// "已转为心愿（编号 12）": what an adopted item became, when the server made it
function followText(f) {
  if (!f || !FOLLOW_NOUNS[f.kind] || !f.ref_id) return ''
  return '已转为' + FOLLOW_NOUNS[f.kind] + '（编号 ' + f.ref_id + '）'
}

function agendaItem(i) {
  return Object.assign({}, i, {
    followText: followText(i.follow_up),
    status_label: glossary.label('agenda', i.status, i.status_label),
    theme: glossary.theme('agenda', i.status),
    outcomeLabel: i.outcome ? glossary.label('meetingOutcome', i.outcome, i.outcome_label) : '',
    outcomeTheme: glossary.theme('meetingOutcome', i.outcome),
    sourceLabel: i.source_label || '',
    votesText:
      i.votes_for === null || i.votes_for === undefined
        ? ''
        : '赞成 ' + (i.votes_for || 0) + '，反对 ' + (i.votes_against || 0) + '，弃权 ' + (i.abstained || 0),
  })
}

function meetingOf(m) {
  return Object.assign({}, m, {
    status_label: glossary.label('meeting', m.status, m.status_label),
    theme: glossary.theme('meeting', m.status),
    kindLabel: glossary.MEETING_KIND[m.kind] || m.kind_label || '',
    dateText: dateText(m.date),
  })
}

// "2026-12-10" (a calendar day, not a moment) → "12月10日"
function dateText(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '')
  if (!m) return day || ''
  return Number(m[2]) + '月' + Number(m[3]) + '日'
}

// A calendar day `days` after today in Beijing, as the API takes it ("2027-01-10").
function dayAfter(days, now = new Date()) {
  const d = new Date(now.getTime() + 8 * 3600e3 + days * 24 * 3600e3)
  const pad = (n) => (n < 10 ? '0' : '') + n
  return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate())
}

function detailUrl(id, share) {
  return '/pages/proposal/detail/detail?id=' + id + (share ? '&share=1' : '')
}

module.exports = { LEVELS, KINDS, proposalItem, steps, agendaItem, meetingOf, dateText, dayAfter, detailUrl }
