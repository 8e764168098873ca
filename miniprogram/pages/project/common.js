// Shared by the project pages (subpackage project): a project, a task and money in words.
const glossary = require('../../utils/glossary')
const time = require('../../utils/time')
const { mediaUrl } = require('../../utils/format')

// Money comes in fen (分); shown in 元 with two decimals only when there are fen.
function yuan(fen) {
  const n = Number(fen) || 0
  const y = n / 100
  const text = n % 100 === 0 ? String(Math.round(y)) : y.toFixed(2)
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + ' 元'
}

function clampPercent(n) {
  const v = Math.round(Number(n) || 0)
  return v < 0 ? 0 : v > 100 ? 100 : v
}

function projectItem(p) {
  return Object.assign({}, p, {
    statusLabel: glossary.label('project', p.status, p.status_label),
    theme: glossary.theme('project', p.status),
    progressPercent: clampPercent(p.progress),
    dueText: p.due_date ? '计划完成：' + time.formatDay(p.due_date + 'T12:00:00+08:00') : '',
    scopeText: p.scope === 'community' ? '社区项目' : '小区项目',
  })
}

// A task's deadline in words: 还剩 2天3小时 / 已超时 (late ones are marked), or when it was due.
function deadlineText(t, now = new Date()) {
  if (!t.due_at) return ''
  if (t.status === 'completed' || t.status === 'cancelled') return '时限：' + time.formatMoment(t.due_at, now)
  if (t.late || time.isPast(t.due_at, now)) return '已超过时限（' + time.formatMoment(t.due_at, now) + '）'
  return '时限' + time.formatRemaining(t.due_at, now) + '（' + time.formatMoment(t.due_at, now) + '）'
}

function taskItem(t, now = new Date()) {
  const open = t.status === 'assigned' || t.status === 'accepted'
  return Object.assign({}, t, {
    statusLabel: glossary.label('task', t.status, t.status_label),
    theme: glossary.theme('task', t.status),
    isLate: open && (t.late || time.isPast(t.due_at, now)),
    deadline: deadlineText(t, now),
    photoUrls: (t.photos || []).map(mediaUrl),
    actions: t.actions || [],
  })
}

function fundingItem(f) {
  return Object.assign({}, f, { pledgedText: yuan(f.pledged), receivedText: yuan(f.received), spentText: yuan(f.spent) })
}

function detailUrl(id) {
  return '/pages/project/detail/detail?id=' + id
}

module.exports = { yuan, clampPercent, projectItem, taskItem, fundingItem, deadlineText, detailUrl }
