// Display helpers shared by the pages: status colours, times, photo URLs.

const config = require('../config')
const time = require('./time')

// TDesign tag themes per wish status.
const WISH_THEMES = {
  pending_review: 'warning',
  rejected: 'danger',
  open: 'primary',
  dispatched: 'primary',
  accepted: 'primary',
  completed: 'warning',
  closed: 'success',
  cancelled: 'default',
}

const ORDER_THEMES = {
  offered: 'warning',
  accepted: 'primary',
  completed: 'success',
  declined: 'default',
  expired: 'danger',
  cancelled: 'default',
}

const REGISTRATION_LABELS = { pending: '待审批', approved: '已通过', rejected: '未通过' }

// Uploads come back as "/uploads/<name>.jpg", relative to the API host.
function mediaUrl(url) {
  if (!url) return ''
  if (/^(https?:|wxfile:|blob:|data:)/.test(url)) return url
  return config.apiBase + (url[0] === '/' ? '' : '/') + url
}

function wishItem(w) {
  return Object.assign({}, w, {
    theme: WISH_THEMES[w.status] || 'default',
    createdText: time.formatRelative(w.created_at),
  })
}

// An offer must be answered by expires_at; an accepted order completed by due_at.
function deadlineText(o) {
  if (o.status === 'offered' && o.expires_at) return time.formatRemaining(o.expires_at)
  if (o.status === 'accepted' && o.due_at) {
    return time.isPast(o.due_at) ? '已逾期未完成' : '完成期限' + time.formatRemaining(o.due_at)
  }
  return ''
}

function orderItem(o) {
  return Object.assign({}, o, {
    theme: ORDER_THEMES[o.status] || 'default',
    wishTheme: WISH_THEMES[o.wish_status] || 'default',
    createdText: time.formatRelative(o.created_at),
    expiresText: deadlineText(o),
    overdue: (o.status === 'offered' && time.isPast(o.expires_at)) || (o.status === 'accepted' && time.isPast(o.due_at)),
  })
}

function registrationItem(r) {
  return Object.assign({}, r, {
    statusLabel: REGISTRATION_LABELS[r.status] || r.status,
    createdText: time.formatDateTime(r.created_at),
    skillsText: (r.skills || []).join('、') || '未填写',
  })
}

module.exports = { WISH_THEMES, ORDER_THEMES, mediaUrl, wishItem, orderItem, registrationItem }

// Every skill the wish categories ask for, once, in category order (suggestions for members).
function skillSuggestions(categories) {
  const out = []
  ;((categories && categories.items) || []).forEach((c) =>
    (c.skills || []).forEach((s) => {
      if (out.indexOf(s) < 0) out.push(s)
    })
  )
  return out
}

module.exports.skillSuggestions = skillSuggestions
