// Shared by the co-building pages (subpackage `cobuild`): items decorated for display, in the
// glossary's words (utils/glossary.js), times in words (utils/time.js), hours as people say them.
const glossary = require('../../utils/glossary')
const time = require('../../utils/time')

// 150 → 「2小时30分」, 60 → 「1小时」, 0 → 「0分」
function hoursText(minutes) {
  const m = Math.max(0, Math.round(minutes || 0))
  const h = Math.floor(m / 60)
  const rest = m % 60
  if (!h) return rest + '分'
  return h + '小时' + (rest ? rest + '分' : '')
}

function status(kind, row) {
  return { statusLabel: glossary.label(kind, row.status, row.status_label), theme: glossary.theme(kind, row.status) }
}

function seatsText(a) {
  if (a.closed) return '活动已结束'
  if (a.seats_left > 0) return '余 ' + a.seats_left + ' 个名额（共 ' + a.capacity + ' 个）'
  return '名额已满，可候补'
}

function activityItem(a, now = new Date()) {
  return Object.assign({}, a, {
    whenText: time.formatMoment(a.start_at, now) + ' 至 ' + time.formatMoment(a.end_at, now),
    closesText: time.formatMoment(a.signup_closes_at, now),
    seatsText: seatsText(a),
    full: !a.closed && a.seats_left <= 0,
    started: time.isPast(a.start_at, now),
    ended: a.closed || time.isPast(a.end_at, now),
  })
}

function signupItem(r, now = new Date()) {
  return Object.assign({}, r, status('signup', r), {
    startText: r.activity_start_at ? time.formatMoment(r.activity_start_at, now) : '',
    checkedInText: r.checked_in_at ? time.formatMoment(r.checked_in_at, now) : '',
    checkedOutText: r.checked_out_at ? time.formatMoment(r.checked_out_at, now) : '',
    hoursText: hoursText(r.minutes),
    positionText: r.status === 'waitlisted' && r.waitlist_position ? '候补第 ' + r.waitlist_position + ' 位' : '',
  })
}

function entryItem(e, now = new Date()) {
  return Object.assign({}, e, {
    amountText: (e.amount > 0 ? '+' : '') + e.amount,
    atText: time.formatMoment(e.at, now),
    positive: e.amount > 0,
  })
}

function claimItem(c) {
  return Object.assign({}, c, status('claim', c))
}

function listItem(it) {
  const kindLabel = glossary.STATUS.listKind[it.kind] || it.kind
  const quantityText = it.quantity ? it.quantity + (it.unit || '') : ''
  return Object.assign({}, it, status('listItem', it), {
    kindLabel,
    metaText: [kindLabel, it.category, quantityText, it.owner_name].filter(Boolean).join(' · '),
    claims: (it.claims || []).map(claimItem),
  })
}

function applicationItem(a) {
  return Object.assign({}, a, status('application', a))
}

// The sides the caller acts for, from GET /api/v1/me's grants: partners (partner_contact) and
// communities (community_admin). Compounds (the compound branch) claim through their dispatcher.
function sides(me) {
  const grants = (me && me.grants) || []
  const out = []
  grants.forEach((g) => {
    if (g.role === 'partner_contact' && g.scope_type === 'partner') out.push({ kind: 'partner', id: g.scope_id })
    if (g.role === 'community_admin' && g.scope_type === 'community') out.push({ kind: 'community', id: g.scope_id })
    if (g.role === 'dispatcher' && g.scope_type === 'compound') out.push({ kind: 'compound', id: g.scope_id })
  })
  return out
}

const UNIT_SIDES = ['partner', 'work_unit']

// Which of my sides may claim this item (双认领: units claim communities' needs and projects,
// communities and compounds claim units' resources); null when none.
function claimantFor(item, mySides) {
  const ownerIsUnit = UNIT_SIDES.indexOf(item.owner_kind) >= 0
  return mySides.find((s) => (ownerIsUnit ? s.kind !== 'partner' : s.kind === 'partner')) || null
}

// Whether I act for the item's owner (to accept or decline its claims).
function ownsItem(item, mySides) {
  const kind = UNIT_SIDES.indexOf(item.owner_kind) >= 0 ? 'partner' : item.owner_kind
  return mySides.some((s) => (s.kind === kind && s.id === item.owner_id) || (s.kind === 'community' && s.id === item.community_id))
}

module.exports = { hoursText, activityItem, signupItem, entryItem, claimItem, listItem, applicationItem, sides, claimantFor, ownsItem }
