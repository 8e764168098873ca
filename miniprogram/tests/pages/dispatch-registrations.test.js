// 报到审批: approve or reject Party members' registrations.
const { setup, openPage, text, tap, selectTab } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
})

test('lists pending registrations and approves one', async () => {
  api.on('GET /api/v1/members/registrations', fixtures.page([fixtures.registration({ id: 21, user_name: '李强' })]))
  api.on('POST /api/v1/members/registrations/21/approve', fixtures.registration({ id: 21, status: 'approved' }))
  const page = await openPage('pages/dispatch/registrations/registrations')
  expect(api.callsTo('GET /api/v1/members/registrations')[0].query).toMatchObject({ status: 'pending' })
  expect(text(page)).toContain('李强')
  expect(text(page)).toContain('区人民医院')
  expect(text(page)).toContain('医疗护理')
  await tap(page, '#approve-21')
  expect(api.callsTo('POST /api/v1/members/registrations/21/approve')).toHaveLength(1)
  expect(text(page)).toContain('没有待审批的报到申请')
})

test('rejects with a reason', async () => {
  api.on('GET /api/v1/members/registrations', fixtures.page([fixtures.registration({ id: 21 })]))
  api.on('POST /api/v1/members/registrations/21/reject', fixtures.registration({ id: 21, status: 'rejected' }))
  const page = await openPage('pages/dispatch/registrations/registrations')
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '不住本小区' }))
  await tap(page, '#reject-21')
  expect(api.callsTo('POST /api/v1/members/registrations/21/reject')[0].data).toEqual({ reason: '不住本小区' })
})

test('past decisions under 已通过; error state', async () => {
  api.on('GET /api/v1/members/registrations', (req) =>
    fixtures.page(req.query.status === 'approved' ? [fixtures.registration({ id: 2, status: 'approved', user_name: '周海' })] : [])
  )
  const page = await openPage('pages/dispatch/registrations/registrations')
  await selectTab(page, '#filters', '已通过')
  expect(text(page)).toContain('周海')
  expect(text(page)).toContain('已通过')

  api.on('GET /api/v1/members/registrations', fail(403, 'role_required', '您没有执行此操作的角色权限'))
  const denied = await openPage('pages/dispatch/registrations/registrations')
  expect(text(denied)).toContain('您没有执行此操作的角色权限')
})
