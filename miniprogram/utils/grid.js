// Display helpers of the grid pages (住户台账, 走访, 覆盖率): labels (utils/glossary.js), tag
// colours, times in words, phones and building coordinates.
const time = require('./time')
const glossary = require('./glossary')
const { mediaUrl } = require('./format')

const OUTCOME_LABELS = glossary.VISIT_OUTCOME
const OUTCOMES = Object.keys(OUTCOME_LABELS).map((value) => ({ value, label: OUTCOME_LABELS[value] }))

const KIND_LABELS = glossary.FINDING_KIND
const KIND_HINTS = {
  need: '会生成一条心愿，由小区党支部审核派单',
  hazard: '会生成一条网格事件',
  dispute: '会生成一条网格事件',
  suggestion: '会列入党群议事日的议题',
}
const KINDS = Object.keys(KIND_LABELS).map((value) => ({ value, label: KIND_LABELS[value], hint: KIND_HINTS[value] }))

const FOLLOW_UP_LABELS = { wish: '已生成心愿', issue: '已生成网格事件', agenda_item: '已列入议事议题' }

// follow_up_status of a grid issue (backend/issues/state.py) or an agenda item, in words.
const FOLLOW_UP_STATUS = Object.assign({}, glossary.ISSUE_STATUS, { closed: '已关闭' })

// TDesign tag themes of the care tags: the ones that shorten the visit cycle stand out.
const TAG_THEMES = { 独居老人: 'danger', 高龄: 'warning', 残疾: 'warning', 低保: 'primary' }

function tagItems(tags) {
  return (tags || []).map((t) => ({ text: t, theme: TAG_THEMES[t] || 'default' }))
}

// "1号楼1单元101" without the room: "1号楼1单元", the group a household is listed under.
function unitOf(h) {
  const label = h.label || ''
  const room = h.room || ''
  return room && label.slice(-room.length) === room ? label.slice(0, label.length - room.length) : label
}

function residentsText(residents) {
  return (residents || []).map((r) => r.name + (r.relation ? '（' + r.relation + '）' : '')).join('、')
}

function householdItem(h) {
  return Object.assign({}, h, {
    unitText: unitOf(h),
    tags: tagItems(h.care_tags),
    residentsText: residentsText(h.residents) || '暂无登记居民',
  })
}

// Headers between the units of a list already ordered by building and unit.
function withUnitHeaders(items) {
  let last = null
  return items.map((h) => {
    const header = h.unitText !== last ? h.unitText : ''
    last = h.unitText
    return Object.assign({}, h, { header })
  })
}

// Where a building is, for wx.openLocation: TodoItem / HouseholdOut gain `building` {id, name,
// latitude, longitude} or flat building_latitude / building_longitude (contracts.md §4). Older
// servers send neither: then there is no 导航.
function buildingPlace(t) {
  const b = (t && t.building) || {}
  const latitude = typeof b.latitude === 'number' ? b.latitude : t && t.building_latitude
  const longitude = typeof b.longitude === 'number' ? b.longitude : t && t.building_longitude
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return null
  return { latitude, longitude, name: b.name || '' }
}

// Residents' phones that can be called (masked ones, "138****0001", cannot).
function phonesOf(residents) {
  return (residents || [])
    .filter((r) => r.phone && String(r.phone).indexOf('*') < 0)
    .map((r) => ({ name: r.name, relation: r.relation || '', phone: r.phone, text: r.name + (r.relation ? '（' + r.relation + '）' : '') + ' ' + r.phone }))
}

function todoItem(t) {
  let due
  if (!t.last_attempt_at && !t.last_visit_at) due = '从未走访'
  else if (t.overdue) due = '已超期 ' + t.days_overdue + ' 天'
  else due = time.formatDay(t.due_at) + '前走访'
  return Object.assign({}, t, {
    id: t.household_id,
    tags: tagItems(t.care_tags),
    dueText: due,
    urgent: t.overdue || !t.due_at,
    lastText: t.last_visit_at ? '上次见到：' + time.formatDay(t.last_visit_at) : t.last_attempt_at ? '上次走访未见到人' : '',
    residentsText: residentsText(t.residents),
    cycleText: '每 ' + t.cycle_days + ' 天走访一次',
    phones: phonesOf(t.residents),
    place: buildingPlace(t),
  })
}

function visitItem(v) {
  return Object.assign({}, v, {
    timeText: time.formatMoment(v.visited_at),
    outcomeLabel: glossary.label('outcome', v.outcome, v.outcome_label),
    theme: glossary.theme('outcome', v.outcome),
    peopleText: (v.people_met || []).join('、'),
    findings: (v.findings || []).map((f) => Object.assign({}, f, {
      kindLabel: glossary.label('finding', f.kind, f.kind_label),
      followText: f.follow_up ? FOLLOW_UP_LABELS[f.follow_up.type] || '' : '',
      photoUrls: (f.photos || []).map(mediaUrl),
      followStatus: f.follow_up_status ? FOLLOW_UP_STATUS[f.follow_up_status] || '' : '',
    })),
  })
}

// Month strings in Beijing time: "2026-11", and the month before / after.
function currentPeriod(now = new Date()) {
  const d = new Date(now.getTime() + 8 * 3600 * 1000)
  return d.getUTCFullYear() + '-' + String(d.getUTCMonth() + 1).padStart(2, '0')
}

function shiftPeriod(period, months) {
  const [y, m] = period.split('-').map(Number)
  const index = y * 12 + (m - 1) + months
  return Math.floor(index / 12) + '-' + String((index % 12) + 1).padStart(2, '0')
}

function percent(part, whole) {
  return whole ? Math.round((part * 100) / whole) + '%' : '—'
}

module.exports = {
  OUTCOMES,
  OUTCOME_LABELS,
  KINDS,
  KIND_LABELS,
  FOLLOW_UP_LABELS,
  tagItems,
  unitOf,
  householdItem,
  withUnitHeaders,
  todoItem,
  visitItem,
  buildingPlace,
  phonesOf,
  currentPeriod,
  shiftPeriod,
  percent,
}
