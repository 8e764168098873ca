// 派单跟进: offers not answered yet (GET /api/v1/orders?mine=false&status=offered), overdue marked.
const { setup, openPage, text, tap, selectTab } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
})

test('lists offered orders, overdue ones marked', async () => {
  api.on('GET /api/v1/orders', fixtures.page([
    fixtures.orderWithWish({ id: 1, wish_id: 7, wish_title: '辅导数学', expires_at: '2099-01-01T00:00:00Z' }),
    fixtures.orderWithWish({ id: 2, wish_id: 8, wish_title: '修水管', member_name: '李娜', expires_at: '2020-01-01T00:00:00Z' }),
  ]))
  const page = await openPage('pages/dispatch/followup/followup')
  expect(api.callsTo('GET /api/v1/orders')[0].query).toMatchObject({ mine: 'false', status: 'offered' })
  const t = text(page)
  expect(t).toContain('辅导数学')
  expect(t).toContain('党员：李娜')
  expect(t).toContain('已超时')
  expect(page.data.items[1].overdue).toBe(true)
  await tap(page, '#order-1')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/detail?id=7' })
})

test('declined or expired offers can be dispatched again', async () => {
  api.on('GET /api/v1/orders', (req) =>
    fixtures.page(req.query.status === 'declined,expired'
      ? [fixtures.orderWithWish({ id: 3, wish_id: 9, status: 'declined', status_label: '已婉拒', decline_reason: '出差', wish_status: 'open' })]
      : [])
  )
  const page = await openPage('pages/dispatch/followup/followup')
  expect(text(page)).toContain('没有等待党员响应的派单')
  await selectTab(page, '#filters', '已婉拒或已超时')
  expect(text(page)).toContain('婉拒原因：出差')
  await tap(page, '#redispatch-3')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/dispatch/candidates/candidates?id=9' })
})

test('orders being served: past their due time marked for follow-up', async () => {
  api.on('GET /api/v1/orders', (req) =>
    fixtures.page(req.query.status === 'accepted'
      ? [
          fixtures.orderWithWish({ id: 4, wish_id: 10, status: 'accepted', status_label: '服务中', wish_title: '组装书架', due_at: '2099-01-01T00:00:00Z' }),
          fixtures.orderWithWish({ id: 5, wish_id: 11, status: 'accepted', status_label: '服务中', wish_title: '疏通下水道', due_at: '2020-01-01T00:00:00Z', overdue_at: '2020-01-01T00:05:00Z' }),
        ]
      : [])
  )
  const page = await openPage('pages/dispatch/followup/followup')
  await selectTab(page, '#filters', '服务中')
  expect(api.callsTo('GET /api/v1/orders').pop().query).toMatchObject({ mine: 'false', status: 'accepted' })
  const t = text(page)
  expect(t).toContain('完成期限还剩')
  expect(t).toContain('已逾期未完成')
  expect(page.data.items.map((i) => i.overdue)).toEqual([false, true])
})

test('error state', async () => {
  api.on('GET /api/v1/orders', fail(403, 'role_required', '您没有执行此操作的角色权限'))
  const page = await openPage('pages/dispatch/followup/followup')
  expect(text(page)).toContain('您没有执行此操作的角色权限')
})
