// 审核派单: the review queue (status=pending_review), approve / reject, go to dispatch.
const { setup, openPage, text, tap, flush, selectTab, retry } = require('../helpers/page')
const { fail } = require('../helpers/wx')
const fixtures = require('../helpers/fixtures')

let wx, api

beforeEach(() => {
  ;({ wx, api } = setup())
  api.on('GET /api/v1/me', fixtures.dispatcherMe())
})

test('shows the pending queue and approves a wish', async () => {
  api.on('GET /api/v1/wishes', (req) =>
    fixtures.page(req.query.status === 'pending_review'
      ? [fixtures.wish({ id: 9, title: '厨房水龙头漏水', status: 'pending_review', requester_name: '王*兰' })]
      : [])
  )
  api.on('POST /api/v1/wishes/9/review', fixtures.wishDetail({ id: 9, status: 'open' }))
  const page = await openPage('pages/dispatch/queue/queue')
  expect(api.callsTo('GET /api/v1/wishes')[0].query).toMatchObject({ status: 'pending_review', mine: 'false' })
  expect(text(page)).toContain('厨房水龙头漏水')
  expect(text(page)).toContain('王*兰')
  await tap(page, '#approve-9')
  expect(api.callsTo('POST /api/v1/wishes/9/review')[0].data).toEqual({ decision: 'approve', reason: null })
  expect(text(page)).toContain('没有等待审核的心愿')
})

test('rejects with a reason; a wish already decided reloads the queue', async () => {
  api.on('GET /api/v1/wishes', fixtures.page([fixtures.wish({ id: 9, status: 'pending_review' })]))
  api.on('POST /api/v1/wishes/9/review', fail(409, 'invalid_state', '心愿当前状态为「已取消」，不能驳回'))
  const page = await openPage('pages/dispatch/queue/queue')
  wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '重复提交' }))
  await tap(page, '#reject-9')
  expect(api.callsTo('POST /api/v1/wishes/9/review')[0].data).toEqual({ decision: 'reject', reason: '重复提交' })
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '心愿当前状态为「已取消」，不能驳回' }))
  expect(api.callsTo('GET /api/v1/wishes')).toHaveLength(2)
})

test('待认领 lists open wishes with a 派单 button; links to follow-up and registrations', async () => {
  api.on('GET /api/v1/wishes', (req) =>
    fixtures.page(req.query.status === 'open' ? [fixtures.wish({ id: 5, title: '陪聊', status: 'open' })] : [])
  )
  const page = await openPage('pages/dispatch/queue/queue')
  await selectTab(page, '#filters', '待认领')
  expect(text(page)).toContain('陪聊')
  await tap(page, '#dispatch-5')
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/dispatch/candidates/candidates?id=5' })
  await tap(page, '#followup')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/dispatch/followup/followup' })
  await tap(page, '#registrations')
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/dispatch/registrations/registrations' })
})

test('error state with retry', async () => {
  api.on('GET /api/v1/wishes', fail(403, 'out_of_scope', '您没有该小区的相应权限'))
  const page = await openPage('pages/dispatch/queue/queue')
  expect(text(page)).toContain('您没有该小区的相应权限')
  api.on('GET /api/v1/wishes', fixtures.page([]))
  await retry(page, '#list-state')
  await flush()
  expect(text(page)).toContain('没有等待审核的心愿')
})
