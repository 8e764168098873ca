// Display helpers shared by the pages: status words and colours (from utils/glossary.js), times
// in words, photo URLs.

const config = require('../config')
const time = require('./time')
const glossary = require('./glossary')

const WISH_THEMES = glossary.THEMES.wish
const ORDER_THEMES = glossary.THEMES.order

const TITLE_MAX = 20

// A wish's title from what the resident said, as the server makes it (contracts.md §3): the first
// sentence, at most 20 characters. "厨房水龙头漏水，关不紧。晚上…" → "厨房水龙头漏水，关不紧"
function titleFrom(description) {
  const text = String(description || '').replace(/\s+/g, ' ').trim()
  if (!text) return ''
  const first = text.split(/[。！？!?\n]/)[0].trim() || text
  return first.length > TITLE_MAX ? first.slice(0, TITLE_MAX) : first
}

// Uploads come back as "/uploads/<name>.jpg", relative to the API host.
function mediaUrl(url) {
  if (!url) return ''
  if (/^(https?:|wxfile:|blob:|data:)/.test(url)) return url
  return config.apiBase + (url[0] === '/' ? '' : '/') + url
}

function wishItem(w) {
  return Object.assign({}, w, {
    status_label: glossary.label('wish', w.status, w.status_label),
    theme: glossary.theme('wish', w.status),
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
    status_label: glossary.label('order', o.status, o.status_label),
    kindLabel: glossary.ORDER_KIND[o.kind] || '',
    theme: glossary.theme('order', o.status),
    wishTheme: glossary.theme('wish', o.wish_status),
    createdText: time.formatRelative(o.created_at),
    expiresText: deadlineText(o),
    overdue: (o.status === 'offered' && time.isPast(o.expires_at)) || (o.status === 'accepted' && time.isPast(o.due_at)),
  })
}

function registrationItem(r) {
  return Object.assign({}, r, {
    statusLabel: glossary.label('registration', r.status),
    theme: glossary.theme('registration', r.status),
    createdText: time.formatRelative(r.created_at),
    skillsText: (r.skills || []).join('、') || '未填写',
  })
}

module.exports = { WISH_THEMES, ORDER_THEMES, mediaUrl, wishItem, orderItem, registrationItem, titleFrom }

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
