// Times in Asia/Shanghai whatever the phone's zone; roles → tabs and home entries.
const time = require('../utils/time')
const roles = require('../utils/roles')
const fixtures = require('./helpers/fixtures')

describe('time', () => {
  test('UTC ISO strings are shown in Beijing time', () => {
    expect(time.formatDateTime('2026-11-19T16:34:03.203189Z')).toBe('2026-11-20 00:34')
    expect(time.formatDateTime('2026-12-31T16:00:00+00:00')).toBe('2027-01-01 00:00')
    expect(time.formatDate('2026-12-31T15:59:59Z')).toBe('2026-12-31')
  })

  test('a time without a zone is read as UTC, as the API means it', () => {
    expect(time.formatDateTime('2026-11-19T16:34:03')).toBe('2026-11-20 00:34')
  })

  test('empty or broken values give an empty string', () => {
    expect(time.formatDateTime(null)).toBe('')
    expect(time.formatDateTime('not a date')).toBe('')
    expect(time.formatRelative(undefined)).toBe('')
  })

  test('times in words, days counted in Shanghai: 今天 14:30、昨天、11月28日', () => {
    const now = new Date('2026-11-20T02:00:00Z') // 10:00 in Shanghai
    expect(time.formatRelative('2026-11-20T01:59:30Z', now)).toBe('刚刚')
    expect(time.formatRelative('2026-11-20T01:15:00Z', now)).toBe('45分钟前')
    expect(time.formatRelative('2026-11-19T17:00:00Z', now)).toBe('今天 01:00') // 01:00 today in Shanghai
    expect(time.formatRelative('2026-11-19T15:00:00Z', now)).toBe('昨天 23:00')
    expect(time.formatRelative('2026-10-01T00:00:00Z', now)).toBe('10月1日 08:00')
    expect(time.formatRelative('2025-10-01T00:00:00Z', now)).toBe('2025年10月1日 08:00')
    expect(time.formatMoment('2026-11-20T01:15:00Z', now)).toBe('今天 09:15')
    expect(time.formatDay('2026-11-28T06:30:00Z', now)).toBe('11月28日')
    expect(time.formatDay('2026-11-20T17:00:00Z', now)).toBe('明天')
    expect(time.formatDay('2026-11-19T03:00:00Z', now)).toBe('昨天')
    expect(time.formatDay('2025-12-31T17:00:00Z', now)).toBe('1月1日') // 1 January 2026 in Shanghai, this year
    expect(time.formatDay('2025-06-30T17:00:00Z', now)).toBe('2025年7月1日')
  })

  test('statistics periods in words: 2026年第四季度', () => {
    expect(time.formatPeriod('2026-Q4')).toBe('2026年第四季度')
    expect(time.formatPeriod('2026-q1')).toBe('2026年第一季度')
    expect(time.formatPeriod('2026-11')).toBe('2026年11月')
    expect(time.formatPeriod('2026-03')).toBe('2026年3月')
    expect(time.formatPeriod('2026-H2')).toBe('2026年下半年')
    expect(time.formatPeriod('2026')).toBe('2026年')
    expect(time.formatPeriod('最近30天')).toBe('最近30天')
  })

  test('offer deadlines', () => {
    const now = new Date('2026-11-20T02:00:00Z')
    expect(time.formatRemaining('2026-11-20T05:20:00Z', now)).toBe('还剩 3小时20分')
    expect(time.formatRemaining('2026-11-22T05:00:00Z', now)).toBe('还剩 2天3小时')
    expect(time.formatRemaining('2026-11-20T01:00:00Z', now)).toBe('已超时')
    expect(time.isPast('2026-11-20T01:00:00Z', now)).toBe(true)
  })
})

