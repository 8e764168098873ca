// Shared by the assessment pages (subpackage assess): a figure's drill-down — numerator, denominator
// and the items the API gives, bucket by bucket — and the numbers in words.
const glossary = require('../../utils/glossary')
const time = require('../../utils/time')

const SHOWN = 12 // items shown per bucket before 再看

// The Beijing year (the API's years are Asia/Shanghai).
function beijingYear(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).getUTCFullYear()
}

function num(n) {
  if (n === null || n === undefined) return '—'
  const r = Math.round(Number(n) * 100) / 100
  return String(r)
}

// An item of a figure in words: issue 53 → 事件 53; a contact-day "9:community:1:2026-12-01" →
// 联系人9 · 社区1 · 12月1日; what the page can open (issues, wishes) carries its url.
function itemOf(unit, id) {
  if (unit === 'contact_day' && typeof id === 'string') {
    const [user, kind, place, day] = id.split(':')
    const where = (kind === 'compound' ? '小区' : '社区') + place
    return { key: id, text: '联系人' + user + ' · ' + where + ' · ' + time.formatDay(day + 'T12:00:00+08:00'), url: '' }
  }
  if (unit === 'issue') return { key: String(id), text: '事件 ' + id, url: '/pages/issue/detail/detail?id=' + id }
  if (unit === 'wish') return { key: String(id), text: '心愿 ' + id, url: '/pages/wish/detail/detail?id=' + id }
  const noun = { household: '户', '条': '提案', '项': '项目编号', ballot: '测评票', task: '任务' }[unit] || ''
  return { key: String(id), text: noun + ' ' + id, url: '' }
}

function bucketsOf(unit, buckets, good, apart) {
  return Object.keys(buckets || {}).map((k) => ({
    key: (apart ? 'x-' : '') + k,
    label: glossary.FIGURE_BUCKET[k] || k,
    unit,
    ids: buckets[k] || [],
    good: good.indexOf(k) >= 0,
    apart: !!apart,
  }))
}

// A figure {label, unit, numerator, denominator, rate, buckets, numerator_buckets, excluded,
// definition} (or a count {count, buckets}) as the drill-down shows it; the buckets go to <buckets>.
function figureDrill(f) {
  if (!f) return null
  const unit = f.unit || ''
  const good = f.numerator_buckets || []
  const isCount = f.numerator === undefined && f.count !== undefined
  const apart = bucketsOf(unit, f.excluded, [], true).filter((b) => b.ids.length)
  return {
    isCount,
    numerator: isCount ? f.count : f.numerator,
    denominator: isCount ? null : f.denominator,
    measure: glossary.FIGURE_UNIT[unit] || '',
    rateText: f.rate === null || f.rate === undefined ? '—' : num(f.rate * 100) + '%',
    goodLabels: good.map((k) => glossary.FIGURE_BUCKET[k] || k).join('、'),
    buckets: bucketsOf(unit, f.buckets, good, false).concat(apart),
    definition: f.definition || '',
  }
}

// The entered value of an indicator: value, evidence, photos and the street's decision.
function entryView(e) {
  if (!e) return null
  return {
    id: e.id,
    value: num(e.value),
    evidence: e.evidence || '',
    photos: e.photos || [],
    status: e.status,
    statusLabel: glossary.label('entry', e.status, e.status_label),
    theme: glossary.theme('entry', e.status),
    reason: e.reason || '',
    decidedText: e.decided_at ? time.formatDay(e.decided_at) : '',
  }
}

// The communities where the caller is a community admin, and whether they are the street admin.
function adminOf(me) {
  const grants = (me && me.grants) || []
  return {
    communities: grants.filter((g) => g.role === 'community_admin' && g.scope_type === 'community').map((g) => g.scope_id),
    street: grants.some((g) => g.role === 'street_admin') || ((me && me.roles) || []).indexOf('street_admin') >= 0,
    departments: grants.filter((g) => (g.role === 'department_staff' || g.role === 'department_head') && g.scope_type === 'department').map((g) => g.scope_id),
  }
}

module.exports = { SHOWN, beijingYear, num, itemOf, figureDrill, entryView, adminOf }
