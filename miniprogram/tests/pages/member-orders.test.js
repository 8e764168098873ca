// 我的接单: accept, decline with a reason, go to completion; filters and states.
const { setup, openPage, text, tap, flush, selectTab, retry } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.memberMe())
})

test('lists my offered orders with their deadline and accepts one', async () => {
  api.on('GET /api/v1/orders', fixtures.page([fixtures.orderWithWish({ id: 11, wish_title: '想请人辅导初二数学', expires_at: '2099-01-01T00:00:00Z' })]))
  api.on('POST /api/v1/orders/11/accept', fixtures.wishDetail({ id: 5, status: 'accepted' }))
  const page = await openPage('pages/orders/orders')
  expect(api.callsTo('GET /api/v1/orders')[0].query).toMatchObject({ mine: 'true', status: 'offered' })
  expect(text(page)).toContain('想请人辅导初二数学')
  expect(text(page)).toContain('还剩')
  expect(text(page)).toContain('留言：您住得近')
  await tap(page, '#accept-11')
  expect(api.callsTo('POST /api/v1/orders/11/accept')).toHaveLength(1)
  expect(text(page)).toContain('没有等待您接单的派单')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '接单成功，请联系居民' }))
})

test('declines with a reason', async () => {
  api.on('GET /api/v1/orders', fixtures.page([fixtures.orderWithWish({ id: 11 })]))
  api.on('POST /api/v1/orders/11/decline', fixtures.wishDetail({ id: 5, status: 'open' }))
  const page = await openPage('pages/orders/orders')
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '这周出差' }))
  await tap(page, '#decline-11')
  expect(api.callsTo('POST /api/v1/orders/11/decline')[0].data).toEqual({ reason: '这周出差' })
})

test('an expired offer: the 409 is toasted and the list read again', async () => {
  api.on('GET /api/v1/orders', fixtures.page([fixtures.orderWithWish({ id: 11 })]))
  api.on('POST /api/v1/orders/11/accept', fail(409, 'offer_expired', '该派单已超时，已退回小区重新派单'))
  const page = await openPage('pages/orders/orders')
  await tap(page, '#accept-11')
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该派单已超时，已退回小区重新派单' }))
  expect(api.callsTo('GET /api/v1/orders')).toHaveLength(2)
})

test('服务中 lists accepted orders with 提交完成', async () => {
  api.on('GET /api/v1/orders', (req) =>
    fixtures.page(req.query.status === 'accepted'
      ? [fixtures.orderWithWish({ id: 12, wish_id: 8, status: 'accepted', status_label: '服务中', wish_status: 'accepted' })]
      : [])
  )
  const page = await openPage('pages/orders/orders')
  expect(text(page)).toContain('没有等待您接单的派单')
  await selectTab(page, '#filters', '服务中')
  expect(text(page)).toContain('服务中')
  await tap(page, '#complete-12')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/member/complete/complete?id=8' })
  await tap(page, '#wall')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/member/wall/wall' })
})

test('error state with retry', async () => {
  api.on('GET /api/v1/orders', fail(500, 'internal_error', '服务器内部错误，请稍后再试'))
  const page = await openPage('pages/orders/orders')
  expect(text(page)).toContain('服务器内部错误，请稍后再试')
  api.on('GET /api/v1/orders', fixtures.page([fixtures.orderWithWish({ wish_title: '恢复了' })]))
  await retry(page, '#list-state')
  await flush()
  expect(text(page)).toContain('恢复了')
})