describe('roles', () => {
  test('tabs per role', () => {
    expect(roles.tabsFor(fixtures.me()).map((t) => t.key)).toEqual(['home', 'wishes', 'me'])
    expect(roles.tabsFor(fixtures.memberMe()).map((t) => t.key)).toEqual(['home', 'wishes', 'orders', 'me'])
    expect(roles.tabsFor(fixtures.dispatcherMe()).map((t) => t.key)).toEqual(['home', 'wishes', 'me'])
    expect(roles.tabsFor(fixtures.gridWorkerMe()).map((t) => t.key)).toEqual(['home', 'wishes', 'todo', 'me'])
    expect(roles.tabsFor(fixtures.chiefMe()).map((t) => t.key)).toEqual(['home', 'wishes', 'todo', 'me'])
    expect(roles.tabsFor(fixtures.dispatcherMe()).map((t) => t.key)).not.toContain('dispatch')
  })

  test('home entries per role', () => {
    // (社区提案's entries: tests/pages/proposal-entries.test.js; 项目与测评's: project-entries.test.js;
    // 志愿共建's: the cobuild tests; 小区评议's: project-results.test.js)
    const own = ['社区提案', '志愿共建', '项目与测评', '小区评议']
    const keys = (me) =>
      roles.homeSections(me).filter((s) => own.indexOf(s.title) < 0).reduce((all, s) => all.concat(s.entries.map((e) => e.key)), [])
    expect(keys(fixtures.me())).toEqual(['new-wish', 'my-wishes', 'airing', 'register'])
    expect(keys(fixtures.memberMe())).toEqual(['new-wish', 'my-wishes', 'airing', 'wall', 'orders', 'profile'])
    expect(keys(fixtures.dispatcherMe())).toEqual(['new-wish', 'my-wishes', 'airing', 'register', 'queue', 'followup', 'registrations'])
    expect(keys(fixtures.gridWorkerMe())).toEqual(expect.arrayContaining(['todo', 'households', 'visit-queue', 'verifications', 'coverage']))
    expect(keys(fixtures.chiefMe())).toContain('verifications')
    expect(keys(fixtures.me({ roles: ['resident', 'community_admin'] }))).toEqual(expect.arrayContaining(['registrations', 'rates']))
    expect(keys(fixtures.me({ roles: ['street_admin'] }))).toContain('rates')
    expect(keys(fixtures.me())).not.toContain('rates')
    expect(keys(fixtures.me({ roles: ['grid_worker'] }))).toContain('my-issues')
    expect(keys(fixtures.me({ roles: ['building_chief'] }))).not.toContain('my-issues')
    expect(keys(fixtures.me({ roles: ['department_staff'] }))).toContain('dept-issues')
    expect(keys(fixtures.me({ roles: ['department_head'] }))).toContain('dept-issues')
  })

  test('role labels are Chinese', () => {
    expect(roles.roleLabels(fixtures.dispatcherMe())).toEqual(['居民', '小区党支部'])
  })
})

// Every page of app.json, the main package's and the subpackages'.
function allPages() {
  const app = require('../app.json')
  const out = app.pages.slice()
  ;(app.subPackages || []).forEach((sp) => sp.pages.forEach((p) => out.push(sp.root + '/' + p)))
  return out
}

describe('app.json', () => {
  test('every page and tab page exists with its four files', () => {
    const fs = require('fs')
    const path = require('path')
    const root = path.resolve(__dirname, '..')
    const app = require('../app.json')
    allPages().forEach((p) => ['.js', '.json', '.wxml', '.wxss'].forEach((ext) => expect([p + ext, fs.existsSync(path.join(root, p + ext))]).toEqual([p + ext, true])))
    app.tabBar.list.forEach((t) => expect(app.pages).toContain(t.pagePath))
    roles.TABS.forEach((t) => expect(app.tabBar.list.map((x) => '/' + x.pagePath)).toContain(t.path))
  })

  test('every usingComponents entry resolves (npm, absolute or relative)', () => {
    const fs = require('fs')
    const path = require('path')
    const root = path.resolve(__dirname, '..')
    const td = path.join(root, 'node_modules/tdesign-miniprogram/miniprogram_dist')
    const files = []
    const walk = (dir) =>
      fs.readdirSync(dir, { withFileTypes: true }).forEach((d) => {
        if (['node_modules', 'tests', 'coverage', 'miniprogram_npm'].includes(d.name)) return
        const full = path.join(dir, d.name)
        if (d.isDirectory()) walk(full)
        else if (d.name.endsWith('.json') && fs.existsSync(full.replace(/\.json$/, '.wxml'))) files.push(full)
      })
    walk(root)
    expect(files.length).toBeGreaterThan(15)
    files.forEach((file) => {
      const using = JSON.parse(fs.readFileSync(file, 'utf8')).usingComponents || {}
      Object.values(using).forEach((target) => {
        let resolved
        if (target.startsWith('tdesign-miniprogram/')) resolved = path.join(td, target.slice('tdesign-miniprogram/'.length))
        else if (target.startsWith('/')) resolved = path.join(root, target)
        else resolved = path.join(path.dirname(file), target)
        if (!fs.existsSync(resolved + '.json')) throw new Error(file + ': ' + target + ' does not resolve')
      })
    })
  })
})

