const { setup, openPage, text, tap, retry, exists } = require('../helpers/page')
const { fail, NETWORK_DOWN } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
})

test('a resident sees the compound and the resident entries only', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  const page = await openPage('pages/home/home')
  const t = text(page)
  expect(t).toContain('您好，王秀兰')
  expect(t).toContain('锦华苑')
  expect(t).toContain('4号楼1单元102')
  expect(t).toContain('我要许愿')
  expect(t).not.toContain('我要点单')
  expect(t).toContain('党员双报到')
  expect(t).not.toContain('心愿墙')
  expect(t).not.toContain('审核派单')
})

test('a Party member and dispatcher sees their sections', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe({
    roles: ['resident', 'party_member', 'dispatcher'],
    grants: [
      { role: 'party_member', scope_type: 'compound', scope_id: 1 },
      { role: 'dispatcher', scope_type: 'compound', scope_id: 1 },
    ],
  }))
  const page = await openPage('pages/home/home')
  const t = text(page)
  expect(t).toContain('党员服务')
  expect(t).toContain('心愿墙')
  expect(t).toContain('审核派单')
  expect(t).toContain('报到审批')
  expect(t).not.toContain('党员双报到')
})

test('entries navigate; 我要许愿 goes through binding for a user with no compound', async () => {
  api.on('GET /api/v1/me', fixtures.newUser())
  const page = await openPage('pages/home/home')
  expect(text(page)).toContain('先绑定您所在的小区')
  // the one big entry; not repeated among the small ones
  expect(exists(page, '#entry-new-wish')).toBe(false)
  await tap(page, '#new-wish')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/bind/bind?next=' + encodeURIComponent('/pages/wish/new/new') })
  await tap(page, '#entry-my-wishes')
  expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/wish/mine/mine' })
  await tap(page, '#bind')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/bind/bind' })
})

test('shows the error and retries', async () => {
  api.on('GET /api/v1/me', fail(503, 'upstream_unavailable', '微信服务暂时不可用'))
  const page = await openPage('pages/home/home')
  expect(text(page)).toContain('微信服务暂时不可用')
  expect(text(page)).toContain('服务器暂时出了问题')
  api.on('GET /api/v1/me', fixtures.me())
  await retry(page)
  expect(text(page)).toContain('您好，王秀兰')
})

test('offline, the error says so and is not the look of "empty"', async () => {
  api.on('GET /api/v1/me', NETWORK_DOWN)
  const page = await openPage('pages/home/home')
  expect(page.data.errorKind).toBe('network')
  expect(text(page)).toContain('连不上服务器')
  expect(text(page)).toContain('重新加载')
  wx.__setNetwork(false)
  await retry(page)
  await new Promise((resolve) => setTimeout(resolve, 500)) // a failed GET is tried again after 400 ms
  expect(page.data.errorKind).toBe('offline')
  expect(text(page)).toContain('没有网络')
})

test('the first launch offers 长辈模式 in a card; taking it turns the mode on for every page', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  const page = await openPage('pages/home/home')
  expect(text(page)).toContain('试试长辈模式')
  await tap(page, '#elder-on')
  expect(page.data.ui.elder).toBe(true)
  expect(page.data.ui.cls).toBe('mode-elder')
  expect(wx.getStorageSync('hh_elder_mode')).toBe('on')
  expect(text(page)).not.toContain('试试长辈模式')
})

test('the offer can be declined once and for all', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  const page = await openPage('pages/home/home')
  await tap(page, '#elder-later')
  expect(page.data.ui.elder).toBe(false)
  expect(text(page)).not.toContain('试试长辈模式')
  expect(require('../../services/ui-mode').state().offer).toBe(false)
})

test('a resident whose household is not verified is pointed to 住户认证; an older server says nothing', async () => {
  api.on('GET /api/v1/me', fixtures.me({ household_status: 'pending', household_id: null, room: null }))
  let page = await openPage('pages/home/home')
  expect(text(page)).toContain('认证中')
  await tap(page, '#verify')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/verify/verify' })

  require('../../services/session').clear()
  api.on('GET /api/v1/me', fixtures.me())
  page = await openPage('pages/home/home')
  expect(exists(page, '#verify')).toBe(false)
})

test('shows the unread count and opens the inbox; the tab bar shows it too', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/inbox', { items: [], next_cursor: null, unread: 3 })
  const page = await openPage('pages/home/home')
  expect(text(page)).toContain('消息通知3 条未读')
  await tap(page, '#inbox')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/inbox/inbox' })
  expect(require('../../services/inbox').count()).toBe(3)
})

test('a grid worker sees 网格走访 with coverage; a building chief without it', async () => {
  api.on('GET /api/v1/me', fixtures.gridWorkerMe())
  let page = await openPage('pages/home/home')
  let t = text(page)
  expect(t).toContain('网格员')
  expect(t).toContain('网格走访')
  expect(t).toContain('待走访')
  expect(t).toContain('住户台账')
  expect(t).toContain('走访同步')
  expect(t).toContain('走访覆盖')
  expect(t).toContain('住户认证审核')
  await tap(page, '#entry-todo')
  expect(wx.switchTab).toHaveBeenLastCalledWith({ url: '/pages/todo/todo' })
  await tap(page, '#entry-households')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/grid/households/households' })

  require('../../services/session').clear()
  api.on('GET /api/v1/me', fixtures.chiefMe())
  page = await openPage('pages/home/home')
  t = text(page)
  expect(t).toContain('楼栋长')
  expect(t).toContain('住户台账')
  expect(t).not.toContain('走访覆盖')
})
