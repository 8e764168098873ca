// The API speaks UTC ISO 8601 ("2026-11-19T16:34:03.203189Z"); people read Beijing time.
// Asia/Shanghai has been UTC+8 all year since 1991, so the shift is a constant and the phone's own
// time zone never matters.

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000

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

// "刚刚", "5分钟前", "3小时前", "昨天 08:30", else "11-20 00:34" (this year) or the full date.
function formatRelative(iso, now = new Date()) {
  const d = parseUtc(iso)
  if (!d) return ''
  const diff = now.getTime() - d.getTime()
  if (diff >= 0 && diff < 60 * 1000) return '刚刚'
  if (diff >= 0 && diff < 3600 * 1000) return Math.floor(diff / 60000) + '分钟前'
  const p = shanghaiParts(d)
  const today = shanghaiParts(now)
  const dayIndex = (x) => Date.UTC(x.year, x.month - 1, x.day) / 86400000
  const days = dayIndex(today) - dayIndex(p)
  const hm = pad(p.hour) + ':' + pad(p.minute)
  if (days === 0 && diff >= 0) return Math.floor(diff / 3600000) + '小时前'
  if (days === 1) return '昨天 ' + hm
  if (p.year === today.year) return pad(p.month) + '-' + pad(p.day) + ' ' + hm
  return formatDateTime(d)
}

// "还剩 3小时20分" / "已超时" for an offer's expires_at.
function formatRemaining(iso, now = new Date()) {
  const d = parseUtc(iso)
  if (!d) return ''
  const ms = d.getTime() - now.getTime()
  if (ms <= 0) return '已超时'
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

module.exports = { parseUtc, formatDateTime, formatDate, formatRelative, formatRemaining, isPast }
