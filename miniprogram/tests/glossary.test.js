// One glossary (utils/glossary.js) for statuses and actions: no page spells a status differently.
const fs = require('fs')
const path = require('path')
const glossary = require('../utils/glossary')

const ROOT = path.resolve(__dirname, '..')

function files(dirs, exts) {
  const out = []
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).forEach((d) => {
      const full = path.join(dir, d.name)
      if (d.isDirectory()) walk(full)
      else if (exts.some((e) => d.name.endsWith(e))) out.push(full)
    })
  dirs.forEach((d) => walk(path.join(ROOT, d)))
  return out
}

const SOURCES = files(['pages', 'components', 'custom-tab-bar', 'utils', 'services', 'behaviors'], ['.js', '.wxml', '.json'])
const rel = (f) => path.relative(ROOT, f)

// JS string literals and WXML text nodes / attribute values that are nothing but this word.
function exactUses(source, word, isWxml) {
  const hits = []
  const esc = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const patterns = isWxml ? [new RegExp('>\\s*' + esc + '\\s*<'), new RegExp('="' + esc + '"')] : [new RegExp("'" + esc + "'"), new RegExp('"' + esc + '"'), new RegExp('`' + esc + '`')]
  patterns.forEach((re) => {
    if (re.test(source)) hits.push(re.source)
  })
  return hits
}

test('the words of contracts.md §5: wish and order agree on 服务中, an open wish is 待认领', () => {
  expect(glossary.WISH_STATUS).toEqual({
    pending_review: '待审核',
    rejected: '未通过',
    open: '待认领',
    dispatched: '已派单',
    accepted: '服务中',
    completed: '待确认',
    closed: '已完成',
    cancelled: '已取消',
  })
  expect(glossary.ORDER_STATUS).toEqual({ offered: '待接单', accepted: '服务中', declined: '已婉拒', expired: '已超时', completed: '已完成', cancelled: '已取消' })
  expect(glossary.ACTIONS.newWish).toBe('我要许愿')
})

test('no retired word (我要点单, 已接单, 待派单, 待响应) is left in any page, component or module', () => {
  const offenders = []
  SOURCES.filter((f) => !f.endsWith(path.join('utils', 'glossary.js'))).forEach((f) => {
    const src = fs.readFileSync(f, 'utf8')
    glossary.RETIRED.forEach((word) => {
      if (src.indexOf(word) >= 0) offenders.push(rel(f) + ': ' + word)
    })
  })
  expect(offenders).toEqual([])
})

test('no page spells a status itself: every status word shown comes from the glossary', () => {
  const words = Object.keys(glossary.allStatusWords())
  const offenders = []
  SOURCES.filter((f) => !f.endsWith(path.join('utils', 'glossary.js')) && !f.endsWith('.json')).forEach((f) => {
    const src = fs.readFileSync(f, 'utf8')
    words.forEach((word) => {
      const hits = exactUses(src, word, f.endsWith('.wxml'))
      if (hits.length) offenders.push(rel(f) + ': 「' + word + '」')
    })
  })
  expect(offenders).toEqual([])
})

test('pages show the glossary word even when an older server sends another label', () => {
  const { wishItem, orderItem } = require('../utils/format')
  expect(wishItem({ status: 'accepted', status_label: '已接单', created_at: null }).status_label).toBe('服务中')
  expect(orderItem({ status: 'accepted', status_label: '服务中', created_at: null }).status_label).toBe('服务中')
  expect(wishItem({ status: 'something_new', status_label: '新状态', created_at: null }).status_label).toBe('新状态')
  expect(glossary.label('issue', 'whistled')).toBe('已吹哨')
  expect(glossary.theme('wish', 'closed')).toBe('success')
})

test('no page writes a date the ISO way (2026-12-01 02:24): times come in words from utils/time.js', () => {
  const offenders = SOURCES.filter((f) => f.endsWith('.js') && !f.endsWith(path.join('utils', 'time.js'))).filter((f) =>
    /formatDateTime\(|formatDate\(/.test(fs.readFileSync(f, 'utf8'))
  )
  expect(offenders.map(rel)).toEqual([])
})

test('the tab bar and home entries use the glossary words', () => {
  const roles = require('../utils/roles')
  const fixtures = require('./helpers/fixtures')
  expect(roles.TABS.find((t) => t.key === 'wishes').text).toBe(glossary.ACTIONS.myWishes)
  const entries = roles.homeSections(fixtures.me()).reduce((all, s) => all.concat(s.entries), [])
  expect(entries.find((e) => e.key === 'new-wish').text).toBe('我要许愿')
})
