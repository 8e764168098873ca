// The API speaks UTC ISO 8601 ("2026-11-19T16:34:03.203189Z"); people read Beijing time.
// Asia/Shanghai has been UTC+8 all year since 1991, so the shift is a constant and the phone's own
// time zone never matters.

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000
// an offer past its time is in the state the glossary calls 已超时 (order status expired)
const EXPIRED = require('./glossary').ORDER_STATUS.expired

function parseUtc(iso) {
  if (!iso) return null
  if (iso instanceof Date) return iso
  let s = String(iso).trim()
  // no zone designator: the API means UTC
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(s)) s += 'Z'
  // trim fractions beyond milliseconds, which some JS engines refuse
  s = s.replace(/(\.\d{3})\d+/, '$1')
  const d = new Date(s)
  return isNaN(d.getTime()) ? null : d
}

function pad(n) {
  return n < 10 ? '0' + n : String(n)
}

// Fields of the instant as seen in Shanghai.
function shanghaiParts(iso) {
  const d = parseUtc(iso)
  if (!d) return null
  const s = new Date(d.getTime() + SHANGHAI_OFFSET_MS)
  return {
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
  }
}

// "2026-11-20 00:34"
function formatDateTime(iso) {
  const p = shanghaiParts(iso)
  if (!p) return ''
  return p.year + '-' + pad(p.month) + '-' + pad(p.day) + ' ' + pad(p.hour) + ':' + pad(p.minute)
}

// "2026-11-20"
function formatDate(iso) {
  const p = shanghaiParts(iso)
  if (!p) return ''
  return p.year + '-' + pad(p.month) + '-' + pad(p.day)
}

function dayIndex(p) {
  return Date.UTC(p.year, p.month - 1, p.day) / 86400000
}

// A day as people say it: "今天", "昨天", "明天", "11月28日" (this year), "2025年11月28日".
function formatDay(iso, now = new Date()) {
  const p = shanghaiParts(iso)
  if (!p) return ''
  const today = shanghaiParts(now)
  const days = dayIndex(today) - dayIndex(p)
  if (days === 0) return '今天'
  if (days === 1) return '昨天'
  if (days === -1) return '明天'
  if (p.year === today.year) return p.month + '月' + p.day + '日'
  return p.year + '年' + p.month + '月' + p.day + '日'
}

// A moment as people say it: "刚刚", "5分钟前", "今天 14:30", "昨天 08:30", "11月28日 14:30",
// "2025年11月28日 14:30". Shown wherever the app gives a time (lists, timelines, sync state).
function formatRelative(iso, now = new Date()) {
  const d = parseUtc(iso)
  if (!d) return ''
  const diff = now.getTime() - d.getTime()
  if (diff >= 0 && diff < 60 * 1000) return '刚刚'
  if (diff >= 0 && diff < 3600 * 1000) return Math.floor(diff / 60000) + '分钟前'
  const p = shanghaiParts(d)
  return formatDay(d, now) + ' ' + pad(p.hour) + ':' + pad(p.minute)
}

// The same, always with the time and never "N分钟前" (timelines, deadlines).
function formatMoment(iso, now = new Date()) {
  const p = shanghaiParts(iso)
  if (!p) return ''
  return formatDay(iso, now) + ' ' + pad(p.hour) + ':' + pad(p.minute)
}

const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度']

// A statistics period in words: "2026-11" → "2026年11月", "2026-Q4" → "2026年第四季度",
// "2026-H2" → "2026年下半年", "2026" → "2026年". Anything else is shown as it is.
function formatPeriod(period) {
  const s = String(period || '')
  let m = /^(\d{4})-(\d{1,2})$/.exec(s)
  if (m) return m[1] + '年' + Number(m[2]) + '月'
  m = /^(\d{4})-Q([1-4])$/i.exec(s)
  if (m) return m[1] + '年' + QUARTERS[Number(m[2]) - 1]
  m = /^(\d{4})-H([12])$/i.exec(s)
  if (m) return m[1] + '年' + (m[2] === '1' ? '上半年' : '下半年')
  m = /^(\d{4})$/.exec(s)
  if (m) return m[1] + '年'
  return s
}

// 「还剩 3小时20分」, or 已超时 (the glossary word) for an offer's expires_at.
function formatRemaining(iso, now = new Date()) {
  const d = parseUtc(iso)
  if (!d) return ''
  const ms = d.getTime() - now.getTime()
  if (ms <= 0) return EXPIRED
  const minutes = Math.ceil(ms / 60000)
  const days = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (days) return '还剩 ' + days + '天' + (h ? h + '小时' : '')
  return '还剩 ' + (h ? h + '小时' : '') + m + '分'
}

function isPast(iso, now = new Date()) {
  const d = parseUtc(iso)
  return !!d && d.getTime() <= now.getTime()
}

module.exports = { parseUtc, formatDateTime, formatDate, formatDay, formatRelative, formatMoment, formatPeriod, formatRemaining, isPast }
