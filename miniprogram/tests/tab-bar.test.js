// The custom tab bar follows the roles in GET /api/v1/me.
const { setup, render, text, tap, flush } = require('./helpers/page')
const fixtures = require('./helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

test('a resident gets 首页, 我的心愿, 我的; roles arriving later add their tabs', async () => {
  const bar = render('custom-tab-bar/index')
  await flush()
  expect(text(bar)).toBe('首页我的心愿我的')

  const session = require('../services/session')
  session.set(fixtures.memberMe({ roles: ['resident', 'party_member', 'dispatcher', 'grid_worker'] }))
  await flush()
  // 派单 is on 首页 (WeChat allows 5 tab pages; the grid worker's 走访 has the fifth)
  expect(text(bar)).toBe('首页我的心愿接单走访我的')
})

test('update(key) highlights the tab; choosing one switches to it', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe())
  const session = require('../services/session')
  await session.load()
  const bar = render('custom-tab-bar/index')
  bar.instance.update('orders')
  expect(bar.data.selected).toBe('orders')
  expect(bar.data.tabs.map((t) => t.key)).toEqual(['home', 'wishes', 'orders', 'me'])
  await tap(bar, '#tab-me')
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/me/me' })
})

test('tab pages call update with their key on show', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes', fixtures.page([]))
  const page = render('pages/wish/mine/mine')
  const update = jest.fn()
  page.instance.getTabBar = () => ({ update })
  await page.instance.onLoad()
  await page.instance.onShow()
  expect(update).toHaveBeenCalledWith('wishes')
})

test('首页 carries the unread count of the inbox', async () => {
  const bar = render('custom-tab-bar/index')
  require('../services/inbox').set(5)
  await flush()
  expect(text(bar)).toBe('5首页我的心愿我的')
  require('../services/inbox').set(0)
  await flush()
  expect(text(bar)).toBe('首页我的心愿我的')
})

test('grid workers and building chiefs get the 走访 tab', async () => {
  const bar = render('custom-tab-bar/index')
  const session = require('../services/session')
  session.set(fixtures.gridWorkerMe())
  await flush()
  expect(text(bar)).toBe('首页我的心愿走访我的')
  session.set(fixtures.chiefMe())
  await flush()
  expect(text(bar)).toBe('首页我的心愿走访我的')
  await tap(bar, '#tab-todo')
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/todo/todo' })
})

test('长辈模式 reaches the tab bar: class and scale on its root', async () => {
  const bar = render('custom-tab-bar/index')
  await flush()
  expect(bar.data.ui.elder).toBe(false)
  require('../services/ui-mode').setElder(true)
  await flush()
  expect(bar.data.ui.elder).toBe(true)
  expect(bar.data.ui.cls).toBe('mode-elder')
})

test('app.json declares at most 5 tab pages, each a page of the app', () => {
  const app = require('../app.json')
  expect(app.tabBar.list.length).toBeLessThanOrEqual(5)
  for (const item of app.tabBar.list) expect(app.pages).toContain(item.pagePath)
})