describe('links', () => {
  const { PAGES, pageFor } = require('../utils/links')

  test('PAGES are the non-tab pages of app.json, subpackages included; TAB_PAGES the tab pages', () => {
    const app = require('../app.json')
    const { TAB_PAGES } = require('../utils/links')
    const tabs = app.tabBar.list.map((t) => t.pagePath)
    expect(PAGES.slice().sort()).toEqual(allPages().filter((p) => tabs.indexOf(p) < 0).sort())
    expect(TAB_PAGES.slice().sort()).toEqual(tabs.slice().sort())
  })

  test('the pages the backend links to keep their paths', () => {
    // subscribe messages and inbox items carry these (backend/**): moving them breaks old messages
    ;['pages/wish/detail/detail', 'pages/issue/detail/detail', 'pages/member/register/register', 'pages/proposal/detail/detail', 'pages/proposal/meeting/meeting', 'pages/project/appraisal/appraisal'].forEach((p) =>
      expect(allPages()).toContain(p)
    )
  })

  test('tab pages are in the main package, each subpackage root holds only its own pages', () => {
    const app = require('../app.json')
    const roots = app.subPackages.map((sp) => sp.root + '/')
    app.tabBar.list.forEach((t) => expect(app.pages).toContain(t.pagePath))
    app.pages.forEach((p) => roots.forEach((r) => expect(p.startsWith(r)).toBe(false)))
  })

  test('messages lead to their page, or by what they refer to', () => {
    expect(pageFor({ page: 'pages/wish/detail/detail?id=3' })).toBe('/pages/wish/detail/detail?id=3')
    expect(pageFor({ page: '/pages/inbox/inbox' })).toBe('/pages/inbox/inbox')
    expect(pageFor({ page: 'pages/wish/detail?id=3', ref_type: 'wish', ref_id: 3 })).toBe('/pages/wish/detail/detail?id=3')
    expect(pageFor({ page: null, ref_type: 'registration', ref_id: 4 })).toBe('/pages/member/register/register')
    // the 评议会's review messages (backend/notify/templates.py APPRAISAL_PAGE)
    expect(pageFor({ page: 'pages/project/appraisal/appraisal?id=9', ref_type: 'meeting', ref_id: 9 })).toBe('/pages/project/appraisal/appraisal?id=9')
    expect(pageFor({ page: 'pages/nowhere', ref_type: null })).toBe('')
  })
})

describe('utils/grid', () => {
  const grid = require('../utils/grid')

  test('unit of a household and unit headers', () => {
    expect(grid.unitOf({ label: '3号楼1单元502', room: '502' })).toBe('3号楼1单元')
    const items = ['1号楼1单元101', '1号楼1单元102', '1号楼2单元101'].map((label) =>
      grid.householdItem({ label, room: label.slice(-3), care_tags: ['独居老人', '租户'], residents: [] })
    )
    expect(grid.withUnitHeaders(items).map((h) => h.header)).toEqual(['1号楼1单元', '', '1号楼2单元'])
    expect(items[0].tags).toEqual([{ text: '独居老人', theme: 'danger' }, { text: '租户', theme: 'default' }])
    expect(items[0].residentsText).toBe('暂无登记居民')
  })

  test('months in Beijing time', () => {
    // 2026-11-30 17:00 UTC is already 1 December in Beijing
    expect(grid.currentPeriod(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12')
    expect(grid.currentPeriod(new Date('2026-11-30T15:59:00Z'))).toBe('2026-11')
    expect(grid.shiftPeriod('2026-01', -1)).toBe('2025-12')
    expect(grid.percent(48, 72)).toBe('67%')
    expect(grid.percent(0, 0)).toBe('—')
  })
})
