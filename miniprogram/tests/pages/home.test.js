const { setup, openPage, text, tap } = require('../helpers/page')
const { fail } = require('../helpers/wx')
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
  expect(t).toContain('我要点单')
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

test('entries navigate; 我要点单 goes through binding for a user with no compound', async () => {
  api.on('GET /api/v1/me', fixtures.newUser())
  const page = await openPage('pages/home/home')
  expect(text(page)).toContain('先绑定您所在的小区')
  await tap(page, '#entry-new-wish')
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
  api.on('GET /api/v1/me', fixtures.me())
  await tap(page, '#retry')
  expect(text(page)).toContain('您好，王秀兰')
})

test('shows the unread count and opens the inbox; the tab bar shows it too', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/inbox', { items: [], next_cursor: null, unread: 3 })
  const page = await openPage('pages/home/home')
  expect(text(page)).toContain('消息通知3')
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
  await tap(page, '#entry-todo')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/grid/todo/todo' })
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
