// Display helpers of the grid pages (住户台账, 走访, 覆盖率): labels, tag colours, times in Beijing.
const time = require('./time')
const { mediaUrl } = require('./format')

const OUTCOMES = [
  { value: 'met', label: '见到居民' },
  { value: 'not_home', label: '家中无人' },
  { value: 'refused', label: '拒绝走访' },
  { value: 'moved', label: '已搬离' },
]
const OUTCOME_LABELS = {}
OUTCOMES.forEach((o) => (OUTCOME_LABELS[o.value] = o.label))

const KINDS = [
  { value: 'need', label: '困难需求', hint: '会生成一条心愿，由小区党支部审核派单' },
  { value: 'hazard', label: '安全隐患', hint: '会生成一条网格事件' },
  { value: 'dispute', label: '矛盾纠纷', hint: '会生成一条网格事件' },
  { value: 'suggestion', label: '意见建议', hint: '会列入党群议事日的议题' },
]
const KIND_LABELS = {}
KINDS.forEach((k) => (KIND_LABELS[k.value] = k.label))

const FOLLOW_UP_LABELS = { wish: '已生成心愿', issue: '已生成网格事件', agenda_item: '已列入议事议题' }

// follow_up_status of a grid issue (backend/issues/state.py) or an agenda item, in words.
const FOLLOW_UP_STATUS = {
  open: '待处理',
  whistled: '已吹哨',
  responded: '已响应',
  returned: '已退回',
  resolved: '已办结',
  reopened: '已重新打开',
  confirmed: '已确认',
  closed: '已关闭',
}

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

function todoItem(t) {
  let due
  if (!t.last_attempt_at && !t.last_visit_at) due = '从未走访'
  else if (t.overdue) due = '已超期 ' + t.days_overdue + ' 天'
  else due = time.formatDate(t.due_at) + ' 前走访'
  return Object.assign({}, t, {
    id: t.household_id,
    tags: tagItems(t.care_tags),
    dueText: due,
    urgent: t.overdue || !t.due_at,
    lastText: t.last_visit_at ? '上次见到：' + time.formatDate(t.last_visit_at) : t.last_attempt_at ? '上次走访未见到人' : '',
    residentsText: residentsText(t.residents),
    cycleText: '每 ' + t.cycle_days + ' 天走访一次',
  })
}

function visitItem(v) {
  return Object.assign({}, v, {
    timeText: time.formatDateTime(v.visited_at),
    outcomeLabel: v.outcome_label || OUTCOME_LABELS[v.outcome] || v.outcome,
    theme: v.outcome === 'met' ? 'success' : v.outcome === 'not_home' ? 'warning' : 'default',
    peopleText: (v.people_met || []).join('、'),
    findings: (v.findings || []).map((f) => Object.assign({}, f, {
      kindLabel: f.kind_label || KIND_LABELS[f.kind] || f.kind,
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
  currentPeriod,
  shiftPeriod,
  percent,
}
