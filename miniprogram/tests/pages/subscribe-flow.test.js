// Before actions that notify someone, the pages ask for subscribe messages in the same tap
// (template ids from GET /api/v1/notifications/templates), report the answer, and go on.
const { setup, openPage, tap, flush } = require('../helpers/page')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/notifications/templates', (req) => ({ template_ids: ['dev-' + req.query.action + '-1', 'dev-' + req.query.action + '-2'] }))
  api.on('POST /api/v1/notifications/subscriptions', { credits: [], ignored: [] })
})

function answer(result) {
  wx.requestSubscribeMessage.mockImplementation((opts) => {
    const res = { errMsg: 'requestSubscribeMessage:ok' }
    opts.tmplIds.forEach((id) => (res[id] = result))
    setTimeout(() => opts.success(res), 0)
  })
}

test('我要点单: asks for create_wish, reports the answer, then creates the wish', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/categories', fixtures.categories())
  api.on('POST /api/v1/wishes', fixtures.wishDetail({ id: 42 }))
  answer('accept')
  const page = await openPage('pages/wish/new/new')
  expect(api.callsTo('GET /api/v1/notifications/templates')[0].query).toEqual({ action: 'create_wish' })
  page.instance.onTitle({ detail: { value: '修水管' } })
  await tap(page, '#cat-repair')

  page.instance.onSubmit() // the tap: the dialog must be asked for synchronously
  expect(wx.requestSubscribeMessage).toHaveBeenCalledTimes(1)
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['dev-create_wish-1', 'dev-create_wish-2'])
  await flush()
  expect(api.callsTo('POST /api/v1/notifications/subscriptions')[0].data).toEqual({
    results: { 'dev-create_wish-1': 'accept', 'dev-create_wish-2': 'accept' },
  })
  expect(api.callsTo('POST /api/v1/wishes')).toHaveLength(1)
  const order = api.calls.map((c) => c.method + ' ' + c.path)
  expect(order.indexOf('POST /api/v1/notifications/subscriptions')).toBeLessThan(order.indexOf('POST /api/v1/wishes'))
})

test('a rejected or failing dialog does not stop the action', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe())
  api.on('GET /api/v1/wishes/wall', fixtures.page([fixtures.wish({ id: 5 })]))
  api.on('POST /api/v1/wishes/5/claim', fixtures.wishDetail({ id: 5, status: 'accepted' }))
  wx.requestSubscribeMessage.mockImplementation((opts) => setTimeout(() => opts.fail({ errMsg: 'fail', errCode: 20004 }), 0))
  const page = await openPage('pages/member/wall/wall')
  await tap(page, '#claim-5')
  await flush()
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds).toEqual(['dev-accept_order-1', 'dev-accept_order-2'])
  expect(api.callsTo('POST /api/v1/notifications/subscriptions')).toHaveLength(0)
  expect(api.callsTo('POST /api/v1/wishes/5/claim')).toHaveLength(1)
})

test('accepting an order asks for accept_order; dispatching asks for dispatch', async () => {
  api.on('GET /api/v1/me', fixtures.memberMe({
    roles: ['resident', 'party_member', 'dispatcher'],
    grants: [{ role: 'party_member', scope_type: 'compound', scope_id: 1 }, { role: 'dispatcher', scope_type: 'compound', scope_id: 1 }],
  }))
  api.on('GET /api/v1/orders', fixtures.page([fixtures.orderWithWish({ id: 11 })]))
  api.on('POST /api/v1/orders/11/accept', fixtures.wishDetail({ status: 'accepted' }))
  answer('reject')
  const orders = await openPage('pages/orders/orders')
  await tap(orders, '#accept-11')
  await flush()
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds[0]).toBe('dev-accept_order-1')
  expect(api.callsTo('POST /api/v1/notifications/subscriptions')[0].data.results['dev-accept_order-1']).toBe('reject')
  expect(api.callsTo('POST /api/v1/orders/11/accept')).toHaveLength(1)

  api.on('GET /api/v1/wishes/7', fixtures.wishDetail({ id: 7, status: 'open' }))
  api.on('GET /api/v1/wishes/7/candidates', { items: [fixtures.candidate()] })
  api.on('POST /api/v1/wishes/7/dispatch', fixtures.wishDetail({ id: 7, status: 'dispatched' }))
  const candidates = await openPage('pages/dispatch/candidates/candidates', { id: '7' })
  await flush()
  await tap(candidates, '#candidate-3')
  await tap(candidates, '#dispatch')
  await flush()
  expect(wx.requestSubscribeMessage.mock.calls[1][0].tmplIds[0]).toBe('dev-dispatch-1')
  expect(api.callsTo('POST /api/v1/wishes/7/dispatch')).toHaveLength(1)
})

test('双报到 asks for register_member', async () => {
  api.on('GET /api/v1/me', fixtures.me())
  api.on('GET /api/v1/wishes/categories', fixtures.categories())
  api.on('POST /api/v1/members/register', fixtures.registration())
  answer('accept')
  const page = await openPage('pages/member/register/register')
  page.instance.onWorkUnit({ detail: { value: '税务局' } })
  await tap(page, '#submit')
  await flush()
  expect(wx.requestSubscribeMessage.mock.calls[0][0].tmplIds[0]).toBe('dev-register_member-1')
  expect(api.callsTo('POST /api/v1/members/register')).toHaveLength(1)
})
