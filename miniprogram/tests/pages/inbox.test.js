// 消息: the inbox with its unread count; opening marks read and follows the message.
const { setup, openPage, text, tap, flush } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

function message(overrides = {}) {
  return Object.assign(
    {
      id: 31,
      event: 'wish_reviewed',
      title: '心愿审核通过',
      body: '您的心愿「厨房水龙头漏水」已通过审核，正在为您安排党员。',
      page: 'pages/wish/detail/detail?id=7',
      ref_type: 'wish',
      ref_id: 7,
      created_at: fixtures.T0,
      read: false,
      read_at: null,
    },
    overrides
  )
}

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.me())
})

test('lists messages with the unread count; opening one marks it read and follows it', async () => {
  api.on('GET /api/v1/inbox', { items: [message(), message({ id: 30, title: '旧消息', read: true })], next_cursor: null, unread: 1 })
  api.on('POST /api/v1/inbox/31/read', message({ read: true }))
  const page = await openPage('pages/inbox/inbox')
  expect(text(page)).toContain('1 条未读')
  expect(text(page)).toContain('心愿审核通过')
  await tap(page, '#message-31')
  expect(api.callsTo('POST /api/v1/inbox/31/read')).toHaveLength(1)
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/detail?id=7' })
  expect(text(page)).toContain('没有未读消息')
  expect(require('../../services/inbox').count()).toBe(0)
})

test('a page this app does not have is mapped by what the message is about', async () => {
  api.on('GET /api/v1/inbox', {
    items: [
      message({ id: 1, page: 'pages/order/detail?id=11', ref_type: 'wish', ref_id: 9 }),
      message({ id: 2, page: 'pages/member/register?id=4', ref_type: 'registration', ref_id: 4 }),
    ],
    next_cursor: null,
    unread: 2,
  })
  const page = await openPage('pages/inbox/inbox')
  await tap(page, '#message-1')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/wish/detail/detail?id=9' })
  await tap(page, '#message-2')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/member/register/register' })
})

test('全部已读 and infinite scroll', async () => {
  api.on('GET /api/v1/inbox', (req) =>
    req.query.cursor
      ? { items: [message({ id: 5, title: '第二页消息' })], next_cursor: null, unread: 3 }
      : { items: [message({ id: 31 })], next_cursor: '31', unread: 3 }
  )
  api.on('POST /api/v1/inbox/read-all', { updated: 3, unread: 0 })
  const page = await openPage('pages/inbox/inbox')
  await page.instance.onReachBottom()
  await flush()
  expect(text(page)).toContain('第二页消息')
  await tap(page, '#read-all')
  expect(text(page)).toContain('没有未读消息')
  expect(page.data.items.every((m) => m.read)).toBe(true)
})

test('empty and error states', async () => {
  api.on('GET /api/v1/inbox', { items: [], next_cursor: null, unread: 0 })
  let page = await openPage('pages/inbox/inbox')
  expect(text(page)).toContain('还没有消息')
  api.on('GET /api/v1/inbox', fail(500, 'internal_error', '服务器内部错误，请稍后再试'))
  page = await openPage('pages/inbox/inbox')
  expect(text(page)).toContain('服务器内部错误，请稍后再试')
})
