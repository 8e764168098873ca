// Shared by the 小区评议会 pages (pages/project/appraisal, pages/project/results): a sheet's lines
// grouped by kind, an edition of the results dressed for display, who the caller is to a meeting.
const glossary = require('../../utils/glossary')
const time = require('../../utils/time')

const KINDS = ['project', 'member', 'committee', 'property']
const STARS = [1, 2, 3, 4, 5]
const STAR_WORDS = { 1: '差', 2: '较差', 3: '一般', 4: '较好', 5: '好' }
const LOW = 2 // a score of 1–2 needs a reason (backend/appraisal/service.py LOW_SCORES)

// "2026-10-08" (a calendar day) → "10月8日" (as pages/proposal/common.js, another subpackage, which
// this one cannot require)
function dateText(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '')
  if (!m) return day || ''
  return Number(m[2]) + '月' + Number(m[3]) + '日'
}

// A meeting dressed for display: the glossary's words and colours, its day in words
function meetingOf(m) {
  return Object.assign({}, m, {
    status_label: glossary.label('meeting', m.status, m.status_label),
    theme: glossary.theme('meeting', m.status),
    kindLabel: glossary.MEETING_KIND[m.kind] || m.kind_label || '',
    dateText: dateText(m.date),
    periodText: time.formatPeriod(m.period),
  })
}

// "project:3" → "project-3": usable in an element id
function safeKey(lineId) {
  return String(lineId).replace(/[^a-z0-9]/gi, '-')
}

// 完成订单 2 单 · 居民评分 4.5 · 参会 1/3 次: a Party member's figures from the quarter
function memberFigures(line) {
  const f = line.figures || {}
  const parts = []
  if (f.orders_completed) parts.push('完成订单 ' + f.orders_completed.numerator + ' 单')
  if (line.mean_rating !== null && line.mean_rating !== undefined) parts.push('居民评分 ' + line.mean_rating)
  if (f.attendance) parts.push('参会 ' + f.attendance.numerator + '/' + f.attendance.denominator + ' 次')
  return parts.join(' · ')
}

// Lines grouped in the sheet's order of kinds; `decorate(line)` adds what the page needs.
function groupLines(lines, decorate) {
  const groups = KINDS.map((kind) => ({ kind, label: glossary.APPRAISAL_LINE_KIND[kind], lines: [] }))
  ;(lines || []).forEach((line) => {
    let g = groups.find((x) => x.kind === line.kind)
    if (!g) {
      g = { kind: line.kind, label: line.kind_label || line.kind, lines: [] }
      groups.push(g)
    }
    g.lines.push(decorate ? decorate(line) : line)
  })
  return groups.filter((g) => g.lines.length)
}

// One line of the frozen results: its average, how many rated it, the share of 4–5 and the
// comments (raters masked by the API, shown as it gives them)
function resultLine(line) {
  const good = line.good || {}
  return Object.assign({}, line, {
    key: safeKey(line.line_id),
    meanText: line.mean === null || line.mean === undefined ? '暂无评分' : Number(line.mean).toFixed(1) + ' 分',
    countText: (line.count || 0) + ' 人评议',
    goodText: good.denominator ? '4–5星 ' + good.numerator + '/' + good.denominator : '',
    meanPercent: line.mean ? Math.round((Number(line.mean) / 5) * 100) : 0,
    figuresText: line.kind === 'member' ? memberFigures(line) : '',
    comments: (line.comments || []).map((c) => Object.assign({}, c, { text: (c.rater || '匿名') + '（' + c.score + '星）：' + c.comment })),
  })
}

function appraisalItem(a) {
  return Object.assign({}, a, {
    statusLabel: glossary.label('appraisal', a.status, a.status_label),
    theme: glossary.theme('appraisal', a.status),
    periodText: time.formatPeriod(a.period),
    editionText: a.edition > 1 ? '第' + a.edition + '版（更正）' : '第1版',
    submittedText: a.submitted_at ? time.formatMoment(a.submitted_at) : '',
    publishedText: a.published_at ? time.formatMoment(a.published_at) : '',
    supersededText: a.superseded_at ? time.formatMoment(a.superseded_at) : '',
  })
}

function detailOf(d) {
  const c = d.content || {}
  return Object.assign(appraisalItem(d), {
    meetingDateText: dateText(c.meeting_date),
    summaryText: '签到 ' + (c.attendees || 0) + ' 人，参加评议 ' + (c.raters || 0) + ' 人' + (c.frozen_at ? ' · 结果定稿于 ' + c.frozen_at : ''),
    groups: groupLines(c.lines, resultLine),
  })
}

// The caller's part in a meeting: the branch of its compound (submits), the community admin (reviews).
function rolesFor(me, meeting) {
  const grants = (me && me.grants) || []
  const has = (role, type, id) => grants.some((g) => g.role === role && g.scope_type === type && g.scope_id === id)
  return {
    isBranch: !!meeting && meeting.compound_id !== null && has('dispatcher', 'compound', meeting.compound_id),
    isReviewer: !!meeting && has('community_admin', 'community', meeting.community_id),
  }
}

function resultsUrl(compoundId) {
  return '/pages/project/results/results' + (compoundId ? '?compound_id=' + compoundId : '')
}

function appraisalUrl(meetingId) {
  return '/pages/project/appraisal/appraisal' + (meetingId ? '?id=' + meetingId : '')
}

module.exports = { dateText, meetingOf, KINDS, STARS, STAR_WORDS, LOW, safeKey, memberFigures, groupLines, resultLine, appraisalItem, detailOf, rolesFor, resultsUrl, appraisalUrl }
